using Parquet;
using Parquet.Schema;
using NetSchema = Parquet.Schema.ParquetSchema;

namespace Lambda.Core.Views;

/// <summary>
/// Writes a view through Parquet.Net, one row at a time: rows are buffered per column for one row group
/// (<see cref="ParquetWriterOptions.RowGroupRows"/>), then each column goes to Parquet.Net's columnar writer.
/// The callers are synchronous (they stream rows from enumerators): see <see cref="ParquetNetCall"/>.
/// </summary>
public sealed class ParquetFileWriter : IDisposable
{
    private readonly Stream _output;
    private readonly bool _ownsStream;
    private readonly ParquetWriterOptions _options;
    private readonly ParquetWriter _writer;
    private readonly WriteColumn[] _columns;
    private object? _checkedMap;
    private int _rowsInGroup;
    private bool _closed;
    private bool _failed;

    /// <summary>Writes to <paramref name="output"/>; the stream stays open after the writer is closed (the caller owns it).</summary>
    public ParquetFileWriter(Stream output, ParquetSchema schema, ParquetWriterOptions? options = null)
        : this(output, schema, options, ownsStream: false)
    {
    }

    private ParquetFileWriter(Stream output, ParquetSchema schema, ParquetWriterOptions? options, bool ownsStream)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(schema);
        _options = options ?? new ParquetWriterOptions();
        ArgumentOutOfRangeException.ThrowIfLessThan(_options.RowGroupRows, 1, nameof(options));
        _output = output;
        _ownsStream = ownsStream;
        Schema = schema;
        _columns = [.. schema.Columns.Select(WriteColumn.For)];
        var netOptions = new ParquetOptions
        {
            CompressionMethod = _options.Compression switch
            {
                ParquetCompression.Snappy => CompressionMethod.Snappy,
                ParquetCompression.Gzip => CompressionMethod.Gzip,
                _ => CompressionMethod.None,
            },
        };
        // Counters and ids (trades, ticks) mostly grow by small steps: delta encoding stores them in a few bits
        // where PLAIN takes eight bytes a value. Strings (exchanges, symbols) repeat a handful of values: a dictionary
        // stores each once, and a reader gets one string per distinct value instead of one per row. Parquet.Net
        // writes strings PLAIN unless asked.
        foreach (var column in schema.Columns)
        {
            if (column.Kind == ParquetColumnKind.Int64)
            {
                netOptions.ColumnEncodingHints[column.Name] = EncodingHint.DeltaBinaryPacked;
            }
            else if (column.Kind == ParquetColumnKind.String)
            {
                netOptions.ColumnEncodingHints[column.Name] = EncodingHint.Dictionary;
            }
        }

        var netSchema = new NetSchema(_columns.Select(c => (Field)c.Field));
        _writer = Wait(() => ParquetWriter.CreateAsync(netSchema, output, netOptions, append: false, CancellationToken.None));
        Row = new ParquetRowWriter(_columns);
    }

    /// <summary>Creates (or replaces) the file at <paramref name="path"/>; the writer owns and closes it.</summary>
    public static ParquetFileWriter Create(string path, ParquetSchema schema, ParquetWriterOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(path);
        var stream = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16);
        try
        {
            return new ParquetFileWriter(stream, schema, options, ownsStream: true);
        }
        catch
        {
            stream.Dispose();
            throw;
        }
    }

    public ParquetSchema Schema { get; }

    /// <summary>The row being written: set its values, then call <see cref="EndRow"/>.</summary>
    public ParquetRowWriter Row { get; }

    public long RowsWritten { get; private set; }

    public int RowGroupsWritten { get; private set; }

    /// <summary>Commits the row; a full row group goes to the file.</summary>
    public void EndRow()
    {
        ObjectDisposedException.ThrowIf(_closed, this);
        Row.Commit(_rowsInGroup, RowsWritten);
        RowsWritten++;
        if (++_rowsInGroup >= _options.RowGroupRows)
        {
            FlushRowGroup();
        }
    }

    /// <summary>Writes one record through its map and commits the row.</summary>
    public void Write<T>(T record, IParquetRecordMap<T> map)
    {
        ArgumentNullException.ThrowIfNull(map);
        if (!ReferenceEquals(_checkedMap, map))
        {
            if (!map.Schema.Equals(Schema))
            {
                throw new ArgumentException($"The record map's schema ({map.Schema}) differs from the file's ({Schema}).", nameof(map));
            }

            _checkedMap = map;
        }

        map.Write(record, Row);
        EndRow();
    }

    /// <summary>Writes the last row group and the footer (with the key-value metadata). A row begun but not ended is dropped.</summary>
    public void Close()
    {
        if (_closed)
        {
            return;
        }

        _closed = true;
        try
        {
            if (!_failed)
            {
                Row.Rollback(_rowsInGroup);
                if (_rowsInGroup > 0)
                {
                    FlushRowGroup();
                }

                _writer.CustomMetadata = new Dictionary<string, string>(_options.KeyValueMetadata, StringComparer.Ordinal);
                Wait(async () =>
                {
                    await _writer.DisposeAsync().ConfigureAwait(false);
                    return 0;
                });
                _output.Flush();
            }
        }
        finally
        {
            if (_ownsStream)
            {
                _output.Dispose();
            }
        }
    }

    /// <summary>Closes the file (see <see cref="Close"/>), unless a write failed: then only the stream is released.</summary>
    public void Dispose() => Close();

    private void FlushRowGroup()
    {
        var rows = _rowsInGroup;
        try
        {
            Wait(async () =>
            {
                using var group = _writer.CreateRowGroup();
                foreach (var column in _columns)
                {
                    await column.WriteAsync(group, rows).ConfigureAwait(false);
                }

                group.CompleteValidate();
                return 0;
            });
        }
        catch
        {
            _failed = true;
            throw;
        }

        foreach (var column in _columns)
        {
            column.Clear();
        }

        _rowsInGroup = 0;
        Row.StartGroup();
        RowGroupsWritten++;
    }

    private static T Wait<T>(Func<Task<T>> work) => ParquetNetCall.Wait(work);
}

/// <summary>One column's values of the row group being buffered.</summary>
internal abstract class WriteColumn(ParquetColumn column, DataField field)
{
    public ParquetColumn Column { get; } = column;

    public DataField Field { get; } = field;

    /// <summary>Values set so far in this row group (the row being written included once set).</summary>
    public int Count { get; protected set; }

    public abstract void AddNull();

    public abstract Task WriteAsync(ParquetRowGroupWriter group, int rows);

    /// <summary>Drops a value set in a row that was not committed.</summary>
    public void Truncate(int rows) => Count = Math.Min(Count, rows);

    public virtual void Clear() => Count = 0;

    public static WriteColumn For(ParquetColumn column)
    {
        ArgumentNullException.ThrowIfNull(column);
        var name = column.Name;
        var nullable = column.Nullable;
        return column.Kind switch
        {
            ParquetColumnKind.Boolean => new WriteColumn<bool>(column, new DataField<bool>(name, nullable)),
            ParquetColumnKind.Int32 => new WriteColumn<int>(column, new DataField<int>(name, nullable)),
            ParquetColumnKind.Int64 => new WriteColumn<long>(column, new DataField<long>(name, nullable)),
            ParquetColumnKind.Float => new WriteColumn<float>(column, new DataField<float>(name, nullable)),
            ParquetColumnKind.Double => new WriteColumn<double>(column, new DataField<double>(name, nullable)),
            ParquetColumnKind.Date => new WriteColumn<DateOnly>(column, new DataField<DateOnly>(name, nullable)),
            ParquetColumnKind.String => new StringWriteColumn(column, new DataField<string>(name, nullable)),
            ParquetColumnKind.TimestampMicros => new WriteColumn<DateTime>(column, Timestamp(name, DateTimeTimeUnit.Micros, nullable)),
            ParquetColumnKind.TimestampMillis => new WriteColumn<DateTime>(column, Timestamp(name, DateTimeTimeUnit.Millis, nullable)),
            _ => throw new NotSupportedException($"Column '{name}': {column.Kind} columns can be read but not written."),
        };
    }

    private static DateTimeDataField Timestamp(string name, DateTimeTimeUnit unit, bool nullable) =>
        new(name, DateTimeFormat.Timestamp, isAdjustedToUTC: true, unit, nullable);
}

internal sealed class WriteColumn<T>(ParquetColumn column, DataField field) : WriteColumn(column, field)
    where T : struct
{
    private T[] _values = new T[1024];
    private T?[] _nullable = column.Nullable ? new T?[1024] : [];

    public void Add(T value)
    {
        if (Column.Nullable)
        {
            Grow(ref _nullable);
            _nullable[Count++] = value;
        }
        else
        {
            Grow(ref _values);
            _values[Count++] = value;
        }
    }

    public override void AddNull()
    {
        Grow(ref _nullable);
        _nullable[Count++] = null;
    }

    public override Task WriteAsync(ParquetRowGroupWriter group, int rows) => Column.Nullable
        ? group.WriteAsync<T>(Field, new ReadOnlyMemory<T?>(_nullable, 0, rows), null, null, CancellationToken.None)
        : group.WriteAsync<T>(Field, new ReadOnlyMemory<T>(_values, 0, rows), null, null, CancellationToken.None);

    private void Grow<TItem>(ref TItem[] array)
    {
        if (Count == array.Length)
        {
            Array.Resize(ref array, Math.Max(1024, array.Length * 2));
        }
    }
}

internal sealed class StringWriteColumn(ParquetColumn column, DataField field) : WriteColumn(column, field)
{
    private string?[] _values = new string?[1024];

    public void Add(string? value)
    {
        if (Count == _values.Length)
        {
            Array.Resize(ref _values, _values.Length * 2);
        }

        _values[Count++] = value;
    }

    public override void AddNull() => Add(null);

    public override Task WriteAsync(ParquetRowGroupWriter group, int rows) =>
        group.WriteAsync(Field, new ArraySegment<string>(_values!, 0, rows), null);

    // Strings are references: let the collector have the last row group's.
    public override void Clear()
    {
        Array.Clear(_values, 0, Count);
        base.Clear();
    }
}
