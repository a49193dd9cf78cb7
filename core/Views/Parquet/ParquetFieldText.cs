using Parquet.Schema;

namespace Lambda.Core.Views;

/// <summary>How a Parquet column is declared in its file (physical type and logical annotation), for messages and <c>merge show</c>.</summary>
public static class ParquetFieldText
{
    public static string Describe(Field field)
    {
        ArgumentNullException.ThrowIfNull(field);
        if (field is not DataField data || data.IsArray)
        {
            return $"nested {field.SchemaType}";
        }

        var element = data.SchemaElement;
        // LogicalType is a Thrift union: exactly one of its properties is set.
        var logical = element?.LogicalType is { } union
            ? union.GetType().GetProperties().Where(p => p.GetValue(union) is not null).Select(p => p.Name).FirstOrDefault()
            : element?.ConvertedType?.ToString();
        if (logical == "TIMESTAMP" && data is DateTimeDataField timestamp)
        {
            logical = $"TIMESTAMP({timestamp.Unit.ToString().ToUpperInvariant()}{(timestamp.IsAdjustedToUTC ? ", UTC" : "")})";
        }

        return logical is null ? $"{element?.Type}" : $"{element?.Type} {logical}";
    }
}
