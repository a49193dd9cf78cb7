using Apache.Arrow;
using Apache.Arrow.Ipc;
using Apache.Arrow.Types;

namespace Lambda.Core.Spark;

/// <summary>
/// Rows of a result, decoded from the Arrow IPC streams of <c>ExecutePlanResponse.arrow_batch</c>:
/// column names and one value array per row. Values are .NET types: long, int, short, sbyte,
/// double, float, bool, string, byte[], <see cref="DateOnly"/> (DATE) and <see cref="DateTimeOffset"/>
/// in UTC (TIMESTAMP); SQL NULL is null.
/// </summary>
public sealed class SparkRows
{
    private readonly List<object?[]> _rows = [];

    public IReadOnlyList<string> Columns { get; private set; } = [];

    public IReadOnlyList<object?[]> Rows => _rows;

    public int Count => _rows.Count;

    /// <summary>The value of <paramref name="column"/> in row <paramref name="row"/>.</summary>
    public object? this[int row, string column]
    {
        get
        {
            var index = Columns.ToList().IndexOf(column);
            return index < 0 ? throw new KeyNotFoundException($"no column '{column}' (columns: {string.Join(", ", Columns)})") : _rows[row][index];
        }
    }

    /// <summary>Appends the rows of one Arrow IPC stream (schema, then record batches).</summary>
    /// <returns>The number of rows appended.</returns>
    public long Append(ReadOnlyMemory<byte> arrowStream)
    {
        using var stream = new MemoryStream(arrowStream.ToArray(), writable: false);
        using var reader = new ArrowStreamReader(stream);
        long appended = 0;
        while (reader.ReadNextRecordBatch() is { } batch)
        {
            using (batch)
            {
                if (Columns.Count == 0)
                {
                    Columns = [.. batch.Schema.FieldsList.Select(f => f.Name)];
                }
                else if (batch.Schema.FieldsList.Count != Columns.Count)
                {
                    throw new InvalidDataException($"an Arrow batch has {batch.Schema.FieldsList.Count} columns, earlier ones had {Columns.Count}");
                }

                for (var r = 0; r < batch.Length; r++)
                {
                    var row = new object?[batch.ColumnCount];
                    for (var c = 0; c < batch.ColumnCount; c++)
                    {
                        row[c] = Value(batch.Column(c), r, batch.Schema.GetFieldByIndex(c).Name);
                    }

                    _rows.Add(row);
                }

                appended += batch.Length;
            }
        }

        return appended;
    }

    /// <summary>Decodes one Arrow IPC stream.</summary>
    public static SparkRows Decode(ReadOnlyMemory<byte> arrowStream)
    {
        var rows = new SparkRows();
        rows.Append(arrowStream);
        return rows;
    }

    private static object? Value(IArrowArray array, int index, string column)
    {
        if (array.IsNull(index))
        {
            return null;
        }

        return array switch
        {
            Int64Array a => a.GetValue(index),
            Int32Array a => a.GetValue(index),
            Int16Array a => a.GetValue(index),
            Int8Array a => a.GetValue(index),
            DoubleArray a => a.GetValue(index),
            FloatArray a => a.GetValue(index),
            BooleanArray a => a.GetValue(index),
            StringArray a => a.GetString(index),
            BinaryArray a => a.GetBytes(index).ToArray(),
            Date32Array a => DateOnly.FromDayNumber(DateOnly.FromDateTime(DateTime.UnixEpoch).DayNumber + a.GetValue(index)!.Value),
            TimestampArray a => Timestamp(a, index),
            _ => throw new NotSupportedException($"column '{column}': Arrow type {array.Data.DataType.Name} is not decoded by this client"),
        };
    }

    /// <summary>Spark sends TIMESTAMP as microseconds with the session time zone; the instant is what counts.</summary>
    private static DateTimeOffset Timestamp(TimestampArray array, int index)
    {
        var value = array.GetValue(index)!.Value;
        var unit = ((TimestampType)array.Data.DataType).Unit;
        var ticks = unit switch
        {
            TimeUnit.Second => value * TimeSpan.TicksPerSecond,
            TimeUnit.Millisecond => value * TimeSpan.TicksPerMillisecond,
            TimeUnit.Microsecond => value * 10,
            _ => value / 100,
        };
        return new DateTimeOffset(DateTime.UnixEpoch.Ticks + ticks, TimeSpan.Zero);
    }
}
