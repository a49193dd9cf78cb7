using Lambda.Core.Contracts;
using Lambda.Core.Windows;
using static Lambda.Windows.Tests.Events;

namespace Lambda.Windows.Tests;

public class SnapshotRestoreTests
{
    /// <summary>A deterministic mixed stream over three days: klines (with open updates), trades (with duplicates and late ones), tickers.</summary>
    private static List<MarketEvent> Stream()
    {
        var random = new Random(42);
        var events = new List<MarketEvent>();
        var start = Ms("2026-08-01T00:00:00");
        long tradeId = 0;
        for (var minute = 0; minute < 3 * 24 * 60; minute++)
        {
            var t = start + (minute * 60_000L);
            var price = 100 + Math.Sin(minute / 100.0) * 10 + random.NextDouble();
            foreach (var symbol in new[] { "BTCUSDT", "ETHUSDT" })
            {
                var open = t - (t % (4 * Events.Hour));
                var kline = Kline(DateTimeOffset.FromUnixTimeMilliseconds(open).ToString("yyyy-MM-ddTHH:mm:ss", System.Globalization.CultureInfo.InvariantCulture),
                    price, price + 1, price - 1, price + 0.5, minute % 240, closed: false, eventTime: t, symbol: symbol);
                events.Add(kline);
                if (t + 60_000 - open == 4 * Events.Hour)
                {
                    events.Add(kline with { IsClosed = true, EventTime = open + (4 * Events.Hour) - 1 });
                }

                var id = ++tradeId;
                var trade = Trade(DateTimeOffset.FromUnixTimeMilliseconds(t - random.Next(0, 900_000)).ToString("yyyy-MM-ddTHH:mm:ss", System.Globalization.CultureInfo.InvariantCulture),
                    id, price, random.NextDouble(), symbol: symbol, eventTime: t);
                events.Add(trade);
                if (random.Next(10) == 0)
                {
                    events.Add(trade);
                }

                events.Add(Ticker(DateTimeOffset.FromUnixTimeMilliseconds(t).ToString("yyyy-MM-ddTHH:mm:ss", System.Globalization.CultureInfo.InvariantCulture), price, minute, symbol));
            }
        }

        return events;
    }

    private static readonly CandleWindowOptions Options = new() { KlineInterval = "4h", AllowedLateness = TimeSpan.FromMinutes(10) };

    private static (List<WindowEmission> Emissions, List<WindowEventResult> Results) Run(CandleWindowEngine engine, IEnumerable<MarketEvent> events)
    {
        var emissions = new List<WindowEmission>();
        var results = new List<WindowEventResult>();
        foreach (var e in events)
        {
            results.Add(engine.Add(e));
            var closed = engine.TakeClosed();
            if (!closed.IsEmpty)
            {
                emissions.Add(closed);
            }
        }

        return (emissions, results);
    }

    private static string Json(IEnumerable<WindowEmission> emissions) =>
        string.Join("\n", emissions.Select(e => new CandleWindowState(1, Options, 0, 0, default, [], [], [], e).ToJson()));

    [Fact]
    public void An_engine_restored_from_a_snapshot_continues_exactly_like_an_uninterrupted_one()
    {
        var events = Stream();
        var uninterrupted = new CandleWindowEngine(Options);
        var (expected, expectedResults) = Run(uninterrupted, events);
        expected.Add(uninterrupted.Flush());
        expectedResults.Should().Contain(r => r.Status == WindowEventStatus.Late, "the stream has trades beyond the lateness");

        foreach (var cut in new[] { 1, events.Count / 3, (events.Count / 2) + 7 })
        {
            var first = new CandleWindowEngine(Options);
            var (emissions, results) = Run(first, events.Take(cut));
            // Leave closed windows pending in the snapshot too: they must survive the restore.
            first.Add(events[cut]);
            results.Add(default);
            var json = first.Snapshot().ToJson();

            var restored = CandleWindowEngine.Restore(CandleWindowState.FromJson(json));
            restored.Snapshot().ToJson().Should().Be(json, "a restored engine is identical");
            var closedAtCut = restored.TakeClosed();
            if (!closedAtCut.IsEmpty)
            {
                emissions.Add(closedAtCut);
            }

            var (rest, restResults) = Run(restored, events.Skip(cut + 1));
            emissions.AddRange(rest);
            emissions.Add(restored.Flush());

            Json(emissions).Should().Be(Json(expected), $"cut at {cut}");
            restResults.Should().Equal(expectedResults.Skip(cut + 1));
            restored.Counters.Should().Be(uninterrupted.Counters);
            restored.Snapshot().ToJson().Should().Be(uninterrupted.Snapshot().ToJson());
        }
    }

    [Fact]
    public void The_live_view_does_not_change_the_state()
    {
        var engine = new CandleWindowEngine(Options);
        Run(engine, Stream().Take(5000));
        var before = engine.Snapshot().ToJson();
        engine.LiveView().KlineCandles.Should().NotBeEmpty();
        engine.Snapshot().ToJson().Should().Be(before);
    }
}
