using System.Text.Json;

namespace Lambda.Producer.Normalization;

/// <summary>The Binance stream events we turn into contracts.</summary>
internal enum BinanceEventType
{
    None,
    Ticker,
    Kline,
    Trade,
    AggTrade,
}

/// <summary>
/// One cheap pass of <see cref="Utf8JsonReader"/> over a Binance stream frame: checks its JSON syntax, finds the
/// event payload (the <c>data</c> object of a combined-stream envelope, or the frame itself for a raw stream) and
/// its type <c>e</c>. Only a payload of ours is then deserialized; everything else is decided here.
/// </summary>
internal static class BinanceFrameScanner
{
    /// <summary>
    /// True with the payload's type and position when the frame carries an event of ours; otherwise false with
    /// the verdict (ignored or malformed).
    /// </summary>
    public static bool TryLocateEvent(ReadOnlySpan<byte> frame, out BinanceEventType type, out Range payload, out FrameOutcome verdict)
    {
        type = BinanceEventType.None;
        payload = default;
        try
        {
            return Locate(frame, ref type, ref payload, out verdict);
        }
        catch (JsonException ex)
        {
            verdict = FrameOutcome.Malformed("invalid JSON: " + ex.Message);
            return false;
        }
    }

    private static bool Locate(ReadOnlySpan<byte> frame, ref BinanceEventType type, ref Range payload, out FrameOutcome verdict)
    {
        var reader = new Utf8JsonReader(frame);
        reader.Read();
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            var isArray = reader.TokenType == JsonTokenType.StartArray;
            reader.Skip();
            EnsureEnd(ref reader);

            // Arrays are the all-market streams (!miniTicker@arr…), which we do not subscribe to.
            verdict = isArray ? FrameOutcome.Ignored("array payload") : FrameOutcome.Malformed("frame is not a JSON object");
            return false;
        }

        var top = default(EventScan);
        var data = default(EventScan);
        var wrapped = default(EventScan);
        var dataStart = -1;
        var dataEnd = -1;
        var dataKind = JsonTokenType.None;
        var streamType = BinanceEventType.None;
        string? streamLabel = null;
        var isReply = false;
        var isError = false;
        string? errorMessage = null;

        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("data"u8))
            {
                reader.Read();
                dataKind = reader.TokenType;
                if (dataKind == JsonTokenType.StartObject)
                {
                    dataStart = (int)reader.TokenStartIndex;
                    data = ScanObject(ref reader);
                    dataEnd = (int)reader.BytesConsumed;
                }
                else
                {
                    reader.Skip();
                }
            }
            else if (reader.ValueTextEquals("stream"u8))
            {
                reader.Read();
                if (reader.TokenType == JsonTokenType.String)
                {
                    streamType = ClassifyStream(ref reader, out streamLabel);
                }
                else
                {
                    reader.Skip();
                }
            }
            else if (reader.ValueTextEquals("e"u8))
            {
                reader.Read();
                top = ReadEventType(ref reader);
            }
            else if (reader.ValueTextEquals("event"u8))
            {
                // The WebSocket API wraps connection events: {"event":{"e":"serverShutdown","E":…}}.
                reader.Read();
                if (reader.TokenType == JsonTokenType.StartObject)
                {
                    wrapped = ScanObject(ref reader);
                }
                else
                {
                    reader.Skip();
                }
            }
            else if (reader.ValueTextEquals("result"u8) || reader.ValueTextEquals("id"u8))
            {
                isReply = true;
                reader.Skip();
            }
            else if (reader.ValueTextEquals("code"u8) || reader.ValueTextEquals("error"u8))
            {
                isError = true;
                reader.Skip();
            }
            else if (reader.ValueTextEquals("msg"u8))
            {
                reader.Read();
                errorMessage = reader.TokenType == JsonTokenType.String ? reader.GetString() : null;
                reader.Skip();
            }
            else
            {
                reader.Skip();
            }
        }

        EnsureEnd(ref reader);

        if (dataKind == JsonTokenType.StartObject)
        {
            if (data.Type != BinanceEventType.None)
            {
                type = data.Type;
                payload = dataStart..dataEnd;
                verdict = FrameOutcome.Events;
                return true;
            }

            verdict = data.Problem is not null ? FrameOutcome.Malformed(data.Problem)
                : data.OtherName is not null ? FrameOutcome.Ignored(data.OtherName)
                // The stream says it is ours, yet the payload does not say what it is: broken, not foreign.
                : streamType != BinanceEventType.None ? FrameOutcome.Malformed(PayloadReader.Missing("e"))
                : FrameOutcome.Ignored(streamLabel ?? "payload without event type");
            return false;
        }

        if (dataKind == JsonTokenType.StartArray)
        {
            verdict = FrameOutcome.Ignored("array payload");
            return false;
        }

        if (dataKind != JsonTokenType.None)
        {
            verdict = FrameOutcome.Malformed("field 'data' is not an object");
            return false;
        }

        if (top.Type != BinanceEventType.None)
        {
            type = top.Type;
            payload = ..frame.Length;
            verdict = FrameOutcome.Events;
            return true;
        }

        verdict = top.Problem is not null ? FrameOutcome.Malformed(top.Problem)
            : top.OtherName is not null ? FrameOutcome.Ignored(top.OtherName)
            : wrapped.OtherName is not null ? FrameOutcome.Ignored(wrapped.OtherName)
            : isError ? FrameOutcome.Ignored(errorMessage is null ? "error reply" : "error reply: " + errorMessage)
            : isReply ? FrameOutcome.Ignored("reply")
            : FrameOutcome.Ignored("payload without event type");
        return false;
    }

    /// <summary>Reads an object up to its end, noting its event type <c>e</c>.</summary>
    private static EventScan ScanObject(ref Utf8JsonReader reader)
    {
        var scan = default(EventScan);
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("e"u8))
            {
                reader.Read();
                scan = ReadEventType(ref reader);
            }
            else
            {
                reader.Skip();
            }
        }

        return scan;
    }

    private static EventScan ReadEventType(ref Utf8JsonReader reader)
    {
        if (reader.TokenType != JsonTokenType.String)
        {
            reader.Skip();
            return new EventScan(BinanceEventType.None, null, "field 'e' is not a string");
        }

        return reader.ValueTextEquals("24hrTicker"u8) ? new EventScan(BinanceEventType.Ticker, null, null)
            : reader.ValueTextEquals("kline"u8) ? new EventScan(BinanceEventType.Kline, null, null)
            : reader.ValueTextEquals("trade"u8) ? new EventScan(BinanceEventType.Trade, null, null)
            : reader.ValueTextEquals("aggTrade"u8) ? new EventScan(BinanceEventType.AggTrade, null, null)
            // Depth updates are most of a busy connection's frames: spare them an allocation.
            : reader.ValueTextEquals("depthUpdate"u8) ? new EventScan(BinanceEventType.None, "depthUpdate", null)
            : new EventScan(BinanceEventType.None, reader.GetString() ?? "", null);
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

    /// <summary>Throws when anything but whitespace follows the frame's single JSON value.</summary>
    private static void EnsureEnd(ref Utf8JsonReader reader)
    {
        if (reader.Read())
        {
            throw new JsonException("content after the JSON value");
        }
    }

    /// <param name="Type">Our event type, or None.</param>
    /// <param name="OtherName">The <c>e</c> of an event that is not ours.</param>
    /// <param name="Problem">Why <c>e</c> could not be read.</param>
    private readonly record struct EventScan(BinanceEventType Type, string? OtherName, string? Problem);
}
