namespace Lambda.Core.Views;

/// <summary>
/// Sets the values of the row being written; <see cref="ParquetFileWriter.EndRow"/> commits it. Every required
/// column must be set once per row; an optional column left unset is null.
/// </summary>
public sealed class ParquetRowWriter
{
    private readonly WriteColumn[] _columns;
    private int _row;

    internal ParquetRowWriter(WriteColumn[] columns)
    {
        _columns = columns;
    }

    public int ColumnCount => _columns.Length;

    public void SetNull(int column)
    {
        var c = Begin(column);
        if (!c.Column.Nullable)
        {
            throw new InvalidOperationException($"Column '{c.Column.Name}' is required (not nullable): it cannot be set to null.");
        }

        c.AddNull();
    }

    public void SetBoolean(int column, bool value) => Typed<bool>(column, ParquetColumnKind.Boolean, nameof(SetBoolean)).Add(value);

    public void SetInt32(int column, int value) => Typed<int>(column, ParquetColumnKind.Int32, nameof(SetInt32)).Add(value);

    public void SetFloat(int column, float value) => Typed<float>(column, ParquetColumnKind.Float, nameof(SetFloat)).Add(value);

    public void SetDouble(int column, double value) => Typed<double>(column, ParquetColumnKind.Double, nameof(SetDouble)).Add(value);

    public void SetDate(int column, DateOnly value) => Typed<DateOnly>(column, ParquetColumnKind.Date, nameof(SetDate)).Add(value);

    /// <summary>An INT64 column, or a timestamp column given in its own unit since the Unix epoch (the master's Binance ms).</summary>
    public void SetInt64(int column, long value)
    {
        var c = Begin(column);
        switch (c)
        {
            case WriteColumn<long> longs when c.Column.Kind == ParquetColumnKind.Int64:
                longs.Add(value);
                break;
            case WriteColumn<DateTime> times:
                times.Add(ParquetTimestamps.FromUnits(value, c.Column.Kind));
                break;
            default:
                throw WrongType(c, nameof(SetInt64));
        }
    }

    /// <summary>A timestamp column (UTC); ticks finer than the column's unit are dropped (rounded down).</summary>
    public void SetTimestamp(int column, DateTimeOffset value)
    {
        var c = Begin(column);
        if (c is not WriteColumn<DateTime> times)
        {
            throw WrongType(c, nameof(SetTimestamp));
        }

        times.Add(ParquetTimestamps.Truncate(value, c.Column.Kind));
    }

    /// <summary>A STRING column (UTF-8); null sets null.</summary>
    public void SetString(int column, string? value)
    {
        if (value is null)
        {
            SetNull(column);
            return;
        }

        if (Begin(column) is not StringWriteColumn strings)
        {
            throw WrongType(_columns[column], nameof(SetString));
        }

        strings.Add(value);
    }

    private WriteColumn<T> Typed<T>(int column, ParquetColumnKind kind, string setter)
        where T : struct
    {
        var c = Begin(column);
        return c is WriteColumn<T> typed && c.Column.Kind == kind ? typed : throw WrongType(c, setter);
    }

    private WriteColumn Begin(int column)
    {
        if ((uint)column >= (uint)_columns.Length)
        {
            throw new ArgumentOutOfRangeException(nameof(column), column, $"The schema has {_columns.Length} columns.");
        }

        var c = _columns[column];
        if (c.Count > _row)
        {
            throw new InvalidOperationException($"Column '{c.Column.Name}' was already set in this row.");
        }

        return c;
    }

    private static InvalidOperationException WrongType(WriteColumn c, string setter) =>
        new($"Column '{c.Column.Name}' is {c.Column.Kind}: {setter} cannot write it.");

    /// <summary>Checks that every required column was set in row <paramref name="rowInGroup"/>; unset optional columns become null.</summary>
    internal void Commit(int rowInGroup, long rowNumber)
    {
        foreach (var c in _columns)
        {
            if (c.Count == rowInGroup)
            {
                if (!c.Column.Nullable)
                {
                    throw new InvalidOperationException($"Column '{c.Column.Name}' (required) was not set in row {rowNumber}.");
                }

                c.AddNull();
            }
        }

        _row = rowInGroup + 1;
        if (_row >= int.MaxValue)
        {
            throw new InvalidOperationException("A row group cannot hold more rows.");
        }
    }

    /// <summary>Forgets the values of a row that was begun but not committed; the next row is row 0 of a new group when the group was flushed.</summary>
    internal void Rollback(int rowsInGroup)
    {
        foreach (var c in _columns)
        {
            c.Truncate(rowsInGroup);
        }

        _row = rowsInGroup;
    }

    /// <summary>After a row group was written out the next row is the first of the next group.</summary>
    internal void StartGroup() => _row = 0;
}
