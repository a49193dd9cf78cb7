using System.Diagnostics;
using Lambda.Core.Transport.Kafka;

namespace Lambda.Testing;

/// <summary>
/// The real Apache Kafka broker of the suite, named by the environment: scripts/test.sh starts one
/// (scripts/kafka-test-broker.sh) and exports <c>LAMBDA_TEST_KAFKA_BOOTSTRAP</c>; any other broker
/// works too, with its client settings in <c>LAMBDA_TEST_KAFKA_SETTINGS</c> (<c>key=value;…</c>).
/// Outages pause the broker's process (SIGSTOP), named by <c>LAMBDA_TEST_KAFKA_PID</c>.
/// </summary>
public static class RealBroker
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

    /// <summary>Freezes the broker process for a while.</summary>
    /// <exception cref="InvalidOperationException">The broker's process is not known, so a test that needs an outage cannot have one.</exception>
    public static async Task PauseAsync(TimeSpan duration)
    {
        if (!int.TryParse(Environment.GetEnvironmentVariable("LAMBDA_TEST_KAFKA_PID"), out var pid))
        {
            throw new InvalidOperationException(
                "Cannot pause the real Kafka broker: LAMBDA_TEST_KAFKA_PID does not name its process (scripts/kafka-test-broker.sh start exports it).");
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
        if (kill.ExitCode != 0)
        {
            throw new InvalidOperationException($"kill -{signal} {pid} failed (exit {kill.ExitCode}): the real Kafka broker could not be paused or resumed.");
        }
    }
}
