using System.Buffers.Binary;
using System.Numerics;
using System.Runtime.InteropServices;
using Lambda.Core.Parquet.Encodings;
using Lambda.Core.Parquet.Thrift;

namespace Lambda.Core.Parquet.Writing;

/// <summary>
/// Encodes one column of a buffered row group into a column chunk: an optional dictionary page, then
/// data pages (v1) of about <see cref="ParquetWriterOptions.PageBytes"/> each, compressed. Offsets are
/// relative to the start of the chunk; the file writer adds the chunk's position.
/// </summary>
internal sealed class ColumnEncoder
{
    private readonly ColumnBuffer _column;
    private readonly ParquetWriterOptions _options;
    private readonly int _codec;
    private readonly ByteBuffer _page = new(64 * 1024);
    private readonly ByteBuffer _compressed = new(64 * 1024);
    private readonly ByteBuffer _levels = new(1024);
    private readonly ByteBuffer _dictionaryPage = new(1024);
    private readonly CompactWriter _header = new(64);
    private ValueMap<int>? _map32;
    private ValueMap<long>? _map64;
    private int[] _indices = [];
    private int _dictionaryCount;

    public ColumnEncoder(ColumnBuffer column, ParquetWriterOptions options)
    {
        _column = column;
        _options = options;
        _codec = Codecs.ToCodecId(options.Compression);
    }

    /// <summary>The encoded chunk (pages with their headers).</summary>
    public ByteBuffer Output { get; } = new(64 * 1024);

    public long? DictionaryPageOffset { get; private set; }

    public long DataPageOffset { get; private set; }

    public long TotalUncompressedSize { get; private set; }

    public List<int> Encodings { get; } = [];

    public Statistics? Statistics { get; private set; }

    public void Encode(int rows)
    {
        Output.Clear();
        Encodings.Clear();
        TotalUncompressedSize = 0;
        DictionaryPageOffset = null;
        var dictionary = _options.Dictionary && ChooseDictionary();
        Statistics = !_options.Statistics
            ? null
            : StatisticsBuilder.Build(_column, rows, dictionary && _column.Type != ParquetType.ByteArray ? _dictionaryPage.WrittenSpan : default);
        if (dictionary)
        {
            DictionaryPageOffset = 0;
            WritePage(PageTypeId.DictionaryPage, _dictionaryCount, _options.LegacyDictionaryEncoding ? EncodingId.PlainDictionary : EncodingId.Plain, _dictionaryPage.WrittenSpan);
        }

        DataPageOffset = Output.Length;
        WriteDataPages(rows, dictionary);

        Encodings.Add(EncodingId.Plain);
        if (_column.Nullable)
        {
            Encodings.Add(EncodingId.Rle);
        }

        if (dictionary)
        {
            Encodings.Add(_options.LegacyDictionaryEncoding ? EncodingId.PlainDictionary : EncodingId.RleDictionary);
        }
    }

    // ---------------------------------------------------------------- dictionary choice

    private bool ChooseDictionary()
    {
        var c = _column;
        var count = c.Count;
        if (count == 0)
        {
            return false;
        }

        switch (c.Type)
        {
            case ParquetType.Int32:
                return BuildDictionary(c.Ints.AsSpan(0, count), _map32 ??= new(), 4);
            case ParquetType.Float:
                return BuildDictionary(MemoryMarshal.Cast<float, int>(c.Floats.AsSpan(0, count)), _map32 ??= new(), 4);
            case ParquetType.Int64:
                return BuildDictionary(c.Longs.AsSpan(0, count), _map64 ??= new(), 8);
            case ParquetType.Double:
                return BuildDictionary(MemoryMarshal.Cast<double, long>(c.Doubles.AsSpan(0, count)), _map64 ??= new(), 8);
            case ParquetType.ByteArray:
                return ChooseStringDictionary();
            default:
                return false;
        }
    }

    private bool ChooseStringDictionary()
    {
        var s = _column.Strings!;
        if (!s.Dictionary || s.Entries.Count == 0)
        {
            return false;
        }

        var entries = s.Entries.Count;
        var bitWidth = RleHybridEncoder.BitWidth(entries - 1);
        var dictionaryCost = s.EntryBytes.Length + 4L * entries + ((long)_column.Count * bitWidth + 7) / 8;
        if (dictionaryCost * 4 >= s.PlainBytes * 3)
        {
            return false;
        }

        _dictionaryPage.Clear();
        var bytes = s.EntryBytes.Array;
        foreach (var (offset, length) in s.Entries)
        {
            _dictionaryPage.WriteInt32(length);
            _dictionaryPage.Write(bytes.AsSpan(offset, length));
        }

        _dictionaryCount = entries;
        _indices = _column.Ints!;
        return true;
    }

    /// <summary>Builds a dictionary of the values' bit patterns; false when it would not pay or grows too large.</summary>
    private bool BuildDictionary<T>(ReadOnlySpan<T> values, ValueMap<T> map, int width)
        where T : unmanaged, IBinaryInteger<T>
    {
        map.Clear();
        _dictionaryPage.Clear();
        if (_indices.Length < values.Length || ReferenceEquals(_indices, _column.Ints))
        {
            _indices = new int[Math.Max(values.Length, 1024)];
        }

        var maxEntries = _options.DictionaryBytesLimit / width;
        var indices = _indices;
        var previous = values[0];
        var previousIndex = -1;
        for (var i = 0; i < values.Length; i++)
        {
            var value = values[i];
            if (value == previous && previousIndex >= 0)
            {
                indices[i] = previousIndex; // runs of equal values skip the hash
                continue;
            }

            var index = map.GetOrAdd(value, out var added);
            if (added)
            {
                if (map.Count > maxEntries)
                {
                    return false;
                }

                _dictionaryPage.Write(MemoryMarshal.AsBytes(new ReadOnlySpan<T>(in value)));
            }

            indices[i] = index;
            previous = value;
            previousIndex = index;
            if (i >= 4095 && i < 4096 + 64 && map.Count > 2048)
            {
                return false; // mostly distinct: a dictionary will not pay
            }
        }

        var entries = map.Count;
        var bitWidth = RleHybridEncoder.BitWidth(entries - 1);
        var dictionaryCost = (long)entries * width + ((long)values.Length * bitWidth + 7) / 8;
        var plainCost = (long)values.Length * width;
        if (dictionaryCost * 4 >= plainCost * 3)
        {
            return false;
        }

        _dictionaryCount = entries;
        return true;
    }

    // ---------------------------------------------------------------- data pages

    private void WriteDataPages(int rows, bool dictionary)
    {
        var c = _column;
        var count = c.Count;
        var v2 = _options.DataPageVersion == 2;
        var bitWidth = dictionary ? RleHybridEncoder.BitWidth(_dictionaryCount - 1) : 0;
        double bytesPerValue = dictionary
            ? bitWidth / 8.0 + 0.01
            : c.Type switch
            {
                ParquetType.Boolean => 0.125,
                ParquetType.Int32 or ParquetType.Float => 4,
                ParquetType.Int64 or ParquetType.Double => 8,
                ParquetType.Int96 => 12,
                _ => count == 0 ? 4 : (double)c.Strings!.PlainBytes / count,
            };
        var bytesPerRow = (c.Nullable ? 0.125 : 0) + bytesPerValue * (rows == 0 ? 0 : (double)count / rows);
        var rowsPerPage = (int)Math.Clamp(_options.PageBytes / Math.Max(bytesPerRow, 1.0 / 64), 1, Math.Max(1, rows));
        var encoding = dictionary
            ? (_options.LegacyDictionaryEncoding ? EncodingId.PlainDictionary : EncodingId.RleDictionary)
            : EncodingId.Plain;

        var valueStart = 0;
        for (var rowStart = 0; rowStart < rows; rowStart += rowsPerPage)
        {
            var pageRows = Math.Min(rowsPerPage, rows - rowStart);
            var values = c.Nullable ? c.Defs.AsSpan(rowStart, pageRows).Count((byte)1) : pageRows;
            _page.Clear();
            _levels.Clear();
            if (c.Nullable)
            {
                if (v2)
                {
                    RleHybridEncoder.Encode<byte>(c.Defs.AsSpan(rowStart, pageRows), 1, _levels);
                }
                else
                {
                    RleHybridEncoder.EncodeWithLength<byte>(c.Defs.AsSpan(rowStart, pageRows), 1, _page);
                }
            }

            if (dictionary)
            {
                _page.WriteByte((byte)bitWidth);
                RleHybridEncoder.Encode<int>(_indices.AsSpan(valueStart, values), bitWidth, _page);
            }
            else
            {
                WritePlain(valueStart, values);
            }

            if (v2)
            {
                WriteDataPageV2(pageRows, pageRows - values, encoding, _levels.WrittenSpan, _page.WrittenSpan);
            }
            else
            {
                WritePage(PageTypeId.DataPage, pageRows, encoding, _page.WrittenSpan);
            }

            valueStart += values;
        }
    }

    private void WritePlain(int start, int count)
    {
        var c = _column;
        switch (c.Type)
        {
            case ParquetType.Boolean:
            {
                var span = _page.GetSpan((count + 7) / 8);
                span.Clear();
                var bools = c.Bools.AsSpan(start, count);
                for (var i = 0; i < bools.Length; i++)
                {
                    if (bools[i])
                    {
                        span[i >> 3] |= (byte)(1 << (i & 7));
                    }
                }

                _page.Advance(span.Length);
                break;
            }

            case ParquetType.Int32:
                WriteLittleEndian(c.Ints.AsSpan(start, count));
                break;
            case ParquetType.Int64:
                WriteLittleEndian(c.Longs.AsSpan(start, count));
                break;
            case ParquetType.Float:
                WriteLittleEndian(c.Floats.AsSpan(start, count));
                break;
            case ParquetType.Double:
                WriteLittleEndian(c.Doubles.AsSpan(start, count));
                break;
            case ParquetType.ByteArray:
                WritePlainStrings(start, count);
                break;
            case ParquetType.Int96:
                foreach (var ticks in c.Longs.AsSpan(start, count))
                {
                    _page.Write(ParquetValues.ToInt96(new DateTimeOffset(ticks, TimeSpan.Zero)));
                }

                break;
            default:
                throw new NotSupportedException($"Writing {c.Type} is not supported.");
        }
    }

    private void WriteLittleEndian<T>(ReadOnlySpan<T> values)
        where T : unmanaged
    {
        // Parquet PLAIN is little-endian, like every platform .NET runs on (checked by the file writer).
        _page.Write(MemoryMarshal.AsBytes(values));
    }

    private void WritePlainStrings(int start, int count)
    {
        var c = _column;
        var s = c.Strings!;
        var ints = c.Ints!;
        if (s.Dictionary)
        {
            var entries = CollectionsMarshal.AsSpan(s.Entries);
            var bytes = s.EntryBytes.Array;
            for (var i = start; i < start + count; i++)
            {
                var (offset, length) = entries[ints[i]];
                var span = _page.GetSpan(4 + length);
                BinaryPrimitives.WriteInt32LittleEndian(span, length);
                bytes.AsSpan(offset, length).CopyTo(span[4..]);
                _page.Advance(4 + length);
            }
        }
        else
        {
            var data = s.Plain.Array;
            var begin = start == 0 ? 0 : ints[start - 1];
            var total = (count == 0 ? 0 : ints[start + count - 1] - begin) + 4 * count;
            var span = _page.GetSpan(total);
            var position = 0;
            for (var i = start; i < start + count; i++)
            {
                var end = ints[i];
                var length = end - begin;
                BinaryPrimitives.WriteInt32LittleEndian(span[position..], length);
                data.AsSpan(begin, length).CopyTo(span[(position + 4)..]);
                position += 4 + length;
                begin = end;
            }

            _page.Advance(total);
        }
    }

    /// <summary>A v2 data page: levels stay uncompressed; values are compressed unless that does not make them smaller.</summary>
    private void WriteDataPageV2(int rows, int nulls, int encoding, ReadOnlySpan<byte> levels, ReadOnlySpan<byte> values)
    {
        ReadOnlySpan<byte> stored = values;
        var compressed = false;
        if (_codec != CodecId.Uncompressed)
        {
            _compressed.Clear();
            Codecs.Compress(_options.Compression, values, _compressed);
            if (_compressed.Length < values.Length)
            {
                stored = _compressed.WrittenSpan;
                compressed = true;
            }
        }

        var header = new PageHeader
        {
            Type = PageTypeId.DataPageV2,
            UncompressedPageSize = levels.Length + values.Length,
            CompressedPageSize = levels.Length + stored.Length,
            DataPageHeaderV2 = new DataPageHeaderV2
            {
                NumValues = rows,
                NumNulls = nulls,
                NumRows = rows,
                Encoding = encoding,
                DefinitionLevelsByteLength = levels.Length,
                RepetitionLevelsByteLength = 0,
                IsCompressed = compressed,
            },
        };
        _header.Clear();
        ParquetThrift.Write(_header, header);
        Output.Write(_header.WrittenSpan);
        Output.Write(levels);
        Output.Write(stored);
        TotalUncompressedSize += _header.Length + levels.Length + values.Length;
    }

    private void WritePage(int pageType, int values, int encoding, ReadOnlySpan<byte> body)
    {
        ReadOnlySpan<byte> stored = body;
        if (_codec == CodecId.Snappy)
        {
            stored = IronSnappy.Snappy.Encode(body); // no second copy through the scratch buffer
        }
        else if (_codec != CodecId.Uncompressed)
        {
            _compressed.Clear();
            Codecs.Compress(_options.Compression, body, _compressed);
            stored = _compressed.WrittenSpan;
        }

        var header = new PageHeader
        {
            Type = pageType,
            UncompressedPageSize = body.Length,
            CompressedPageSize = stored.Length,
        };
        if (pageType == PageTypeId.DictionaryPage)
        {
            header.DictionaryPageHeader = new DictionaryPageHeader { NumValues = values, Encoding = encoding };
        }
        else
        {
            header.DataPageHeader = new DataPageHeader
            {
                NumValues = values,
                Encoding = encoding,
                DefinitionLevelEncoding = EncodingId.Rle,
                RepetitionLevelEncoding = EncodingId.Rle,
            };
        }

        _header.Clear();
        ParquetThrift.Write(_header, header);
        Output.Write(_header.WrittenSpan);
        Output.Write(stored);
        TotalUncompressedSize += _header.Length + body.Length;
    }
}
