using System.Globalization;
using Lambda.Core.Contracts;
using Lambda.Core.Transport;

namespace Lambda.Producer.Sinks;

/// <summary>
/// The human-readable sink: one line per event, for watching the stream in a terminal
/// (<c>--console</c>). Written lines count as delivered.
/// </summary>
public sealed class ConsoleSink(TextWriter output) : IEventSink
{
    private readonly Lock _gate = new();

    public string Name => "console";

    public SinkStatistics Statistics { get; } = new();

    public ValueTask PublishAsync(MarketEvent marketEvent, CancellationToken cancellationToken)
    {
        var line = Format(marketEvent);
        lock (_gate)
        {
            output.WriteLine(line);
        }

        Statistics.RecordSent();
        Statistics.RecordAcked();
        return ValueTask.CompletedTask;
    }

    public Task<FlushResult> FlushAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            output.Flush();
        }

        return Task.FromResult(new FlushResult(0));
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    public static string Format(MarketEvent marketEvent)
    {
        var time = DateTimeOffset.FromUnixTimeMilliseconds(marketEvent.EventTime).ToString("yyyy-MM-dd HH:mm:ss.fff", CultureInfo.InvariantCulture);
        var head = $"{time} {marketEvent.Exchange,-7} {marketEvent.Symbol,-10}";
        return marketEvent switch
        {
            TickerEvent t => string.Create(CultureInfo.InvariantCulture, $"{head} ticker {t.Price,14:0.########} {t.PriceChangePercent,+8:+0.00;-0.00}%  vol {t.Volume:0.####}  quote {t.QuoteVolume:0}"),
            KlineEvent k => string.Create(CultureInfo.InvariantCulture, $"{head} kline  {k.Interval,-3} o {k.Open:0.########} h {k.High:0.########} l {k.Low:0.########} c {k.Close:0.########} v {k.Volume:0.####}{(k.IsClosed ? " closed" : "")}"),
            TradeEvent t => string.Create(CultureInfo.InvariantCulture, $"{head} trade  {t.Price,14:0.########} x {t.Quantity:0.########} {(t.IsBuyerMaker ? "sell" : "buy")}"),
            AlertEvent a => string.Create(CultureInfo.InvariantCulture, $"{head} ALERT  {a.PreviousPrice:0.########} → {a.Price:0.########} ({a.ChangePercent:+0.00;-0.00}%, threshold {a.ThresholdPercent}%)"),
            DeadLetter d => $"{head} DEAD   {d.Reason}",
            _ => head,
        };
    }
}
