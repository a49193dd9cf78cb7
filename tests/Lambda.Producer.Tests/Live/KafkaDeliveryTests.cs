using Lambda.Core.Contracts;
using Lambda.Core.Transport.Kafka;
using Lambda.FakeExchange;
using Lambda.Testing;
using Microsoft.Extensions.Logging.Abstractions;

namespace Lambda.Producer.Tests.Live;

/// <summary>Live frames through the producer into Kafka (librdkafka's mock cluster), across a reconnect.</summary>
public sealed class KafkaDeliveryTests
{
    [Fact]
    public async Task Events_reach_kafka_keyed_by_symbol_exactly_once_across_a_reconnect()
    {
        using var cluster = new MockCluster(brokers: 1);
        cluster.CreateTopic(Topics.Trades, partitions: 3);
        var kafka = new KafkaOptions { BootstrapServers = cluster.BootstrapServers };
        await using var exchange = await FakeExchangeServer.StartAsync();
        await using var producer = LiveProducer.Start(exchange, LiveProducer.OptionsFor(exchange, "trade"), kafka);

        await exchange.Binance.WaitForConnectionAsync(1, TimeSpan.FromSeconds(10));
        for (var id = 1; id <= 200; id++)
        {
            await exchange.Binance.PublishAsync("btcusdt@trade", BinancePayload.Trade(id));
        }

        // Delivered before the connection drops: what is still in flight on the socket when it is aborted is the
        // exchange's loss, not the producer's, and this test is about the producer's.
        await Deadline.WaitUntilAsync(() => cluster.MessagesIn(Topics.Trades, 3) == 200, TimeSpan.FromSeconds(20), "the first 200 trades in Kafka", TimeSpan.FromMilliseconds(100));
        exchange.Binance.Connections[0].Abort();
        await exchange.Binance.WaitForConnectionAsync(2, TimeSpan.FromSeconds(10));
        for (var id = 201; id <= 400; id++)
        {
            await exchange.Binance.PublishAsync("btcusdt@trade", BinancePayload.Trade(id));
        }

        await Deadline.WaitUntilAsync(() => cluster.MessagesIn(Topics.Trades, 3) == 400, TimeSpan.FromSeconds(20), "all 400 trades in Kafka", TimeSpan.FromMilliseconds(100));
        (await producer.StopAsync()).Should().Be(0, producer.Output);
        producer.Output.Should().Contain("kafka            sent 400, acked 400, failed 0");

        var ids = new List<long>();
        var source = new KafkaEventSource(kafka, new KafkaSourceOptions("check", [Topics.Trades], StopAtEnd: true), NullLogger<KafkaEventSource>.Instance);
        await using (source)
        {
            await foreach (var message in source.ReadAsync(CancellationToken.None))
            {
                message.Key.Should().Be("binance:BTCUSDT");
                ids.Add(EventSerializer.Deserialize<TradeEvent>(message.Value.Span).TradeId);
            }
        }

        ids.Should().Equal(Enumerable.Range(1, 400).Select(i => (long)i));
    }
}
