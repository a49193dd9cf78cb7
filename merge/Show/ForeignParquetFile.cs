using System.Reflection;
using Lambda.Core.Views;
using Parquet;
using Parquet.Schema;

namespace Lambda.Merge.Show;

/// <summary>A column of any Parquet file, as <c>merge show</c> prints it.</summary>
public sealed record ForeignColumn(string Name, string Declared, bool Nullable);

/// <summary>
/// The first rows of any flat Parquet file (ours, DuckDB's, Spark's), read with Parquet.Net's own types:
/// every primitive it reads is shown, timestamps adjusted to UTC as <see cref="DateTimeOffset"/>. Nested
/// columns (lists, maps, structs) are refused with a message naming them.
/// </summary>
public sealed class ForeignParquetFile
{
    private static readonly MethodInfo ReadValuesMethod = typeof(ForeignParquetFile).GetMethod(nameof(ReadValuesAsync), BindingFlags.NonPublic | BindingFlags.Static)!;

    private ForeignParquetFile(IReadOnlyList<ForeignColumn> columns, IReadOnlyDictionary<string, string> metadata, long rowCount, int rowGroups, List<object?[]> rows)
    {
        Columns = columns;
        Metadata = metadata;
        RowCount = rowCount;
        RowGroups = rowGroups;
        Rows = rows;
    }

    public IReadOnlyList<ForeignColumn> Columns { get; }

    public IReadOnlyDictionary<string, string> Metadata { get; }

    public long RowCount { get; }

    public int RowGroups { get; }

    /// <summary>At most the limit's rows, each value boxed (null for null).</summary>
    public List<object?[]> Rows { get; }

    /// <exception cref="Lambda.Core.Views.ParquetException">The file cannot be read; the message names it and the problem.</exception>
    public static async Task<ForeignParquetFile> ReadAsync(string path, int limit, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(path);
        try
        {
            await using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, useAsync: false);
            if (stream.Length < 12)
            {
                throw new InvalidDataException($"{stream.Length} bytes is too short for a Parquet file");
            }

            await using var reader = await ParquetReader.CreateAsync(stream, new ParquetOptions { UseDateOnlyTypeForDates = true }, leaveStreamOpen: true, cancellationToken).ConfigureAwait(false);
            var nested = reader.Schema.Fields.FirstOrDefault(f => f is not DataField || ((DataField)f).IsArray);
            if (nested is not null)
            {
                throw new NotSupportedException($"column '{nested.Name}' is a {ParquetFieldText.Describe(nested)} (list, map or struct); merge show prints flat files only");
            }

            var fields = reader.Schema.DataFields;
            var columns = fields.Select(f => new ForeignColumn(f.Name, ParquetFieldText.Describe(f), f.IsNullable)).ToList();
            var rows = new List<object?[]>();
            for (var g = 0; g < reader.RowGroupCount && rows.Count < limit; g++)
            {
                using var group = reader.OpenRowGroupReader(g);
                var count = (int)Math.Min(group.RowCount, limit - rows.Count);
                var values = new object?[fields.Length][];
                for (var c = 0; c < fields.Length; c++)
                {
                    values[c] = await ReadColumnAsync(group, fields[c], (int)group.RowCount, cancellationToken).ConfigureAwait(false);
                }

                for (var r = 0; r < count; r++)
                {
                    rows.Add([.. values.Select(column => column[r])]);
                }
            }

            return new ForeignParquetFile(columns, reader.CustomMetadata ?? [], reader.Metadata?.NumRows ?? 0, reader.RowGroupCount, rows);
        }
        catch (Exception e) when (e is not (OperationCanceledException or Lambda.Core.Views.ParquetException or FileNotFoundException or DirectoryNotFoundException or UnauthorizedAccessException))
        {
            throw new Lambda.Core.Views.ParquetException($"{path}: not a readable Parquet file ({e.Message})", e) { FileName = path };
        }
    }

    private static async Task<object?[]> ReadColumnAsync(ParquetRowGroupReader group, DataField field, int rows, CancellationToken cancellationToken)
    {
        if (field.ClrType == typeof(string) || field.ClrType == typeof(ReadOnlyMemory<char>))
        {
            var strings = new string[rows];
            await group.ReadAsync(field, strings, null, cancellationToken).ConfigureAwait(false);
            return strings;
        }

        if (field.ClrType == typeof(byte[]) || field.ClrType == typeof(ReadOnlyMemory<byte>))
        {
            var bytes = new byte[rows][];
            await group.ReadAsync(field, bytes, null, cancellationToken).ConfigureAwait(false);
            return bytes;
        }

        if (!field.ClrType.IsValueType)
        {
            throw new NotSupportedException($"column '{field.Name}' ({ParquetFieldText.Describe(field)}) has values of type {field.ClrType.Name}, which merge show cannot print");
        }

        // Parquet.Net reads each primitive as its own struct type; one generic reader serves them all.
        var task = (Task<object?[]>)ReadValuesMethod.MakeGenericMethod(field.ClrType).Invoke(null, [group, field, rows, cancellationToken])!;
        var values = await task.ConfigureAwait(false);
        if (field is DateTimeDataField { DateTimeFormat: not DateTimeFormat.Date } timestamp && timestamp.IsAdjustedToUTC)
        {
            for (var i = 0; i < values.Length; i++)
            {
                values[i] = values[i] is DateTime t ? new DateTimeOffset(t.Ticks, TimeSpan.Zero) : null;
            }
        }

        return values;
    }

    private static async Task<object?[]> ReadValuesAsync<T>(ParquetRowGroupReader group, DataField field, int rows, CancellationToken cancellationToken)
        where T : struct
    {
        var values = new T?[rows];
        await group.ReadAsync<T>(field, values, null, cancellationToken).ConfigureAwait(false);
        return [.. values.Select(v => (object?)v)];
    }
}
