using System.Globalization;
using System.Text.Json;

namespace Lambda.Producer.Normalization;

/// <summary>
/// Reads the numbers of exchange frames. Exchanges send prices as JSON strings (<c>"0.35130000"</c>) so that no
/// decimal digit is lost in transit; we accept those and plain JSON numbers, always with the invariant culture,
/// and refuse anything that is not a finite number.
/// </summary>
internal static class ExchangeNumbers
{
    public const string NotANumber = "is not a number";
    public const string NotFinite = "is not a finite number";
    public const string NotAnInteger = "is not an integer";

    // No whitespace and no thousands separators: a frame with either is not what the exchange documents.
    private const NumberStyles DecimalStyle = NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint | NumberStyles.AllowExponent;

    /// <summary>Powers of ten that a double holds exactly (10^22 is the last).</summary>
    private static readonly double[] ExactPowersOfTen =
    [
        1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11,
        1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
    ];

    /// <summary>Reads the current token as a finite double; on failure says why (<see cref="NotANumber"/>…).</summary>
    public static bool TryReadDouble(ref Utf8JsonReader reader, out double value, out string? problem)
    {
        problem = null;
        bool parsed;
        if (reader.TokenType is JsonTokenType.String or JsonTokenType.Number)
        {
            // Escapes never occur in numbers the exchanges send; unescaping keeps us correct if one does.
            parsed = reader.ValueIsEscaped
                ? double.TryParse(reader.GetString(), DecimalStyle, CultureInfo.InvariantCulture, out value)
                : TryParse(reader.ValueSpan, out value);
        }
        else
        {
            value = 0;
            parsed = false;
        }

        if (!parsed)
        {
            problem = NotANumber;
            return false;
        }

        // "NaN" and "Infinity" parse as doubles, and 1e999 as infinity; as market data they are corruption.
        if (!double.IsFinite(value))
        {
            problem = NotFinite;
            return false;
        }

        return true;
    }

    /// <summary>Reads the current token (a JSON integer or a string of digits) as a long.</summary>
    public static bool TryReadInt64(ref Utf8JsonReader reader, out long value)
    {
        switch (reader.TokenType)
        {
            case JsonTokenType.Number:
                return reader.TryGetInt64(out value);
            case JsonTokenType.String when !reader.ValueIsEscaped:
                return long.TryParse(reader.ValueSpan, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out value);
            case JsonTokenType.String:
                return long.TryParse(reader.GetString(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out value);
            default:
                value = 0;
                return false;
        }
    }

    /// <summary>Parses UTF-8 decimal text invariantly; NaN and infinities parse (the caller refuses them).</summary>
    public static bool TryParse(ReadOnlySpan<byte> utf8, out double value) =>
        TryParsePlainDecimal(utf8, out value) || double.TryParse(utf8, DecimalStyle, CultureInfo.InvariantCulture, out value);

    /// <summary>
    /// The fast path for what exchanges send: an optional minus, digits, an optional point and digits, with at
    /// most 15 significant digits. Such a number is m / 10^s with m below 2^53 and s at most 22, both exact in a
    /// double, so one IEEE division rounds it correctly (Clinger's fast path) and the result equals double.Parse.
    /// It is several times faster than the general parser, which matters at hundreds of thousands of frames a
    /// second; anything else (exponents, more digits, a plus sign) goes to the general parser.
    /// </summary>
    private static bool TryParsePlainDecimal(ReadOnlySpan<byte> text, out double value)
    {
        value = 0;
        var index = 0;
        var negative = false;
        if (!text.IsEmpty && text[0] == (byte)'-')
        {
            negative = true;
            index = 1;
        }

        ulong mantissa = 0;
        var significantDigits = 0;
        var scale = 0;
        var sawDigit = false;
        var sawPoint = false;
        for (; index < text.Length; index++)
        {
            var c = text[index];
            var digit = (uint)(c - '0');
            if (digit <= 9)
            {
                sawDigit = true;
                if (sawPoint)
                {
                    scale++;
                }

                if (mantissa == 0 && digit == 0)
                {
                    continue;
                }

                if (++significantDigits > 15)
                {
                    return false;
                }

                mantissa = (mantissa * 10) + digit;
            }
            else if (c == (byte)'.' && !sawPoint)
            {
                sawPoint = true;
            }
            else
            {
                return false;
            }
        }

        if (!sawDigit || scale >= ExactPowersOfTen.Length)
        {
            return false;
        }

        value = mantissa / ExactPowersOfTen[scale];
        if (negative)
        {
            value = -value;
        }

        return true;
    }
}
