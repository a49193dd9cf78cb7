namespace Lambda.Core.Parquet.Thrift;

// The subset of parquet.thrift (apache/parquet-format) this library writes and reads. Field ids are the
// ones in parquet.thrift; unknown fields are skipped when reading, so newer writers' footers still parse.

internal static class PhysicalType
{
    public const int Boolean = 0;
    public const int Int32 = 1;
    public const int Int64 = 2;
    public const int Int96 = 3;
    public const int Float = 4;
    public const int Double = 5;
    public const int ByteArray = 6;
    public const int FixedLenByteArray = 7;
}

internal static class ConvertedType
{
    public const int Utf8 = 0;
    public const int Enum = 4;
    public const int Date = 6;
    public const int TimestampMillis = 9;
    public const int TimestampMicros = 10;
    public const int Json = 19;
}

internal static class Repetition
{
    public const int Required = 0;
    public const int Optional = 1;
    public const int Repeated = 2;
}

internal static class EncodingId
{
    public const int Plain = 0;
    public const int PlainDictionary = 2;
    public const int Rle = 3;
    public const int BitPacked = 4;
    public const int DeltaBinaryPacked = 5;
    public const int DeltaLengthByteArray = 6;
    public const int DeltaByteArray = 7;
    public const int RleDictionary = 8;
    public const int ByteStreamSplit = 9;
}

internal static class CodecId
{
    public const int Uncompressed = 0;
    public const int Snappy = 1;
    public const int Gzip = 2;
    public const int Lzo = 3;
    public const int Brotli = 4;
    public const int Lz4 = 5;
    public const int Zstd = 6;
    public const int Lz4Raw = 7;

    public static string Name(int codec) => codec switch
    {
        Uncompressed => "UNCOMPRESSED",
        Snappy => "SNAPPY",
        Gzip => "GZIP",
        Lzo => "LZO",
        Brotli => "BROTLI",
        Lz4 => "LZ4",
        Zstd => "ZSTD",
        Lz4Raw => "LZ4_RAW",
        _ => $"codec {codec}",
    };
}

internal static class PageTypeId
{
    public const int DataPage = 0;
    public const int IndexPage = 1;
    public const int DictionaryPage = 2;
    public const int DataPageV2 = 3;
}

/// <summary>The LogicalType union: which member is set, and the fields of the members this library uses.</summary>
internal sealed class LogicalTypeInfo
{
    public const short StringKind = 1;
    public const short MapKind = 2;
    public const short ListKind = 3;
    public const short EnumKind = 4;
    public const short DecimalKind = 5;
    public const short DateKind = 6;
    public const short TimeKind = 7;
    public const short TimestampKind = 8;
    public const short IntegerKind = 10;
    public const short UnknownKind = 11;
    public const short JsonKind = 12;

    public const short Millis = 1;
    public const short Micros = 2;
    public const short Nanos = 3;

    public short Kind { get; set; }

    public bool IsAdjustedToUtc { get; set; }

    /// <summary>TIME / TIMESTAMP unit: 1 millis, 2 micros, 3 nanos.</summary>
    public short Unit { get; set; }

    public int Scale { get; set; }

    public int Precision { get; set; }

    public int BitWidth { get; set; }

    public bool IsSigned { get; set; }
}

internal sealed class SchemaElement
{
    public int? Type { get; set; }
    public int? TypeLength { get; set; }
    public int? RepetitionType { get; set; }
    public string Name { get; set; } = "";
    public int? NumChildren { get; set; }
    public int? ConvertedType { get; set; }
    public int? Scale { get; set; }
    public int? Precision { get; set; }
    public int? FieldId { get; set; }
    public LogicalTypeInfo? LogicalType { get; set; }
}

internal sealed class Statistics
{
    public byte[]? Max { get; set; }
    public byte[]? Min { get; set; }
    public long? NullCount { get; set; }
    public long? DistinctCount { get; set; }
    public byte[]? MaxValue { get; set; }
    public byte[]? MinValue { get; set; }
    public bool? IsMaxValueExact { get; set; }
    public bool? IsMinValueExact { get; set; }
}

internal sealed class KeyValue
{
    public string Key { get; set; } = "";
    public string? Value { get; set; }
}

internal sealed class ColumnMetaData
{
    public int Type { get; set; }
    public List<int> Encodings { get; set; } = [];
    public List<string> PathInSchema { get; set; } = [];
    public int Codec { get; set; }
    public long NumValues { get; set; }
    public long TotalUncompressedSize { get; set; }
    public long TotalCompressedSize { get; set; }
    public List<KeyValue>? KeyValueMetadata { get; set; }
    public long DataPageOffset { get; set; }
    public long? IndexPageOffset { get; set; }
    public long? DictionaryPageOffset { get; set; }
    public Statistics? Statistics { get; set; }
}

internal sealed class ColumnChunk
{
    public string? FilePath { get; set; }
    public long FileOffset { get; set; }
    public ColumnMetaData? MetaData { get; set; }
}

internal sealed class RowGroup
{
    public List<ColumnChunk> Columns { get; set; } = [];
    public long TotalByteSize { get; set; }
    public long NumRows { get; set; }
    public long? FileOffset { get; set; }
    public long? TotalCompressedSize { get; set; }
    public short? Ordinal { get; set; }
}

internal sealed class FileMetaData
{
    public int Version { get; set; } = 1;
    public List<SchemaElement> Schema { get; set; } = [];
    public long NumRows { get; set; }
    public List<RowGroup> RowGroups { get; set; } = [];
    public List<KeyValue>? KeyValueMetadata { get; set; }
    public string? CreatedBy { get; set; }

    /// <summary>Per leaf, which ColumnOrder union member is set (1 = TYPE_ORDER); null when absent.</summary>
    public List<short>? ColumnOrders { get; set; }
}

internal sealed class DataPageHeader
{
    public int NumValues { get; set; }
    public int Encoding { get; set; }
    public int DefinitionLevelEncoding { get; set; }
    public int RepetitionLevelEncoding { get; set; }
    public Statistics? Statistics { get; set; }
}

internal sealed class DictionaryPageHeader
{
    public int NumValues { get; set; }
    public int Encoding { get; set; }
    public bool? IsSorted { get; set; }
}

internal sealed class DataPageHeaderV2
{
    public int NumValues { get; set; }
    public int NumNulls { get; set; }
    public int NumRows { get; set; }
    public int Encoding { get; set; }
    public int DefinitionLevelsByteLength { get; set; }
    public int RepetitionLevelsByteLength { get; set; }
    public bool IsCompressed { get; set; } = true;
    public Statistics? Statistics { get; set; }
}

internal sealed class PageHeader
{
    public int Type { get; set; }
    public int UncompressedPageSize { get; set; }
    public int CompressedPageSize { get; set; }
    public int? Crc { get; set; }
    public DataPageHeader? DataPageHeader { get; set; }
    public DictionaryPageHeader? DictionaryPageHeader { get; set; }
    public DataPageHeaderV2? DataPageHeaderV2 { get; set; }
}
