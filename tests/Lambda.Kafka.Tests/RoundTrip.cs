using Lambda.Core.Contracts;
using Lambda.Core.Transport;
using Lambda.Core.Transport.Kafka;
using Microsoft.Extensions.Logging.Abstractions;

namespace Lambda.Kafka.Tests;

/// <summary>
/// Produces keyed trade events through <see cref="KafkaEventSink"/> and reads them back through
/// <see cref="KafkaEventSource"/>, with a fault injected half-way through each direction. Each
/// symbol's trade ids are 0, 1, 2…, so reading them back shows loss, duplicates and reordering.
/// </summary>
internal static class RoundTrip
{
    public static IEnumerable<TradeEvent> Trades(int count, int symbols)
    {
        var start = new DateTimeOffset(2026, 11, 1, 0, 0, 0, TimeSpan.Zero).ToUnixTimeMilliseconds();
        for (var i = 0; i < count; i++)
        {
            yield return new TradeEvent
            {
                Exchange = Exchanges.Binance,
                Symbol = $"SYM{i % symbols}USDT",
                EventTime = start + i,
                Source = EventSources.Replay,
                TradeId = i / symbols,
                Price = 100 + (i % 1000) / 100.0,
                Quantity = 0.5,
                TradeTime = start + i,
                IsBuyerMaker = i % 2 == 0,
            };
        }
    }

    public static async Task<SinkStatistics> ProduceAsync(KafkaOptions options, IEnumerable<TradeEvent> trades, int faultAt, Func<Task> fault, TimeSpan flushTimeout)
    {
        var sink = new KafkaEventSink(options, NullLogger<KafkaEventSink>.Instance);
        await using (sink.ConfigureAwait(false))
        {
            // The fault runs while production goes on, as a real outage would.
            var faulting = Task.CompletedTask;
            var produced = 0;
            foreach (var trade in trades)
            {
                if (produced++ == faultAt)
                {
                    faulting = fault();
                }

                await sink.PublishAsync(trade, CancellationToken.None).ConfigureAwait(false);
            }

            await faulting.ConfigureAwait(false);

            var flush = await sink.FlushAsync(flushTimeout, CancellationToken.None).ConfigureAwait(false);
            flush.Undelivered.Should().Be(0, "every event must be delivered once the broker is back");
            return sink.Statistics;
        }
    }

    /// <summary>Reads <paramref name="expected"/> messages, commits them, and returns them in arrival order.</summary>
    public static async Task<List<ConsumedMessage>> ConsumeAsync(KafkaOptions options, string group, int expected, int faultAt, Func<Task> fault, TimeSpan timeout)
    {
        using var deadline = new CancellationTokenSource(timeout);
        var messages = new List<ConsumedMessage>(expected);
        var faulting = Task.CompletedTask;
        var source = new KafkaEventSource(options, new KafkaSourceOptions(group, [Topics.Trades]), NullLogger<KafkaEventSource>.Instance);
        await using (source.ConfigureAwait(false))
        {
            await foreach (var message in source.ReadAsync(deadline.Token).ConfigureAwait(false))
            {
                messages.Add(message);
                if (messages.Count == faultAt)
                {
                    faulting = fault();
                }

                if (messages.Count == expected)
                {
                    break;
                }
            }

            await faulting.ConfigureAwait(false);
            await source.CommitAsync(messages.Select(m => m.Position), CancellationToken.None).ConfigureAwait(false);
        }

        return messages;
    }

    /// <summary>What a second reader of the same group finds after the commit: it must be nothing.</summary>
    public static async Task<int> CountUncommittedAsync(KafkaOptions options, string group)
    {
        var count = 0;
        var source = new KafkaEventSource(options, new KafkaSourceOptions(group, [Topics.Trades], StopAtEnd: true), NullLogger<KafkaEventSource>.Instance);
        await using (source.ConfigureAwait(false))
        {
            using var deadline = new CancellationTokenSource(TimeSpan.FromMinutes(1));
            await foreach (var unused in source.ReadAsync(deadline.Token).ConfigureAwait(false))
            {
                count++;
            }
        }

        return count;
    }

    /// <summary>Asserts every trade arrived exactly once, in order per key, under the right key.</summary>
    public static void ShouldBeExactlyOnceInOrder(IReadOnlyList<ConsumedMessage> messages, int count, int symbols)
    {
        messages.Should().HaveCount(count);
        var nextId = new Dictionary<string, long>();
        foreach (var message in messages)
        {
            var trade = EventSerializer.Deserialize<TradeEvent>(message.Value.Span);
            message.Key.Should().Be(trade.Key);
            var expectedId = nextId.GetValueOrDefault(trade.Symbol);
            trade.TradeId.Should().Be(expectedId, $"{trade.Symbol} must arrive once and in order");
            nextId[trade.Symbol] = expectedId + 1;
        }

        nextId.Should().HaveCount(symbols);
    }
}
