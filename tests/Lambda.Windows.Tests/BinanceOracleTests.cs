using Lambda.Core.Contracts;
using Lambda.Core.Klines;
using Lambda.Core.Windows;

namespace Lambda.Windows.Tests;

public class BinanceOracleTests
{
    private static List<Kline> ReadKlines(string name)
    {
        using var reader = new StreamReader(Path.Combine(AppContext.BaseDirectory, "samples", "binance", name));
        var rows = KlinesCsvReader.Read(reader).ToList();
        rows.Should().OnlyContain(r => r.Error == null);
        return rows.Select(r => r.Kline!).ToList();
    }

    [Fact]
    public void Daily_candles_built_from_4h_klines_equal_Binance_daily_klines()
    {
        var fourHours = ReadKlines("BTCUSDT-4h.csv");
        var days = ReadKlines("BTCUSDT-1d.csv");
        var engine = new CandleWindowEngine(new CandleWindowOptions { KlineInterval = "4h" });

        foreach (var k in fourHours)
        {
            var result = engine.Add(new KlineEvent
            {
                Exchange = "binance",
                Symbol = "BTCUSDT",
                EventTime = k.CloseTime,
                Source = EventSources.Replay,
                Interval = "4h",
                OpenTime = k.OpenTime,
                CloseTime = k.CloseTime,
                Open = k.Open,
                High = k.High,
                Low = k.Low,
                Close = k.Close,
                Volume = k.Volume,
                QuoteVolume = k.QuoteVolume,
                Trades = k.Trades,
                IsClosed = true,
            });
            result.Status.Should().Be(WindowEventStatus.Merged);
        }

        var closed = engine.TakeClosed().KlineCandles;
        var flushed = engine.Flush().KlineCandles;
        flushed.Should().ContainSingle().Which.Candle.Complete.Should().BeFalse("the file ends in the middle of the last day");
        var candles = closed.Concat(flushed).ToList();

        candles.Select(c => c.WindowStart.ToUnixTimeMilliseconds()).Should().Equal(days.Select(d => d.OpenTime), "every day of the 1d file is present, in order");
        var complete = 0;
        foreach (var (window, day) in candles.Zip(days))
        {
            var c = window.Candle;
            c.Day.Should().Be(DateOnly.FromDateTime(DateTimeOffset.FromUnixTimeMilliseconds(day.OpenTime).UtcDateTime));
            c.Source.Should().Be("speed");
            if (!c.Complete)
            {
                continue;
            }

            complete++;
            (c.Open, c.High, c.Low, c.Close, c.Trades).Should().Be((day.Open, day.High, day.Low, day.Close, day.Trades), $"day {c.Day}");
            c.Volume.Should().BeApproximately(day.Volume, Math.Abs(day.Volume) * 1e-9, $"day {c.Day}");
            c.QuoteVolume.Should().BeApproximately(day.QuoteVolume, Math.Abs(day.QuoteVolume) * 1e-9, $"day {c.Day}");
            // Close times are the data's own (a few klines end early, around exchange maintenance).
            var closeTimes = fourHours.Where(k => k.OpenTime >= day.OpenTime && k.OpenTime <= day.CloseTime).Select(k => k.CloseTime).ToList();
            c.FirstEventTime.ToUnixTimeMilliseconds().Should().Be(closeTimes.Min());
            c.LastEventTime.ToUnixTimeMilliseconds().Should().Be(closeTimes.Max());
        }

        complete.Should().Be(days.Count - 1);
        candles[^1].Candle.Complete.Should().BeFalse();
        engine.Counters.Should().Be(new WindowCounters(fourHours.Count, 0, 0, 0));
    }
}
