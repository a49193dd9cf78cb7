using Lambda.Testing;
using System.Diagnostics;
using System.Globalization;
using Lambda.Core.Views;
using Lambda.Producer.Commands;
using Lambda.SpeedLayer;

namespace Lambda.Cli.Tests;

/// <summary><c>speed-layer stream</c>: closed parts, the live view, checkpoints and restarts after SIGKILL.</summary>
public sealed class SpeedStreamCommandTests : IDisposable
{
    private static readonly DateOnly From = new(2026, 6, 1);
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(90);

    private readonly List<string> _directories = [];

    public void Dispose()
    {
        foreach (var directory in _directories)
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    private static string Sample(string name) => Path.Combine(AppContext.BaseDirectory, "samples", "binance", name);

    private static readonly string[] StreamOptions = ["stream", "--refresh", "200ms", "--checkpoint-every", "5", "--group", "test"];

    /// <summary>The 1d sample's rows from --from on, by day; the last day is not over.</summary>
    private static readonly Lazy<SortedDictionary<DateOnly, string[]>> Days = new(() => new(File.ReadLines(Sample("BTCUSDT-1d.csv")).Skip(1).Select(l => l.Split(','))
        .ToDictionary(f => DateOnly.FromDateTime(DateTimeOffset.FromUnixTimeMilliseconds(long.Parse(f[0], CultureInfo.InvariantCulture)).UtcDateTime))
        .Where(d => d.Key >= From).ToDictionary()));

    private static List<DateOnly> CompleteDays => [.. Days.Value.Keys.SkipLast(1)];

    private async Task<string> ReplayedDataDirAsync()
    {
        var dataDir = Directory.CreateTempSubdirectory("lambda-speed-stream-").FullName;
        _directories.Add(dataDir);
        var run = await CommandRun.InvokeAsync(ProducerCommand.Build(), "--data-dir", dataDir, "replay", Sample("BTCUSDT-4h.csv"), "--from", "2026-06-01", "--speed", "max");
        run.ExitCode.Should().Be(0, run.Error + run.Output);
        return dataDir;
    }

    private static List<DailyCandle> ReadParts(string dataDir) => SpeedViews.Parts(dataDir);

    private static List<DailyCandle> ReadLive(string dataDir) => SpeedViews.Live(dataDir).Rows;

    private static async Task WaitForPartsAsync(string dataDir, Func<bool>? failed = null)
    {
        var clock = Stopwatch.StartNew();
        while (ReadParts(dataDir).Count < CompleteDays.Count)
        {
            clock.Elapsed.Should().BeLessThan(Timeout, "the closed parts should reach every complete day");
            (failed?.Invoke() ?? false).Should().BeFalse("the stream should keep running");
            await Task.Delay(50);
        }
    }

    /// <summary>Runs stream in process until the parts hold every complete day, then cancels it (Ctrl+C).</summary>
    private static async Task<CommandRun> StreamUntilDoneAsync(string dataDir)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        using var stop = new CancellationTokenSource();
        var run = SpeedLayerCommand.Build().Parse(["--data-dir", dataDir, .. StreamOptions])
            .InvokeAsync(new System.CommandLine.InvocationConfiguration { Output = output, Error = error }, stop.Token);
        await WaitForPartsAsync(dataDir, () => run.IsCompleted);
        await stop.CancelAsync();
        var exitCode = await run.WaitAsync(Timeout);
        return new CommandRun(exitCode, output.ToString(), error.ToString());
    }

    [Fact]
    public async Task Stream_writes_every_complete_day_once_to_the_parts_and_the_current_day_to_the_live_view()
    {
        var dataDir = await ReplayedDataDirAsync();

        var run = await StreamUntilDoneAsync(dataDir);

        run.ExitCode.Should().Be(0, run.Error + run.Output);
        run.Output.Should().Contain("windows closed   " + CompleteDays.Count.ToString(CultureInfo.InvariantCulture)).And.Contain("late 0");
        var parts = ReadParts(dataDir);
        parts.Select(c => c.Day).Should().Equal(CompleteDays, "every complete day appears exactly once, in order");
        parts.Should().OnlyContain(c => c.Complete && c.Exchange == "binance" && c.Symbol == "BTCUSDT" && c.Source == "speed");
        foreach (var candle in parts)
        {
            var f = Days.Value[candle.Day];
            double D(int i) => double.Parse(f[i], CultureInfo.InvariantCulture);
            candle.Open.Should().Be(D(1), "open of {0}", candle.Day);
            candle.High.Should().Be(D(2), "high of {0}", candle.Day);
            candle.Low.Should().Be(D(3), "low of {0}", candle.Day);
            candle.Close.Should().Be(D(4), "close of {0}", candle.Day);
            candle.Trades.Should().Be(long.Parse(f[8], CultureInfo.InvariantCulture), "trades of {0}", candle.Day);
            candle.Volume.Should().BeApproximately(D(5), D(5) * 1e-9, "volume of {0}", candle.Day);
            candle.QuoteVolume.Should().BeApproximately(D(7), D(7) * 1e-9, "quote volume of {0}", candle.Day);
        }

        var (live, liveMetadata) = SpeedViews.Live(dataDir);
        live.Should().ContainSingle().Which.Day.Should().Be(Days.Value.Keys.Last());
        live[0].Complete.Should().BeFalse();
        liveMetadata[ViewLayout.Speed.LineageKey].Should().StartWith("stream:test:shard-0:live@");
        File.Exists(Path.Combine(dataDir, "checkpoints", "speed-layer-test", "shard-0.json")).Should().BeTrue();
        var partFiles = SpeedViews.PartFiles(dataDir);
        partFiles.Select(p => p.Name).Should().Equal(Enumerable.Range(0, CompleteDays.Count).Select(i => Path.Combine("shard-0", $"part-{i:D8}.parquet")),
            "the embedded log is shard 0, and each day closes on its own, so each closing is one part");
        SpeedViews.Metadata(dataDir, partFiles[1].Name)[ViewLayout.Speed.LineageKey].Should().Be("stream:test:shard-0:part-00000001");
    }

    [Fact]
    public async Task A_restart_after_a_clean_stop_resumes_from_the_checkpoint_and_writes_nothing_twice()
    {
        var dataDir = await ReplayedDataDirAsync();
        await StreamUntilDoneAsync(dataDir);
        var first = ReadParts(dataDir);

        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(1));
        using var output = new StringWriter();
        var exitCode = await SpeedLayerCommand.Build().Parse(["--data-dir", dataDir, .. StreamOptions])
            .InvokeAsync(new System.CommandLine.InvocationConfiguration { Output = output, Error = output }, stop.Token);

        exitCode.Should().Be(0, output.ToString());
        output.ToString().Should().Contain("events read      0 this run").And.Contain("(resumed)");
        ReadParts(dataDir).Should().Equal(first);
    }

    [Fact]
    public async Task An_empty_log_with_prices_writes_empty_live_views_and_a_checkpoint_at_ctrl_c()
    {
        var dataDir = Directory.CreateTempSubdirectory("lambda-speed-stream-").FullName;
        _directories.Add(dataDir);
        using var stop = new CancellationTokenSource(TimeSpan.FromMilliseconds(500));
        using var output = new StringWriter();

        var exitCode = await SpeedLayerCommand.Build().Parse(["--data-dir", dataDir, .. StreamOptions, "--topics", "crypto-klines,crypto-prices"])
            .InvokeAsync(new System.CommandLine.InvocationConfiguration { Output = output, Error = output }, stop.Token);

        exitCode.Should().Be(0, output.ToString());
        output.ToString().Should().Contain("events read      0 this run").And.Contain("windows closed   0 in 0 part(s)");
        ReadLive(dataDir).Should().BeEmpty();
        using var tickers = ParquetFileReader.Open(Path.Combine(dataDir, "views", "speed", "live", "ticker-shard-0.parquet"));
        tickers.RowCount.Should().Be(0);
        File.Exists(Path.Combine(dataDir, "checkpoints", "speed-layer-test", "shard-0.json")).Should().BeTrue();
        ReadParts(dataDir).Should().BeEmpty();
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public async Task Killing_the_process_at_random_moments_and_restarting_gives_the_part_files_of_an_uninterrupted_run_byte_for_byte(int seed)
    {
        var reference = await ReplayedDataDirAsync();
        await StreamUntilDoneAsync(reference);
        var expected = SpeedViews.PartFiles(reference);
        var dataDir = await ReplayedDataDirAsync();
        var random = new Random(seed);

        var kills = 0;
        var stalled = 0;
        var partsBefore = 0;
        for (var attempt = 0; ; attempt++)
        {
            // A restart that made no progress (a busy machine) gets a later kill moment next time, so the run
            // always ends, however slow the machine, with every kill still at a random moment.
            stalled.Should().BeLessThan(8, "restarts whose kill moment keeps doubling should make progress");
            using var process = LambdaProcess.Start(["--data-dir", dataDir, .. StreamOptions]);
            await process.RunJobForAsync(TimeSpan.FromMilliseconds(random.Next(200, 1500) << stalled), Timeout);

            var partsNow = SpeedViews.PartFiles(dataDir).Count;
            var done = partsNow >= expected.Count;
            process.HasExited.Should().BeFalse("stream runs until it is stopped: " + process.Output);
            await process.KillAsync(); // SIGKILL
            kills++;
            stalled = partsNow > partsBefore ? 0 : stalled + 1;
            partsBefore = partsNow;
            if (done)
            {
                break;
            }
        }

        // A part written after the last checkpoint is still there (its restart would delete and rewrite it
        // identically); its bytes are those of the uninterrupted run all the same.
        var parts = SpeedViews.PartFiles(dataDir);
        parts.Select(p => p.Name).Should().Equal(expected.Select(p => p.Name), "after {0} SIGKILLs and restarts", kills);
        for (var i = 0; i < parts.Count; i++)
        {
            parts[i].Bytes.Should().Equal(expected[i].Bytes, "{0} is byte for byte the uninterrupted run's", parts[i].Name);
        }

        ReadParts(dataDir).Select(c => c.Day).Should().OnlyHaveUniqueItems();
    }

    [Fact]
    public async Task A_checkpoint_of_the_layout_before_shards_is_refused_with_what_to_do()
    {
        var dataDir = Directory.CreateTempSubdirectory("lambda-speed-stream-").FullName;
        _directories.Add(dataDir);
        Directory.CreateDirectory(Path.Combine(dataDir, "checkpoints"));
        await File.WriteAllTextAsync(Path.Combine(dataDir, "checkpoints", "speed-layer-test.json"), "{\"version\": 1}");

        var run = await CommandRun.InvokeAsync(SpeedLayerCommand.Build(), ["--data-dir", dataDir, .. StreamOptions]);

        run.ExitCode.Should().Be(1);
        run.Error.Should().Contain("speed-layer-test.json").And.Contain("before its state was sharded").And.Contain("another --group");
    }
}
