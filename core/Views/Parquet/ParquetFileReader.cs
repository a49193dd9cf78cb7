using System.Runtime.ExceptionServices;
using Parquet;
using Parquet.Schema;

namespace Lambda.Core.Views;

/// <summary>
/// Reads a flat Parquet file through Parquet.Net, one row group of the projected columns at a time (the next
/// row group is decoded on the thread pool while the caller walks the current one). Anything Parquet.Net
/// reports about a damaged or unsupported file becomes a <see cref="ParquetException"/> naming the file.
/// </summary>
public sealed class ParquetFileReader : IDisposable
{
    private readonly Stream _input;
    private readonly bool _ownsStream;
    private readonly ParquetReader _reader;
    private readonly DataField?[] _fields;
    private bool _disposed;

    /// <summary>Reads from <paramref name="input"/> (seekable); <paramref name="name"/> names it in errors. The caller owns the stream.</summary>
    public ParquetFileReader(Stream input, string name)
        : this(input, name, ownsStream: false)
    {
    }

    private ParquetFileReader(Stream input, string name, bool ownsStream)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(name);
        _input = input;
        _ownsStream = ownsStream;
        Name = name;
        if (input.Length < 12)
        {
            throw ParquetException.For(name, $"{input.Length} bytes is too short for a Parquet file (magic, footer length and magic need 12)");
        }

        try
        {
            _reader = Wait(() => ParquetReader.CreateAsync(input, new ParquetOptions { UseDateOnlyTypeForDates = true }, leaveStreamOpen: true, CancellationToken.None), "not a readable Parquet file");
            var columns = new List<ParquetColumn>();
            var fields = new List<DataField?>();
            foreach (var field in _reader.Schema.Fields)
            {
                var data = field as DataField;
                var column = data is null || data.IsArray
                    ? new ParquetColumn(field.Name, ParquetColumnKind.Other, field.IsNullable) { Declared = ParquetFieldText.Describe(field) }
                    : ColumnOf(data);
                columns.Add(column);
                fields.Add(column.Kind == ParquetColumnKind.Other ? null : data);
            }

            Schema = new ParquetSchema(columns);
            _fields = [.. fields];
            KeyValueMetadata = new Dictionary<string, string>(_reader.CustomMetadata ?? [], StringComparer.Ordinal);
            RowCount = _reader.Metadata?.NumRows ?? 0;
        }
        catch (Exception e) when (e is not ParquetException)
        {
            throw ParquetException.For(name, $"not a readable Parquet file ({e.Message})", e);
        }
    }

    /// <summary>Opens the file at <paramref name="path"/>; the reader owns and closes it.</summary>
    public static ParquetFileReader Open(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
        try
        {
            return new ParquetFileReader(stream, path, ownsStream: true);
        }
        catch
        {
            stream.Dispose();
            throw;
        }
    }

    public string Name { get; }

    public ParquetSchema Schema { get; }

    public long RowCount { get; }

    public int RowGroupCount => _reader.RowGroupCount;

    public IReadOnlyDictionary<string, string> KeyValueMetadata { get; }

    /// <summary>The rows, one <see cref="ParquetRowReader"/> advanced per row (do not keep it). Only the projected columns are read.</summary>
    public IEnumerable<ParquetRowReader> ReadRows(ParquetReadOptions? options = null)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        var names = options?.Columns ?? Schema.Columns.Select(c => c.Name).ToArray();
        var projection = new int[names.Count];
        for (var i = 0; i < names.Count; i++)
        {
            projection[i] = Schema.IndexOf(names[i]);
            if (projection[i] < 0)
            {
                throw ParquetException.For(Name, $"there is no column '{names[i]}'");
            }

            if (_fields[projection[i]] is null)
            {
                throw ParquetException.For(Name, $"column '{names[i]}' is {Schema[projection[i]].Declared}, which a view cannot read");
            }
        }

        return Rows(projection);
    }

    /// <summary>Records through <paramref name="map"/>: the map's columns, found by name and checked for type.</summary>
    public IEnumerable<T> Read<T>(IParquetRecordMap<T> map)
    {
        ArgumentNullException.ThrowIfNull(map);
        foreach (var column in map.Schema.Columns)
        {
            var index = Schema.IndexOf(column.Name);
            if (index < 0)
            {
                throw ParquetException.For(Name, $"the record map needs column '{column.Name}', which the file does not have");
            }

            if (Schema[index].Kind != column.Kind)
            {
                throw ParquetException.For(Name, $"the record map expects column '{column.Name}' as {column.Kind}, the file has {Schema[index]}");
            }
        }

        return Records(ReadRows(new ParquetReadOptions { Columns = [.. map.Schema.Columns.Select(c => c.Name)] }), map);
    }

    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        ParquetNetCall.Wait(async () =>
        {
            await _reader.DisposeAsync().ConfigureAwait(false);
            return 0;
        });
        if (_ownsStream)
        {
            _input.Dispose();
        }
    }

    private static IEnumerable<T> Records<T>(IEnumerable<ParquetRowReader> rows, IParquetRecordMap<T> map)
    {
        foreach (var row in rows)
        {
            yield return map.Read(row);
        }
    }

    private IEnumerable<ParquetRowReader> Rows(int[] projection)
    {
        var groups = _reader.RowGroupCount;
        if (groups == 0)
        {
            yield break;
        }

        // Two sets of column buffers: the caller walks one while the next row group decodes into the other.
        ReadColumn[][] sets = [NewSet(projection), groups > 1 ? NewSet(projection) : []];
        var row = new ParquetRowReader(this);
        // The first row group decodes on the caller's thread: a file of one row group (most views) needs no other.
        Task<int>? next = Task.FromResult(Wait(() => LoadAsync(sets[0], 0), "row group 0 cannot be read"));
        long first = 0;
        try
        {
            for (var group = 0; group < groups; group++)
            {
                var count = Wait(() => next!, $"row group {group} cannot be read");
                var current = sets[group % 2];
                var following = group + 1;
                next = following < groups ? Task.Run(() => LoadAsync(sets[following % 2], following)) : null;
                row.Bind(current, first);
                for (var i = 0; i < count; i++)
                {
                    row.Position = i;
                    yield return row;
                }

                first += count;
            }
        }
        finally
        {
            // An abandoned read must not leave a decode running on a stream about to be closed.
            if (next is not null)
            {
                try
                {
                    next.Wait();
                }
                catch (AggregateException)
                {
                    // The caller stopped reading; a problem in a row group it did not ask for is not its concern.
                }
            }
        }
    }

    private ReadColumn[] NewSet(int[] projection) => [.. projection.Select(i => ReadColumn.For(Schema[i], _fields[i]!))];

    private async Task<int> LoadAsync(ReadColumn[] set, int group)
    {
        using var reader = _reader.OpenRowGroupReader(group);
        var rows = checked((int)reader.RowCount);
        foreach (var column in set)
        {
            await column.LoadAsync(reader, rows).ConfigureAwait(false);
        }

        return rows;
    }

    internal ParquetException Problem(string problem) => ParquetException.For(Name, problem);

    private T Wait<T>(Func<Task<T>> work, string problem)
    {
        try
        {
            return ParquetNetCall.Wait(work);
        }
        catch (Exception e) when (e is not (ParquetException or OperationCanceledException))
        {
            throw ParquetException.For(Name, $"{problem} ({e.Message})", e);
        }
    }

    private static ParquetColumn ColumnOf(DataField field)
    {
        var kind = field switch
        {
            DateTimeDataField { DateTimeFormat: DateTimeFormat.Timestamp or DateTimeFormat.DateAndTime, Unit: DateTimeTimeUnit.Millis } => ParquetColumnKind.TimestampMillis,
            DateTimeDataField { DateTimeFormat: DateTimeFormat.Timestamp or DateTimeFormat.DateAndTimeMicros, Unit: DateTimeTimeUnit.Micros } => ParquetColumnKind.TimestampMicros,
            DateTimeDataField => ParquetColumnKind.Other,
            _ when field.ClrType == typeof(bool) => ParquetColumnKind.Boolean,
            _ when field.ClrType == typeof(int) => ParquetColumnKind.Int32,
            _ when field.ClrType == typeof(long) => ParquetColumnKind.Int64,
            _ when field.ClrType == typeof(float) => ParquetColumnKind.Float,
            _ when field.ClrType == typeof(double) => ParquetColumnKind.Double,
            _ when field.ClrType == typeof(DateOnly) => ParquetColumnKind.Date,
            _ when field.ClrType == typeof(string) || field.ClrType == typeof(ReadOnlyMemory<char>) => ParquetColumnKind.String,
            _ => ParquetColumnKind.Other,
        };
        return new ParquetColumn(field.Name, kind, field.IsNullable) { Declared = kind == ParquetColumnKind.Other ? ParquetFieldText.Describe(field) : null };
    }
}
