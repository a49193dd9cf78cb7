using System.Globalization;
using System.Text;
using System.Text.Json;
using Lambda.Core.Views;

namespace Lambda.Merge.Show;

/// <summary>
/// Prints any Parquet file: its schema, row groups and rows, as a table, CSV or JSON. Values are
/// shown as the reader gives them (dates as yyyy-MM-dd, timestamps as ISO 8601 UTC).
/// </summary>
public static class ParquetShow
{
    /// <exception cref="ParquetException">The file is not Parquet, is damaged, or holds columns that cannot be shown (the message says which).</exception>
    public static async Task WriteAsync(string path, string format, int limit, TextWriter output, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(output);
        var file = await ForeignParquetFile.ReadAsync(path, limit, cancellationToken).ConfigureAwait(false);
        switch (format)
        {
            case "csv":
                WriteCsv(file.Columns, file.Rows, output);
                break;
            case "json":
                WriteJson(file.Columns, file.Rows, output);
                break;
            default:
                WriteTable(path, file, output);
                break;
        }
    }

    private static void WriteTable(string path, ForeignParquetFile file, TextWriter output)
    {
        var rows = file.Rows;
        output.WriteLine($"{path}: {file.RowCount} rows in {file.RowGroups} row group(s)");
        foreach (var (key, value) in file.Metadata.OrderBy(kv => kv.Key, StringComparer.Ordinal))
        {
            output.WriteLine($"  metadata {key} = {(value.Length > 120 ? value[..117] + "..." : value)}");
        }

        output.WriteLine("Schema:");
        foreach (var column in file.Columns)
        {
            output.WriteLine($"  {column.Name,-24} {column.Declared}{(column.Nullable ? ", optional" : "")}");
        }

        var headers = file.Columns.Select(c => c.Name).ToArray();
        var cells = rows.Select(row => row.Select(Format).ToArray()).ToList();
        var widths = headers.Select((h, i) => Math.Min(40, Math.Max(h.Length, cells.Count == 0 ? 0 : cells.Max(r => r[i].Length)))).ToArray();
        output.WriteLine();
        output.WriteLine(string.Join(" | ", headers.Select((h, i) => Pad(h, widths[i]))));
        output.WriteLine(string.Join("-+-", widths.Select(w => new string('-', w))));
        foreach (var row in cells)
        {
            output.WriteLine(string.Join(" | ", row.Select((cell, i) => Pad(cell, widths[i]))));
        }

        output.WriteLine($"({rows.Count} of {file.RowCount} rows shown)");
    }

    private static void WriteCsv(IReadOnlyList<ForeignColumn> columns, List<object?[]> rows, TextWriter output)
    {
        output.WriteLine(string.Join(',', columns.Select(c => Csv(c.Name))));
        foreach (var row in rows)
        {
            output.WriteLine(string.Join(',', row.Select(v => v is null ? "" : Csv(Format(v)))));
        }
    }

    private static void WriteJson(IReadOnlyList<ForeignColumn> columns, List<object?[]> rows, TextWriter output)
    {
        var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            json.WriteStartArray();
            foreach (var row in rows)
            {
                json.WriteStartObject();
                for (var i = 0; i < columns.Count; i++)
                {
                    json.WritePropertyName(columns[i].Name);
                    switch (row[i])
                    {
                        case null: json.WriteNullValue(); break;
                        case bool b: json.WriteBooleanValue(b); break;
                        case int n: json.WriteNumberValue(n); break;
                        case long n: json.WriteNumberValue(n); break;
                        case float f when float.IsFinite(f): json.WriteNumberValue(f); break;
                        case double d when double.IsFinite(d): json.WriteNumberValue(d); break;
                        default: json.WriteStringValue(Format(row[i])); break;
                    }
                }

                json.WriteEndObject();
            }

            json.WriteEndArray();
        }

        output.WriteLine(Encoding.UTF8.GetString(buffer.ToArray()));
    }

    private static string Format(object? value) => value switch
    {
        null => "null",
        DateOnly d => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        DateTimeOffset t => t.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", CultureInfo.InvariantCulture),
        double d => d.ToString("R", CultureInfo.InvariantCulture),
        float f => f.ToString("R", CultureInfo.InvariantCulture),
        bool b => b ? "true" : "false",
        byte[] bytes => "0x" + Convert.ToHexString(bytes),
        DateTime t => t.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff", CultureInfo.InvariantCulture),
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "",
    };

    private static string Pad(string text, int width) => text.Length > width ? text[..(width - 1)] + "…" : text.PadRight(width);

    private static string Csv(string text) =>
        text.AsSpan().IndexOfAny(",\"\n\r") >= 0 ? "\"" + text.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : text;
}
