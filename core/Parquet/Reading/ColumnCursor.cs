using System.Buffers;
using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Lambda.Core.Parquet.Encodings;
using Lambda.Core.Parquet.Thrift;

namespace Lambda.Core.Parquet.Reading;

/// <summary>
/// Walks one column chunk value by value. The chunk's bytes are read once; pages are decompressed one at a
/// time into a reused buffer; definition levels and dictionary indices are decoded in small batches. PLAIN
/// values are read in place. Every length is checked before use, so damaged data ends in a
/// <see cref="ParquetException"/>, never in an out-of-range read or an oversized allocation.
/// </summary>
internal sealed class ColumnCursor : IDisposable
{
    /// <summary>Rows decoded per batch when one thread does everything.</summary>
    public const int SmallBatch = 4096;

    /// <summary>Rows decoded per batch when the columns are decoded in parallel (fewer hand-offs).</summary>
    public const int LargeBatch = 65536;

    private readonly int _batchSize;

    private enum Mode
    {
        Plain,
        Dictionary,
        RleBoolean,
    }

    private readonly ParquetFileReader _file;
    private readonly LeafInfo _leaf;
    private readonly ParquetType _type;
    private readonly int _width;
    private readonly bool _optional;
    private readonly RleHybridDecoder _defs = new();
    private readonly RleHybridDecoder _indices = new();
    private readonly int[] _levels;
    private readonly int[] _indexBatch;
    private readonly byte[] _nulls;
    private readonly byte[] _raw;
    private readonly int[] _offsets;
    private readonly int[] _lengths;
    private byte[] _batchSource = [];
    private readonly ByteBuffer _materialized = new(1024);
    private long[] _scratch = [];
    private long[] _scratch2 = [];
    private bool _batchFromDictionary;
    private int _batchRows;

    private byte[]? _chunk;
    private int _chunkPosition;
    private int _chunkEnd;
    private int _codec;
    private long _valuesLeftInChunk;
    private long _valuesInChunk;

    private byte[] _pageBuffer = [];
    private byte[] _dictionaryBuffer = [];
    private long _pageValuesLeft;
    private Mode _mode;
    private byte[] _values = [];
    private int _valuesPosition;
    private int _valuesEnd;
    private int _valuesStart;
    private long _booleanIndex;

    private bool _hasDictionary;
    private byte[] _dictionary = [];
    private int _dictionaryBase;
    private int _dictionaryCount;
    private int[] _dictionaryOffsets = [];
    private int[] _dictionaryLengths = [];
    private string?[] _dictionaryStrings = [];


    public ColumnCursor(ParquetFileReader file, LeafInfo leaf, int batchSize)
    {
        _batchSize = batchSize;
        _indexBatch = new int[batchSize];
        _nulls = new byte[batchSize];
        _file = file;
        _leaf = leaf;
        _type = leaf.Column.Type;
        _width = leaf.Width;
        _optional = leaf.Column.Nullable;
        _levels = _optional ? new int[batchSize] : [];
        _raw = _width >= 0 ? new byte[batchSize * Math.Max(_width, 1)] : [];
        _offsets = _width < 0 ? new int[batchSize] : [];
        _lengths = _width < 0 ? new int[batchSize] : [];
    }

    public LeafInfo Leaf => _leaf;

    public ParquetType Type => _type;


    /// <summary>Positions the cursor before the first value of a column chunk.</summary>
    public void Start(ColumnMetaData? meta, long rows, int rowGroup)
    {
        ReleaseChunk();
        if (meta is null)
        {
            throw Corrupt($"row group {rowGroup} has no metadata for column '{_leaf.Column.Name}'");
        }

        if (Codecs.FromCodecId(meta.Codec) is null)
        {
            throw _file.Problem($"column '{_leaf.Column.Name}' is compressed with {CodecId.Name(meta.Codec)}, which this reader does not support (it reads UNCOMPRESSED, SNAPPY and GZIP)");
        }

        if (meta.NumValues != rows)
        {
            throw Corrupt($"column '{_leaf.Column.Name}' in row group {rowGroup} holds {meta.NumValues} values for {rows} rows");
        }

        var (start, length) = _file.ChunkRange(meta, _leaf, rowGroup);
        _chunk = ArrayPool<byte>.Shared.Rent(Math.Max(1, length));
        _file.ReadRange(start, _chunk, length);
        _chunkPosition = 0;
        _chunkEnd = length;
        _codec = meta.Codec;
        _valuesLeftInChunk = rows;
        _valuesInChunk = rows;
        _pageValuesLeft = 0;
        _hasDictionary = false;
        _dictionaryCount = 0;
    }

    /// <summary>Values left in the current page (0 when the next page is not loaded yet).</summary>
    public long PageLeft => _pageValuesLeft;

    /// <summary>Loads pages until the current one has values left.</summary>
    public void EnsurePage()
    {
        while (_pageValuesLeft == 0)
        {
            NextPage();
        }
    }

    /// <summary>
    /// Decodes the next <paramref name="rows"/> values (all within the current page) into the batch:
    /// null flags, and the values at their row positions.
    /// </summary>
    public void Fill(int rows)
    {
        if (rows > _pageValuesLeft || rows > _batchSize)
        {
            throw new InvalidOperationException("a batch cannot cross a page");
        }

        var present = rows;
        if (_optional)
        {
            ReadLevels(rows);
            var levels = _levels;
            var nulls = _nulls;
            present = 0;
            for (var i = 0; i < rows; i++)
            {
                var isNull = levels[i] == 0;
                nulls[i] = isNull ? (byte)1 : (byte)0;
                present += isNull ? 0 : 1;
            }
        }

        _pageValuesLeft -= rows;
        _valuesLeftInChunk -= rows;
        _batchRows = rows;
        switch (_mode)
        {
            case Mode.Dictionary:
                FillFromDictionary(rows, present);
                break;
            case Mode.RleBoolean:
            {
                ReadIndices(present);
                var raw = _raw;
                var indices = _indexBatch;
                var j = 0;
                for (var i = 0; i < rows; i++)
                {
                    if (!_optional || _nulls[i] == 0)
                    {
                        raw[i] = indices[j++] != 0 ? (byte)1 : (byte)0;
                    }
                }

                break;
            }

            default:
                FillPlain(rows, present);
                break;
        }
    }

    private void FillPlain(int rows, int present)
    {
        var width = _width;
        var raw = _raw;
        var nulls = _nulls;
        if (width > 0)
        {
            var bytes = (long)present * width;
            if (bytes > _valuesEnd - _valuesPosition)
            {
                throw PageEndedEarly();
            }

            var source = _values.AsSpan(_valuesPosition, (int)bytes);
            if (!_optional || present == rows)
            {
                source.CopyTo(raw);
            }
            else
            {
                var j = 0;
                for (var i = 0; i < rows; i++)
                {
                    if (nulls[i] == 0)
                    {
                        source.Slice(j, width).CopyTo(raw.AsSpan(i * width, width));
                        j += width;
                    }
                }
            }

            _valuesPosition += (int)bytes;
        }
        else if (width == 0)
        {
            var first = _booleanIndex;
            if (_valuesStart + ((first + present + 7) >> 3) > _valuesEnd)
            {
                throw PageEndedEarly();
            }

            var values = _values;
            var start = _valuesStart;
            var bit = first;
            for (var i = 0; i < rows; i++)
            {
                if (!_optional || nulls[i] == 0)
                {
                    raw[i] = (byte)((values[start + (int)(bit >> 3)] >> (int)(bit & 7)) & 1);
                    bit++;
                }
            }

            _booleanIndex = bit;
        }
        else
        {
            var values = _values;
            var position = _valuesPosition;
            var end = _valuesEnd;
            var offsets = _offsets;
            var lengths = _lengths;
            for (var i = 0; i < rows; i++)
            {
                if (_optional && nulls[i] != 0)
                {
                    continue;
                }

                if (end - position < 4)
                {
                    throw PageEndedEarly();
                }

                var length = BinaryPrimitives.ReadInt32LittleEndian(values.AsSpan(position, 4));
                if (length < 0 || length > end - position - 4)
                {
                    throw Corrupt($"column '{_leaf.Column.Name}': a value declares {length} bytes but the page has {end - position - 4} left");
                }

                offsets[i] = position + 4;
                lengths[i] = length;
                position += 4 + length;
            }

            _valuesPosition = position;
            _batchSource = values;
            _batchFromDictionary = false;
        }
    }

    private void FillFromDictionary(int rows, int present)
    {
        ReadIndices(present);
        var indices = _indexBatch;
        var count = (uint)_dictionaryCount;
        for (var j = 0; j < present; j++)
        {
            if ((uint)indices[j] >= count)
            {
                throw Corrupt($"column '{_leaf.Column.Name}': dictionary index {indices[j]} is outside the dictionary of {_dictionaryCount} values");
            }
        }

        var nulls = _nulls;
        var width = _width;
        if (width < 0)
        {
            var offsets = _offsets;
            var k = 0;
            for (var i = 0; i < rows; i++)
            {
                if (!_optional || nulls[i] == 0)
                {
                    offsets[i] = indices[k++];
                }
            }

            _batchFromDictionary = true;
            return;
        }

        var raw = _raw;
        var dictionary = _dictionary;
        var baseOffset = _dictionaryBase;
        var stride = Math.Max(width, 1);
        var j2 = 0;
        switch (stride)
        {
            case 8:
            {
                ref var source = ref MemoryMarshal.GetArrayDataReference(dictionary);
                ref var target = ref MemoryMarshal.GetArrayDataReference(raw);
                for (var i = 0; i < rows; i++)
                {
                    if (!_optional || nulls[i] == 0)
                    {
                        var value = Unsafe.ReadUnaligned<long>(ref Unsafe.Add(ref source, baseOffset + indices[j2++] * 8));
                        Unsafe.WriteUnaligned(ref Unsafe.Add(ref target, i * 8), value);
                    }
                }

                break;
            }

            case 4:
            {
                ref var source = ref MemoryMarshal.GetArrayDataReference(dictionary);
                ref var target = ref MemoryMarshal.GetArrayDataReference(raw);
                for (var i = 0; i < rows; i++)
                {
                    if (!_optional || nulls[i] == 0)
                    {
                        var value = Unsafe.ReadUnaligned<int>(ref Unsafe.Add(ref source, baseOffset + indices[j2++] * 4));
                        Unsafe.WriteUnaligned(ref Unsafe.Add(ref target, i * 4), value);
                    }
                }

                break;
            }

            default:
                for (var i = 0; i < rows; i++)
                {
                    if (!_optional || nulls[i] == 0)
                    {
                        dictionary.AsSpan(baseOffset + indices[j2++] * stride, stride).CopyTo(raw.AsSpan(i * stride, stride));
                    }
                }

                break;
        }
    }

    // ---------------------------------------------------------------- typed access by row in the batch (the caller checked type and null)

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool IsNull(int row) => _nulls[row] != 0;

    public int BatchRows => _batchRows;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool GetBoolean(int row) => _raw[row] != 0;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public int GetInt32(int row) => Unsafe.ReadUnaligned<int>(ref _raw[row * 4]);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public long GetInt64(int row) => Unsafe.ReadUnaligned<long>(ref _raw[row * 8]);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public float GetFloat(int row) => Unsafe.ReadUnaligned<float>(ref _raw[row * 4]);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public double GetDouble(int row) => Unsafe.ReadUnaligned<double>(ref _raw[row * 8]);

    public string GetString(int row)
    {
        if (_batchFromDictionary)
        {
            var index = _offsets[row];
            return _dictionaryStrings[index] ??= System.Text.Encoding.UTF8.GetString(_dictionary, _dictionaryOffsets[index], _dictionaryLengths[index]);
        }

        return System.Text.Encoding.UTF8.GetString(_batchSource, _offsets[row], _lengths[row]);
    }

    /// <summary>The value's bytes for BYTE_ARRAY / FIXED_LEN_BYTE_ARRAY / INT96 (valid until the next batch).</summary>
    public ReadOnlySpan<byte> GetBytesSpan(int row)
    {
        if (_width > 0)
        {
            return _raw.AsSpan(row * _width, _width);
        }

        if (_batchFromDictionary)
        {
            var index = _offsets[row];
            return _dictionary.AsSpan(_dictionaryOffsets[index], _dictionaryLengths[index]);
        }

        return _batchSource.AsSpan(_offsets[row], _lengths[row]);
    }

    public DateOnly GetDate(int row)
    {
        var days = GetInt32(row);
        if (!ParquetValues.TryDaysToDate(days, out var date))
        {
            throw _file.Problem($"column '{_leaf.Column.Name}': {days} days since 1970-01-01 is outside the range of DateOnly");
        }

        return date;
    }

    public DateTimeOffset GetTimestamp(int row)
    {
        if (_type == ParquetType.Int96)
        {
            if (!ParquetValues.TryFromInt96(_raw.AsSpan(row * 12, 12), out var legacy))
            {
                throw _file.Problem($"column '{_leaf.Column.Name}': INT96 timestamp outside the range of DateTimeOffset");
            }

            return legacy;
        }

        var raw = GetInt64(row);
        if (!_leaf.TryTimestamp(raw, out var value))
        {
            throw _file.Problem($"column '{_leaf.Column.Name}': timestamp {raw} is outside the range of DateTimeOffset");
        }

        return value;
    }

    /// <summary>Integer view for filters: booleans 0/1, INT32 and INT64 raw.</summary>
    public long GetRawLong(int row) => _type switch
    {
        ParquetType.Boolean => GetBoolean(row) ? 1 : 0,
        ParquetType.Int32 => GetInt32(row),
        _ => GetInt64(row),
    };

    public double GetRawDouble(int row) => _type == ParquetType.Float ? GetFloat(row) : GetDouble(row);

    // ---------------------------------------------------------------- pages

    private void NextPage()
    {
        var chunk = _chunk!;
        while (true)
        {
            if (_chunkPosition >= _chunkEnd)
            {
                throw Corrupt($"column '{_leaf.Column.Name}': the column chunk ends after {_valuesInChunk - _valuesLeftInChunk} of its {_valuesInChunk} values");
            }

            PageHeader header;
            var reader = new CompactReader(chunk, _chunkPosition, _chunkEnd - _chunkPosition);
            try
            {
                header = ParquetThrift.ReadPageHeader(reader);
            }
            catch (ThriftException e)
            {
                throw Corrupt($"column '{_leaf.Column.Name}': corrupt page header ({e.Message})", e);
            }

            _chunkPosition = reader.Position;
            var left = _chunkEnd - _chunkPosition;
            if (header.CompressedPageSize < 0 || header.CompressedPageSize > left)
            {
                throw Corrupt($"column '{_leaf.Column.Name}': a page declares {header.CompressedPageSize} bytes but only {left} bytes remain in the column chunk");
            }

            if (header.UncompressedPageSize < 0)
            {
                throw Corrupt($"column '{_leaf.Column.Name}': a page declares a negative size");
            }

            var dataStart = _chunkPosition;
            _chunkPosition += header.CompressedPageSize;
            switch (header.Type)
            {
                case PageTypeId.DictionaryPage:
                    LoadDictionary(header, dataStart);
                    continue;
                case PageTypeId.DataPage:
                    StartDataPageV1(header, dataStart);
                    break;
                case PageTypeId.DataPageV2:
                    StartDataPageV2(header, dataStart);
                    break;
                default:
                    continue; // index pages and anything newer carry no values
            }

            if (_pageValuesLeft > 0)
            {
                return;
            }
        }
    }

    /// <summary>Decompresses a page (or part of one) and returns where its bytes are.</summary>
    private (byte[] Buffer, int Offset) Decompress(int offset, int compressedSize, int uncompressedSize, bool compressed, bool intoDictionary)
    {
        if (!compressed || _codec == CodecId.Uncompressed)
        {
            if (compressedSize != uncompressedSize)
            {
                throw Corrupt($"column '{_leaf.Column.Name}': an uncompressed page declares {uncompressedSize} bytes but holds {compressedSize}");
            }

            return (_chunk!, offset);
        }

        if (uncompressedSize > Codecs.MaxExpansion(_codec, compressedSize))
        {
            throw Corrupt($"column '{_leaf.Column.Name}': a page declares {uncompressedSize} uncompressed bytes, more than {compressedSize} {CodecId.Name(_codec)} bytes can hold");
        }

        ref var buffer = ref intoDictionary ? ref _dictionaryBuffer : ref _pageBuffer;
        if (buffer.Length < uncompressedSize)
        {
            buffer = new byte[Math.Max(uncompressedSize, Math.Min(buffer.Length * 2, Array.MaxLength))];
        }

        try
        {
            Codecs.Decompress(_codec, _chunk!, offset, compressedSize, buffer.AsSpan(0, uncompressedSize));
        }
        catch (InvalidDataException e)
        {
            throw Corrupt($"column '{_leaf.Column.Name}': {CodecId.Name(_codec)} decompression failed ({e.Message})", e);
        }

        return (buffer, 0);
    }

    private void LoadDictionary(PageHeader header, int dataStart)
    {
        var dictionary = header.DictionaryPageHeader ?? throw Corrupt($"column '{_leaf.Column.Name}': dictionary page without its header");
        if (dictionary.Encoding is not (EncodingId.Plain or EncodingId.PlainDictionary))
        {
            throw _file.Problem($"column '{_leaf.Column.Name}': dictionary page encoding {dictionary.Encoding} is not supported");
        }

        var (buffer, offset) = Decompress(dataStart, header.CompressedPageSize, header.UncompressedPageSize, compressed: true, intoDictionary: true);
        var size = header.UncompressedPageSize;
        var count = dictionary.NumValues;
        if (count < 0)
        {
            throw Corrupt($"column '{_leaf.Column.Name}': the dictionary declares {count} values");
        }

        switch (_width)
        {
            case 0:
            {
                // booleans: expand the bits to one byte per entry
                if (count > (long)size * 8)
                {
                    throw DictionaryTooSmall(count, size);
                }

                var expanded = new byte[count];
                for (var i = 0; i < count; i++)
                {
                    expanded[i] = (byte)((buffer[offset + (i >> 3)] >> (i & 7)) & 1);
                }

                _dictionary = expanded;
                _dictionaryBase = 0;
                break;
            }

            case > 0:
                if ((long)count * _width > size)
                {
                    throw DictionaryTooSmall(count, size);
                }

                _dictionary = buffer;
                _dictionaryBase = offset;
                break;
            default:
            {
                if ((long)count * 4 > size)
                {
                    throw DictionaryTooSmall(count, size);
                }

                if (_dictionaryOffsets.Length < count)
                {
                    _dictionaryOffsets = new int[count];
                    _dictionaryLengths = new int[count];
                }

                if (_dictionaryStrings.Length < count)
                {
                    _dictionaryStrings = new string?[count];
                }
                else
                {
                    Array.Clear(_dictionaryStrings, 0, count);
                }

                var position = offset;
                var end = offset + size;
                for (var i = 0; i < count; i++)
                {
                    if (end - position < 4)
                    {
                        throw DictionaryTooSmall(count, size);
                    }

                    var length = BinaryPrimitives.ReadInt32LittleEndian(buffer.AsSpan(position, 4));
                    if (length < 0 || length > end - position - 4)
                    {
                        throw DictionaryTooSmall(count, size);
                    }

                    _dictionaryOffsets[i] = position + 4;
                    _dictionaryLengths[i] = length;
                    position += 4 + length;
                }

                _dictionary = buffer;
                _dictionaryBase = offset;
                break;
            }
        }

        _dictionaryCount = count;
        _hasDictionary = true;
    }

    private ParquetException DictionaryTooSmall(int count, int size) =>
        Corrupt($"column '{_leaf.Column.Name}': the dictionary page declares {count} values but its {size} bytes cannot hold them");

    private void StartDataPageV1(PageHeader header, int dataStart)
    {
        var page = header.DataPageHeader ?? throw Corrupt($"column '{_leaf.Column.Name}': data page without its header");
        CheckValueCount(page.NumValues);
        var (buffer, offset) = Decompress(dataStart, header.CompressedPageSize, header.UncompressedPageSize, compressed: true, intoDictionary: false);
        var position = offset;
        var end = offset + header.UncompressedPageSize;
        if (_optional)
        {
            if (page.DefinitionLevelEncoding != EncodingId.Rle)
            {
                throw _file.Problem($"column '{_leaf.Column.Name}': definition level encoding {page.DefinitionLevelEncoding} is not supported (only RLE)");
            }

            if (end - position < 4)
            {
                throw PageEndedEarly();
            }

            var length = BinaryPrimitives.ReadInt32LittleEndian(buffer.AsSpan(position, 4));
            if (length < 0 || length > end - position - 4)
            {
                throw Corrupt($"column '{_leaf.Column.Name}': definition levels declare {length} bytes but the page has {end - position - 4} left");
            }

            _defs.Reset(buffer, position + 4, length, 1);
            position += 4 + length;
        }

        StartValues(page.Encoding, page.NumValues, buffer, position, end);
    }

    private void StartDataPageV2(PageHeader header, int dataStart)
    {
        var page = header.DataPageHeaderV2 ?? throw Corrupt($"column '{_leaf.Column.Name}': data page v2 without its header");
        CheckValueCount(page.NumValues);
        var levels = (long)page.DefinitionLevelsByteLength + page.RepetitionLevelsByteLength;
        if (page.DefinitionLevelsByteLength < 0 || page.RepetitionLevelsByteLength < 0 || levels > header.CompressedPageSize || levels > header.UncompressedPageSize)
        {
            throw Corrupt($"column '{_leaf.Column.Name}': data page v2 declares {levels} bytes of levels in a page of {header.CompressedPageSize} bytes");
        }

        if (_optional)
        {
            _defs.Reset(_chunk!, dataStart + page.RepetitionLevelsByteLength, page.DefinitionLevelsByteLength, 1);
        }

        var valuesStart = dataStart + (int)levels;
        var compressedSize = header.CompressedPageSize - (int)levels;
        var uncompressedSize = header.UncompressedPageSize - (int)levels;
        var (buffer, offset) = Decompress(valuesStart, compressedSize, uncompressedSize, page.IsCompressed, intoDictionary: false);
        StartValues(page.Encoding, page.NumValues, buffer, offset, offset + uncompressedSize);
    }

    private void CheckValueCount(int values)
    {
        if (values < 0 || values > _valuesLeftInChunk)
        {
            throw Corrupt($"column '{_leaf.Column.Name}': a page declares {values} values but only {_valuesLeftInChunk} remain in the column chunk");
        }
    }

    private void StartValues(int encoding, int values, byte[] buffer, int position, int end)
    {
        _values = buffer;
        _valuesPosition = position;
        _valuesStart = position;
        _valuesEnd = end;
        _booleanIndex = 0;
        switch (encoding)
        {
            case EncodingId.Plain:
                _mode = Mode.Plain;
                break;
            case EncodingId.PlainDictionary:
            case EncodingId.RleDictionary:
                if (!_hasDictionary)
                {
                    throw Corrupt($"column '{_leaf.Column.Name}': a dictionary-encoded page comes without a dictionary page");
                }

                _mode = Mode.Dictionary;
                if (position < end)
                {
                    var bitWidth = buffer[position];
                    if (bitWidth > 32)
                    {
                        throw Corrupt($"column '{_leaf.Column.Name}': dictionary index bit width {bitWidth} is over 32");
                    }

                    _indices.Reset(buffer, position + 1, end - position - 1, bitWidth);
                }
                else
                {
                    _indices.Reset(buffer, position, 0, 0);
                }

                break;
            case EncodingId.Rle when _type == ParquetType.Boolean:
            {
                _mode = Mode.RleBoolean;
                if (end - position < 4)
                {
                    throw PageEndedEarly();
                }

                var length = BinaryPrimitives.ReadInt32LittleEndian(buffer.AsSpan(position, 4));
                if (length < 0 || length > end - position - 4)
                {
                    throw PageEndedEarly();
                }

                _indices.Reset(buffer, position + 4, length, 1);
                break;
            }

            case EncodingId.DeltaBinaryPacked when _type is ParquetType.Int32 or ParquetType.Int64:
            case EncodingId.DeltaLengthByteArray when _type == ParquetType.ByteArray:
            case EncodingId.DeltaByteArray when _type == ParquetType.ByteArray:
            case EncodingId.ByteStreamSplit when _width > 0:
                Materialize(encoding, values, buffer, position, end);
                break;
            default:
                throw _file.Problem($"column '{_leaf.Column.Name}': value encoding {EncodingName(encoding)} is not supported for {_type}");
        }

        _pageValuesLeft = values;
    }

    /// <summary>Decodes a page of a delta or byte-stream-split encoding into its PLAIN layout, then reads it as PLAIN.</summary>
    private void Materialize(int encoding, int values, byte[] buffer, int position, int end)
    {
        var output = _materialized;
        output.Clear();
        var data = buffer.AsSpan(position, end - position);
        var limit = _file.MaterializeLimit;
        try
        {
            switch (encoding)
            {
                case EncodingId.DeltaBinaryPacked:
                    if ((long)values * _width > limit)
                    {
                        throw new InvalidDataException($"a page of {values} values is larger than the file allows");
                    }

                    DeltaEncodings.BinaryPackedToPlain(data, _width, values, ref _scratch, output, out _);
                    break;
                case EncodingId.DeltaLengthByteArray:
                    DeltaEncodings.LengthByteArrayToPlain(data, values, limit, ref _scratch, output, out _);
                    break;
                case EncodingId.DeltaByteArray:
                    DeltaEncodings.ByteArrayToPlain(data, values, limit, ref _scratch, ref _scratch2, output, out _);
                    break;
                default:
                    DeltaEncodings.ByteStreamSplitToPlain(data, _width, output, out _);
                    break;
            }
        }
        catch (InvalidDataException e)
        {
            throw Corrupt($"column '{_leaf.Column.Name}': {EncodingName(encoding)} data is damaged ({e.Message})", e);
        }

        _mode = Mode.Plain;
        _values = output.Array;
        _valuesPosition = 0;
        _valuesStart = 0;
        _valuesEnd = output.Length;
    }

    private static string EncodingName(int encoding) =>
        Enum.IsDefined(typeof(ParquetEncoding), encoding) ? ((ParquetEncoding)encoding).ToString() : encoding.ToString(System.Globalization.CultureInfo.InvariantCulture);

    private void ReadLevels(int count)
    {
        int read;
        try
        {
            read = _defs.Read(_levels.AsSpan(0, count));
        }
        catch (InvalidDataException e)
        {
            throw Corrupt($"column '{_leaf.Column.Name}': corrupt definition levels ({e.Message})", e);
        }

        if (read < count)
        {
            throw Corrupt($"column '{_leaf.Column.Name}': the definition levels end before the page's values");
        }
    }

    private void ReadIndices(int count)
    {
        int read;
        try
        {
            read = _indices.Read(_indexBatch.AsSpan(0, count));
        }
        catch (InvalidDataException e)
        {
            throw Corrupt($"column '{_leaf.Column.Name}': corrupt RLE data ({e.Message})", e);
        }

        if (read < count)
        {
            throw Corrupt($"column '{_leaf.Column.Name}': the encoded values end before the page's values");
        }
    }

    private ParquetException PageEndedEarly() =>
        Corrupt($"column '{_leaf.Column.Name}': page data ends before its declared values");

    private ParquetException Corrupt(string problem, Exception? inner = null) => _file.Problem(problem, inner);

    private void ReleaseChunk()
    {
        if (_chunk is not null)
        {
            ArrayPool<byte>.Shared.Return(_chunk);
            _chunk = null;
        }
    }

    public void Dispose() => ReleaseChunk();
}
