using Lambda.Testing;
using System.Diagnostics;
using Lambda.BatchLayer;
using Lambda.SpeedLayer;

namespace Lambda.Cli.Tests;

/// <summary>Every reader of an unreachable Kafka gives up after a bounded retry, says so in one line and exits 1.</summary>
public sealed class UnreachableKafkaTests : IDisposable
{
    private readonly string _dataDir = Directory.CreateTempSubdirectory("lambda-unreachable-").FullName;

    public void Dispose() => Directory.Delete(_dataDir, recursive: true);

    [Fact]
    public async Task Batch_stream_and_archive_refuse_an_unreachable_broker_with_a_summary_and_exit_1()
    {
        var clock = Stopwatch.StartNew();

        var runs = await Task.WhenAll(
            CommandRun.InvokeAsync(SpeedLayerCommand.Build(), "--data-dir", _dataDir, "--kafka", "127.0.0.1:9", "batch"),
            CommandRun.InvokeAsync(SpeedLayerCommand.Build(), "--data-dir", _dataDir, "--kafka", "127.0.0.1:9", "stream", "--group", "unreachable"),
            CommandRun.InvokeAsync(BatchLayerCommand.Build(), "--data-dir", _dataDir, "--kafka", "127.0.0.1:9", "archive"));

        clock.Elapsed.Should().BeLessThan(TimeSpan.FromSeconds(90), "the retry is bounded (Kafka:ReachTimeout, 15 s)");
        foreach (var run in runs)
        {
            run.ExitCode.Should().Be(1, run.Output + run.Error);
            run.Error.Should().Contain("Kafka at 127.0.0.1:9 could not be reached within 15 s").And.Contain("nothing was read").And.NotContain("   at ");
        }
    }
}
