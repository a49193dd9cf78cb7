using Lambda.Core.Parquet;

namespace Lambda.Parquet.Tests;

/// <summary>Writes tables to memory and reads them back as boxed values.</summary>
internal static class TestFiles
{
    public static byte[] Write(ParquetSchema schema, IEnumerable<object?[]> rows, ParquetWriterOptions? options = null)
    {
        using var stream = new MemoryStream();
        using (var writer = new ParquetFileWriter(stream, schema, options))
        {
            foreach (var row in rows)
            {
                for (var i = 0; i < row.Length; i++)
                {
                    writer.Row.SetValue(i, row[i]);
                }

                writer.EndRow();
            }
        }

        return stream.ToArray();
    }

    public static ParquetFileReader Open(byte[] file, string name = "test.parquet") => new(new MemoryStream(file, writable: false), name);

    public static List<object?[]> ReadAll(byte[] file, ParquetReadOptions? options = null)
    {
        using var reader = Open(file);
        return ReadAll(reader, options);
    }

    public static List<object?[]> ReadAll(ParquetFileReader reader, ParquetReadOptions? options = null)
    {
        var result = new List<object?[]>();
        foreach (var row in reader.ReadRows(options))
        {
            var values = new object?[row.ColumnCount];
            for (var i = 0; i < values.Length; i++)
            {
                values[i] = row.GetValue(i);
            }

            result.Add(values);
        }

        return result;
    }
}
