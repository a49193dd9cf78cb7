using System.Diagnostics.CodeAnalysis;
using System.Text.Json;
using System.Text.Unicode;

namespace Lambda.Core.Contracts;

/// <summary>
/// A hand-written reader for the two events the speed layer reads by the million, klines and trades: first the exact
/// layout <see cref="EventSerializer"/> writes (<see cref="WrittenLayoutReader"/>), otherwise one pass of a
/// <see cref="Utf8JsonReader"/> in any field order, property names matched on their bytes, repeated strings shared
/// (<see cref="Utf8StringCache"/>). It accepts only what it can read exactly as the source-generated serializer
/// would: an object with every contract field once, unescaped names and strings, the right token types, numbers
/// that fit. Anything else (a missing, repeated, unknown or null field, a quoted number, bad JSON, trailing data)
/// makes it decline, and <see cref="EventSerializer"/> hands the message to the serializer, which then gives the
/// result or the error it always gave. So it changes how fast a message is read, never what it reads to.
/// </summary>
internal static class HotEventReader
{
    // Field numbers (bits of the "seen" mask). Common ones first.
    private const int Exchange = 0, Symbol = 1, EventTime = 2, Source = 3;

    // Kline fields.
    private const int Interval = 4, OpenTime = 5, CloseTime = 6, Open = 7, High = 8, Low = 9, Close = 10, Volume = 11,
        QuoteVolume = 12, Trades = 13, IsClosed = 14;

    // Trade fields.
    private const int TradeId = 4, Price = 5, Quantity = 6, TradeTime = 7, IsBuyerMaker = 8;

    private const int AllKlineFields = (1 << 15) - 1;
    private const int AllTradeFields = (1 << 9) - 1;

    public static bool TryReadKline(ReadOnlySpan<byte> json, [NotNullWhen(true)] out KlineEvent? kline)
    {
        if (WrittenLayoutReader.TryReadKline(json, out kline))
        {
            return true;
        }

        try
        {
            var reader = new Utf8JsonReader(json);
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return false;
            }

            string? exchange = null, symbol = null, source = null, interval = null;
            long eventTime = 0, openTime = 0, closeTime = 0, trades = 0;
            double open = 0, high = 0, low = 0, close = 0, volume = 0, quoteVolume = 0;
            var isClosed = false;
            var seen = 0;
            while (NextProperty(ref reader, out var name))
            {
                var field = KlineField(name);
                if (field < 0 || (seen & (1 << field)) != 0 || !reader.Read())
                {
                    return false;
                }

                seen |= 1 << field;
                var ok = field switch
                {
                    Exchange => Text(ref reader, out exchange),
                    Symbol => Text(ref reader, out symbol),
                    EventTime => Int64(ref reader, out eventTime),
                    Source => Text(ref reader, out source),
                    Interval => Text(ref reader, out interval),
                    OpenTime => Int64(ref reader, out openTime),
                    CloseTime => Int64(ref reader, out closeTime),
                    Open => Double(ref reader, out open),
                    High => Double(ref reader, out high),
                    Low => Double(ref reader, out low),
                    Close => Double(ref reader, out close),
                    Volume => Double(ref reader, out volume),
                    QuoteVolume => Double(ref reader, out quoteVolume),
                    Trades => Int64(ref reader, out trades),
                    _ => Boolean(ref reader, out isClosed),
                };
                if (!ok)
                {
                    return false;
                }
            }

            if (seen != AllKlineFields || reader.TokenType != JsonTokenType.EndObject || reader.Read())
            {
                return false;
            }

            kline = new KlineEvent
            {
                Exchange = exchange!,
                Symbol = symbol!,
                EventTime = eventTime,
                Source = source!,
                Interval = interval!,
                OpenTime = openTime,
                CloseTime = closeTime,
                Open = open,
                High = high,
                Low = low,
                Close = close,
                Volume = volume,
                QuoteVolume = quoteVolume,
                Trades = trades,
                IsClosed = isClosed,
            };
            return true;
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException)
        {
            return false;
        }
    }

    public static bool TryReadTrade(ReadOnlySpan<byte> json, [NotNullWhen(true)] out TradeEvent? trade)
    {
        if (WrittenLayoutReader.TryReadTrade(json, out trade))
        {
            return true;
        }

        try
        {
            var reader = new Utf8JsonReader(json);
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return false;
            }

            string? exchange = null, symbol = null, source = null;
            long eventTime = 0, tradeId = 0, tradeTime = 0;
            double price = 0, quantity = 0;
            var isBuyerMaker = false;
            var seen = 0;
            while (NextProperty(ref reader, out var name))
            {
                var field = TradeField(name);
                if (field < 0 || (seen & (1 << field)) != 0 || !reader.Read())
                {
                    return false;
                }

                seen |= 1 << field;
                var ok = field switch
                {
                    Exchange => Text(ref reader, out exchange),
                    Symbol => Text(ref reader, out symbol),
                    EventTime => Int64(ref reader, out eventTime),
                    Source => Text(ref reader, out source),
                    TradeId => Int64(ref reader, out tradeId),
                    Price => Double(ref reader, out price),
                    Quantity => Double(ref reader, out quantity),
                    TradeTime => Int64(ref reader, out tradeTime),
                    _ => Boolean(ref reader, out isBuyerMaker),
                };
                if (!ok)
                {
                    return false;
                }
            }

            if (seen != AllTradeFields || reader.TokenType != JsonTokenType.EndObject || reader.Read())
            {
                return false;
            }

            trade = new TradeEvent
            {
                Exchange = exchange!,
                Symbol = symbol!,
                EventTime = eventTime,
                Source = source!,
                TradeId = tradeId,
                Price = price,
                Quantity = quantity,
                TradeTime = tradeTime,
                IsBuyerMaker = isBuyerMaker,
            };
            return true;
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException)
        {
            return false;
        }
    }

    /// <summary>Moves to the next property name; false at the end of the object or on anything unexpected (an escaped name).</summary>
    private static bool NextProperty(ref Utf8JsonReader reader, out ReadOnlySpan<byte> name)
    {
        name = default;
        if (!reader.Read() || reader.TokenType != JsonTokenType.PropertyName || reader.ValueIsEscaped)
        {
            return false;
        }

        name = reader.ValueSpan;
        return true;
    }

    private static int CommonField(ReadOnlySpan<byte> name) =>
        name.SequenceEqual("exchange"u8) ? Exchange
        : name.SequenceEqual("symbol"u8) ? Symbol
        : name.SequenceEqual("event_time"u8) ? EventTime
        : name.SequenceEqual("source"u8) ? Source
        : -1;

    private static int KlineField(ReadOnlySpan<byte> name) => name.Length switch
    {
        4 => name.SequenceEqual("open"u8) ? Open : name.SequenceEqual("high"u8) ? High : -1,
        3 => name.SequenceEqual("low"u8) ? Low : -1,
        5 => name.SequenceEqual("close"u8) ? Close : -1,
        6 => name.SequenceEqual("volume"u8) ? Volume : name.SequenceEqual("trades"u8) ? Trades : CommonField(name),
        8 => name.SequenceEqual("interval"u8) ? Interval : CommonField(name),
        9 => name.SequenceEqual("open_time"u8) ? OpenTime : name.SequenceEqual("is_closed"u8) ? IsClosed : -1,
        10 => name.SequenceEqual("close_time"u8) ? CloseTime : CommonField(name),
        12 => name.SequenceEqual("quote_volume"u8) ? QuoteVolume : -1,
        _ => -1,
    };

    private static int TradeField(ReadOnlySpan<byte> name) => name.Length switch
    {
        5 => name.SequenceEqual("price"u8) ? Price : -1,
        8 => name.SequenceEqual("trade_id"u8) ? TradeId : name.SequenceEqual("quantity"u8) ? Quantity : CommonField(name),
        10 => name.SequenceEqual("trade_time"u8) ? TradeTime : CommonField(name),
        14 => name.SequenceEqual("is_buyer_maker"u8) ? IsBuyerMaker : -1,
        _ => CommonField(name),
    };

    // The serializer's converters: strings from String tokens (null is left to it), numbers from Number tokens
    // through the same TryGet methods, booleans from true/false.
    private static bool Text(ref Utf8JsonReader reader, out string? value)
    {
        value = null;
        // The reader has rejected control characters; invalid UTF-8 is the serializer's to report.
        if (reader.TokenType != JsonTokenType.String || reader.ValueIsEscaped || !Utf8.IsValid(reader.ValueSpan))
        {
            return false;
        }

        value = Utf8StringCache.Find(reader.ValueSpan) ?? Utf8StringCache.Add(reader.ValueSpan);
        return true;
    }

    private static bool Int64(ref Utf8JsonReader reader, out long value)
    {
        value = 0;
        return reader.TokenType == JsonTokenType.Number && reader.TryGetInt64(out value);
    }

    private static bool Double(ref Utf8JsonReader reader, out double value)
    {
        value = 0;
        return reader.TokenType == JsonTokenType.Number && reader.TryGetDouble(out value);
    }

    private static bool Boolean(ref Utf8JsonReader reader, out bool value)
    {
        value = reader.TokenType == JsonTokenType.True;
        return reader.TokenType is JsonTokenType.True or JsonTokenType.False;
    }
}
