using Lambda.Testing;

namespace Lambda.Kafka.Tests;

/// <summary>The same delivery contract against a real Apache Kafka broker, smaller.</summary>
public sealed class RealBrokerDeliveryTests
{
    [Fact]
    public async Task Keyed_events_survive_a_frozen_broker_exactly_once_in_order()
    {
        const int count = 10_000;
        const int symbols = 12;
        var options = RealBroker.Options(topicPrefix: $"t{Guid.NewGuid():N}.");

        var statistics = await RoundTrip.ProduceAsync(options, RoundTrip.Trades(count, symbols), faultAt: count / 2,
            fault: () => RealBroker.PauseAsync(TimeSpan.FromSeconds(3)), flushTimeout: TimeSpan.FromMinutes(2));
        statistics.Acked.Should().Be(count);
        statistics.Failed.Should().Be(0);

        var messages = await RoundTrip.ConsumeAsync(options, "real-round-trip", count, faultAt: count / 2,
            fault: () => RealBroker.PauseAsync(TimeSpan.FromSeconds(3)), timeout: TimeSpan.FromMinutes(3));
        RoundTrip.ShouldBeExactlyOnceInOrder(messages, count, symbols);

        (await RoundTrip.CountUncommittedAsync(options, "real-round-trip")).Should().Be(0);
    }
}
