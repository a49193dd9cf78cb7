using System.Buffers.Binary;
using Lambda.Core.Parquet.Encodings;
using Lambda.Core.Parquet.Thrift;
using Lambda.Core.Parquet.Writing;

namespace Lambda.Core.Parquet;

/// <summary>
/// Writes a Parquet file row by row: set the values through <see cref="Row"/>, then <see cref="EndRow"/>.
/// Rows are buffered per column for one row group only; a full row group is encoded (dictionary or PLAIN,
/// compressed data pages v1, statistics) and written out, so memory stays bounded by the row group size.
/// <see cref="Close"/> (or Dispose) writes the last row group and the footer.
/// </summary>
public sealed class ParquetFileWriter : IDisposable, IAsyncDisposable
{
    internal const string CreatedBy = "lambda-parquet version 1.0.0 (build lambda)";
    private static readonly byte[] Magic = "PAR1"u8.ToArray();

    private readonly Stream _output;
    private readonly bool _ownsStream;
    private readonly ParquetSchema _schema;
    private readonly ParquetWriterOptions _options;
    private readonly ParquetWriterOptions _callerOptions;
    private readonly List<RowGroup> _rowGroups = [];
    private Slot _current;
    private Slot? _spare;
    private Task? _pending;
    private int _rowsInGroup;
    private long _position;
    private bool _closed;
    private bool _failed;
    private object? _checkedMap;

    /// <summary>Writes to <paramref name="output"/>; the stream stays open after the writer is closed (the caller owns it).</summary>
    public ParquetFileWriter(Stream output, ParquetSchema schema, ParquetWriterOptions? options = null)
        : this(output, schema, options, ownsStream: false)
    {
    }

    private ParquetFileWriter(Stream output, ParquetSchema schema, ParquetWriterOptions? options, bool ownsStream)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(schema);
        if (!output.CanWrite)
        {
            throw new ArgumentException("The output stream is not writable.", nameof(output));
        }

        if (!BitConverter.IsLittleEndian)
        {
            throw new PlatformNotSupportedException("The Parquet writer needs a little-endian platform.");
        }

        _callerOptions = options ?? new ParquetWriterOptions();
        _callerOptions.Validate();
        _options = _callerOptions.Snapshot();
        foreach (var column in schema.Columns)
        {
            if (column.Type is ParquetType.FixedLenByteArray || (column.Type == ParquetType.Int96 && !_options.AllowInt96))
            {
                throw new NotSupportedException($"Column '{column.Name}': {column.Type} columns can be read but not written.");
            }
        }

        _output = output;
        _ownsStream = ownsStream;
        _schema = schema;
        _current = new Slot(schema, _options);
        Row = new ParquetRowWriter(_current.Columns);
        _current.Grow(_options.RowGroupRows);
        WriteBytes(Magic);
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

    public ParquetSchema Schema => _schema;

    /// <summary>The row being written: set its values, then call <see cref="EndRow"/>.</summary>
    public ParquetRowWriter Row { get; }

    /// <summary>Rows committed so far.</summary>
    public long RowsWritten { get; private set; }

    /// <summary>Row groups written out so far.</summary>
    public int RowGroupsWritten => _rowGroups.Count;

    /// <summary>Commits the row; when the row group is full it is encoded and written out.</summary>
    public void EndRow()
    {
        ThrowIfClosed();
        Row.Commit(RowsWritten);
        RowsWritten++;
        _rowsInGroup++;
        if (_rowsInGroup >= _options.RowGroupRows)
        {
            FlushRowGroup(background: true);
        }
        else if (_rowsInGroup == _current.Capacity)
        {
            _current.Grow(_options.RowGroupRows);
        }

        Row.RowInGroup = _rowsInGroup;
    }

    /// <summary>Writes one record through its map and commits the row.</summary>
    public void Write<T>(T record, IParquetRecordMap<T> map)
    {
        ArgumentNullException.ThrowIfNull(map);
        if (!ReferenceEquals(_checkedMap, map))
        {
            if (!map.Schema.Equals(_schema))
            {
                throw new ArgumentException($"The record map's schema ({map.Schema}) differs from the file's ({_schema}).", nameof(map));
            }

            _checkedMap = map;
        }

        map.Write(record, Row);
        EndRow();
    }

    /// <summary>Writes the buffered rows as a row group now (normally it happens every RowGroupRows rows).</summary>
    public void Flush()
    {
        ThrowIfClosed();
        RollbackPartialRow();
        if (_rowsInGroup > 0)
        {
            FlushRowGroup(background: false);
        }

        WaitForPending();
        _output.Flush();
    }

    /// <summary>Writes the last row group and the footer. A row that was begun but not ended is dropped.</summary>
    public void Close()
    {
        if (_closed)
        {
            return;
        }

        if (_failed)
        {
            _closed = true;
            return;
        }

        try
        {
            RollbackPartialRow();
            if (_rowsInGroup > 0)
            {
                FlushRowGroup(background: false);
            }

            WaitForPending();
            WriteFooter();
            _output.Flush();
            _closed = true;
        }
        catch
        {
            _failed = true;
            throw;
        }
    }

    public void Dispose()
    {
        try
        {
            Close();
        }
        finally
        {
            _closed = true;
            try
            {
                _pending?.Wait();
            }
            catch (AggregateException)
            {
                // already reported, or the writer is being disposed after a failure
            }

            if (_ownsStream)
            {
                _output.Dispose();
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            Close();
        }
        finally
        {
            _closed = true;
            try
            {
                _pending?.Wait();
            }
            catch (AggregateException)
            {
                // already reported, or the writer is being disposed after a failure
            }

            if (_ownsStream)
            {
                await _output.DisposeAsync().ConfigureAwait(false);
            }
        }
    }

    private void ThrowIfClosed()
    {
        ObjectDisposedException.ThrowIf(_closed, this);
        if (_failed)
        {
            throw new InvalidOperationException("An earlier write failed: the Parquet file is incomplete.");
        }
    }

    private void RollbackPartialRow()
    {
        foreach (var c in _current.Columns)
        {
            c.Rollback();
            if (c.LastRow == _rowsInGroup)
            {
                c.LastRow = -1;
            }
        }
    }

    /// <summary>
    /// Encodes and writes the buffered row group. Large row groups are handed to a background task while the
    /// next one fills a second set of buffers; at most one is in flight, so memory stays at two row groups.
    /// </summary>
    private void FlushRowGroup(bool background)
    {
        var rows = _rowsInGroup;
        var slot = _current;
        WaitForPending(); // the previous row group is written, its buffers are free
        if (background && (long)rows * slot.Columns.Length >= 1_000_000 && Environment.ProcessorCount > 1)
        {
            _spare ??= new Slot(_schema, _options);
            _current = _spare;
            _spare = slot;
            _current.Grow(_options.RowGroupRows, slot.Capacity);
            Row.Columns = _current.Columns;
            _pending = Task.Run(() => EncodeAndWrite(slot, rows));
        }
        else
        {
            EncodeAndWrite(slot, rows);
        }

        _rowsInGroup = 0;
        Row.RowInGroup = 0;
    }

    private void WaitForPending()
    {
        var pending = _pending;
        if (pending is null)
        {
            return;
        }

        _pending = null;
        try
        {
            pending.GetAwaiter().GetResult();
        }
        catch
        {
            _failed = true;
            throw;
        }
    }

    private void EncodeAndWrite(Slot slot, int rows)
    {
        try
        {
            EncodeColumns(slot.Encoders, rows);
            var group = new RowGroup
            {
                NumRows = rows,
                FileOffset = _position,
                Ordinal = _rowGroups.Count <= short.MaxValue ? (short)_rowGroups.Count : null,
            };
            long uncompressed = 0, compressed = 0;
            var codec = Codecs.ToCodecId(_options.Compression);
            for (var i = 0; i < slot.Columns.Length; i++)
            {
                var encoder = slot.Encoders[i];
                var column = _schema.Columns[i];
                var start = _position;
                WriteBytes(encoder.Output.WrittenSpan);
                var meta = new ColumnMetaData
                {
                    Type = ToPhysical(column.Type),
                    Encodings = [.. encoder.Encodings],
                    PathInSchema = [column.Name],
                    Codec = codec,
                    NumValues = rows,
                    TotalUncompressedSize = encoder.TotalUncompressedSize,
                    TotalCompressedSize = encoder.Output.Length,
                    DataPageOffset = start + encoder.DataPageOffset,
                    DictionaryPageOffset = encoder.DictionaryPageOffset is { } dictionary ? start + dictionary : null,
                    Statistics = encoder.Statistics,
                };
                group.Columns.Add(new ColumnChunk { FileOffset = start, MetaData = meta });
                uncompressed += encoder.TotalUncompressedSize;
                compressed += encoder.Output.Length;
            }

            group.TotalByteSize = uncompressed;
            group.TotalCompressedSize = compressed;
            _rowGroups.Add(group);
        }
        catch
        {
            _failed = true;
            throw;
        }

        foreach (var c in slot.Columns)
        {
            c.Reset();
        }
    }

    private void EncodeColumns(ColumnEncoder[] encoders, int rows)
    {
        if (_options.Parallel && encoders.Length > 1 && (long)rows * encoders.Length >= 50_000 && Environment.ProcessorCount > 1)
        {
            try
            {
                System.Threading.Tasks.Parallel.For(0, encoders.Length, i => encoders[i].Encode(rows));
            }
            catch (AggregateException e) when (e.InnerExceptions.Count > 0)
            {
                System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(e.InnerExceptions[0]).Throw();
            }
        }
        else
        {
            foreach (var encoder in encoders)
            {
                encoder.Encode(rows);
            }
        }
    }

    /// <summary>One row group's column buffers and their encoders.</summary>
    private sealed class Slot
    {
        public Slot(ParquetSchema schema, ParquetWriterOptions options)
        {
            Columns = new ColumnBuffer[schema.Count];
            Encoders = new ColumnEncoder[schema.Count];
            for (var i = 0; i < schema.Count; i++)
            {
                Columns[i] = new ColumnBuffer(schema.Columns[i], i, options.Dictionary, options.DictionaryBytesLimit);
                Encoders[i] = new ColumnEncoder(Columns[i], options);
            }
        }

        public ColumnBuffer[] Columns { get; }

        public ColumnEncoder[] Encoders { get; }

        public int Capacity { get; private set; }

        /// <summary>Doubles the row capacity (at least 1024 rows, at most a row group), or grows to <paramref name="atLeast"/>.</summary>
        public void Grow(int rowGroupRows, int atLeast = 0)
        {
            var old = Capacity;
            var capacity = (int)Math.Min(rowGroupRows, Math.Max(Math.Max(1024L, (long)Capacity * 2), atLeast));
            if (capacity <= old)
            {
                return;
            }

            Capacity = capacity;
            foreach (var c in Columns)
            {
                c.Resize(old, capacity);
            }
        }
    }

    private void WriteFooter()
    {
        var meta = new FileMetaData
        {
            Version = 1,
            NumRows = RowsWritten,
            RowGroups = _rowGroups,
            CreatedBy = CreatedBy,
            Schema = BuildSchema(_schema),
            ColumnOrders = [.. Enumerable.Repeat((short)1, _schema.Count)],
        };
        if (_callerOptions.KeyValueMetadata.Count > 0)
        {
            meta.KeyValueMetadata = [.. _callerOptions.KeyValueMetadata.Select(pair => new KeyValue { Key = pair.Key, Value = pair.Value })];
        }

        var writer = new CompactWriter(4096);
        ParquetThrift.Write(writer, meta);
        WriteBytes(writer.WrittenSpan);
        Span<byte> tail = stackalloc byte[8];
        BinaryPrimitives.WriteInt32LittleEndian(tail, writer.Length);
        Magic.CopyTo(tail[4..]);
        WriteBytes(tail);
    }

    internal static List<SchemaElement> BuildSchema(ParquetSchema schema)
    {
        var elements = new List<SchemaElement>(schema.Count + 1)
        {
            new() { Name = "schema", NumChildren = schema.Count },
        };
        foreach (var column in schema.Columns)
        {
            var element = new SchemaElement
            {
                Name = column.Name,
                Type = ToPhysical(column.Type),
                RepetitionType = column.Nullable ? Repetition.Optional : Repetition.Required,
            };
            switch (column.Logical)
            {
                case LogicalKind.String:
                    element.ConvertedType = ConvertedType.Utf8;
                    element.LogicalType = new LogicalTypeInfo { Kind = LogicalTypeInfo.StringKind };
                    break;
                case LogicalKind.Date:
                    element.ConvertedType = ConvertedType.Date;
                    element.LogicalType = new LogicalTypeInfo { Kind = LogicalTypeInfo.DateKind };
                    break;
                case LogicalKind.TimestampMillis:
                    element.ConvertedType = ConvertedType.TimestampMillis;
                    element.LogicalType = new LogicalTypeInfo { Kind = LogicalTypeInfo.TimestampKind, IsAdjustedToUtc = true, Unit = LogicalTypeInfo.Millis };
                    break;
                case LogicalKind.TimestampMicros:
                    element.ConvertedType = ConvertedType.TimestampMicros;
                    element.LogicalType = new LogicalTypeInfo { Kind = LogicalTypeInfo.TimestampKind, IsAdjustedToUtc = true, Unit = LogicalTypeInfo.Micros };
                    break;
            }

            elements.Add(element);
        }

        return elements;
    }

    internal static int ToPhysical(ParquetType type) => type switch
    {
        ParquetType.Boolean => PhysicalType.Boolean,
        ParquetType.Int32 => PhysicalType.Int32,
        ParquetType.Int64 => PhysicalType.Int64,
        ParquetType.Int96 => PhysicalType.Int96,
        ParquetType.Float => PhysicalType.Float,
        ParquetType.Double => PhysicalType.Double,
        ParquetType.ByteArray => PhysicalType.ByteArray,
        ParquetType.FixedLenByteArray => PhysicalType.FixedLenByteArray,
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, null),
    };

    private void WriteBytes(ReadOnlySpan<byte> bytes)
    {
        try
        {
            _output.Write(bytes);
        }
        catch
        {
            _failed = true;
            throw;
        }

        _position += bytes.Length;
    }
}

/// <summary>Maps a record type to a schema and back, by column index: hand-written, no reflection on the hot path.</summary>
public interface IParquetRecordMap<T>
{
    ParquetSchema Schema { get; }

    /// <summary>Sets every column of the row from <paramref name="record"/> (row.SetDouble(3, r.Open) ...).</summary>
    void Write(T record, ParquetRowWriter row);

    /// <summary>Builds a record from the current row (row.GetDouble(3) ...).</summary>
    T Read(ParquetRowReader row);
}
