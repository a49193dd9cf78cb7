using System.Runtime.CompilerServices;
using Lambda.Core.Parquet.Writing;

namespace Lambda.Core.Parquet;

/// <summary>
/// Sets the values of the row being written; <see cref="ParquetFileWriter.EndRow"/> commits it. Every required
/// column must be set once per row; an optional column left unset is null.
/// </summary>
public sealed class ParquetRowWriter
{
    private ColumnBuffer[] _columns;
    private int _row;

    internal ParquetRowWriter(ColumnBuffer[] columns)
    {
        _columns = columns;
    }

    public int ColumnCount => _columns.Length;

    /// <summary>The buffers rows go to (the writer swaps them when a row group goes to the background).</summary>
    internal ColumnBuffer[] Columns
    {
        get => _columns;
        set => _columns = value;
    }

    /// <summary>The row's index within the current row group.</summary>
    internal int RowInGroup
    {
        get => _row;
        set => _row = value;
    }

    public void SetNull(int column)
    {
        var c = Column(column);
        if (!c.Nullable)
        {
            throw new InvalidOperationException($"Column '{c.Column.Name}' is required (not nullable): it cannot be set to null.");
        }

        MarkSet(c);
        c.Defs[_row] = 0;
    }

    public void SetBoolean(int column, bool value)
    {
        var c = Begin(column, ParquetType.Boolean, nameof(SetBoolean));
        c.Bools![c.Count++] = value;
    }

    public void SetInt32(int column, int value)
    {
        var c = Begin(column, ParquetType.Int32, nameof(SetInt32));
        c.Ints![c.Count++] = value;
    }

    public void SetInt64(int column, long value)
    {
        var c = Begin(column, ParquetType.Int64, nameof(SetInt64));
        c.Longs![c.Count++] = value;
    }

    public void SetFloat(int column, float value)
    {
        var c = Begin(column, ParquetType.Float, nameof(SetFloat));
        c.Floats![c.Count++] = value;
    }

    public void SetDouble(int column, double value)
    {
        var c = Begin(column, ParquetType.Double, nameof(SetDouble));
        c.Doubles![c.Count++] = value;
    }

    /// <summary>Sets a BYTE_ARRAY column to the UTF-8 bytes of <paramref name="value"/>; null sets null.</summary>
    public void SetString(int column, string? value)
    {
        if (value is null)
        {
            SetNull(column);
            return;
        }

        var c = Begin(column, ParquetType.ByteArray, nameof(SetString));
        c.AddString(value);
    }

    public void SetDate(int column, DateOnly value)
    {
        var c = Begin(column, ParquetType.Int32, nameof(SetDate));
        if (c.Column.Logical != LogicalKind.Date)
        {
            throw WrongType(c, nameof(SetDate));
        }

        c.Ints![c.Count++] = ParquetValues.DateToDays(value);
    }

    /// <summary>Sets a timestamp column (microseconds or milliseconds since the epoch, UTC; finer ticks are truncated).</summary>
    public void SetTimestamp(int column, DateTimeOffset value)
    {
        if (Column(column).Type == ParquetType.Int96)
        {
            var legacy = Begin(column, ParquetType.Int96, nameof(SetTimestamp));
            legacy.Longs![legacy.Count++] = value.UtcTicks;
            return;
        }

        var c = Begin(column, ParquetType.Int64, nameof(SetTimestamp));
        c.Longs![c.Count++] = c.Column.Logical switch
        {
            LogicalKind.TimestampMicros => ParquetValues.ToMicros(value),
            LogicalKind.TimestampMillis => ParquetValues.ToMillis(value),
            _ => throw WrongType(c, nameof(SetTimestamp)),
        };
    }

    /// <summary>Sets a column from a boxed CLR value of its type (null sets null); slower than the typed setters.</summary>
    public void SetValue(int column, object? value)
    {
        if (value is null)
        {
            SetNull(column);
            return;
        }

        switch (value)
        {
            case bool b:
                SetBoolean(column, b);
                break;
            case int i:
                SetInt32(column, i);
                break;
            case long l:
                SetInt64(column, l);
                break;
            case float f:
                SetFloat(column, f);
                break;
            case double d:
                SetDouble(column, d);
                break;
            case string s:
                SetString(column, s);
                break;
            case DateOnly date:
                SetDate(column, date);
                break;
            case DateTimeOffset timestamp:
                SetTimestamp(column, timestamp);
                break;
            case DateTime dateTime:
                SetTimestamp(column, new DateTimeOffset(dateTime.Kind == DateTimeKind.Unspecified ? DateTime.SpecifyKind(dateTime, DateTimeKind.Utc) : dateTime.ToUniversalTime()));
                break;
            default:
                throw new ArgumentException($"Column '{Column(column).Column.Name}': values of type {value.GetType().Name} cannot be written.", nameof(value));
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private ColumnBuffer Begin(int column, ParquetType type, string setter)
    {
        var c = Column(column);
        if (c.Type != type)
        {
            throw WrongType(c, setter);
        }

        MarkSet(c);
        if (c.Nullable)
        {
            c.Defs[_row] = 1;
        }

        return c;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private ColumnBuffer Column(int column)
    {
        if ((uint)column >= (uint)_columns.Length)
        {
            throw new ArgumentOutOfRangeException(nameof(column), column, $"The schema has {_columns.Length} columns.");
        }

        return _columns[column];
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void MarkSet(ColumnBuffer c)
    {
        if (c.LastRow == _row)
        {
            throw new InvalidOperationException($"Column '{c.Column.Name}' was already set in this row.");
        }

        c.LastRow = _row;
    }

    private static InvalidOperationException WrongType(ColumnBuffer c, string setter) =>
        new($"Column '{c.Column.Name}' is {c.Column.Type}{(c.Column.Logical == LogicalKind.None ? "" : "/" + c.Column.Logical)}: {setter} cannot write it.");

    /// <summary>Checks that every required column was set; unset optional columns become null.</summary>
    internal void Commit(long rowNumber)
    {
        var row = _row;
        foreach (var c in _columns)
        {
            if (c.LastRow != row)
            {
                if (!c.Nullable)
                {
                    throw new InvalidOperationException($"Column '{c.Column.Name}' (required) was not set in row {rowNumber}.");
                }

                c.LastRow = row;
                c.Defs[row] = 0;
            }
        }

        foreach (var c in _columns)
        {
            c.CommittedCount = c.Count;
        }
    }
}
