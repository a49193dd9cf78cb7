using System.Diagnostics;
using System.Text;
using Lambda.Core.Contracts;
using Lambda.FakeExchange;
using Lambda.Testing;

namespace Lambda.Producer.Tests.Live;

/// <summary>
/// The producer executable as a user runs it: configured through environment variables, stopped
/// with Ctrl+C (SIGINT), recording what it received so that a replay gives the same events.
/// </summary>
public sealed class ProducerProcessTests : IDisposable
{
    private readonly string _dataDir = Directory.CreateTempSubdirectory("lambda-process-").FullName;

    public void Dispose() => Directory.Delete(_dataDir, recursive: true);

    private static Process Start(string dataDir, IReadOnlyDictionary<string, string> environment, params string[] args)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "producer.dll"));
        start.ArgumentList.Add("--data-dir");
        start.ArgumentList.Add(dataDir);
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }

        return Process.Start(start)!;
    }

    /// <summary>Lines the embedded log has finished writing (a line still being written has no newline yet).</summary>
    private static int CompleteTradeLines(string dataDir)
    {
        var directory = Path.Combine(dataDir, "topics", Topics.Trades);
        return Directory.Exists(directory)
            ? Directory.GetFiles(directory, "*.jsonl").Sum(file => File.ReadAllBytes(file).Count(b => b == (byte)'\n'))
            : 0;
    }

    private List<TradeEvent> Trades(string dataDir) =>
        Directory.GetFiles(Path.Combine(dataDir, "topics", Topics.Trades), "*.jsonl")
            .SelectMany(File.ReadAllLines)
            .Select(line => EventSerializer.Deserialize<TradeEvent>(Encoding.UTF8.GetBytes(line)))
            .ToList();

    /// <summary>Offline, the producer names the host and the cause, and a run that never connected exits non-zero.</summary>
    [Fact]
    public async Task A_run_that_never_connects_names_host_and_cause_and_exits_non_zero()
    {
        var environment = new Dictionary<string, string> { ["LAMBDA_Producer__Binance__WebSocketUrl"] = "ws://127.0.0.1:9" };
        using var process = Start(_dataDir, environment, "run", "--symbols", "BTCUSDT", "--streams", "trade");
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = new StringBuilder();
        var failedOnce = new TaskCompletionSource();
        process.ErrorDataReceived += (_, e) =>
        {
            lock (errors)
            {
                errors.AppendLine(e.Data);
            }

            if (e.Data?.Contains("connecting to", StringComparison.Ordinal) == true)
            {
                failedOnce.TrySetResult();
            }
        };
        process.BeginErrorReadLine();

        await failedOnce.Task.WaitAsync(TimeSpan.FromSeconds(60));
        using (var interrupt = Process.Start("kill", ["-INT", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
        {
            await interrupt.WaitForExitAsync();
        }

        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(30));
        var printed = await output;
        string logged;
        lock (errors)
        {
            logged = errors.ToString();
        }

        process.ExitCode.Should().Be(1, printed + logged);
        logged.Should().Contain("connecting to ws://127.0.0.1:9 failed").And.Contain("Connection refused");
        printed.Should().Contain("Nothing was received, so nothing was delivered");
    }

    [Fact]
    public async Task Ctrl_c_flushes_prints_the_final_statistics_and_the_recording_replays_to_the_same_events()
    {
        await using var exchange = await FakeExchangeServer.StartAsync();
        var capture = Path.Combine(_dataDir, "captures", "live.txt");
        var environment = new Dictionary<string, string>
        {
            ["LAMBDA_Producer__Binance__WebSocketUrl"] = exchange.WebSocketBase.ToString(),
            ["LAMBDA_Producer__StatisticsEvery"] = "10",
        };
        var live = Path.Combine(_dataDir, "live");
        using var process = Start(live, environment, "run", "--symbols", "BTCUSDT", "--streams", "trade", "--record", capture);
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();

        await exchange.Binance.WaitForConnectionAsync(1, TimeSpan.FromSeconds(20));
        for (var id = 1; id <= 25; id++)
        {
            await exchange.Binance.PublishAsync("btcusdt@trade", BinancePayload.Trade(id));
        }

        // All 25 on the log before the interrupt: the test is about what Ctrl+C flushes and prints, not about a race.
        await Deadline.WaitUntilAsync(() => CompleteTradeLines(live) == 25, TimeSpan.FromSeconds(20), "25 trades on the embedded log", TimeSpan.FromMilliseconds(50));
        using (var interrupt = Process.Start("kill", ["-INT", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
        {
            await interrupt.WaitForExitAsync();
        }

        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(30));
        var printed = await output;
        process.ExitCode.Should().Be(0, printed + await errors);
        printed.Should().Contain("Final statistics").And.Contain("embedded         sent 25, acked 25, failed 0").And.Contain("Recorded 25 frames");
        printed.Should().Contain("binance:BTCUSDT", "the statistics table appears every 10 events");
        exchange.Binance.Connections[0].ClosedBy.Should().Be("client");
        Trades(live).Select(t => t.TradeId).Should().Equal(Enumerable.Range(1, 25).Select(i => (long)i));

        var replayed = Path.Combine(_dataDir, "replayed");
        using var replay = Start(replayed, new Dictionary<string, string>(), "replay", capture);
        var replayOutput = await replay.StandardOutput.ReadToEndAsync();
        await replay.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(30));
        replay.ExitCode.Should().Be(0, replayOutput);
        Trades(replayed).Should().Equal(Trades(live).Select(t => t with { Source = EventSources.Replay }));
    }
}
