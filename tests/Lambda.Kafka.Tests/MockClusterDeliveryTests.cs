using Lambda.Testing;
using Lambda.Core.Contracts;
using Lambda.Core.Transport.Kafka;
using Microsoft.Extensions.Logging.Abstractions;

namespace Lambda.Kafka.Tests;

/// <summary>Our Kafka sink and source against librdkafka's mock cluster, with brokers failing.</summary>
public sealed class MockClusterDeliveryTests
{
    private const int Symbols = 40;

    [Fact]
    public async Task Hundred_thousand_keyed_events_survive_a_broker_going_down_and_up_exactly_once_in_order()
    {
        const int count = 100_000;
        using var cluster = new MockCluster(brokers: 3);
        cluster.CreateTopic(Topics.Trades, partitions: 6, replicationFactor: 3);
        var options = new KafkaOptions { BootstrapServers = cluster.BootstrapServers };

        var statistics = await RoundTrip.ProduceAsync(options, RoundTrip.Trades(count, Symbols), faultAt: count / 2,
            fault: () => Outage(cluster, brokerId: 1), flushTimeout: TimeSpan.FromMinutes(2));
        statistics.Sent.Should().Be(count);
        statistics.Acked.Should().Be(count);
        statistics.Failed.Should().Be(0);

        var messages = await RoundTrip.ConsumeAsync(options, "round-trip", count, faultAt: count / 2,
            fault: () => Outage(cluster, brokerId: 2), timeout: TimeSpan.FromMinutes(3));
        RoundTrip.ShouldBeExactlyOnceInOrder(messages, count, Symbols);

        (await RoundTrip.CountUncommittedAsync(options, "round-trip")).Should().Be(0, "the first reader committed everything it read");
    }

    /// <summary>The layers catch one transport-neutral exception; the Kafka client's own never reach them.</summary>
    [Fact]
    public async Task A_message_the_client_refuses_fails_as_an_event_log_exception_naming_the_topic_and_the_cause()
    {
        using var cluster = new MockCluster(brokers: 1);
        cluster.CreateTopic(Topics.DeadLetter, partitions: 1);
        var options = new KafkaOptions { BootstrapServers = cluster.BootstrapServers };
        options.Producer["message.max.bytes"] = "2000";
        var sink = new KafkaEventSink(options, NullLogger<KafkaEventSink>.Instance);
        await using (sink.ConfigureAwait(false))
        {
            var tooLarge = new DeadLetter
            {
                Exchange = "binance", Symbol = "BTCUSDT", EventTime = 1_700_000_000_000, Source = EventSources.Replay,
                Reason = "malformed", Raw = new string('x', 10_000), ReceivedAt = DateTimeOffset.UnixEpoch,
            };

            var publish = async () => await sink.PublishAsync(tooLarge, CancellationToken.None);

            (await publish.Should().ThrowAsync<Lambda.Core.Transport.EventLogException>())
                .WithMessage($"*publishing to {Topics.DeadLetter} failed*MsgSizeTooLarge*");
        }
    }

    [Fact]
    public async Task Flush_reports_events_not_delivered_while_every_broker_is_down()
    {
        using var cluster = new MockCluster(brokers: 1);
        cluster.CreateTopic(Topics.Trades, partitions: 1);
        cluster.BrokerDown(-1);
        var options = new KafkaOptions { BootstrapServers = cluster.BootstrapServers, FlushTimeout = TimeSpan.FromMilliseconds(500) };
        var sink = new KafkaEventSink(options, NullLogger<KafkaEventSink>.Instance);
        await using (sink)
        {
            foreach (var trade in RoundTrip.Trades(10, 1))
            {
                await sink.PublishAsync(trade, CancellationToken.None);
            }

            var flush = await sink.FlushAsync(TimeSpan.FromMilliseconds(500), CancellationToken.None);
            flush.Undelivered.Should().Be(10);
            sink.Statistics.InFlight.Should().Be(10);
        }
    }

    [Fact]
    public async Task Delivery_failures_are_counted_when_messages_time_out()
    {
        using var cluster = new MockCluster(brokers: 1);
        cluster.CreateTopic(Topics.Trades, partitions: 1);
        cluster.BrokerDown(-1);
        var options = new KafkaOptions
        {
            BootstrapServers = cluster.BootstrapServers,
            Producer = { ["message.timeout.ms"] = "300" },
        };
        var sink = new KafkaEventSink(options, NullLogger<KafkaEventSink>.Instance);
        await using (sink)
        {
            foreach (var trade in RoundTrip.Trades(25, 5))
            {
                await sink.PublishAsync(trade, CancellationToken.None);
            }

            await sink.FlushAsync(TimeSpan.FromSeconds(10), CancellationToken.None);
            sink.Statistics.Failed.Should().Be(25);
            sink.Statistics.Acked.Should().Be(0);
        }
    }

    [Fact]
    public async Task Retriable_produce_errors_are_retried_without_duplicates()
    {
        const int count = 5_000;
        using var cluster = new MockCluster(brokers: 1);
        cluster.CreateTopic(Topics.Trades, partitions: 2);
        // NOT_LEADER_FOR_PARTITION (6) and REQUEST_TIMED_OUT (7) are retriable: the idempotent producer
        // must resend without writing anything twice.
        cluster.PushRequestErrors(apiKey: 0, 6, 7, 6, 7);
        var options = new KafkaOptions { BootstrapServers = cluster.BootstrapServers };

        await RoundTrip.ProduceAsync(options, RoundTrip.Trades(count, 4), faultAt: -1, fault: () => Task.CompletedTask, flushTimeout: TimeSpan.FromMinutes(1));
        var messages = await RoundTrip.ConsumeAsync(options, "retries", count, faultAt: -1, fault: () => Task.CompletedTask, timeout: TimeSpan.FromMinutes(1));
        RoundTrip.ShouldBeExactlyOnceInOrder(messages, count, 4);
    }

    [Fact]
    public async Task Topic_prefix_keeps_logical_topic_names_in_positions()
    {
        using var cluster = new MockCluster(brokers: 1);
        cluster.CreateTopic("class-a." + Topics.Trades, partitions: 1);
        var options = new KafkaOptions { BootstrapServers = cluster.BootstrapServers, TopicPrefix = "class-a." };

        await RoundTrip.ProduceAsync(options, RoundTrip.Trades(10, 1), faultAt: -1, fault: () => Task.CompletedTask, flushTimeout: TimeSpan.FromSeconds(30));
        var messages = await RoundTrip.ConsumeAsync(options, "prefix", 10, faultAt: -1, fault: () => Task.CompletedTask, timeout: TimeSpan.FromMinutes(1));

        messages.Should().OnlyContain(m => m.Topic == Topics.Trades && m.Position.Topic == Topics.Trades);
    }

    private static async Task Outage(MockCluster cluster, int brokerId)
    {
        cluster.BrokerDown(brokerId);
        await Task.Delay(TimeSpan.FromSeconds(2)).ConfigureAwait(false);
        cluster.BrokerUp(brokerId);
    }
}
