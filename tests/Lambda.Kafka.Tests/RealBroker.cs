using System.Diagnostics;
using Lambda.Core.Transport.Kafka;

namespace Lambda.Kafka.Tests;

/// <summary>
/// The real Apache Kafka broker of the suite, named by the environment: scripts/test.sh starts one
/// (scripts/kafka-test-broker.sh) and exports <c>LAMBDA_TEST_KAFKA_BOOTSTRAP</c>; any other broker
/// works too, with its client settings in <c>LAMBDA_TEST_KAFKA_SETTINGS</c> (<c>key=value;…</c>).
/// When <c>LAMBDA_TEST_KAFKA_PID</c> names the broker's process, outages pause it (SIGSTOP).
/// </summary>
internal static class RealBroker
{
    public static KafkaOptions Options(string topicPrefix)
    {
        var bootstrap = Environment.GetEnvironmentVariable("LAMBDA_TEST_KAFKA_BOOTSTRAP");
        if (string.IsNullOrWhiteSpace(bootstrap))
        {
            throw new InvalidOperationException(
                "No real Kafka broker: run the tests through scripts/test.sh, or start one with " +
                "`eval \"$(scripts/kafka-test-broker.sh start)\"`, or set LAMBDA_TEST_KAFKA_BOOTSTRAP (and LAMBDA_TEST_KAFKA_SETTINGS).");
        }

        var settings = (Environment.GetEnvironmentVariable("LAMBDA_TEST_KAFKA_SETTINGS") ?? "")
            .Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(pair => pair.Split('=', 2))
            .ToDictionary(pair => pair[0], pair => pair.Length == 2 ? pair[1] : "");
        return new KafkaOptions { BootstrapServers = bootstrap, TopicPrefix = topicPrefix, Settings = settings };
    }

    /// <summary>Freezes the broker process for a while, if we know it; otherwise there is no outage to make.</summary>
    public static async Task PauseAsync(TimeSpan duration)
    {
        if (!int.TryParse(Environment.GetEnvironmentVariable("LAMBDA_TEST_KAFKA_PID"), out var pid))
        {
            return;
        }

        Signal("STOP", pid);
        try
        {
            await Task.Delay(duration).ConfigureAwait(false);
        }
        finally
        {
            Signal("CONT", pid);
        }
    }

    private static void Signal(string signal, int pid)
    {
        using var kill = Process.Start(new ProcessStartInfo("kill", $"-{signal} {pid}") { UseShellExecute = false })!;
        kill.WaitForExit();
    }
}
