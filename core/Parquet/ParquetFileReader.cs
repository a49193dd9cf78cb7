using System.Buffers.Binary;
using Lambda.Core.Parquet.Encodings;
using Lambda.Core.Parquet.Reading;
using Lambda.Core.Parquet.Thrift;

namespace Lambda.Core.Parquet;

/// <summary>
/// Reads a Parquet file with a flat schema: the footer on opening, then rows on demand, one row group at a
/// time and only the projected columns' chunks. Damaged input ends in a <see cref="ParquetException"/> that
/// names the file and the problem. Not thread-safe: one read at a time.
/// </summary>
public sealed class ParquetFileReader : IDisposable
{
    private static readonly byte[] Magic = "PAR1"u8.ToArray();
    private static readonly byte[] EncryptedMagic = "PARE"u8.ToArray();

    private readonly Stream _input;
    private readonly bool _ownsStream;
    private readonly long _length;
    private readonly long _dataEnd;
    private readonly FileMetaData _meta;
    private readonly LeafInfo[] _leaves;
    private readonly ParquetRowGroupInfo[] _rowGroups;
    private bool _disposed;

    /// <summary>Reads from <paramref name="input"/> (seekable; the caller owns it); <paramref name="name"/> is used in error messages.</summary>
    public ParquetFileReader(Stream input, string name)
        : this(input, name, ownsStream: false)
    {
    }

    private ParquetFileReader(Stream input, string name, bool ownsStream)
    {
        ArgumentNullException.ThrowIfNull(input);
        Name = name ?? "parquet stream";
        _input = input;
        _ownsStream = ownsStream;
        if (!input.CanSeek || !input.CanRead)
        {
            throw Problem("the stream must be readable and seekable");
        }

        _length = input.Length;
        if (_length < 12)
        {
            throw Problem($"the file is only {_length} bytes long: too short to be Parquet (truncated?)");
        }

        Span<byte> head = stackalloc byte[4];
        ReadRange(0, head);
        if (!head.SequenceEqual(Magic))
        {
            throw Problem("bad magic at the start of the file: not a Parquet file");
        }

        Span<byte> tail = stackalloc byte[8];
        ReadRange(_length - 8, tail);
        if (tail[4..].SequenceEqual(EncryptedMagic))
        {
            throw Problem("the file has an encrypted footer, which this reader does not support");
        }

        if (!tail[4..].SequenceEqual(Magic))
        {
            throw Problem("bad magic at the end of the file: truncated, or not a Parquet file");
        }

        var footerLength = BinaryPrimitives.ReadUInt32LittleEndian(tail);
        if (footerLength > _length - 12)
        {
            throw Problem($"the footer length {footerLength} is larger than the file ({_length} bytes) allows");
        }

        _dataEnd = _length - 8 - footerLength;
        var footer = new byte[footerLength];
        ReadRange(_dataEnd, footer);
        try
        {
            _meta = ParquetThrift.ReadFileMetaData(new CompactReader(footer));
        }
        catch (ThriftException e)
        {
            throw Problem($"corrupt footer ({e.Message})", e);
        }

        (_leaves, Schema) = BuildSchema(_meta);
        if (_meta.NumRows < 0)
        {
            throw Problem($"the footer declares {_meta.NumRows} rows");
        }

        _rowGroups = new ParquetRowGroupInfo[_meta.RowGroups.Count];
        long total = 0;
        for (var g = 0; g < _meta.RowGroups.Count; g++)
        {
            var group = _meta.RowGroups[g];
            if (group.NumRows < 0)
            {
                throw Problem($"row group {g} declares {group.NumRows} rows");
            }

            if (group.Columns.Count != _leaves.Length)
            {
                throw Problem($"row group {g} has {group.Columns.Count} column chunks for {_leaves.Length} columns");
            }

            for (var c = 0; c < _leaves.Length; c++)
            {
                var meta = group.Columns[c].MetaData;
                if (meta is null)
                {
                    continue; // reported if the column is read
                }

                if (meta.Type != ParquetFileWriter.ToPhysical(_leaves[c].Column.Type))
                {
                    throw Problem($"row group {g}: column '{_leaves[c].Column.Name}' is stored as physical type {meta.Type}, the schema says {_leaves[c].Column.Type}");
                }

                ChunkRange(meta, _leaves[c], g);
            }

            total += group.NumRows;
            _rowGroups[g] = BuildRowGroupInfo(group);
        }

        if (total != _meta.NumRows)
        {
            throw Problem($"the row groups hold {total} rows but the footer declares {_meta.NumRows}");
        }

        var pairs = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var pair in _meta.KeyValueMetadata ?? [])
        {
            pairs[pair.Key] = pair.Value ?? "";
        }

        KeyValueMetadata = pairs;
    }

    /// <summary>Opens the file at <paramref name="path"/>; the reader owns and closes it.</summary>
    public static ParquetFileReader Open(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.RandomAccess);
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

    /// <summary>The file name (or stream name) used in error messages.</summary>
    public string Name { get; }

    public ParquetSchema Schema { get; }

    public long RowCount => _meta.NumRows;

    public IReadOnlyList<ParquetRowGroupInfo> RowGroups => _rowGroups;

    public IReadOnlyDictionary<string, string> KeyValueMetadata { get; }

    /// <summary>The application that wrote the file, as its footer says.</summary>
    public string? CreatedBy => _meta.CreatedBy;

    /// <summary>Row groups the last read skipped because their statistics excluded its filter.</summary>
    public int RowGroupsSkipped { get; private set; }

    /// <summary>
    /// Reads the rows, one <see cref="ParquetRowReader"/> advanced per row (do not keep it). Only the projected
    /// columns (and the filter's) are read; row groups that the filter excludes by statistics are skipped.
    /// </summary>
    public IEnumerable<ParquetRowReader> ReadRows(ParquetReadOptions? options = null)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        options ??= new ParquetReadOptions();
        var projection = ResolveProjection(options.Columns);
        var filter = options.Filter?.Bind(Schema, _leaves, Name);
        return Rows(projection, filter, options.FilterRows, options.Parallel && Environment.ProcessorCount > 1);
    }

    /// <summary>Reads records through <paramref name="map"/>: the projection is the map's schema (by column name).</summary>
    public IEnumerable<T> Read<T>(IParquetRecordMap<T> map, ParquetReadOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(map);
        var names = map.Schema.Columns.Select(c => c.Name).ToArray();
        if (options?.Columns is { } columns && !columns.SequenceEqual(names, StringComparer.Ordinal))
        {
            throw new ArgumentException("Read<T> reads the record map's columns; leave ParquetReadOptions.Columns null.", nameof(options));
        }

        foreach (var column in map.Schema.Columns)
        {
            var index = Schema.IndexOf(column.Name);
            if (index < 0)
            {
                throw Problem($"the record map needs column '{column.Name}', which the file does not have");
            }

            var actual = Schema.Columns[index];
            if (actual.Type != column.Type || (column.Logical != LogicalKind.None && actual.Logical != column.Logical))
            {
                throw Problem($"the record map expects column '{column.Name}' as {column.Type}/{column.Logical}, the file has {actual.Type}/{actual.Logical}");
            }
        }

        var rows = ReadRows(new ParquetReadOptions { Columns = names, Filter = options?.Filter, FilterRows = options?.FilterRows ?? true, Parallel = options?.Parallel ?? true });
        return Records(rows, map);
    }

    private static IEnumerable<T> Records<T>(IEnumerable<ParquetRowReader> rows, IParquetRecordMap<T> map)
    {
        foreach (var row in rows)
        {
            yield return map.Read(row);
        }
    }

    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        if (_ownsStream)
        {
            _input.Dispose();
        }
    }

    private int[] ResolveProjection(IReadOnlyList<string>? columns)
    {
        if (columns is null)
        {
            return [.. Enumerable.Range(0, _leaves.Length)];
        }

        var projection = new int[columns.Count];
        for (var i = 0; i < columns.Count; i++)
        {
            var index = Schema.IndexOf(columns[i] ?? throw new ArgumentException("A projected column name is null."));
            if (index < 0)
            {
                throw new ArgumentException($"{Name}: the file has no column '{columns[i]}' (it has {string.Join(", ", Schema.Columns.Select(c => c.Name))}).");
            }

            projection[i] = index;
        }

        return projection;
    }

    private IEnumerable<ParquetRowReader> Rows(int[] projection, BoundFilter? filter, bool filterRows, bool parallel)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        RowGroupsSkipped = 0;
        var cursors = new ColumnCursor?[_leaves.Length];
        var batchSize = parallel ? ColumnCursor.LargeBatch : ColumnCursor.SmallBatch;
        foreach (var index in projection)
        {
            cursors[index] ??= new ColumnCursor(this, _leaves[index], batchSize);
        }

        var rowFilter = filter is not null && filterRows ? filter : null;
        if (filter is not null)
        {
            foreach (var index in filter.Columns)
            {
                if (rowFilter is not null)
                {
                    cursors[index] ??= new ColumnCursor(this, _leaves[index], batchSize);
                }
            }
        }

        var active = cursors.Where(c => c is not null).Select(c => c!).ToArray();
        var projected = projection.Select(i => cursors[i]!).ToArray();
        var schema = new ParquetSchema([.. projection.Select(i => _leaves[i].Column)]);
        var row = new ParquetRowReader(projected, schema, this);
        var all = cursors!;
        long firstRow = 0;
        try
        {
            for (var g = 0; g < _meta.RowGroups.Count; g++)
            {
                var group = _meta.RowGroups[g];
                var rows = group.NumRows;
                if (filter is not null && !filter.MayMatch(group, group.Columns.Select(c => c.MetaData).ToArray()))
                {
                    RowGroupsSkipped++;
                    firstRow += rows;
                    continue;
                }

                if (rows == 0)
                {
                    continue;
                }

                foreach (var cursor in active)
                {
                    cursor.Start(group.Columns[cursor.Leaf.Index].MetaData, rows, g);
                }

                var done = 0L;
                while (done < rows)
                {
                    var batch = (int)Math.Min(batchSize, rows - done);
                    PrepareBatch(active, ref batch, parallel);
                    for (var r = 0; r < batch; r++)
                    {
                        if (rowFilter is not null && !rowFilter.Matches(all!, r))
                        {
                            continue;
                        }

                        row.Position = r;
                        row.RowIndex = firstRow + done + r;
                        yield return row;
                    }

                    done += batch;
                }

                firstRow += rows;
            }
        }
        finally
        {
            foreach (var cursor in active)
            {
                cursor.Dispose();
            }
        }
    }

    /// <summary>
    /// Loads the next page where a column needs one, picks the batch size so that no column crosses a page,
    /// and decodes the batch. With several columns the work is spread over the cores.
    /// </summary>
    private static void PrepareBatch(ColumnCursor[] cursors, ref int batch, bool parallel)
    {
        var needPage = 0;
        foreach (var cursor in cursors)
        {
            if (cursor.PageLeft == 0)
            {
                needPage++;
            }
        }

        if (needPage > 1 && parallel)
        {
            RunParallel(cursors, c => c.EnsurePage());
        }
        else if (needPage > 0)
        {
            foreach (var cursor in cursors)
            {
                cursor.EnsurePage();
            }
        }

        foreach (var cursor in cursors)
        {
            batch = (int)Math.Min(batch, cursor.PageLeft);
        }

        var rows = batch;
        if (parallel && cursors.Length > 1 && (long)rows * cursors.Length >= 8 * 1024)
        {
            RunParallel(cursors, c => c.Fill(rows));
        }
        else
        {
            foreach (var cursor in cursors)
            {
                cursor.Fill(rows);
            }
        }
    }

    private static void RunParallel(ColumnCursor[] cursors, Action<ColumnCursor> action)
    {
        try
        {
            Parallel.ForEach(cursors, action);
        }
        catch (AggregateException e) when (e.InnerExceptions.Count > 0)
        {
            var first = e.InnerExceptions.FirstOrDefault(x => x is ParquetException) ?? e.InnerExceptions[0];
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(first).Throw();
        }
    }

    internal ParquetException Problem(string problem, Exception? inner = null) => ParquetException.For(Name, problem, inner);

    /// <summary>The most bytes a page of a delta encoding may expand to: bounded by the file's size.</summary>
    internal long MaterializeLimit => Math.Min(Array.MaxLength, Math.Max(64L << 20, _length * 16));

    /// <summary>The byte range of a column chunk, checked against the data part of the file.</summary>
    internal (long Start, int Length) ChunkRange(ColumnMetaData meta, LeafInfo leaf, int rowGroup)
    {
        var start = meta.DataPageOffset;
        if (meta.DictionaryPageOffset is { } dictionary && dictionary > 0 && dictionary < start)
        {
            start = dictionary;
        }

        var length = meta.TotalCompressedSize;
        if (start < 4 || length < 0 || start > _dataEnd || length > _dataEnd - start)
        {
            throw Problem($"row group {rowGroup}: column '{leaf.Column.Name}' claims bytes {start}..{start + length}, outside the data part of the file (4..{_dataEnd})");
        }

        if (length > Array.MaxLength)
        {
            throw Problem($"row group {rowGroup}: column '{leaf.Column.Name}' is a chunk of {length} bytes, too large to read");
        }

        return (start, (int)length);
    }

    internal void ReadRange(long offset, byte[] destination, int length) => ReadRange(offset, destination.AsSpan(0, length));

    private void ReadRange(long offset, Span<byte> destination)
    {
        try
        {
            _input.Seek(offset, SeekOrigin.Begin);
            _input.ReadExactly(destination);
        }
        catch (EndOfStreamException e)
        {
            throw Problem($"the file ends before byte {offset + destination.Length} (truncated?)", e);
        }
        catch (IOException e)
        {
            throw Problem($"reading {destination.Length} bytes at {offset} failed: {e.Message}", e);
        }
    }

    private (LeafInfo[] Leaves, ParquetSchema Schema) BuildSchema(FileMetaData meta)
    {
        var elements = meta.Schema;
        if (elements.Count < 2)
        {
            throw Problem("the schema has no columns");
        }

        var root = elements[0];
        var count = root.NumChildren ?? 0;
        if (count != elements.Count - 1)
        {
            throw Problem(count < elements.Count - 1
                ? "the schema has nested groups, which this reader does not support (flat schemas only)"
                : $"the schema root declares {count} columns but lists {elements.Count - 1}");
        }

        var leaves = new LeafInfo[count];
        var columns = new ParquetColumn[count];
        var names = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < count; i++)
        {
            var e = elements[i + 1];
            if (e.NumChildren is > 0 || e.Type is null)
            {
                throw Problem($"column '{e.Name}' is a nested group, which this reader does not support (flat schemas only)");
            }

            if (e.RepetitionType == Repetition.Repeated)
            {
                throw Problem($"column '{e.Name}' is repeated, which this reader does not support (flat schemas only)");
            }

            if (!names.Add(e.Name) || string.IsNullOrEmpty(e.Name))
            {
                throw Problem($"the column name '{e.Name}' is empty or appears twice");
            }

            var type = e.Type switch
            {
                PhysicalType.Boolean => ParquetType.Boolean,
                PhysicalType.Int32 => ParquetType.Int32,
                PhysicalType.Int64 => ParquetType.Int64,
                PhysicalType.Int96 => ParquetType.Int96,
                PhysicalType.Float => ParquetType.Float,
                PhysicalType.Double => ParquetType.Double,
                PhysicalType.ByteArray => ParquetType.ByteArray,
                PhysicalType.FixedLenByteArray => ParquetType.FixedLenByteArray,
                _ => throw Problem($"column '{e.Name}' has unknown physical type {e.Type}"),
            };
            var typeLength = e.TypeLength ?? 0;
            if (type == ParquetType.FixedLenByteArray && typeLength <= 0)
            {
                throw Problem($"column '{e.Name}' is FIXED_LEN_BYTE_ARRAY with length {typeLength}");
            }

            var (logical, unit) = Logical(e, type);
            var typeOrder = meta.ColumnOrders is not { } orders || (i < orders.Count && orders[i] == 1);
            var column = new ParquetColumn(e.Name, type, logical, e.RepetitionType == Repetition.Optional);
            columns[i] = column;
            leaves[i] = new LeafInfo(column, i, typeLength, unit, typeOrder);
        }

        return (leaves, new ParquetSchema(columns));
    }

    private static (LogicalKind Logical, short TimestampUnit) Logical(SchemaElement e, ParquetType type)
    {
        if (e.LogicalType is { } logical)
        {
            switch (logical.Kind)
            {
                case LogicalTypeInfo.StringKind or LogicalTypeInfo.EnumKind or LogicalTypeInfo.JsonKind when type == ParquetType.ByteArray:
                    return (LogicalKind.String, 0);
                case LogicalTypeInfo.DateKind when type == ParquetType.Int32:
                    return (LogicalKind.Date, 0);
                case LogicalTypeInfo.TimestampKind when type == ParquetType.Int64:
                    return logical.Unit switch
                    {
                        LogicalTypeInfo.Millis => (LogicalKind.TimestampMillis, LogicalTypeInfo.Millis),
                        LogicalTypeInfo.Micros => (LogicalKind.TimestampMicros, LogicalTypeInfo.Micros),
                        LogicalTypeInfo.Nanos => (LogicalKind.None, LogicalTypeInfo.Nanos),
                        _ => (LogicalKind.None, 0),
                    };
            }
        }

        return e.ConvertedType switch
        {
            ConvertedType.Utf8 or ConvertedType.Enum or ConvertedType.Json when type == ParquetType.ByteArray => (LogicalKind.String, 0),
            ConvertedType.Date when type == ParquetType.Int32 => (LogicalKind.Date, 0),
            ConvertedType.TimestampMillis when type == ParquetType.Int64 => (LogicalKind.TimestampMillis, LogicalTypeInfo.Millis),
            ConvertedType.TimestampMicros when type == ParquetType.Int64 => (LogicalKind.TimestampMicros, LogicalTypeInfo.Micros),
            _ => (LogicalKind.None, 0),
        };
    }

    private ParquetRowGroupInfo BuildRowGroupInfo(RowGroup group)
    {
        var columns = new ParquetColumnChunkInfo[_leaves.Length];
        for (var c = 0; c < _leaves.Length; c++)
        {
            var leaf = _leaves[c];
            var meta = group.Columns[c].MetaData;
            object? min = null, max = null;
            long? nulls = null;
            if (meta?.Statistics is { } statistics)
            {
                var (rawMin, rawMax) = StatisticsReader.RawMinMax(leaf, statistics);
                min = StatisticsReader.ToClr(leaf, rawMin);
                max = StatisticsReader.ToClr(leaf, rawMax);
                nulls = statistics.NullCount;
            }

            columns[c] = new ParquetColumnChunkInfo(
                leaf.Column.Name,
                min,
                max,
                nulls,
                meta is null ? null : Codecs.FromCodecId(meta.Codec),
                meta is null ? "" : CodecId.Name(meta.Codec),
                meta is null ? [] : [.. meta.Encodings.Select(e => (ParquetEncoding)e)],
                meta?.NumValues ?? 0,
                meta?.TotalCompressedSize ?? 0,
                meta?.TotalUncompressedSize ?? 0);
        }

        return new ParquetRowGroupInfo(group.NumRows, columns);
    }
}

/// <summary>What the footer says about one row group.</summary>
public sealed class ParquetRowGroupInfo
{
    internal ParquetRowGroupInfo(long rowCount, IReadOnlyList<ParquetColumnChunkInfo> columns)
    {
        RowCount = rowCount;
        Columns = columns;
    }

    public long RowCount { get; }

    /// <summary>One entry per column of the file schema, in schema order.</summary>
    public IReadOnlyList<ParquetColumnChunkInfo> Columns { get; }

    public ParquetColumnChunkInfo this[string column] =>
        Columns.FirstOrDefault(c => string.Equals(c.Name, column, StringComparison.Ordinal))
        ?? throw new KeyNotFoundException($"No column '{column}'.");

    public long CompressedBytes => Columns.Sum(c => c.CompressedBytes);

    public long UncompressedBytes => Columns.Sum(c => c.UncompressedBytes);
}

/// <summary>What the footer says about one column chunk: statistics (as CLR values), codec and encodings.</summary>
public sealed record ParquetColumnChunkInfo(
    string Name,
    object? Min,
    object? Max,
    long? NullCount,
    ParquetCompression? Compression,
    string Codec,
    IReadOnlyList<ParquetEncoding> Encodings,
    long ValueCount,
    long CompressedBytes,
    long UncompressedBytes);
