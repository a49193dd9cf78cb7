using System.Runtime.CompilerServices;
using Lambda.Core.Parquet.Reading;

namespace Lambda.Core.Parquet;

/// <summary>
/// The current row of a read. Column indexes are positions in the projection. One object is advanced per
/// row: read what you need before moving on, do not keep it. Asking for the wrong type, or for a value that
/// is null, throws a <see cref="ParquetException"/>.
/// </summary>
public sealed class ParquetRowReader
{
    private readonly ColumnCursor[] _cursors;
    private readonly ParquetFileReader _file;

    internal ParquetRowReader(ColumnCursor[] cursors, ParquetSchema schema, ParquetFileReader file)
    {
        _cursors = cursors;
        Schema = schema;
        _file = file;
    }

    /// <summary>The projected columns, in projection order.</summary>
    public ParquetSchema Schema { get; }

    public int ColumnCount => _cursors.Length;

    /// <summary>The row's position in the file (0-based).</summary>
    public long RowIndex { get; internal set; }

    /// <summary>The row's position in the cursors' current batch.</summary>
    internal int Position { get; set; }

    public bool IsNull(int column) => Cursor(column).IsNull(Position);

    public bool GetBoolean(int column) => Typed(column, ParquetType.Boolean, nameof(GetBoolean)).GetBoolean(Position);

    public int GetInt32(int column) => Typed(column, ParquetType.Int32, nameof(GetInt32)).GetInt32(Position);

    public long GetInt64(int column) => Typed(column, ParquetType.Int64, nameof(GetInt64)).GetInt64(Position);

    public float GetFloat(int column) => Typed(column, ParquetType.Float, nameof(GetFloat)).GetFloat(Position);

    public double GetDouble(int column) => Typed(column, ParquetType.Double, nameof(GetDouble)).GetDouble(Position);

    /// <summary>A BYTE_ARRAY value decoded as UTF-8.</summary>
    public string GetString(int column) => Typed(column, ParquetType.ByteArray, nameof(GetString)).GetString(Position);

    /// <summary>A BYTE_ARRAY or FIXED_LEN_BYTE_ARRAY value's bytes (a new array).</summary>
    public byte[] GetBytes(int column)
    {
        var cursor = Cursor(column);
        if (cursor.Type is not (ParquetType.ByteArray or ParquetType.FixedLenByteArray))
        {
            throw WrongType(cursor, nameof(GetBytes));
        }

        CheckNotNull(cursor);
        return cursor.GetBytesSpan(Position).ToArray();
    }

    public DateOnly GetDate(int column)
    {
        var cursor = Typed(column, ParquetType.Int32, nameof(GetDate));
        if (cursor.Leaf.Column.Logical != LogicalKind.Date)
        {
            throw WrongType(cursor, nameof(GetDate));
        }

        return cursor.GetDate(Position);
    }

    /// <summary>An INT64 timestamp (millis, micros or nanos, as UTC) or an INT96 timestamp.</summary>
    public DateTimeOffset GetTimestamp(int column)
    {
        var cursor = Cursor(column);
        if (!(cursor.Leaf.IsTimestamp || cursor.Type == ParquetType.Int96))
        {
            throw WrongType(cursor, nameof(GetTimestamp));
        }

        CheckNotNull(cursor);
        return cursor.GetTimestamp(Position);
    }

    /// <summary>The value boxed as its CLR type (see <see cref="ParquetColumn.ClrType"/>), or null. For display: it allocates.</summary>
    public object? GetValue(int column)
    {
        var cursor = Cursor(column);
        var row = Position;
        if (cursor.IsNull(row))
        {
            return null;
        }

        var leaf = cursor.Leaf;
        return leaf.Column.Type switch
        {
            ParquetType.Boolean => cursor.GetBoolean(row),
            ParquetType.Int32 when leaf.Column.Logical == LogicalKind.Date => cursor.GetDate(row),
            ParquetType.Int32 => cursor.GetInt32(row),
            ParquetType.Int64 when leaf.IsTimestamp && leaf.Column.Logical != LogicalKind.None => cursor.GetTimestamp(row),
            ParquetType.Int64 => cursor.GetInt64(row),
            ParquetType.Int96 => cursor.GetTimestamp(row),
            ParquetType.Float => cursor.GetFloat(row),
            ParquetType.Double => cursor.GetDouble(row),
            ParquetType.ByteArray when leaf.Column.Logical == LogicalKind.String => cursor.GetString(row),
            _ => cursor.GetBytesSpan(row).ToArray(),
        };
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private ColumnCursor Cursor(int column)
    {
        if ((uint)column >= (uint)_cursors.Length)
        {
            throw new ArgumentOutOfRangeException(nameof(column), column, $"The read has {_cursors.Length} columns.");
        }

        return _cursors[column];
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private ColumnCursor Typed(int column, ParquetType type, string getter)
    {
        var cursor = Cursor(column);
        if (cursor.Type != type)
        {
            throw WrongType(cursor, getter);
        }

        if (cursor.IsNull(Position))
        {
            throw NullValue(cursor, getter);
        }

        return cursor;
    }

    private void CheckNotNull(ColumnCursor cursor)
    {
        if (cursor.IsNull(Position))
        {
            throw NullValue(cursor, "Get");
        }
    }

    private ParquetException WrongType(ColumnCursor cursor, string getter)
    {
        var column = cursor.Leaf.Column;
        var type = column.Logical == LogicalKind.None ? column.Type.ToString() : $"{column.Type}/{column.Logical}";
        return _file.Problem($"column '{column.Name}' is {type} ({column.ClrType.Name}); {getter} cannot read it (row {RowIndex})");
    }

    private ParquetException NullValue(ColumnCursor cursor, string getter) =>
        _file.Problem($"column '{cursor.Leaf.Column.Name}' is null in row {RowIndex}; check IsNull before {getter}");
}
