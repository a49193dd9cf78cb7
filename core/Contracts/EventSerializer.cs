using System.Buffers;
using System.Text.Json;

namespace Lambda.Core.Contracts;

/// <summary>
/// Turns events into the UTF-8 JSON messages of the log and back. One event per message; the topic
/// tells which contract a message follows.
/// </summary>
public static class EventSerializer
{
    private static readonly EventJsonContext Context = EventJsonContext.Default;

    public static byte[] Serialize(MarketEvent marketEvent) => marketEvent switch
    {
        TickerEvent e => JsonSerializer.SerializeToUtf8Bytes(e, Context.TickerEvent),
        KlineEvent e => JsonSerializer.SerializeToUtf8Bytes(e, Context.KlineEvent),
        TradeEvent e => JsonSerializer.SerializeToUtf8Bytes(e, Context.TradeEvent),
        AlertEvent e => JsonSerializer.SerializeToUtf8Bytes(e, Context.AlertEvent),
        DeadLetter e => JsonSerializer.SerializeToUtf8Bytes(e, Context.DeadLetter),
        _ => throw new ArgumentException($"No contract for {marketEvent.GetType().Name}", nameof(marketEvent)),
    };

    /// <summary>Writes the event into a caller-owned buffer, for sinks that batch without copying.</summary>
    public static void Serialize(MarketEvent marketEvent, IBufferWriter<byte> output)
    {
        using var writer = new Utf8JsonWriter(output);
        switch (marketEvent)
        {
            case TickerEvent e: JsonSerializer.Serialize(writer, e, Context.TickerEvent); break;
            case KlineEvent e: JsonSerializer.Serialize(writer, e, Context.KlineEvent); break;
            case TradeEvent e: JsonSerializer.Serialize(writer, e, Context.TradeEvent); break;
            case AlertEvent e: JsonSerializer.Serialize(writer, e, Context.AlertEvent); break;
            case DeadLetter e: JsonSerializer.Serialize(writer, e, Context.DeadLetter); break;
            default: throw new ArgumentException($"No contract for {marketEvent.GetType().Name}", nameof(marketEvent));
        }
    }

    /// <summary>Reads a message of <paramref name="topic"/>; throws <see cref="JsonException"/> on a bad one.</summary>
    public static MarketEvent Deserialize(string topic, ReadOnlySpan<byte> json)
    {
        MarketEvent? result = topic switch
        {
            Topics.Prices => JsonSerializer.Deserialize(json, Context.TickerEvent),
            Topics.Klines => JsonSerializer.Deserialize(json, Context.KlineEvent),
            Topics.Trades => JsonSerializer.Deserialize(json, Context.TradeEvent),
            Topics.Alerts => JsonSerializer.Deserialize(json, Context.AlertEvent),
            Topics.DeadLetter => JsonSerializer.Deserialize(json, Context.DeadLetter),
            _ => throw new ArgumentException($"Unknown topic '{topic}'", nameof(topic)),
        };
        return result ?? throw new JsonException($"A message on {topic} is JSON null");
    }

    public static T Deserialize<T>(ReadOnlySpan<byte> json) where T : MarketEvent
    {
        var info = Context.GetTypeInfo(typeof(T)) ?? throw new ArgumentException($"No contract for {typeof(T).Name}");
        return (T)(JsonSerializer.Deserialize(json, info) ?? throw new JsonException($"A {typeof(T).Name} message is JSON null"));
    }
}
