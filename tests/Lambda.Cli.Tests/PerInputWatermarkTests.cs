using Lambda.Testing;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Lambda.Core.Contracts;
using Lambda.Core.Transport.Kafka;
using Lambda.Core.Views;
using Lambda.Core.Windows;
using Lambda.SpeedLayer;

namespace Lambda.Cli.Tests;

/// <summary>
/// Per-input watermarks on the embedded log, with the default lateness: klines (a few hundred events) and
/// dense trades (thousands) read together, the klines topic read to its end long before the trades one
/// (the reader takes each topic in 64 KB chunks, in turn).
/// </summary>
public sealed class PerInputWatermarkTests : IDisposable
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(120);
    private static readonly string[] BothTopics = ["--topics", "crypto-klines,crypto-trades"];

    private readonly List<string> _directories = [];

    public void Dispose()
    {
        foreach (var directory in _directories)
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    private static List<KlineEvent> Klines() => SyntheticKlines.FourHour(["BTCUSDT"]);

    /// <summary>ETHUSDT trades every 10 minutes from the first kline to the last day's noon (the last day stays open), in time order.</summary>
    private static List<TradeEvent> Trades()
    {
        var klines = Klines();
        var start = klines[0].OpenTime;
        var end = klines[^1].OpenTime - (klines[^1].OpenTime % 86_400_000) + (12 * 3_600_000);
        var trades = new List<TradeEvent>();
        for (long t = start, id = 1; t < end; t += 600_000, id++)
        {
            trades.Add(new TradeEvent
            {
                Exchange = Exchanges.Binance, Symbol = "ETHUSDT", EventTime = t + 5, Source = EventSources.WebSocket, TradeId = id,
                Price = 3000 + (id % 17), Quantity = 0.25 + (id % 3), TradeTime = t, IsBuyerMaker = id % 2 == 0,
            });
        }

        return trades;
    }

    private async Task<string> DataDirAsync(bool withTrades = true)
    {
        var dataDir = Directory.CreateTempSubdirectory("lambda-inputs-").FullName;
        _directories.Add(dataDir);
        var kafka = new KafkaOptions();
        await SyntheticKlines.PublishAsync(kafka, dataDir, Klines());
        if (withTrades)
        {
            await SyntheticKlines.PublishAsync(kafka, dataDir, Trades());
        }

        return dataDir;
    }

    /// <summary>The reference: one engine, one input, every event in event-time order (nothing is ever late there).</summary>
    private static (List<DailyCandle> All, List<DailyCandle> Closed) SortedSingleInput()
    {
        var engine = new CandleWindowEngine(new CandleWindowOptions { AllowedLateness = TimeSpan.FromMinutes(10), KlineInterval = "4h" });
        var closed = new List<WindowCandle>();
        foreach (var e in Klines().Cast<MarketEvent>().Concat(Trades()).OrderBy(e => e.EventTime))
        {
            engine.Add(e).Status.Should().NotBe(WindowEventStatus.Late);
            var emission = engine.TakeClosed();
            closed.AddRange(emission.KlineCandles.Concat(emission.TradeCandles));
        }

        var flushed = engine.Flush();
        var all = closed.Concat(flushed.KlineCandles).Concat(flushed.TradeCandles);
        return (Sorted(all.Select(c => c.Candle)), Sorted(closed.Select(c => c.Candle)));
    }

    private static List<DailyCandle> Sorted(IEnumerable<DailyCandle> candles) =>
        [.. candles.OrderBy(c => c.Exchange, StringComparer.Ordinal).ThenBy(c => c.Symbol, StringComparer.Ordinal).ThenBy(c => c.Day)];

    private static string Checkpoint(string dataDir) => Path.Combine(dataDir, "checkpoints", "speed-layer-test", "shard-0.json");

    private static long EventsInCheckpoint(string dataDir)
    {
        try
        {
            using var json = JsonDocument.Parse(File.ReadAllBytes(Checkpoint(dataDir)));
            return json.RootElement.GetProperty("events_read").GetInt64();
        }
        catch (IOException)
        {
            return 0;
        }
    }

    private static readonly string[] StreamOptions = ["stream", "--refresh", "200ms", "--checkpoint-every", "500", "--group", "test", "--idle-timeout", "10m", .. BothTopics];

    /// <summary>Streams in process until the checkpoint holds every event, then stops it as Ctrl+C does.</summary>
    private static async Task<string> StreamToTheEndAsync(string dataDir, int events)
    {
        using var output = new StringWriter();
        using var stop = new CancellationTokenSource();
        var run = SpeedLayerCommand.Build().Parse(["--data-dir", dataDir, .. StreamOptions])
            .InvokeAsync(new System.CommandLine.InvocationConfiguration { Output = output, Error = output }, stop.Token);
        var clock = Stopwatch.StartNew();
        while (!File.Exists(Checkpoint(dataDir)) || EventsInCheckpoint(dataDir) < events)
        {
            clock.Elapsed.Should().BeLessThan(Timeout, "the stream should read every event");
            run.IsCompleted.Should().BeFalse("the stream runs until it is stopped: " + output);
            await Task.Delay(50);
        }

        await stop.CancelAsync();
        (await run.WaitAsync(Timeout)).Should().Be(0, output.ToString());
        return output.ToString();
    }

    [Fact]
    public async Task Batch_reads_two_topics_at_very_different_paces_without_late_events_and_gives_the_candles_of_one_sorted_input()
    {
        var dataDir = await DataDirAsync();

        var run = await CommandRun.InvokeAsync(SpeedLayerCommand.Build(), ["--data-dir", dataDir, "batch", .. BothTopics]);

        run.ExitCode.Should().Be(0, run.Error + run.Output);
        run.Output.Should().MatchRegex(@"late\s+0\b", "nothing in this input is late: " + run.Output);
        using var reader = ParquetFileReader.Open(Path.Combine(dataDir, "views", "speed", "daily_candles.parquet"));
        Sorted(reader.Read(DailyCandleMap.Instance)).Should().Equal(SortedSingleInput().All);
    }

    [Fact]
    public async Task Stream_reads_two_topics_at_very_different_paces_without_late_events_and_closes_the_windows_of_one_sorted_input()
    {
        var dataDir = await DataDirAsync();

        var output = await StreamToTheEndAsync(dataDir, Klines().Count + Trades().Count);

        output.Should().Contain("late 0").And.Contain("0 dead-lettered");
        Sorted(SpeedViews.Parts(dataDir)).Should().Equal(SortedSingleInput().Closed);
    }

    [Fact]
    public async Task Killing_the_process_at_random_moments_gives_the_parts_and_the_per_input_checkpoint_of_an_uninterrupted_run_byte_for_byte()
    {
        var events = Klines().Count + Trades().Count;
        var reference = await DataDirAsync();
        await StreamToTheEndAsync(reference, events);
        var expectedParts = SpeedViews.PartFiles(reference);
        var dataDir = await DataDirAsync();
        var random = new Random(7);

        var kills = 0;
        var stalled = 0;
        var readBefore = 0L;
        while (EventsInCheckpoint(dataDir) < events)
        {
            // A restart that made no progress (a busy machine) gets a later kill moment next time, so the run always ends.
            stalled.Should().BeLessThan(8, "restarts whose kill moment keeps doubling should make progress");
            using var process = LambdaProcess.Start(["--data-dir", dataDir, .. StreamOptions]);
            await process.RunJobForAsync(TimeSpan.FromMilliseconds(random.Next(100, 1200) << stalled), Timeout);
            process.HasExited.Should().BeFalse("stream runs until it is stopped: " + process.Output);
            await process.KillAsync(); // SIGKILL
            kills++;
            var readNow = EventsInCheckpoint(dataDir);
            stalled = readNow > readBefore ? 0 : stalled + 1;
            readBefore = readNow;
        }

        // One more run that resumes from the last checkpoint and stops cleanly, as the reference did.
        await StreamToTheEndAsync(dataDir, events);

        var parts = SpeedViews.PartFiles(dataDir);
        parts.Select(p => p.Name).Should().Equal(expectedParts.Select(p => p.Name), "after {0} SIGKILLs and restarts", kills);
        for (var i = 0; i < parts.Count; i++)
        {
            parts[i].Bytes.Should().Equal(expectedParts[i].Bytes, "{0} is byte for byte the uninterrupted run's", parts[i].Name);
        }

        var checkpoint = await File.ReadAllTextAsync(Checkpoint(dataDir));
        SpeedViews.WithoutEpoch(checkpoint).Should().Be(SpeedViews.WithoutEpoch(await File.ReadAllTextAsync(Checkpoint(reference))),
            "the checkpoint, with the engine's per-input state, is the uninterrupted run's (each restart took the shard's next epoch)");
        JsonDocument.Parse(checkpoint).RootElement.GetProperty("epoch").GetInt64().Should().BeInRange(2, kills + 1, "each run that got as far as taking the shard took its next epoch");
        var state = CandleWindowState.FromJson(JsonDocument.Parse(checkpoint).RootElement.GetProperty("engine_state").GetString()!);
        state.Inputs.Should().Equal(
            new InputWatermarkState("crypto-klines", Klines()[^1].EventTime, Idle: false),
            new InputWatermarkState("crypto-trades", Trades()[^1].EventTime, Idle: false));
    }

    [Fact]
    public async Task An_idle_topic_does_not_hold_windows_open_beyond_the_idle_timeout_and_its_return_is_logged()
    {
        var dataDir = await DataDirAsync(withTrades: false);
        var completeDays = Klines().Select(k => DateOnly.FromDateTime(DateTimeOffset.FromUnixTimeMilliseconds(k.OpenTime).UtcDateTime)).Distinct().Count() - 1;

        using var process = LambdaProcess.Start(["--data-dir", dataDir, "stream", "--refresh", "200ms", "--group", "test", "--idle-timeout", "1s", .. BothTopics]);

        // crypto-trades has nothing: until it is idle it holds the watermark; then the klines close their days (the
        // klines topic, read to its end, goes idle too: with every input idle the furthest one counts).
        var clock = Stopwatch.StartNew();
        while (SpeedViews.Parts(dataDir).Count < completeDays)
        {
            clock.Elapsed.Should().BeLessThan(Timeout, "the idle trades topic should be left out: " + process.Output);
            process.HasExited.Should().BeFalse(process.Output);
            await Task.Delay(50);
        }

        process.Output.Should().MatchRegex(@"Shard 0: input crypto-trades idle for \d+\.\d s, left out of the watermark");
        SpeedViews.Parts(dataDir).Should().HaveCount(completeDays).And.OnlyContain(c => c.Complete && c.Symbol == "BTCUSDT");

        // A trade of the open last day arrives: the topic counts again, and the trade is in time for its window.
        var last = Klines()[^1];
        await SyntheticKlines.PublishAsync(new KafkaOptions(), dataDir, [new TradeEvent
        {
            Exchange = Exchanges.Binance, Symbol = "ETHUSDT", EventTime = last.CloseTime, Source = EventSources.WebSocket, TradeId = 1,
            Price = 3000, Quantity = 1, TradeTime = last.OpenTime, IsBuyerMaker = false,
        }]);
        clock.Restart();
        while (!SpeedViews.Live(dataDir).Rows.Any(c => c.Symbol == "ETHUSDT"))
        {
            clock.Elapsed.Should().BeLessThan(Timeout, "the returning trade should reach the live view: " + process.Output);
            await Task.Delay(50);
        }

        process.Output.Should().Contain("Shard 0: input crypto-trades delivers again and counts for the watermark again");
        (await process.InterruptAsync(Timeout)).Should().Be(0, process.Output);
        process.Output.Should().Contain("late 0").And.Contain(string.Create(CultureInfo.InvariantCulture, $"windows closed   {completeDays} in {completeDays} part(s)"));
    }
}
