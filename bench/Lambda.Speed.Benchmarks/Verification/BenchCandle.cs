using Lambda.Core.Windows;

namespace Lambda.Speed.Benchmarks.Verification;

/// <summary>A daily candle as both sides can state it, for comparing the engines' answers.</summary>
public sealed record BenchCandle(
    string Exchange,
    string Symbol,
    DateOnly Day,
    double Open,
    double High,
    double Low,
    double Close,
    double Volume,
    double QuoteVolume,
    long Trades,
    bool Complete,
    long FirstEventTime,
    long LastEventTime)
{
    public (string Exchange, string Symbol, DateOnly Day) Key => (Exchange, Symbol, Day);

    public static BenchCandle From(WindowCandle window)
    {
        ArgumentNullException.ThrowIfNull(window);
        var c = window.Candle;
        return new(c.Exchange, c.Symbol, c.Day, c.Open, c.High, c.Low, c.Close, c.Volume, c.QuoteVolume, c.Trades, c.Complete,
            c.FirstEventTime.ToUnixTimeMilliseconds(), c.LastEventTime.ToUnixTimeMilliseconds());
    }
}
