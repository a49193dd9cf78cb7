using System.Text.Json;
using System.Text.Unicode;
using Lambda.Core.Contracts;

namespace Lambda.Producer.Normalization;

/// <summary>
/// Binance spot WebSocket frames, combined-stream envelopes (<c>{"stream":…,"data":{…}}</c>) and raw-stream
/// payloads alike: <c>24hrTicker</c> → <see cref="TickerEvent"/>, <c>kline</c> → <see cref="KlineEvent"/>,
/// <c>trade</c> and <c>aggTrade</c> → <see cref="TradeEvent"/>. Depth, bookTicker, replies to requests and
/// connection events are <see cref="FrameKind.Ignored"/>.
/// </summary>
/// <remarks>
/// One pass of <see cref="Utf8JsonReader"/> over the frame both checks its syntax and reads the payload: a copy of
/// the reader looks ahead for the payload's <c>e</c> (its first field in practice), then the payload is read in
/// place. No DOM, no reflection, and no second pass over the payload.
/// </remarks>
/// <param name="clock">Stamps a ticker's processing time (<see cref="TickerEvent.Timestamp"/>).</param>
public sealed class BinanceStreamNormalizer(TimeProvider clock) : IFrameNormalizer
{
    public BinanceStreamNormalizer() : this(TimeProvider.System)
    {
    }

    public FrameOutcome Normalize(ReadOnlySpan<byte> frame, string source, ICollection<MarketEvent> output)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(output);

        if (!Utf8.IsValid(frame))
        {
            return FrameOutcome.Malformed(FrameOutcome.NotUtf8);
        }

        FrameOutcome outcome;
        MarketEvent? marketEvent;
        try
        {
            outcome = Read(frame, source, out marketEvent);
        }
        catch (JsonException ex)
        {
            return FrameOutcome.Malformed("invalid JSON: " + ex.Message);
        }

        // Added only now that the whole frame, to its last byte, proved to be good JSON.
        if (marketEvent is not null)
        {
            output.Add(marketEvent);
        }

        return outcome;
    }

    private FrameOutcome Read(ReadOnlySpan<byte> frame, string source, out MarketEvent? marketEvent)
    {
        marketEvent = null;
        var reader = new Utf8JsonReader(frame);
        reader.Read();
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            var isArray = reader.TokenType == JsonTokenType.StartArray;
            reader.Skip();
            JsonFields.EnsureEnd(ref reader);

            // Arrays are the all-market streams (!miniTicker@arr…), which we do not subscribe to.
            return isArray ? FrameOutcome.Ignored("array payload") : FrameOutcome.Malformed("frame is not a JSON object");
        }

        // A raw stream's frame is the payload itself.
        var lookahead = reader;
        var root = LookAhead(ref lookahead, stopAtEnvelope: true);
        if (root.Type != BinanceEventType.None)
        {
            var problem = BinancePayloads.Read(root.Type, ref reader, source, clock, out marketEvent);
            if (problem is not null)
            {
                return FrameOutcome.Malformed(problem);
            }

            JsonFields.EnsureEnd(ref reader);
            return FrameOutcome.Events;
        }

        return ReadEnvelope(ref reader, source, out marketEvent);
    }

    /// <summary>A combined-stream envelope, or any other object: a reply, a connection event, a foreign payload.</summary>
    private FrameOutcome ReadEnvelope(ref Utf8JsonReader reader, string source, out MarketEvent? marketEvent)
    {
        marketEvent = null;
        var envelope = default(Envelope);
        while (JsonFields.NextProperty(ref reader))
        {
            if (reader.ValueTextEquals("data"u8))
            {
                if (ReadData(ref reader, source, ref envelope, out marketEvent) is { } problem)
                {
                    return FrameOutcome.Malformed(problem);
                }
            }
            else
            {
                ReadOther(ref reader, ref envelope);
            }
        }

        JsonFields.EnsureEnd(ref reader);
        return Outcome(envelope, marketEvent);
    }

    /// <summary><c>data</c>: our event read in place when its <c>e</c> says it is one; anything else only classified.</summary>
    private string? ReadData(ref Utf8JsonReader reader, string source, ref Envelope envelope, out MarketEvent? marketEvent)
    {
        marketEvent = null;
        reader.Read();
        envelope.DataKind = reader.TokenType;
        if (envelope.DataKind == JsonTokenType.StartObject)
        {
            var lookahead = reader;
            envelope.Data = LookAhead(ref lookahead, stopAtEnvelope: false);
            if (envelope.Data.Type != BinanceEventType.None
                && BinancePayloads.Read(envelope.Data.Type, ref reader, source, clock, out marketEvent) is { } problem)
            {
                return problem;
            }
        }

        // Skip is a no-op on the payload's closing brace, where a read payload leaves the reader.
        reader.Skip();
        return null;
    }

    /// <summary>The envelope's other fields: <c>stream</c>, a top-level or wrapped <c>e</c>, and those of replies and errors.</summary>
    private static void ReadOther(ref Utf8JsonReader reader, ref Envelope envelope)
    {
        if (reader.ValueTextEquals("stream"u8))
        {
            reader.Read();
            if (reader.TokenType == JsonTokenType.String)
            {
                envelope.StreamType = ClassifyStream(ref reader, out envelope.StreamLabel);
                return;
            }
        }
        else if (reader.ValueTextEquals("e"u8))
        {
            reader.Read();
            envelope.Top = ReadEventType(ref reader);
            return;
        }
        else if (reader.ValueTextEquals("event"u8))
        {
            // The WebSocket API wraps connection events: {"event":{"e":"serverShutdown","E":…}}.
            reader.Read();
            if (reader.TokenType == JsonTokenType.StartObject)
            {
                var lookahead = reader;
                envelope.Wrapped = LookAhead(ref lookahead, stopAtEnvelope: false);
            }
        }
        else if (reader.ValueTextEquals("msg"u8))
        {
            reader.Read();
            envelope.ErrorMessage = reader.TokenType == JsonTokenType.String ? reader.GetString() : null;
        }
        else
        {
            envelope.IsReply |= reader.ValueTextEquals("result"u8) || reader.ValueTextEquals("id"u8);
            envelope.IsError |= reader.ValueTextEquals("code"u8) || reader.ValueTextEquals("error"u8);
        }

        // From a property name this skips its value; from a value, an object or array whole (a plain one is read already).
        reader.Skip();
    }

    /// <summary>What the frame was, once every field is read.</summary>
    private static FrameOutcome Outcome(in Envelope envelope, MarketEvent? marketEvent)
    {
        switch (envelope.DataKind)
        {
            case JsonTokenType.StartObject:
                var data = envelope.Data;
                return marketEvent is not null ? FrameOutcome.Events
                    : data.Problem is not null ? FrameOutcome.Malformed(data.Problem)
                    : data.OtherName is not null ? FrameOutcome.Ignored(data.OtherName)
                    // The stream says it is ours, yet the payload does not say what it is: broken, not foreign.
                    : envelope.StreamType != BinanceEventType.None ? FrameOutcome.Malformed(JsonFields.Missing("e"))
                    : FrameOutcome.Ignored(envelope.StreamLabel ?? "payload without event type");
            case JsonTokenType.StartArray:
                return FrameOutcome.Ignored("array payload");
            case JsonTokenType.None:
                break;
            default:
                return FrameOutcome.Malformed(JsonFields.Problem("data", "is not an object"));
        }

        var top = envelope.Top;
        return top.Problem is not null ? FrameOutcome.Malformed(top.Problem)
            : top.OtherName is not null ? FrameOutcome.Ignored(top.OtherName)
            : envelope.Wrapped.OtherName is not null ? FrameOutcome.Ignored(envelope.Wrapped.OtherName)
            : envelope.IsError ? FrameOutcome.Ignored(envelope.ErrorMessage is null ? "error reply" : "error reply: " + envelope.ErrorMessage)
            : envelope.IsReply ? FrameOutcome.Ignored("reply")
            : FrameOutcome.Ignored("payload without event type");
    }

    /// <summary>
    /// Reads a copy of the reader, standing on an object's <c>{</c>, up to the object's <c>e</c>. At the top
    /// level it gives up at <c>stream</c> or <c>data</c>: that is an envelope, read by <see cref="ReadEnvelope"/>.
    /// </summary>
    private static EventType LookAhead(ref Utf8JsonReader reader, bool stopAtEnvelope)
    {
        while (JsonFields.NextProperty(ref reader))
        {
            if (reader.ValueTextEquals("e"u8))
            {
                reader.Read();
                return ReadEventType(ref reader);
            }

            if (stopAtEnvelope && (reader.ValueTextEquals("stream"u8) || reader.ValueTextEquals("data"u8)))
            {
                return default;
            }

            reader.Skip();
        }

        return default;
    }

    private static EventType ReadEventType(ref Utf8JsonReader reader)
    {
        if (reader.TokenType != JsonTokenType.String)
        {
            reader.Skip();
            return new EventType(BinanceEventType.None, null, JsonFields.Problem("e", "is not a string"));
        }

        return reader.ValueTextEquals("24hrTicker"u8) ? new EventType(BinanceEventType.Ticker, null, null)
            : reader.ValueTextEquals("kline"u8) ? new EventType(BinanceEventType.Kline, null, null)
            : reader.ValueTextEquals("trade"u8) ? new EventType(BinanceEventType.Trade, null, null)
            : reader.ValueTextEquals("aggTrade"u8) ? new EventType(BinanceEventType.AggTrade, null, null)
            // Depth updates are most of a busy connection's frames: spare them an allocation.
            : reader.ValueTextEquals("depthUpdate"u8) ? new EventType(BinanceEventType.None, "depthUpdate", null)
            : new EventType(BinanceEventType.None, reader.GetString() ?? "", null);
    }

    /// <summary>
    /// What a stream name (<c>btcusdt@kline_1m</c>) promises, and a label for it when it is not ours. Only used
    /// when a payload lacks <c>e</c>, to tell a broken event from a foreign payload such as bookTicker.
    /// </summary>
    private static BinanceEventType ClassifyStream(ref Utf8JsonReader reader, out string? label)
    {
        label = null;
        var name = reader.ValueSpan;
        var at = name.IndexOf((byte)'@');
        if (reader.ValueIsEscaped || at < 0)
        {
            return BinanceEventType.None;
        }

        var kind = name[(at + 1)..];
        if (kind.SequenceEqual("trade"u8))
        {
            return BinanceEventType.Trade;
        }

        if (kind.SequenceEqual("aggTrade"u8))
        {
            return BinanceEventType.AggTrade;
        }

        if (kind.SequenceEqual("ticker"u8))
        {
            return BinanceEventType.Ticker;
        }

        if (kind.StartsWith("kline_"u8))
        {
            return BinanceEventType.Kline;
        }

        label = kind.SequenceEqual("bookTicker"u8) ? "bookTicker" : System.Text.Encoding.UTF8.GetString(kind);
        return BinanceEventType.None;
    }

    /// <param name="Type">Our event type, or None.</param>
    /// <param name="OtherName">The <c>e</c> of an event that is not ours.</param>
    /// <param name="Problem">Why <c>e</c> could not be read.</param>
    private readonly record struct EventType(BinanceEventType Type, string? OtherName, string? Problem);

    /// <summary>What the fields of one envelope said, as they are read.</summary>
    private struct Envelope
    {
        public EventType Top;
        public EventType Data;
        public EventType Wrapped;
        public JsonTokenType DataKind;
        public BinanceEventType StreamType;
        public string? StreamLabel;
        public bool IsReply;
        public bool IsError;
        public string? ErrorMessage;
    }
}
