using Lambda.Core.Windows;
using static Lambda.Windows.Tests.Events;

namespace Lambda.Windows.Tests;

public class TradeAndTickerWindowTests
{
    [Fact]
    public void Trades_aggregate_by_trade_time_and_id_and_a_duplicate_id_counts_once()
    {
        var engine = new CandleWindowEngine(new CandleWindowOptions { AllowedLateness = TimeSpan.FromMinutes(5) });
        engine.Add(Trade("2026-08-01T10:00:00", 11, 101, 2)).Status.Should().Be(WindowEventStatus.Merged);
        engine.Add(Trade("2026-08-01T09:00:00", 10, 100, 1));
        engine.Add(Trade("2026-08-01T09:00:00", 9, 99.5, 1)); // same time, smaller id: this one opens
        engine.Add(Trade("2026-08-01T12:00:00", 12, 104, 0.5));
        engine.Add(Trade("2026-08-01T12:00:00", 13, 103, 0.5));
        engine.Add(Trade("2026-08-01T12:00:00", 13, 103, 0.5)).Status.Should().Be(WindowEventStatus.Duplicate);
        engine.Add(Trade("2026-08-01T11:00:00", 14, 98, 1));

        var live = engine.LiveView().TradeCandles.Should().ContainSingle().Subject.Candle;
        live.Complete.Should().BeFalse();

        engine.Add(Trade("2026-08-02T00:04:59", 20, 105, 1));
        engine.TakeClosed().IsEmpty.Should().BeTrue("the watermark is 5 minutes behind");
        engine.Add(Trade("2026-08-01T23:59:00", 15, 102, 1, eventTime: Ms("2026-08-02T00:00:01"))).Status.Should().Be(WindowEventStatus.Merged);
        engine.Add(Trade("2026-08-02T00:05:00", 21, 105, 1));

        var day = engine.TakeClosed().TradeCandles.Should().ContainSingle().Subject.Candle;
        day.Should().BeEquivalentTo(new
        {
            Day = new DateOnly(2026, 8, 1),
            Open = 99.5,
            High = 104.0,
            Low = 98.0,
            Close = 102.0,
            Volume = 7.0,
            QuoteVolume = 99.5 + 100 + 202 + 52 + 51.5 + 98 + 102,
            Trades = 7L,
            Source = "speed",
            Complete = true,
            FirstEventTime = DateTimeOffset.FromUnixTimeMilliseconds(Ms("2026-08-01T09:00:00")),
            LastEventTime = DateTimeOffset.FromUnixTimeMilliseconds(Ms("2026-08-02T00:00:01")),
        });
        engine.Counters.Should().Be(new WindowCounters(9, 1, 0, 0));

        var late = engine.Add(Trade("2026-08-01T23:00:00", 16, 1, 1));
        late.Reason.Should().Be("late: trade_time 2026-08-01T23:00:00Z is in window 2026-08-01 closed at watermark 2026-08-02T00:00:00Z");
        engine.Flush().TradeCandles.Should().ContainSingle().Which.Candle.Complete.Should().BeFalse("the last day is partial");
    }

    [Fact]
    public void Ticker_stats_keep_first_last_min_max_avg_the_last_volume_and_the_count()
    {
        var engine = new CandleWindowEngine();
        engine.Add(Ticker("2026-08-01T08:00:00", 101, 1000));
        engine.Add(Ticker("2026-08-01T06:00:00", 100, 900));
        engine.Add(Ticker("2026-08-01T20:00:00", 106, 1500));
        engine.Add(Ticker("2026-08-01T12:00:00", 97, 1200));
        engine.Add(Ticker("2026-08-01T06:30:00", 100, 950, symbol: "ETHUSDT"));

        engine.Add(Ticker("2026-08-02T00:00:00", 107, 1600));
        var stats = engine.TakeClosed().TickerStats;
        stats.Select(s => s.Symbol).Should().Equal("BTCUSDT", "ETHUSDT");
        stats[0].Should().BeEquivalentTo(new
        {
            Day = new DateOnly(2026, 8, 1),
            FirstPrice = 100.0,
            LastPrice = 106.0,
            MinPrice = 97.0,
            MaxPrice = 106.0,
            AvgPrice = 101.0,
            Volume24h = 1500.0,
            Ticks = 4L,
            Source = "speed",
            Complete = true,
            FirstEventTime = DateTimeOffset.FromUnixTimeMilliseconds(Ms("2026-08-01T06:00:00")),
            LastEventTime = DateTimeOffset.FromUnixTimeMilliseconds(Ms("2026-08-01T20:00:00")),
        });
        stats[1].Ticks.Should().Be(1);

        engine.Add(Ticker("2026-08-01T23:00:00", 1, 1)).Reason.Should()
            .Be("late: event_time 2026-08-01T23:00:00Z is in window 2026-08-01 closed at watermark 2026-08-02T00:00:00Z");
        engine.Flush().TickerStats.Should().ContainSingle().Which.Complete.Should().BeFalse();
    }
}
