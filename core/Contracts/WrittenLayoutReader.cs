using System.Buffers.Text;
using System.Diagnostics.CodeAnalysis;
using System.Text.Unicode;

namespace Lambda.Core.Contracts;

/// <summary>
/// The fastest way to read a kline or trade: match the exact bytes <see cref="EventSerializer"/> writes (no
/// whitespace, the contract's fields in its order) and parse only the values. Numbers must follow JSON's grammar
/// and are then parsed by the same <see cref="Utf8Parser"/> calls <c>Utf8JsonReader</c> makes; strings must be
/// unescaped, free of control characters and valid UTF-8. Any other message, valid or not, is declined and read
/// by the general path (<see cref="HotEventReader"/>, then the serializer), so accepting never changes a result.
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
        // JSON forbids raw control characters in strings; the reader rejects them, so decline.
        if (utf8.IndexOfAnyInRange((byte)0, (byte)0x1F) >= 0 || !Utf8.IsValid(utf8))
        {
            return false;
        }

        value = Utf8StringCache.Get(utf8);
        _position += length + 2;
        return true;
    }

    private bool Int64(out long value)
    {
        value = 0;
        var token = NumberToken(integerOnly: true);
        if (token.IsEmpty || !Utf8Parser.TryParse(token, out value, out var consumed) || consumed != token.Length)
        {
            return false;
        }

        _position += token.Length;
        return true;
    }

    private bool Double(out double value)
    {
        value = 0;
        var token = NumberToken(integerOnly: false);
        if (token.IsEmpty)
        {
            return false;
        }

        // As Utf8JsonReader.TryGetDouble: the whole token parsed, and a finite result.
        if (!TryExactDecimal(token, out value)
            && (!Utf8Parser.TryParse(token, out value, out var consumed) || consumed != token.Length || !double.IsFinite(value)))
        {
            value = 0;
            return false;
        }

        _position += token.Length;
        return true;
    }

    /// <summary>
    /// A plain decimal (no exponent) with at most 15 significant digits and 22 decimals is an exact integer divided by
    /// an exact power of ten, and one IEEE division rounds that correctly: the same double as any correct parser
    /// (Clinger's fast path). Other numbers (and −0) are left to <see cref="Utf8Parser"/>.
    /// </summary>
    private static bool TryExactDecimal(ReadOnlySpan<byte> token, out double value)
    {
        value = 0;
        var negative = token[0] == (byte)'-';
        ulong mantissa = 0;
        int digits = 0, decimals = -1;
        for (var i = negative ? 1 : 0; i < token.Length; i++)
        {
            var b = token[i];
            if (b == (byte)'.')
            {
                decimals = 0;
                continue;
            }

            var digit = (uint)(b - '0');
            if (digit > 9 || ++digits > 15)
            {
                return false;
            }

            mantissa = (mantissa * 10) + digit;
            if (decimals >= 0)
            {
                decimals++;
            }
        }

        decimals = Math.Max(decimals, 0);
        if (decimals >= PowersOfTen.Length || (negative && mantissa == 0))
        {
            return false;
        }

        value = mantissa / PowersOfTen[decimals];
        if (negative)
        {
            value = -value;
        }

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
    /// <c>}</c>; empty when there is none. With <paramref name="integerOnly"/> a fraction or exponent makes it empty
    /// too, as the serializer refuses such a number for a whole-number field.
    /// </summary>
    private readonly ReadOnlySpan<byte> NumberToken(bool integerOnly)
    {
        var s = _json[_position..];
        var i = 0;
        if (i < s.Length && s[i] == (byte)'-')
        {
            i++;
        }

        var digits = Digits(s, i);
        if (digits == 0 || (digits > 1 && s[i] == (byte)'0'))
        {
            return default;
        }

        i += digits;
        if (!integerOnly && i < s.Length && s[i] == (byte)'.')
        {
            var fraction = Digits(s, i + 1);
            if (fraction == 0)
            {
                return default;
            }

            i += 1 + fraction;
        }

        if (!integerOnly && i < s.Length && (s[i] | 0x20) == (byte)'e')
        {
            var j = i + 1;
            if (j < s.Length && (s[j] == (byte)'+' || s[j] == (byte)'-'))
            {
                j++;
            }

            var exponent = Digits(s, j);
            if (exponent == 0)
            {
                return default;
            }

            i = j + exponent;
        }

        return i < s.Length && (s[i] == (byte)',' || s[i] == (byte)'}') ? s[..i] : default;
    }

    private static int Digits(ReadOnlySpan<byte> s, int from)
    {
        var n = 0;
        while (from + n < s.Length && (uint)(s[from + n] - '0') <= 9)
        {
            n++;
        }

        return n;
    }
}
