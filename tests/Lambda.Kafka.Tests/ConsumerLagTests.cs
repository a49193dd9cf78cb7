using Lambda.Core.Contracts;
using Lambda.Core.Transport;
using Lambda.Core.Transport.Kafka;
using Lambda.Testing;
using Microsoft.Extensions.Logging.Abstractions;

namespace Lambda.Kafka.Tests;

/// <summary>The consumer lag a Kafka reader reports to the metrics, against librdkafka's mock cluster.</summary>
public sealed class ConsumerLagTests
{
    [Fact]
    public async Task The_lag_is_the_partitions_end_minus_what_was_read()
    {
        using var cluster = new MockCluster(brokers: 1);
        cluster.CreateTopic(Topics.Trades, partitions: 1);
        var options = new KafkaOptions { BootstrapServers = cluster.BootstrapServers };
        await RoundTrip.ProduceAsync(options, RoundTrip.Trades(100, 1), faultAt: -1, fault: () => Task.CompletedTask, flushTimeout: TimeSpan.FromSeconds(30));

        await using var source = new KafkaEventSource(options, new KafkaSourceOptions("lag", [Topics.Trades]), NullLogger<KafkaEventSource>.Instance);
        source.Lag().Should().BeEmpty("nothing is assigned or read yet");
        var read = 0;
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(1));
        await foreach (var _ in source.ReadAsync(timeout.Token))
        {
            if (++read == 30)
            {
                break;
            }
        }

        source.Lag().Should().Equal(new PartitionLag(Topics.Trades, 0, 70));
    }
}
