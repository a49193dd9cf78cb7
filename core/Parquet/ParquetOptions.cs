namespace Lambda.Core.Parquet;

/// <summary>How a <see cref="ParquetFileWriter"/> lays out and encodes the file.</summary>
public sealed class ParquetWriterOptions
{
    public ParquetCompression Compression { get; set; } = ParquetCompression.Snappy;

    /// <summary>Rows per row group: the writer buffers one row group in memory, then encodes and writes it.</summary>
    public int RowGroupRows { get; set; } = 1_000_000;

    /// <summary>Target uncompressed size of a data page.</summary>
    public int PageBytes { get; set; } = 1 << 20;

    /// <summary>Dictionary-encode (RLE_DICTIONARY) a column chunk where that is smaller; PLAIN otherwise.</summary>
    public bool Dictionary { get; set; } = true;

    /// <summary>A column chunk whose dictionary would grow past this many bytes is written PLAIN.</summary>
    public int DictionaryBytesLimit { get; set; } = 1 << 20;

    /// <summary>Write min, max and null count per column chunk (used by readers to skip row groups).</summary>
    public bool Statistics { get; set; } = true;

    /// <summary>Key-value metadata of the file footer; read when the writer closes.</summary>
    public Dictionary<string, string> KeyValueMetadata { get; } = new(StringComparer.Ordinal);

    /// <summary>Encode the columns of a row group on several threads (the output is the same either way).</summary>
    public bool Parallel { get; set; } = true;

    /// <summary>
    /// Data page format: 1 (DataPageHeader, the most widely read) or 2 (DataPageHeaderV2: levels stored
    /// uncompressed before the compressed values).
    /// </summary>
    public int DataPageVersion { get; set; } = 1;

    /// <summary>Tests only: mark dictionary pages with the deprecated PLAIN_DICTIONARY encoding, as old writers did.</summary>
    internal bool LegacyDictionaryEncoding { get; set; }

    /// <summary>Tests only: allow INT96 timestamp columns (what Spark writes), which the public API only reads.</summary>
    internal bool AllowInt96 { get; set; }

    internal void Validate()
    {
        if (!Enum.IsDefined(Compression))
        {
            throw new ArgumentOutOfRangeException(nameof(Compression), Compression, "Unknown compression.");
        }

        if (RowGroupRows < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(RowGroupRows), RowGroupRows, "A row group needs at least one row.");
        }

        if (PageBytes < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(PageBytes), PageBytes, "The page size must be positive.");
        }

        if (DataPageVersion is not (1 or 2))
        {
            throw new ArgumentOutOfRangeException(nameof(DataPageVersion), DataPageVersion, "The data page version is 1 or 2.");
        }

        if (DictionaryBytesLimit < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(DictionaryBytesLimit), DictionaryBytesLimit, "The dictionary limit cannot be negative.");
        }
    }

    internal ParquetWriterOptions Snapshot()
    {
        var copy = new ParquetWriterOptions
        {
            Compression = Compression,
            RowGroupRows = RowGroupRows,
            PageBytes = PageBytes,
            Dictionary = Dictionary,
            DictionaryBytesLimit = DictionaryBytesLimit,
            Statistics = Statistics,
            Parallel = Parallel,
            DataPageVersion = DataPageVersion,
            LegacyDictionaryEncoding = LegacyDictionaryEncoding,
            AllowInt96 = AllowInt96,
        };
        return copy;
    }
}

/// <summary>What a read returns: a projection of columns and a filter on row-group statistics.</summary>
public sealed class ParquetReadOptions
{
    /// <summary>The columns to read, in this order; null reads all. Only these columns' chunks are read and decompressed.</summary>
    public IReadOnlyList<string>? Columns { get; init; }

    /// <summary>
    /// Row groups whose statistics show that no row can match are skipped without being read. Within the
    /// row groups that are read, rows that do not match are left out too (see <see cref="FilterRows"/>).
    /// </summary>
    public ParquetFilter? Filter { get; init; }

    /// <summary>
    /// When true (the default) the filter also drops non-matching rows of the row groups that are read, so the
    /// result is exactly the matching rows; when false it only skips row groups by their statistics.
    /// </summary>
    public bool FilterRows { get; init; } = true;

    /// <summary>Decompress and decode the columns on several threads (the rows are the same either way).</summary>
    public bool Parallel { get; init; } = true;
}
