using System.Text.Json;
using System.Text.Json.Serialization;

namespace Lambda.Producer.Normalization;

/// <summary>
/// A field whose value could not be read. System.Text.Json sets <see cref="JsonException.Path"/> on it, so the
/// normalizers can name the field; the message is the problem alone (<c>is not a number</c>).
/// </summary>
internal sealed class FieldValueException(string problem) : JsonException(problem);

/// <summary>Every <c>double</c> of an exchange payload: a JSON string or number, finite, invariant culture.</summary>
internal sealed class ExchangeDoubleConverter : JsonConverter<double>
{
    public override double Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        ExchangeNumbers.TryReadDouble(ref reader, out var value, out var problem)
            ? value
            : throw new FieldValueException(problem ?? ExchangeNumbers.NotANumber);

    // The DTOs are only ever read; writing is here because the base class demands it.
    public override void Write(Utf8JsonWriter writer, double value, JsonSerializerOptions options) => writer.WriteNumberValue(value);
}

/// <summary>Every <c>long</c> of an exchange payload (times, ids, counts): a JSON integer or a string of digits.</summary>
internal sealed class ExchangeInt64Converter : JsonConverter<long>
{
    public override long Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        ExchangeNumbers.TryReadInt64(ref reader, out var value) ? value : throw new FieldValueException(ExchangeNumbers.NotAnInteger);

    public override void Write(Utf8JsonWriter writer, long value, JsonSerializerOptions options) => writer.WriteNumberValue(value);
}
