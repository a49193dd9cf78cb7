using Lambda.Core.Windows;
using static Lambda.Windows.Tests.Events;

namespace Lambda.Windows.Tests;

public class KlineWindowTests
{
    private static CandleWindowEngine Engine(TimeSpan? lateness = null, TimeSpan? window = null, string interval = "4h") =>
        new(new CandleWindowOptions { KlineInterval = interval, AllowedLateness = lateness ?? TimeSpan.Zero, WindowLength = window ?? TimeSpan.FromDays(1) });

    private static void AddDay(CandleWindowEngine engine, string day, double basePrice)
    {
        for (var i = 0; i < 6; i++)
        {
            engine.Add(Kline($"{day}T{i * 4:00}:00:00", basePrice + i, basePrice + i + 2, basePrice + i - 2, basePrice + i + 1, 1 + i))
                .Status.Should().Be(WindowEventStatus.Merged);
        }
    }

    [Fact]
    public void A_day_closes_when_the_watermark_reaches_its_end_and_is_emitted_once()
    {
        var engine = Engine();
        AddDay(engine, "2026-08-01", 100);
        engine.TakeClosed().IsEmpty.Should().BeTrue("the watermark is 23:59:59.999");
        engine.LiveView().KlineCandles.Should().ContainSingle().Which.Candle.Complete.Should().BeTrue("all six 4h klines are closed");

        engine.Add(Kline("2026-08-02T00:00:00", 200, 201, 199, 200, 1));
        var closed = engine.TakeClosed().KlineCandles.Should().ContainSingle().Subject.Candle;
        closed.Should().BeEquivalentTo(new
        {
            Exchange = "binance",
            Symbol = "BTCUSDT",
            Day = new DateOnly(2026, 8, 1),
            Open = 100.0,
            High = 107.0,
            Low = 98.0,
            Close = 106.0,
            Volume = 21.0,
            Trades = 60L,
            Source = "speed",
            Complete = true,
        });
        engine.TakeClosed().IsEmpty.Should().BeTrue("a closed window is emitted once");
        engine.LiveView().KlineCandles.Should().ContainSingle().Which.Candle.Day.Should().Be(new DateOnly(2026, 8, 2));
    }

    [Fact]
    public void Out_of_order_klines_within_the_lateness_are_merged()
    {
        var engine = Engine(lateness: TimeSpan.FromHours(5));
        engine.Add(Kline("2026-08-01T00:00:00", 100, 102, 99, 101, 1));
        engine.Add(Kline("2026-08-01T08:00:00", 103, 110, 101, 104, 1));
        engine.Add(Kline("2026-08-01T12:00:00", 104, 105, 103, 104, 1));
        engine.Add(Kline("2026-08-01T16:00:00", 104, 105, 103, 104, 1));
        engine.Add(Kline("2026-08-01T20:00:00", 104, 105, 103, 105, 1));
        engine.Add(Kline("2026-08-02T00:00:00", 105, 105, 103, 105, 1));
        engine.Add(Kline("2026-08-01T04:00:00", 101, 103, 90, 103, 1)).Status.Should().Be(WindowEventStatus.Merged, "the watermark (23:00) has not closed the day");

        engine.Add(Kline("2026-08-02T04:00:00", 105, 105, 103, 105, 1));
        var day = engine.TakeClosed().KlineCandles.Should().ContainSingle().Subject.Candle;
        (day.Open, day.High, day.Low, day.Close, day.Volume, day.Complete).Should().Be((100.0, 110.0, 90.0, 105.0, 6.0, true));
    }

    [Fact]
    public void Klines_beyond_the_lateness_are_late_with_a_reason_and_counted()
    {
        var engine = Engine(lateness: TimeSpan.FromMinutes(10));
        engine.Add(Kline("2026-08-01T00:00:00", 100, 102, 99, 101, 1));
        engine.Add(Kline("2026-08-02T00:00:00", 101, 102, 99, 101, 1, closed: false, eventTime: Ms("2026-08-02T00:10:00")));

        var late = engine.Add(Kline("2026-08-01T04:00:00", 1, 1, 1, 1, 1));
        late.Status.Should().Be(WindowEventStatus.Late);
        late.Reason.Should().Be("late: open_time 2026-08-01T04:00:00Z is in window 2026-08-01 closed at watermark 2026-08-02T00:00:00Z");
        engine.Counters.Late.Should().Be(1);
        engine.TakeClosed().KlineCandles.Should().ContainSingle().Which.Candle.Should().Match<Lambda.Core.Views.DailyCandle>(
            c => c.Low == 99 && c.Complete == false && c.Volume == 1);
    }

    [Fact]
    public void The_same_kline_update_twice_changes_nothing()
    {
        var engine = Engine();
        var kline = Kline("2026-08-01T00:00:00", 100, 102, 99, 101, 5);
        engine.Add(kline).Status.Should().Be(WindowEventStatus.Merged);
        engine.Add(kline with { }).Status.Should().Be(WindowEventStatus.Duplicate);

        var candle = engine.Flush().KlineCandles.Should().ContainSingle().Subject.Candle;
        (candle.Volume, candle.Trades).Should().Be((5.0, 10L));
        engine.Counters.Should().Be(new WindowCounters(1, 1, 0, 0));
    }

    [Fact]
    public void An_open_kline_is_replaced_by_its_closed_version_and_its_volume_counted_once()
    {
        var engine = Engine();
        var start = Ms("2026-08-01T00:00:00");
        engine.Add(Kline("2026-08-01T00:00:00", 100, 101, 99, 100, 2, closed: false, eventTime: start + 1000));
        var live = engine.LiveView().KlineCandles.Should().ContainSingle().Subject.Candle;
        (live.Volume, live.Trades, live.Complete).Should().Be((0.0, 0L, false), "only closed klines add volume");

        engine.Add(Kline("2026-08-01T00:00:00", 100, 103, 99, 102, 3, closed: false, eventTime: start + 2000));
        engine.Add(Kline("2026-08-01T00:00:00", 100, 104, 98, 103, 7, closed: true));
        engine.Add(Kline("2026-08-01T00:00:00", 100, 200, 1, 150, 99, closed: false, eventTime: start + 3000))
            .Status.Should().Be(WindowEventStatus.Duplicate, "a closed kline is final");

        var candle = engine.Flush().KlineCandles.Should().ContainSingle().Subject.Candle;
        (candle.Open, candle.High, candle.Low, candle.Close, candle.Volume, candle.Trades).Should().Be((100.0, 104.0, 98.0, 103.0, 7.0, 10L));
        candle.FirstEventTime.ToUnixTimeMilliseconds().Should().Be(start + 1000);
        candle.Complete.Should().BeFalse("five of the six intervals are missing");
    }

    [Fact]
    public void An_older_update_arriving_after_a_newer_one_is_ignored()
    {
        var engine = Engine();
        var start = Ms("2026-08-01T00:00:00");
        engine.Add(Kline("2026-08-01T00:00:00", 100, 105, 99, 104, 2, closed: false, eventTime: start + 2000));
        engine.Add(Kline("2026-08-01T00:00:00", 100, 101, 99, 100, 1, closed: false, eventTime: start + 1000))
            .Status.Should().Be(WindowEventStatus.Duplicate);
        engine.LiveView().KlineCandles[0].Candle.Close.Should().Be(104);
    }

    [Fact]
    public void Days_without_events_produce_no_candle()
    {
        var engine = Engine();
        AddDay(engine, "2026-08-01", 100);
        AddDay(engine, "2026-08-04", 100);
        var all = engine.TakeClosed().KlineCandles.Concat(engine.Flush().KlineCandles).Select(c => c.Candle.Day);
        all.Should().Equal(new DateOnly(2026, 8, 1), new DateOnly(2026, 8, 4));
    }

    [Fact]
    public void Klines_of_another_interval_are_counted_as_ignored()
    {
        var engine = Engine();
        engine.Add(Kline("2026-08-01T00:00:00", 100, 101, 99, 100, 1, interval: "1h")).Status.Should().Be(WindowEventStatus.Ignored);
        engine.Counters.Ignored.Should().Be(1);
        engine.OpenWindows.Should().Be(0);
    }

    [Fact]
    public void Four_hour_windows_from_hourly_klines_close_every_four_hours()
    {
        var engine = Engine(window: TimeSpan.FromHours(4), interval: "1h");
        for (var h = 0; h < 9; h++)
        {
            engine.Add(Kline($"2026-08-01T{h:00}:00:00", 100 + h, 101 + h, 99 + h, 100.5 + h, 1, interval: "1h"));
        }

        var closed = engine.TakeClosed().KlineCandles;
        closed.Select(c => c.WindowStart.Hour).Should().Equal(0, 4);
        closed.Should().OnlyContain(c => c.Candle.Complete && c.Candle.Volume == 4 && c.Candle.Day == new DateOnly(2026, 8, 1));
        (closed[1].Candle.Open, closed[1].Candle.Close).Should().Be((104.0, 107.5));
        closed[1].WindowEnd.Should().Be(closed[1].WindowStart.AddHours(4));
        engine.Flush().KlineCandles.Should().ContainSingle().Which.Candle.Complete.Should().BeFalse();
    }

    [Fact]
    public void Hourly_windows_with_hourly_klines_are_complete_with_one_kline()
    {
        var engine = Engine(window: TimeSpan.FromHours(1), interval: "1h");
        engine.Add(Kline("2026-08-01T05:00:00", 1, 2, 0.5, 1.5, 3, interval: "1h"));
        engine.Add(Kline("2026-08-01T06:00:00", 1, 2, 0.5, 1.5, 3, interval: "1h"));
        // Another version of the closed kline (an exact copy would be a duplicate).
        var late = engine.Add(Kline("2026-08-01T05:00:00", 1, 2, 0.5, 1.6, 3, interval: "1h"));
        late.Reason.Should().Be("late: open_time 2026-08-01T05:00:00Z is in window 2026-08-01T05:00:00Z/2026-08-01T06:00:00Z closed at watermark 2026-08-01T06:59:59.999Z");
        engine.TakeClosed().KlineCandles.Should().ContainSingle().Which.Candle.Complete.Should().BeTrue();
    }

    [Fact]
    public void Windows_are_emitted_in_order_of_start_exchange_and_symbol()
    {
        var engine = Engine();
        engine.Add(Kline("2026-08-01T00:00:00", 1, 1, 1, 1, 1, symbol: "ETHUSDT"));
        engine.Add(Kline("2026-08-01T00:00:00", 1, 1, 1, 1, 1, symbol: "BTCUSDT", exchange: "bybit"));
        engine.Add(Kline("2026-08-01T00:00:00", 1, 1, 1, 1, 1, symbol: "BTCUSDT"));
        engine.Add(Kline("2026-08-02T00:00:00", 1, 1, 1, 1, 1, symbol: "ADAUSDT"));
        var all = engine.TakeClosed().KlineCandles.Concat(engine.Flush().KlineCandles).Select(c => $"{c.Candle.Day:dd} {c.Candle.Exchange} {c.Candle.Symbol}");
        all.Should().Equal("01 binance BTCUSDT", "01 binance ETHUSDT", "01 bybit BTCUSDT", "02 binance ADAUSDT");
    }

    /// <summary>Replaying the same klines or trades again gives duplicates, not late events, even after their window closed.</summary>
    [Fact]
    public void Exact_copies_of_merged_events_are_duplicates_after_their_window_closed_and_across_a_restore()
    {
        var engine = Engine();
        AddDay(engine, "2026-08-01", 100);
        engine.Add(Trade("2026-08-01T12:00:00", 7, 100, 1)).Status.Should().Be(WindowEventStatus.Merged);
        engine.Add(Kline("2026-08-02T00:00:00", 200, 201, 199, 200, 1));
        engine.TakeClosed().KlineCandles.Should().ContainSingle();
        var restored = CandleWindowEngine.Restore(CandleWindowState.FromJson(engine.Snapshot().ToJson()));

        foreach (var e in new[] { engine, restored })
        {
            e.Add(Kline("2026-08-01T04:00:00", 101, 103, 99, 102, 2)).Status.Should().Be(WindowEventStatus.Duplicate, "the very kline the closed day merged");
            e.Add(Trade("2026-08-01T12:00:00", 7, 100, 1)).Status.Should().Be(WindowEventStatus.Duplicate, "the very trade the closed day counted");
            e.Add(Kline("2026-08-01T04:00:00", 101, 103, 99, 102, 3)).Status.Should().Be(WindowEventStatus.Late, "another volume: not a copy");
            e.Add(Trade("2026-08-01T12:00:00", 8, 100, 1)).Status.Should().Be(WindowEventStatus.Late, "another trade");
            (e.Counters.Duplicates, e.Counters.Late).Should().Be((2, 2));
        }
    }

    [Fact]
    public void Events_after_a_flush_for_flushed_windows_are_late()
    {
        var engine = Engine();
        engine.Add(Kline("2026-08-01T00:00:00", 1, 1, 1, 1, 1));
        engine.Flush().KlineCandles.Should().ContainSingle();
        engine.Add(Kline("2026-08-01T04:00:00", 1, 1, 1, 1, 1)).Status.Should().Be(WindowEventStatus.Late);
        engine.Add(Kline("2026-08-01T00:00:00", 1, 1, 1, 1, 1)).Status.Should().Be(WindowEventStatus.Duplicate, "a copy of a flushed kline");
        engine.Flush().IsEmpty.Should().BeTrue();
    }

    [Fact]
    public void Invalid_options_are_rejected()
    {
        var act1 = () => new CandleWindowEngine(new CandleWindowOptions { WindowLength = TimeSpan.FromHours(5), KlineInterval = "4h" });
        act1.Should().Throw<ArgumentException>().WithMessage("*multiple*");
        var act2 = () => new CandleWindowEngine(new CandleWindowOptions { AllowedLateness = TimeSpan.FromSeconds(-1) });
        act2.Should().Throw<ArgumentException>();
        var act3 = () => new CandleWindowEngine(new CandleWindowOptions { KlineInterval = "1M" });
        act3.Should().Throw<ArgumentException>();
    }
}
