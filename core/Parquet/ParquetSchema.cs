namespace Lambda.Core.Parquet;

/// <summary>Parquet physical types (how values are stored on disk).</summary>
public enum ParquetType
{
    Boolean,
    Int32,
    Int64,
    /// <summary>Legacy timestamp (nanoseconds of day + Julian day), read only: what Spark writes by default.</summary>
    Int96,
    Float,
    Double,
    ByteArray,
    /// <summary>Read only: fixed-length byte arrays (UUID, some decimals), returned as <c>byte[]</c>.</summary>
    FixedLenByteArray,
}

/// <summary>Logical annotations this library interprets; anything else is read as its physical type.</summary>
public enum LogicalKind
{
    None,
    /// <summary>BYTE_ARRAY holding UTF-8 text: <see cref="string"/>.</summary>
    String,
    /// <summary>INT32 days since 1970-01-01: <see cref="DateOnly"/>.</summary>
    Date,
    /// <summary>INT64 milliseconds since the Unix epoch, UTC: <see cref="DateTimeOffset"/>.</summary>
    TimestampMillis,
    /// <summary>INT64 microseconds since the Unix epoch, UTC: <see cref="DateTimeOffset"/>.</summary>
    TimestampMicros,
}

/// <summary>Compression codecs this library writes and reads.</summary>
public enum ParquetCompression
{
    Uncompressed,
    Snappy,
    Gzip,
}

/// <summary>Encodings as recorded in the file's column metadata (values of the Parquet <c>Encoding</c> enum).</summary>
public enum ParquetEncoding
{
    Plain = 0,
    PlainDictionary = 2,
    Rle = 3,
    BitPacked = 4,
    DeltaBinaryPacked = 5,
    DeltaLengthByteArray = 6,
    DeltaByteArray = 7,
    RleDictionary = 8,
    ByteStreamSplit = 9,
}

/// <summary>One column of a flat schema: a required (never null) or optional (nullable) leaf.</summary>
public sealed record ParquetColumn(string Name, ParquetType Type, LogicalKind Logical = LogicalKind.None, bool Nullable = false)
{
    public static ParquetColumn Boolean(string name, bool nullable = false) => new(name, ParquetType.Boolean, LogicalKind.None, nullable);
    public static ParquetColumn Int32(string name, bool nullable = false) => new(name, ParquetType.Int32, LogicalKind.None, nullable);
    public static ParquetColumn Int64(string name, bool nullable = false) => new(name, ParquetType.Int64, LogicalKind.None, nullable);
    public static ParquetColumn Float(string name, bool nullable = false) => new(name, ParquetType.Float, LogicalKind.None, nullable);
    public static ParquetColumn Double(string name, bool nullable = false) => new(name, ParquetType.Double, LogicalKind.None, nullable);
    public static ParquetColumn String(string name, bool nullable = false) => new(name, ParquetType.ByteArray, LogicalKind.String, nullable);
    public static ParquetColumn Date(string name, bool nullable = false) => new(name, ParquetType.Int32, LogicalKind.Date, nullable);
    public static ParquetColumn TimestampMicros(string name, bool nullable = false) => new(name, ParquetType.Int64, LogicalKind.TimestampMicros, nullable);
    public static ParquetColumn TimestampMillis(string name, bool nullable = false) => new(name, ParquetType.Int64, LogicalKind.TimestampMillis, nullable);

    /// <summary>True when the logical annotation fits the physical type (STRING on BYTE_ARRAY, DATE on INT32, timestamps on INT64).</summary>
    public bool IsValid => Logical switch
    {
        LogicalKind.None => true,
        LogicalKind.String => Type == ParquetType.ByteArray,
        LogicalKind.Date => Type == ParquetType.Int32,
        LogicalKind.TimestampMillis or LogicalKind.TimestampMicros => Type == ParquetType.Int64,
        _ => false,
    };

    /// <summary>The CLR type of this column's values (<see cref="ParquetRowReader.GetValue"/>).</summary>
    public Type ClrType => (Type, Logical) switch
    {
        (ParquetType.Boolean, _) => typeof(bool),
        (ParquetType.Int32, LogicalKind.Date) => typeof(DateOnly),
        (ParquetType.Int32, _) => typeof(int),
        (ParquetType.Int64, LogicalKind.TimestampMillis or LogicalKind.TimestampMicros) => typeof(DateTimeOffset),
        (ParquetType.Int64, _) => typeof(long),
        (ParquetType.Int96, _) => typeof(DateTimeOffset),
        (ParquetType.Float, _) => typeof(float),
        (ParquetType.Double, _) => typeof(double),
        (ParquetType.ByteArray, LogicalKind.String) => typeof(string),
        _ => typeof(byte[]),
    };

    public override string ToString() =>
        $"{Name} {Type}{(Logical == LogicalKind.None ? "" : "/" + Logical)}{(Nullable ? " NULL" : " NOT NULL")}";
}

/// <summary>A flat schema: an ordered list of uniquely named columns.</summary>
public sealed record ParquetSchema(IReadOnlyList<ParquetColumn> Columns)
{
    private Dictionary<string, int>? _index;

    public ParquetSchema(params ParquetColumn[] columns) : this((IReadOnlyList<ParquetColumn>)columns)
    {
    }

    private readonly IReadOnlyList<ParquetColumn> _columns = Validate(Columns);

    public IReadOnlyList<ParquetColumn> Columns
    {
        get => _columns;
        init
        {
            _columns = Validate(value);
            _index = null;
        }
    }

    public int Count => Columns.Count;

    public ParquetColumn this[int index] => Columns[index];

    /// <summary>The position of the column called <paramref name="name"/> (ordinal, case-sensitive), or -1.</summary>
    public int IndexOf(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        var index = _index;
        if (index is null)
        {
            index = new Dictionary<string, int>(Columns.Count, StringComparer.Ordinal);
            for (var i = 0; i < Columns.Count; i++)
            {
                index[Columns[i].Name] = i;
            }

            _index = index;
        }

        return index.TryGetValue(name, out var position) ? position : -1;
    }

    public bool Equals(ParquetSchema? other) =>
        other is not null && (ReferenceEquals(this, other) || Columns.SequenceEqual(other.Columns));

    public override int GetHashCode()
    {
        var hash = new HashCode();
        foreach (var column in Columns)
        {
            hash.Add(column);
        }

        return hash.ToHashCode();
    }

    public override string ToString() => string.Join(", ", Columns);

    private static IReadOnlyList<ParquetColumn> Validate(IReadOnlyList<ParquetColumn> columns)
    {
        ArgumentNullException.ThrowIfNull(columns);
        if (columns.Count == 0)
        {
            throw new ArgumentException("A Parquet schema needs at least one column.", nameof(columns));
        }

        var copy = columns.ToArray();
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var column in copy)
        {
            if (column is null)
            {
                throw new ArgumentException("A Parquet schema cannot contain a null column.", nameof(columns));
            }

            if (string.IsNullOrEmpty(column.Name))
            {
                throw new ArgumentException("Every Parquet column needs a name.", nameof(columns));
            }

            if (!names.Add(column.Name))
            {
                throw new ArgumentException($"The column name '{column.Name}' appears twice in the schema.", nameof(columns));
            }

            if (!column.IsValid)
            {
                throw new ArgumentException($"Column '{column.Name}': logical type {column.Logical} does not fit physical type {column.Type}.", nameof(columns));
            }
        }

        return Array.AsReadOnly(copy);
    }
}

/// <summary>A damaged or unsupported Parquet file, or a value read as the wrong type; the message names the file and the problem.</summary>
public sealed class ParquetException : Exception
{
    public ParquetException()
    {
    }

    public ParquetException(string message) : base(message)
    {
    }

    public ParquetException(string message, Exception innerException) : base(message, innerException)
    {
    }

    /// <summary>The file (or stream name) the problem was found in, when known.</summary>
    public string? FileName { get; init; }

    internal static ParquetException For(string file, string problem, Exception? inner = null) =>
        inner is null
            ? new ParquetException($"{file}: {problem}") { FileName = file }
            : new ParquetException($"{file}: {problem}", inner) { FileName = file };
}
