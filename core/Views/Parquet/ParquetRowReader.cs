using Parquet;
using Parquet.Schema;

namespace Lambda.Core.Views;

/// <summary>
/// The current row of a read; column indexes are positions in the projection. One object is advanced per
/// row: read what you need before moving on. Asking for the wrong type, or for a null value, throws a
/// <see cref="ParquetException"/> naming the file.
/// </summary>
public sealed class ParquetRowReader
{
    private readonly ParquetFileReader _file;
    private ReadColumn[] _columns = [];
    private long _first;

    internal ParquetRowReader(ParquetFileReader file)
    {
        _file = file;
    }

    public int ColumnCount => _columns.Length;

    /// <summary>The row's position in the file (0-based).</summary>
    public long RowIndex => _first + Position;

    /// <summary>The projected columns.</summary>
    public IEnumerable<ParquetColumn> Columns => _columns.Select(c => c.Column);

    internal int Position { get; set; }

    internal void Bind(ReadColumn[] columns, long firstRow)
    {
        _columns = columns;
        _first = firstRow;
    }

    public bool IsNull(int column) => Column(column).IsNull(Position);

    public bool GetBoolean(int column) => Value<bool>(column, ParquetColumnKind.Boolean, nameof(GetBoolean));

    public int GetInt32(int column) => Value<int>(column, ParquetColumnKind.Int32, nameof(GetInt32));

    public float GetFloat(int column) => Value<float>(column, ParquetColumnKind.Float, nameof(GetFloat));

    public double GetDouble(int column) => Value<double>(column, ParquetColumnKind.Double, nameof(GetDouble));

    public DateOnly GetDate(int column) => Value<DateOnly>(column, ParquetColumnKind.Date, nameof(GetDate));

    /// <summary>An INT64 column, or a timestamp column as its stored number (units since the Unix epoch).</summary>
    public long GetInt64(int column)
    {
        var c = Column(column);
        return c.Column.Kind switch
        {
            ParquetColumnKind.Int64 => Value<long>(column, ParquetColumnKind.Int64, nameof(GetInt64)),
            ParquetColumnKind.TimestampMillis or ParquetColumnKind.TimestampMicros =>
                ParquetTimestamps.ToUnits(Value<DateTime>(column, c.Column.Kind, nameof(GetInt64)), c.Column.Kind),
            _ => throw WrongType(c, nameof(GetInt64)),
        };
    }

    public DateTimeOffset GetTimestamp(int column)
    {
        var c = Column(column);
        if (!c.Column.IsTimestamp)
        {
            throw WrongType(c, nameof(GetTimestamp));
        }

        return new DateTimeOffset(Value<DateTime>(column, c.Column.Kind, nameof(GetTimestamp)).Ticks, TimeSpan.Zero);
    }

    public string GetString(int column)
    {
        var c = Column(column);
        if (c is not StringReadColumn strings)
        {
            throw WrongType(c, nameof(GetString));
        }

        return strings.Values[Position] ?? throw NullValue(c, nameof(GetString));
    }

    /// <summary>The value boxed (timestamps as <see cref="DateTimeOffset"/>), or null. For display: it allocates.</summary>
    public object? GetValue(int column)
    {
        var c = Column(column);
        return c.IsNull(Position) ? null : c.Column.IsTimestamp ? GetTimestamp(column) : c.Box(Position);
    }

    private T Value<T>(int column, ParquetColumnKind kind, string getter)
        where T : struct
    {
        var c = Column(column);
        if (c is not ReadColumn<T> typed || c.Column.Kind != kind)
        {
            throw WrongType(c, getter);
        }

        var position = Position;
        if (typed.Values is { } values)
        {
            return values[position];
        }

        return typed.Nullable[position] ?? throw NullValue(c, getter);
    }

    private ReadColumn Column(int column) =>
        (uint)column < (uint)_columns.Length
            ? _columns[column]
            : throw new ArgumentOutOfRangeException(nameof(column), column, $"The read has {_columns.Length} columns.");

    private ParquetException WrongType(ReadColumn c, string getter) =>
        _file.Problem($"column '{c.Column.Name}' is {c.Column.Kind}; {getter} cannot read it (row {RowIndex})");

    private ParquetException NullValue(ReadColumn c, string getter) =>
        _file.Problem($"column '{c.Column.Name}' is null in row {RowIndex}; check IsNull before {getter}");
}

/// <summary>One projected column's values of the row group being read.</summary>
internal abstract class ReadColumn(ParquetColumn column, DataField field)
{
    public ParquetColumn Column { get; } = column;

    protected DataField Field { get; } = field;

    public abstract ValueTask LoadAsync(ParquetRowGroupReader group, int rows);

    public abstract bool IsNull(int row);

    public abstract object? Box(int row);

    public static ReadColumn For(ParquetColumn column, DataField field) => column.Kind switch
    {
        ParquetColumnKind.Boolean => new ReadColumn<bool>(column, field),
        ParquetColumnKind.Int32 => new ReadColumn<int>(column, field),
        ParquetColumnKind.Int64 => new ReadColumn<long>(column, field),
        ParquetColumnKind.Float => new ReadColumn<float>(column, field),
        ParquetColumnKind.Double => new ReadColumn<double>(column, field),
        ParquetColumnKind.Date => new ReadColumn<DateOnly>(column, field),
        ParquetColumnKind.TimestampMillis or ParquetColumnKind.TimestampMicros => new ReadColumn<DateTime>(column, field),
        ParquetColumnKind.String => new StringReadColumn(column, field),
        _ => throw new NotSupportedException($"Column '{column.Name}' ({column.Declared}) cannot be read by a view."),
    };
}

/// <summary>A column of values: a plain array when the file declares it required, nullable values otherwise (DuckDB writes every column optional).</summary>
internal sealed class ReadColumn<T>(ParquetColumn column, DataField field) : ReadColumn(column, field)
    where T : struct
{
    private T[] _values = [];
    private T?[] _nullable = [];

    public T[]? Values => Column.Nullable ? null : _values;

    public T?[] Nullable => _nullable;

    public override ValueTask LoadAsync(ParquetRowGroupReader group, int rows)
    {
        if (Column.Nullable)
        {
            if (_nullable.Length < rows)
            {
                _nullable = new T?[rows];
            }

            return group.ReadAsync<T>(Field, _nullable.AsMemory(0, rows), null, CancellationToken.None);
        }

        if (_values.Length < rows)
        {
            _values = new T[rows];
        }

        return group.ReadAsync<T>(Field, _values.AsMemory(0, rows), null, CancellationToken.None);
    }

    public override bool IsNull(int row) => Column.Nullable && !_nullable[row].HasValue;

    public override object? Box(int row) => Column.Nullable ? _nullable[row] : _values[row];
}

internal sealed class StringReadColumn(ParquetColumn column, DataField field) : ReadColumn(column, field)
{
    public string?[] Values { get; private set; } = [];

    public override ValueTask LoadAsync(ParquetRowGroupReader group, int rows)
    {
        if (Values.Length < rows)
        {
            Values = new string?[rows];
        }

        return group.ReadAsync(Field, Values.AsMemory(0, rows)!, null, CancellationToken.None);
    }

    public override bool IsNull(int row) => Values[row] is null;

    public override object? Box(int row) => Values[row];
}
