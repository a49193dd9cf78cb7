using System.Diagnostics.CodeAnalysis;
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

    // One writer and buffer per thread, reset for each event: the hot path allocates only the result.
    [ThreadStatic]
    private static Utf8JsonWriter? s_writer;

    [ThreadStatic]
    private static ArrayBufferWriter<byte>? s_buffer;

    /// <summary>The event's JSON as a new array of exactly its length (what a Kafka message value needs).</summary>
    public static byte[] Serialize(MarketEvent marketEvent)
    {
        var buffer = s_buffer ??= new ArrayBufferWriter<byte>(1024);
        buffer.ResetWrittenCount();
        Serialize(marketEvent, buffer);
        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>Writes the event into a caller-owned buffer, for sinks that batch without copying.</summary>
    public static void Serialize(MarketEvent marketEvent, IBufferWriter<byte> output)
    {
        var writer = s_writer;
        if (writer is null)
        {
            writer = s_writer = new Utf8JsonWriter(output);
        }
        else
        {
            writer.Reset(output);
        }

        switch (marketEvent)
        {
            case TickerEvent e: JsonSerializer.Serialize(writer, e, Context.TickerEvent); break;
            case KlineEvent e: JsonSerializer.Serialize(writer, e, Context.KlineEvent); break;
            case TradeEvent e: JsonSerializer.Serialize(writer, e, Context.TradeEvent); break;
            case AlertEvent e: JsonSerializer.Serialize(writer, e, Context.AlertEvent); break;
            case DeadLetter e: JsonSerializer.Serialize(writer, e, Context.DeadLetter); break;
            default: throw new ArgumentException($"No contract for {marketEvent.GetType().Name}", nameof(marketEvent));
        }

        writer.Flush();
    }

    /// <summary>Reads a message of <paramref name="topic"/>; throws <see cref="JsonException"/> on a bad one.</summary>
    /// <remarks>
    /// Klines and trades, the bulk of the log, go through <see cref="WrittenLayoutReader"/> first (the exact layout written
    /// here, several times faster); whatever it declines
    /// (anything not plainly well-formed) goes to the serializer, so results and errors are the serializer's.
    /// </remarks>
    public static MarketEvent Deserialize(string topic, ReadOnlySpan<byte> json)
    {
        MarketEvent? result = topic switch
        {
            Topics.Prices => JsonSerializer.Deserialize(json, Context.TickerEvent),
            Topics.Klines => WrittenLayoutReader.TryReadKline(json, out var kline) ? kline : JsonSerializer.Deserialize(json, Context.KlineEvent),
            Topics.Trades => WrittenLayoutReader.TryReadTrade(json, out var trade) ? trade : JsonSerializer.Deserialize(json, Context.TradeEvent),
            Topics.Alerts => JsonSerializer.Deserialize(json, Context.AlertEvent),
            Topics.DeadLetter => JsonSerializer.Deserialize(json, Context.DeadLetter),
            _ => throw new ArgumentException($"Unknown topic '{topic}'", nameof(topic)),
        };
        return result ?? throw new JsonException($"A message on {topic} is JSON null");
    }

    /// <summary>
    /// Reads a message of <paramref name="topic"/>, or says in <paramref name="error"/> why it cannot be read.
    /// Every way a message from the log can be unreadable (bad JSON, a value of the wrong type or out of range,
    /// an unknown topic) ends here, so the readers count them alike instead of each keeping its own list.
    /// </summary>
    public static bool TryDeserialize(string topic, ReadOnlySpan<byte> json, [NotNullWhen(true)] out MarketEvent? marketEvent, [NotNullWhen(false)] out string? error)
    {
        try
        {
            marketEvent = Deserialize(topic, json);
            error = null;
            return true;
        }
        catch (Exception e) when (IsUnreadable(e))
        {
            marketEvent = null;
            error = e.Message;
            return false;
        }
    }

    private static bool IsUnreadable(Exception e) =>
        e is JsonException or NotSupportedException or ArgumentException or InvalidOperationException or FormatException;

    public static T Deserialize<T>(ReadOnlySpan<byte> json) where T : MarketEvent
    {
        var info = Context.GetTypeInfo(typeof(T)) ?? throw new ArgumentException($"No contract for {typeof(T).Name}");
        return (T)(JsonSerializer.Deserialize(json, info) ?? throw new JsonException($"A {typeof(T).Name} message is JSON null"));
    }
}
