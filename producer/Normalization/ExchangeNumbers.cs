using System.Buffers.Text;
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

    /// <summary>Reads the current token as a finite double; on failure says why (<see cref="NotANumber"/>…).</summary>
    public static bool TryReadDouble(ref Utf8JsonReader reader, out double value, out string? problem)
    {
        problem = null;
        switch (reader.TokenType)
        {
            case JsonTokenType.Number:
                if (reader.TryGetDouble(out value) && double.IsFinite(value))
                {
                    return true;
                }

                problem = NotFinite;
                return false;

            case JsonTokenType.String:
                // Escapes never occur in numbers the exchanges send; unescaping keeps us correct if one does.
                var parsed = reader.ValueIsEscaped
                    ? double.TryParse(reader.GetString(), DecimalStyle, CultureInfo.InvariantCulture, out value)
                    : double.TryParse(reader.ValueSpan, DecimalStyle, CultureInfo.InvariantCulture, out value);
                if (!parsed)
                {
                    problem = NotANumber;
                    return false;
                }

                // "NaN" and "Infinity" parse as doubles; as market data they are corruption.
                if (!double.IsFinite(value))
                {
                    problem = NotFinite;
                    return false;
                }

                return true;

            default:
                value = 0;
                problem = NotANumber;
                return false;
        }
    }

    /// <summary>Reads the current token (a JSON integer or a string of digits) as a long.</summary>
    public static bool TryReadInt64(ref Utf8JsonReader reader, out long value)
    {
        switch (reader.TokenType)
        {
            case JsonTokenType.Number:
                return reader.TryGetInt64(out value);
            case JsonTokenType.String when !reader.ValueIsEscaped:
                return Utf8Parser.TryParse(reader.ValueSpan, out value, out var consumed) && consumed == reader.ValueSpan.Length;
            case JsonTokenType.String:
                return long.TryParse(reader.GetString(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out value);
            default:
                value = 0;
                return false;
        }
    }
}
