using Lambda.Testing;
using System.Globalization;
using System.Text.RegularExpressions;
using Lambda.Core.Contracts;
using Lambda.Core.Transport;
using Lambda.Core.Transport.Kafka;
using Lambda.Producer.Commands;
using Microsoft.Extensions.Logging.Abstractions;

namespace Lambda.Cli.Tests;

/// <summary>One writer at a time on an embedded log, and every acked event readable afterwards.</summary>
public sealed partial class EmbeddedLogWriterTests : IDisposable
{
    private readonly string _dataDir = Directory.CreateTempSubdirectory("lambda-writers-").FullName;

    public void Dispose() => Directory.Delete(_dataDir, recursive: true);

    private static string Sample(string name) => Path.Combine(AppContext.BaseDirectory, "samples", "binance", name);

    [Fact]
    public async Task A_second_writer_is_refused_while_the_first_holds_the_log()
    {
        await using (var holder = EventLog.CreateSink(new KafkaOptions(), _dataDir, NullLoggerFactory.Instance, TimeProvider.System))
        {
            var refused = await CommandRun.InvokeAsync(ProducerCommand.Build(), "--data-dir", _dataDir, "replay", Sample("BTCUSDT-4h.csv"), "--from", "2026-08-01");

            refused.ExitCode.Should().Be(1);
            refused.Error.Should().Contain("is being written by another process").And.Contain(Path.Combine(_dataDir, "topics", ".lock")).And.NotContain("   at ");
            Directory.GetFiles(Path.Combine(_dataDir, "topics"), "*.jsonl", SearchOption.AllDirectories).Should().BeEmpty("the refused writer wrote nothing");
        }

        var afterwards = await CommandRun.InvokeAsync(ProducerCommand.Build(), "--data-dir", _dataDir, "replay", Sample("BTCUSDT-4h.csv"), "--from", "2026-08-01");
        afterwards.ExitCode.Should().Be(0, "the lock goes with its writer: " + afterwards.Error);
    }

    [Fact]
    public async Task Concurrent_replays_never_lose_or_mangle_an_acked_event()
    {
        string[] Args() => ["--data-dir", _dataDir, "replay", Sample("BTCUSDT-4h.csv"), "--from", "2025-01-01", "--alert-threshold", "1000"];

        var runs = await Task.WhenAll(Enumerable.Range(0, 3).Select(_ => Task.Run(() => CommandRun.InvokeAsync(ProducerCommand.Build(), Args()))));

        runs.Should().Contain(r => r.ExitCode == 0);
        // Runs that overlap are refused with the lock's message; runs that happen not to overlap all succeed.
        foreach (var refused in runs.Where(r => r.ExitCode != 0))
        {
            refused.Error.Should().Contain("is being written by another process");
        }
        var acked = runs.Where(r => r.ExitCode == 0).Sum(r => long.Parse(Acked().Match(r.Output).Groups[1].Value, CultureInfo.InvariantCulture));
        var lines = Directory.GetFiles(Path.Combine(_dataDir, "topics", Topics.Klines), "*.jsonl").SelectMany(File.ReadAllLines).ToList();
        lines.Should().HaveCount((int)acked);
        lines.Select(line => EventSerializer.Deserialize<KlineEvent>(System.Text.Encoding.UTF8.GetBytes(line))).Should().OnlyContain(k => k.Symbol == "BTCUSDT");
    }

    [GeneratedRegex(@"embedded +sent \d+, acked (\d+)")]
    private static partial Regex Acked();
}
