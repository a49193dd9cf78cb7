using System.Buffers.Text;
using System.Diagnostics.CodeAnalysis;
using System.Text.Unicode;

namespace Lambda.Core.Contracts;

/// <summary>
/// The fastest way to read a kline or trade: match the exact bytes <see cref="EventSerializer"/> writes (no
/// whitespace, the contract's fields in its order) and parse only the values. Numbers must follow JSON's grammar
/// and are then parsed by the same <see cref="Utf8Parser"/> calls <c>Utf8JsonReader</c> makes; strings must be
/// unescaped, free of control characters and valid UTF-8. Any other message, valid or not, is declined and read
/// by the source-generated serializer, so accepting never changes a result. Every event we write is in this layout
/// (<c>HotEventReadingTests</c> holds it to that), so only foreign or damaged input takes the slow way.
/// </summary>
internal ref struct WrittenLayoutReader(ReadOnlySpan<byte> json)
{
    private readonly ReadOnlySpan<byte> _json = json;
    private int _position;

    public static bool TryReadKline(ReadOnlySpan<byte> json, [NotNullWhen(true)] out KlineEvent? kline)
    {
        kline = null;
        var r = new WrittenLayoutReader(json);
        if (r.Common(out var exchange, out var symbol, out var eventTime, out var source)
            && r.Literal(",\"interval\":"u8) && r.Text(out var interval)
            && r.Literal(",\"open_time\":"u8) && r.Int64(out var openTime)
            && r.Literal(",\"close_time\":"u8) && r.Int64(out var closeTime)
            && r.Literal(",\"open\":"u8) && r.Double(out var open)
            && r.Literal(",\"high\":"u8) && r.Double(out var high)
            && r.Literal(",\"low\":"u8) && r.Double(out var low)
            && r.Literal(",\"close\":"u8) && r.Double(out var close)
            && r.Literal(",\"volume\":"u8) && r.Double(out var volume)
            && r.Literal(",\"quote_volume\":"u8) && r.Double(out var quoteVolume)
            && r.Literal(",\"trades\":"u8) && r.Int64(out var trades)
            && r.Literal(",\"is_closed\":"u8) && r.Boolean(out var isClosed)
            && r.End())
        {
            kline = new KlineEvent
            {
                Exchange = exchange,
                Symbol = symbol,
                EventTime = eventTime,
                Source = source,
                Interval = interval,
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

        return false;
    }

    public static bool TryReadTrade(ReadOnlySpan<byte> json, [NotNullWhen(true)] out TradeEvent? trade)
    {
        trade = null;
        var r = new WrittenLayoutReader(json);
        if (r.Common(out var exchange, out var symbol, out var eventTime, out var source)
            && r.Literal(",\"trade_id\":"u8) && r.Int64(out var tradeId)
            && r.Literal(",\"price\":"u8) && r.Double(out var price)
            && r.Literal(",\"quantity\":"u8) && r.Double(out var quantity)
            && r.Literal(",\"trade_time\":"u8) && r.Int64(out var tradeTime)
            && r.Literal(",\"is_buyer_maker\":"u8) && r.Boolean(out var isBuyerMaker)
            && r.End())
        {
            trade = new TradeEvent
            {
                Exchange = exchange,
                Symbol = symbol,
                EventTime = eventTime,
                Source = source,
                TradeId = tradeId,
                Price = price,
                Quantity = quantity,
                TradeTime = tradeTime,
                IsBuyerMaker = isBuyerMaker,
            };
            return true;
        }

        return false;
    }

    /// <summary>The fields every event starts with, in <see cref="MarketEvent"/>'s order.</summary>
    private bool Common([NotNullWhen(true)] out string? exchange, [NotNullWhen(true)] out string? symbol, out long eventTime, [NotNullWhen(true)] out string? source)
    {
        exchange = symbol = source = null;
        eventTime = 0;
        return Literal("{\"exchange\":"u8) && Text(out exchange)
            && Literal(",\"symbol\":"u8) && Text(out symbol)
            && Literal(",\"event_time\":"u8) && Int64(out eventTime)
            && Literal(",\"source\":"u8) && Text(out source);
    }

    private bool Literal(ReadOnlySpan<byte> literal)
    {
        if (!_json[_position..].StartsWith(literal))
        {
            return false;
        }

        _position += literal.Length;
        return true;
    }

    /// <summary>The whole message is read: nothing may follow the closing brace.</summary>
    private bool End() => _position == _json.Length - 1 && _json[_position] == (byte)'}';

    private bool Text([NotNullWhen(true)] out string? value)
    {
        value = null;
        var rest = _json[_position..];
        if (rest.IsEmpty || rest[0] != (byte)'"')
        {
            return false;
        }

        var length = rest[1..].IndexOfAny((byte)'"', (byte)'\\');
        if (length < 0 || rest[1 + length] != (byte)'"')
        {
            return false;
        }

        var utf8 = rest.Slice(1, length);
        // A value seen before was checked when it was first read. JSON forbids raw control characters in strings
        // (the reader rejects them) and the serializer reports invalid UTF-8: decline both.
        value = Utf8StringCache.Find(utf8);
        if (value is null)
        {
            if (utf8.IndexOfAnyInRange((byte)0, (byte)0x1F) >= 0 || !Utf8.IsValid(utf8))
            {
                return false;
            }

            value = Utf8StringCache.Add(utf8);
        }

        _position += length + 2;
        return true;
    }

    private bool Int64(out long value)
    {
        value = 0;
        var number = Number();
        if (number.Length == 0 || number.Decimals >= 0 || number.Exponent)
        {
            // Not a whole number: the serializer refuses it for a whole-number field.
            return false;
        }

        if (number.Digits <= 18)
        {
            value = number.Negative ? -(long)number.Mantissa : (long)number.Mantissa;
        }
        else if (!Utf8Parser.TryParse(_json.Slice(_position, number.Length), out value, out var consumed) || consumed != number.Length)
        {
            return false;
        }

        _position += number.Length;
        return true;
    }

    private bool Double(out double value)
    {
        value = 0;
        var number = Number();
        if (number.Length == 0)
        {
            return false;
        }

        // A plain decimal of at most 15 digits and 22 decimals is an exact integer divided by an exact power of ten,
        // and one IEEE division rounds that correctly: the same double as any correct parser (Clinger's fast path).
        // Other numbers (and −0) are parsed as Utf8JsonReader.TryGetDouble does: the whole token, a finite result.
        var decimals = Math.Max(number.Decimals, 0);
        if (!number.Exponent && number.Digits <= 15 && decimals < PowersOfTen.Length && !(number.Negative && number.Mantissa == 0))
        {
            value = number.Mantissa / PowersOfTen[decimals];
            if (number.Negative)
            {
                value = -value;
            }
        }
        else if (!Utf8Parser.TryParse(_json.Slice(_position, number.Length), out value, out var consumed) || consumed != number.Length || !double.IsFinite(value))
        {
            value = 0;
            return false;
        }

        _position += number.Length;
        return true;
    }

    private static ReadOnlySpan<double> PowersOfTen =>
    [
        1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
    ];

    private bool Boolean(out bool value)
    {
        value = Literal("true"u8);
        return value || Literal("false"u8);
    }

    /// <summary>
    /// The JSON number at the position (<c>-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?</c>), ended by <c>,</c> or
    /// <c>}</c>, scanned once: its length (0 when there is none), and its digits as an integer (meaningful while
    /// there are at most 18 of them).
    /// </summary>
    private readonly NumberToken Number()
    {
        var s = _json;
        var i = _position;
        var negative = (uint)i < (uint)s.Length && s[i] == (byte)'-';
        if (negative)
        {
            i++;
        }

        var integerStart = i;
        ulong mantissa = 0;
        uint digit;
        while ((uint)i < (uint)s.Length && (digit = (uint)(s[i] - '0')) <= 9)
        {
            mantissa = unchecked((mantissa * 10) + digit);
            i++;
        }

        var integerDigits = i - integerStart;
        if (integerDigits == 0 || (integerDigits > 1 && s[integerStart] == (byte)'0'))
        {
            return default;
        }

        var decimals = -1;
        if ((uint)i < (uint)s.Length && s[i] == (byte)'.')
        {
            var fractionStart = ++i;
            while ((uint)i < (uint)s.Length && (digit = (uint)(s[i] - '0')) <= 9)
            {
                mantissa = unchecked((mantissa * 10) + digit);
                i++;
            }

            decimals = i - fractionStart;
            if (decimals == 0)
            {
                return default;
            }
        }

        var exponent = (uint)i < (uint)s.Length && (s[i] | 0x20) == (byte)'e';
        if (exponent)
        {
            i++;
            if ((uint)i < (uint)s.Length && (s[i] == (byte)'+' || s[i] == (byte)'-'))
            {
                i++;
            }

            var exponentStart = i;
            while ((uint)i < (uint)s.Length && (uint)(s[i] - '0') <= 9)
            {
                i++;
            }

            if (i == exponentStart)
            {
                return default;
            }
        }

        if ((uint)i >= (uint)s.Length || (s[i] != (byte)',' && s[i] != (byte)'}'))
        {
            return default;
        }

        return new NumberToken
        {
            Length = i - _position,
            Negative = negative,
            Mantissa = mantissa,
            Digits = integerDigits + Math.Max(decimals, 0),
            Decimals = decimals,
            Exponent = exponent,
        };
    }

    private struct NumberToken
    {
        public int Length;
        public bool Negative;
        public ulong Mantissa;

        /// <summary>Digits before and after the point (leading zeros included).</summary>
        public int Digits;

        /// <summary>Digits after the point; −1 without a point.</summary>
        public int Decimals;

        public bool Exponent;
    }
}
