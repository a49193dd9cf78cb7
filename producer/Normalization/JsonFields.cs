using System.Text.Json;

namespace Lambda.Producer.Normalization;

/// <summary>
/// Reads one field of a payload with <see cref="Utf8JsonReader"/> standing on its property name. Each reader
/// moves to the value, stores it (JSON null leaves the target empty, so it later counts as missing) and returns
/// the problem naming the field, or null when the value was good. Syntax errors throw
/// <see cref="JsonException"/>, which the normalizers turn into "invalid JSON".
/// </summary>
internal static class JsonFields
{
    /// <summary>The byte of a one-character property name (Binance's and Bybit's keys), or 0 for any other.</summary>
    public static byte SingleByteName(ref Utf8JsonReader reader)
    {
        if (!reader.ValueIsEscaped)
        {
            return reader.ValueSpan.Length == 1 ? reader.ValueSpan[0] : (byte)0;
        }

        var name = reader.GetString();
        return name is { Length: 1 } && char.IsAscii(name[0]) ? (byte)name[0] : (byte)0;
    }

    public static string? Double(ref Utf8JsonReader reader, string field, ref double? target)
    {
        reader.Read();
        if (reader.TokenType == JsonTokenType.Null)
        {
            return null;
        }

        if (!ExchangeNumbers.TryReadDouble(ref reader, out var value, out var problem))
        {
            reader.Skip();
            return Problem(field, problem ?? ExchangeNumbers.NotANumber);
        }

        target = value;
        return null;
    }

    public static string? Int64(ref Utf8JsonReader reader, string field, ref long? target)
    {
        reader.Read();
        if (reader.TokenType == JsonTokenType.Null)
        {
            return null;
        }

        if (!ExchangeNumbers.TryReadInt64(ref reader, out var value))
        {
            reader.Skip();
            return Problem(field, ExchangeNumbers.NotAnInteger);
        }

        target = value;
        return null;
    }

    public static string? String(ref Utf8JsonReader reader, string field, ref string? target)
    {
        reader.Read();
        switch (reader.TokenType)
        {
            case JsonTokenType.Null:
                return null;
            case JsonTokenType.String:
                target = reader.GetString();
                return null;
            default:
                reader.Skip();
                return Problem(field, "is not a string");
        }
    }

    public static string? Boolean(ref Utf8JsonReader reader, string field, ref bool? target)
    {
        reader.Read();
        switch (reader.TokenType)
        {
            case JsonTokenType.Null:
                return null;
            case JsonTokenType.True or JsonTokenType.False:
                target = reader.TokenType == JsonTokenType.True;
                return null;
            default:
                reader.Skip();
                return Problem(field, "is not a boolean");
        }
    }

    /// <summary>Skips a field we do not map.</summary>
    public static string? Skip(ref Utf8JsonReader reader)
    {
        reader.Skip();
        return null;
    }

    /// <summary>Moves to the next property of the current object: false at its end.</summary>
    public static bool NextProperty(ref Utf8JsonReader reader) =>
        reader.Read() && reader.TokenType == JsonTokenType.PropertyName;

    /// <summary>Throws when anything but whitespace follows the frame's single JSON value.</summary>
    public static void EnsureEnd(ref Utf8JsonReader reader)
    {
        if (reader.Read())
        {
            throw new JsonException("content after the JSON value");
        }
    }

    /// <summary>The reason naming the first required field that is absent, or null when all are present.</summary>
    public static string? FirstMissing(params ReadOnlySpan<(bool Present, string Field)> fields)
    {
        foreach (var (present, field) in fields)
        {
            if (!present)
            {
                return Missing(field);
            }
        }

        return null;
    }

    public static string Problem(string field, string what) => $"field '{field}' {what}";

    /// <summary>The reason for a field that is absent or JSON null.</summary>
    public static string Missing(string field) => Problem(field, "is missing or null");
}
