using System.Diagnostics.CodeAnalysis;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace Lambda.Producer.Normalization;

/// <summary>
/// Deserializes one payload object whose JSON syntax the caller has already checked, turning a failure into a
/// reason that names the field (<c>field 'k.o' is not a number</c>) instead of an exception.
/// </summary>
internal static class PayloadReader
{
    public static bool TryRead<T>(
        ReadOnlySpan<byte> json,
        JsonTypeInfo<T> typeInfo,
        [NotNullWhen(true)] out T? payload,
        [NotNullWhen(false)] out string? problem)
        where T : class
    {
        try
        {
            payload = JsonSerializer.Deserialize(json, typeInfo);
        }
        catch (JsonException ex)
        {
            payload = null;
            problem = Describe(ex);
            return false;
        }

        if (payload is null)
        {
            problem = "payload is null";
            return false;
        }

        problem = null;
        return true;
    }

    /// <summary>The reason for a field that is missing or JSON null.</summary>
    public static string Missing(string field) => $"field '{field}' is missing or null";

    private static string Describe(JsonException ex)
    {
        // Our converters say what is wrong; System.Text.Json's own failures are type mismatches (a string where a
        // boolean belongs, an object where a string does) whose message is long and about .NET types.
        var what = ex is FieldValueException ? ex.Message : "has the wrong type";
        var path = ex.Path;
        if (string.IsNullOrEmpty(path) || path == "$")
        {
            return $"payload {what}";
        }

        var field = path.StartsWith("$.", StringComparison.Ordinal) ? path[2..] : path.TrimStart('$');
        return $"field '{field}' {what}";
    }
}
