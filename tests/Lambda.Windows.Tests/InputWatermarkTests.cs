using Lambda.Core.Contracts;
using Lambda.Core.Windows;
using static Lambda.Windows.Tests.Events;

namespace Lambda.Windows.Tests;

/// <summary>Per-input watermarks: the engine's watermark is the minimum over its active inputs.</summary>
public class InputWatermarkTests
{
    private static readonly CandleWindowOptions Options = new() { KlineInterval = "4h", AllowedLateness = TimeSpan.FromMinutes(10) };

    private static string At(long ms) =>
        DateTimeOffset.FromUnixTimeMilliseconds(ms).ToString("yyyy-MM-ddTHH:mm:ss", System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>Ten days of 4h klines (one input) and of trades every 5 minutes (the other), each input in time order.</summary>
    private static (List<MarketEvent> Klines, List<MarketEvent> Trades) TwoInputs()
    {
        var start = Ms("2026-08-01T00:00:00");
        var klines = new List<MarketEvent>();
        var trades = new List<MarketEvent>();
        for (var i = 0; i < 10 * 6; i++)
        {
            var open = start + (i * 4 * Hour);
            klines.Add(Kline(At(open), 100 + i, 110 + i, 90 + i, 105 + i, i + 1, symbol: "BTCUSDT"));
        }

        for (var i = 0; i < 10 * 24 * 12; i++)
        {
            trades.Add(Trade(At(start + (i * 300_000L)), i + 1, 50 + (i % 7), 0.5, symbol: "ETHUSDT"));
        }

        return (klines, trades);
    }

    private static List<WindowCandle> Candles(List<WindowEmission> emissions) =>
        [.. emissions.SelectMany(e => e.KlineCandles.Concat(e.TradeCandles))
            .OrderBy(c => c.Candle.Symbol, StringComparer.Ordinal).ThenBy(c => c.WindowStart)];

    private static List<WindowEmission> Drain(CandleWindowEngine engine, List<WindowEmission> into)
    {
        var closed = engine.TakeClosed();
        if (!closed.IsEmpty)
        {
            into.Add(closed);
        }

        return into;
    }

    [Fact]
    public void Two_inputs_read_at_very_different_paces_give_no_late_events_and_the_candles_of_one_sorted_input()
    {
        var (klines, trades) = TwoInputs();

        // The reference: one input, every event in event-time order.
        var sorted = new CandleWindowEngine(Options);
        var expected = new List<WindowEmission>();
        foreach (var e in klines.Concat(trades).OrderBy(e => e.EventTime))
        {
            sorted.Add(e).Status.Should().NotBe(WindowEventStatus.Late);
            Drain(sorted, expected);
        }

        expected.Add(sorted.Flush());

        // Two inputs: all the klines first (ten days ahead), then the trades.
        var engine = new CandleWindowEngine(Options);
        var klineInput = engine.DeclareInput("crypto-klines");
        var tradeInput = engine.DeclareInput("crypto-trades");
        var emissions = new List<WindowEmission>();
        foreach (var e in klines)
        {
            engine.Add(e, klineInput);
            Drain(engine, emissions);
        }

        emissions.Should().BeEmpty("the trades input has delivered nothing yet, so it holds the watermark");
        foreach (var e in trades)
        {
            engine.Add(e, tradeInput);
            Drain(engine, emissions);
        }

        emissions.Should().NotBeEmpty("the trades move the watermark now that they are the slowest input");
        emissions.Add(engine.Flush());

        engine.Counters.Late.Should().Be(0);
        Candles(emissions).Should().Equal(Candles(expected));
    }

    [Fact]
    public void A_single_watermark_over_both_inputs_would_have_made_the_trades_late()
    {
        // The behaviour before per-input watermarks, kept here as the reason for them: one input for everything.
        var (klines, trades) = TwoInputs();
        var engine = new CandleWindowEngine(Options);
        foreach (var e in klines.Concat(trades))
        {
            engine.Add(e);
        }

        engine.Counters.Late.Should().BeGreaterThan(0);
    }

    [Fact]
    public void A_truly_late_event_of_an_input_is_still_late()
    {
        var engine = new CandleWindowEngine(Options);
        var a = engine.DeclareInput("a");
        var b = engine.DeclareInput("b");
        engine.Add(Kline("2026-08-01T00:00:00", 1, 2, 0.5, 1.5, 1, symbol: "BTCUSDT"), a);
        engine.Add(Kline("2026-08-03T00:00:00", 1, 2, 0.5, 1.5, 1, symbol: "ETHUSDT"), b);
        engine.Add(Kline("2026-08-03T04:00:00", 1, 2, 0.5, 1.5, 1, symbol: "BTCUSDT"), a);
        engine.Watermark.Should().Be(DateTimeOffset.FromUnixTimeMilliseconds(Ms("2026-08-03T04:00:00") - 1 - 600_000), "the slower input, b, trails");

        var late = engine.Add(Kline("2026-08-01T04:00:00", 1, 2, 0.5, 1.5, 1, symbol: "BTCUSDT"), a);

        late.Status.Should().Be(WindowEventStatus.Late);
        late.Reason.Should().Contain("window 2026-08-01 closed at watermark");
        engine.Counters.Late.Should().Be(1);
    }

    [Fact]
    public void An_idle_input_is_left_out_of_the_watermark_and_counts_again_when_it_delivers()
    {
        var engine = new CandleWindowEngine(Options);
        var busy = engine.DeclareInput("busy");
        var quiet = engine.DeclareInput("quiet");
        foreach (var day in new[] { "2026-08-01", "2026-08-02", "2026-08-03" })
        {
            engine.Add(Kline(day + "T20:00:00", 1, 2, 0.5, 1.5, 1), busy);
        }

        engine.Watermark.Should().BeNull("the quiet input has delivered nothing");
        engine.TakeClosed().IsEmpty.Should().BeTrue();

        engine.SetIdle(quiet, idle: true).Should().BeTrue();

        engine.IsIdle(quiet).Should().BeTrue();
        engine.TakeClosed().KlineCandles.Select(c => c.Candle.Day).Should().Equal(new DateOnly(2026, 8, 1), new DateOnly(2026, 8, 2));
        engine.SetIdle(quiet, idle: true).Should().BeFalse("it is idle already");

        // It delivers again: active again, and its event time holds the watermark from now on (it never goes back).
        var watermark = engine.Watermark;
        engine.Add(Kline("2026-08-03T04:00:00", 1, 2, 0.5, 1.5, 1, symbol: "ETHUSDT"), quiet).Status.Should().Be(WindowEventStatus.Merged);
        engine.IsIdle(quiet).Should().BeFalse();
        engine.Add(Kline("2026-08-04T20:00:00", 1, 2, 0.5, 1.5, 1), busy);
        engine.Watermark.Should().Be(watermark, "the quiet input is the slowest again");
        engine.TakeClosed().IsEmpty.Should().BeTrue();
    }

    [Fact]
    public void When_every_input_is_idle_the_watermark_follows_the_furthest_one()
    {
        var engine = new CandleWindowEngine(Options);
        var a = engine.DeclareInput("a");
        var b = engine.DeclareInput("b");
        engine.Add(Kline("2026-08-01T00:00:00", 1, 2, 0.5, 1.5, 1), a);
        engine.Add(Kline("2026-08-03T00:00:00", 1, 2, 0.5, 1.5, 1, symbol: "ETHUSDT"), b);
        engine.Watermark.Should().Be(DateTimeOffset.FromUnixTimeMilliseconds(Ms("2026-08-01T04:00:00") - 1 - 600_000));

        engine.SetIdle(b, idle: true);
        engine.Watermark.Should().Be(DateTimeOffset.FromUnixTimeMilliseconds(Ms("2026-08-01T04:00:00") - 1 - 600_000), "a, the slowest, is active");
        engine.SetIdle(a, idle: true);

        engine.Watermark.Should().Be(DateTimeOffset.FromUnixTimeMilliseconds(Ms("2026-08-03T04:00:00") - 1 - 600_000), "nothing arrives: b's progress counts");
        engine.TakeClosed().KlineCandles.Select(c => c.Candle.Day).Should().Equal(new DateOnly(2026, 8, 1));
    }

    [Fact]
    public void The_inputs_survive_a_snapshot_and_restore_and_the_restored_engine_continues_identically()
    {
        var (klines, trades) = TwoInputs();
        var engine = new CandleWindowEngine(Options);
        var k = engine.DeclareInput("crypto-klines");
        var t = engine.DeclareInput("crypto-trades");
        var cut = trades.Count / 3;
        foreach (var e in klines)
        {
            engine.Add(e, k);
        }

        foreach (var e in trades.Take(cut))
        {
            engine.Add(e, t);
        }

        engine.SetIdle(k, idle: true);
        var json = engine.Snapshot().ToJson();
        var restored = CandleWindowEngine.Restore(CandleWindowState.FromJson(json));

        restored.Snapshot().ToJson().Should().Be(json, "the restored state is the same, byte for byte");
        restored.Inputs.Should().Equal(
            new InputWatermarkState("crypto-klines", klines[^1].EventTime, Idle: true),
            new InputWatermarkState("crypto-trades", trades[cut - 1].EventTime, Idle: false));

        // Declared again after the restore (as a shard does), the inputs keep their indices' meaning by name.
        var rk = restored.DeclareInput("crypto-klines");
        var rt = restored.DeclareInput("crypto-trades");
        restored.IsIdle(rk).Should().BeTrue();
        foreach (var e in trades.Skip(cut))
        {
            engine.Add(e, t).Should().Be(restored.Add(e, rt));
            engine.TakeClosed().Should().BeEquivalentTo(restored.TakeClosed());
        }

        restored.Snapshot().ToJson().Should().Be(engine.Snapshot().ToJson());
    }

    [Fact]
    public void A_version_1_state_without_inputs_still_restores()
    {
        var engine = new CandleWindowEngine(Options);
        engine.Add(Kline("2026-08-01T00:00:00", 1, 2, 0.5, 1.5, 1));
        var v1 = engine.Snapshot() with { Version = 1, Inputs = null };

        var restored = CandleWindowEngine.Restore(CandleWindowState.FromJson(v1.ToJson()));

        restored.Inputs.Should().BeEmpty();
        restored.Add(Kline("2026-08-01T04:00:00", 1, 2, 0.5, 1.5, 1)).Status.Should().Be(WindowEventStatus.Merged);
        restored.Inputs.Should().ContainSingle().Which.Name.Should().BeEmpty();
    }
}
