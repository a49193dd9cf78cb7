using System.Diagnostics;
using Lambda.Core.Transport.Kafka;
using Lambda.Testing;

namespace Lambda.Cli.Tests;

/// <summary>
/// <c>speed-layer stream</c> against a real Apache Kafka broker (Kafka 0.9 from scripts/kafka-test-broker.sh,
/// or any broker named by <c>LAMBDA_TEST_KAFKA_BOOTSTRAP</c> with its client settings in <c>LAMBDA_TEST_KAFKA_SETTINGS</c>).
/// </summary>
public sealed class SpeedStreamRealBrokerTests : IDisposable
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(120);
    private readonly string _dataDir = Directory.CreateTempSubdirectory("lambda-speed-real-").FullName;

    public void Dispose() => Directory.Delete(_dataDir, recursive: true);

    [Fact]
    public async Task Stream_on_a_real_broker_writes_the_closed_days_and_dead_letters_the_late_kline()
    {
        var kafka = RealBroker.Options($"t{Guid.NewGuid():N}.");
        await SyntheticKlines.PublishAsync(kafka, _dataDir, LateDeadLetterTests.EventsWithOneLateKline(out var late));
        var environment = kafka.Settings.ToDictionary(s => $"LAMBDA_Kafka__Settings__{s.Key}", s => s.Value);
        environment["LAMBDA_Kafka__TopicPrefix"] = kafka.TopicPrefix;

        using var member = LambdaProcess.Start(
            ["--data-dir", _dataDir, "--kafka", kafka.BootstrapServers!, "stream", "--group", "real", "--lateness", "1h", "--refresh", "200ms"], environment);
        var clock = Stopwatch.StartNew();
        // Both closed days written and the late kline's letter delivered: the partitions are read at their own pace, so
        // the parts alone do not say that the late kline was read.
        while (SpeedViews.Parts(_dataDir).Count < 2 || (await LateDeadLetterTests.ReadDeadLettersAsync(kafka, _dataDir)).Count == 0)
        {
            clock.Elapsed.Should().BeLessThan(Timeout, member.Output);
            member.HasExited.Should().BeFalse(member.Output);
            await Task.Delay(200);
        }

        (await member.InterruptAsync(Timeout)).Should().Be(0, member.Output);
        member.Output.Should().Contain("1 late, 1 dead-lettered");
        SpeedViews.Parts(_dataDir).Select(c => c.Day).Should().Equal([new DateOnly(2026, 6, 1), new DateOnly(2026, 6, 2)],
            "each closed day once, in parts {0}; {1}", string.Join(", ", SpeedViews.PartFiles(_dataDir).Select(p => p.Name)), member.Output);
        // Kafka 0.9 has no idempotent producer: a retried send may store a second, identical copy
        // (seen once in CI while the process itself reported one letter sent).
        LateDeadLetterTests.ShouldBeTheLateKline(await LateDeadLetterTests.ReadDeadLettersAsync(kafka, _dataDir), late, allowIdenticalCopies: true);
    }
}
