using System.Buffers.Binary;
using Lambda.Core.Parquet.Reading;

namespace Lambda.Core.Parquet;

/// <summary>
/// A condition on one column, inclusive at both ends, with values given as the column's CLR type
/// (numbers may be given as any numeric type; timestamps also as <see cref="DateTime"/>). Row groups whose
/// statistics show that no value can match are skipped without being read. Null never matches.
/// </summary>
public abstract class ParquetFilter
{
    private protected ParquetFilter()
    {
    }

    /// <summary>Rows whose <paramref name="column"/> lies in [<paramref name="min"/>, <paramref name="max"/>]; a null bound is open.</summary>
    public static ParquetFilter Between(string column, object? min, object? max)
    {
        ArgumentException.ThrowIfNullOrEmpty(column);
        return new RangeFilter(column, min, max);
    }

    /// <summary>Rows whose <paramref name="column"/> equals <paramref name="value"/>.</summary>
    public static ParquetFilter Equal(string column, object value)
    {
        ArgumentException.ThrowIfNullOrEmpty(column);
        ArgumentNullException.ThrowIfNull(value);
        return new RangeFilter(column, value, value);
    }

    /// <summary>Rows matching every one of <paramref name="filters"/>.</summary>
    public static ParquetFilter And(params ParquetFilter[] filters)
    {
        ArgumentNullException.ThrowIfNull(filters);
        if (filters.Length == 0 || filters.Any(f => f is null))
        {
            throw new ArgumentException("And needs one or more filters.", nameof(filters));
        }

        return new AndFilter([.. filters]);
    }

    /// <summary>Resolves column names and converts the bounds to the stored representation.</summary>
    internal abstract BoundFilter Bind(ParquetSchema schema, IReadOnlyList<LeafInfo> leaves, string file);

    internal abstract IEnumerable<string> ColumnNames { get; }

    private sealed class AndFilter(ParquetFilter[] parts) : ParquetFilter
    {
        internal override IEnumerable<string> ColumnNames => parts.SelectMany(p => p.ColumnNames);

        internal override BoundFilter Bind(ParquetSchema schema, IReadOnlyList<LeafInfo> leaves, string file) =>
            new BoundAnd([.. parts.Select(p => p.Bind(schema, leaves, file))]);

        public override string ToString() => string.Join(" AND ", parts.Select(p => p.ToString()));
    }

    private sealed class RangeFilter(string column, object? min, object? max) : ParquetFilter
    {
        internal override IEnumerable<string> ColumnNames => [column];

        public override string ToString() => $"{column} BETWEEN {min ?? "-inf"} AND {max ?? "+inf"}";

        internal override BoundFilter Bind(ParquetSchema schema, IReadOnlyList<LeafInfo> leaves, string file)
        {
            var index = schema.IndexOf(column);
            if (index < 0)
            {
                throw new ArgumentException($"{file}: the filter names column '{column}', which the file does not have.");
            }

            var leaf = leaves[index];
            var range = new BoundRange(index, leaf);
            switch (range.Domain)
            {
                case Domain.Integer:
                    range.MinLong = min is null ? long.MinValue : ToLong(leaf, min, lower: true);
                    range.MaxLong = max is null ? long.MaxValue : ToLong(leaf, max, lower: false);
                    break;
                case Domain.Floating:
                    range.MinDouble = min is null ? double.NegativeInfinity : ToDouble(leaf, min);
                    range.MaxDouble = max is null ? double.PositiveInfinity : ToDouble(leaf, max);
                    break;
                case Domain.Bytes:
                    range.MinBytes = min is null ? null : ToBytes(leaf, min);
                    range.MaxBytes = max is null ? null : ToBytes(leaf, max);
                    break;
                case Domain.Ticks:
                    range.MinLong = min is null ? long.MinValue : ToTimestamp(leaf, min).UtcTicks;
                    range.MaxLong = max is null ? long.MaxValue : ToTimestamp(leaf, max).UtcTicks;
                    break;
            }

            return range;
        }

        private static long ToLong(LeafInfo leaf, object value, bool lower)
        {
            var column = leaf.Column;
            switch (value)
            {
                case bool b when column.Type == ParquetType.Boolean:
                    return b ? 1 : 0;
                case DateOnly date when column.Logical == LogicalKind.Date:
                    return ParquetValues.DateToDays(date);
                case DateTimeOffset or DateTime when leaf.TicksPerUnit != 0 || leaf.UnitsPerTick != 0:
                {
                    var ticks = ToTimestamp(leaf, value).UtcTicks - DateTime.UnixEpoch.Ticks;
                    if (leaf.UnitsPerTick != 0)
                    {
                        return checked(ticks * leaf.UnitsPerTick); // nanoseconds
                    }

                    var units = Math.DivRem(ticks, leaf.TicksPerUnit, out var rest);
                    if (rest != 0)
                    {
                        // between two stored units: round inwards so the range stays exact
                        units = rest > 0 ? (lower ? units + 1 : units) : (lower ? units : units - 1);
                    }

                    return units;
                }

                case byte or sbyte or short or ushort or int or uint or long when column.Type is ParquetType.Int32 or ParquetType.Int64:
                    return Convert.ToInt64(value, System.Globalization.CultureInfo.InvariantCulture);
                case float or double or decimal when column.Type is ParquetType.Int32 or ParquetType.Int64:
                {
                    var d = Convert.ToDouble(value, System.Globalization.CultureInfo.InvariantCulture);
                    d = lower ? Math.Ceiling(d) : Math.Floor(d);
                    return d >= long.MaxValue ? long.MaxValue : d <= long.MinValue ? long.MinValue : (long)d;
                }

                default:
                    throw BadValue(leaf, value);
            }
        }

        private static double ToDouble(LeafInfo leaf, object value) => value switch
        {
            byte or sbyte or short or ushort or int or uint or long or ulong or float or double or decimal =>
                Convert.ToDouble(value, System.Globalization.CultureInfo.InvariantCulture),
            _ => throw BadValue(leaf, value),
        };

        private static byte[] ToBytes(LeafInfo leaf, object value) => value switch
        {
            string s => System.Text.Encoding.UTF8.GetBytes(s),
            byte[] bytes => bytes,
            _ => throw BadValue(leaf, value),
        };

        private static DateTimeOffset ToTimestamp(LeafInfo leaf, object value) => value switch
        {
            DateTimeOffset timestamp => timestamp,
            DateTime dateTime => dateTime.Kind == DateTimeKind.Unspecified
                ? new DateTimeOffset(DateTime.SpecifyKind(dateTime, DateTimeKind.Utc))
                : new DateTimeOffset(dateTime.ToUniversalTime()),
            _ => throw BadValue(leaf, value),
        };

        private static ArgumentException BadValue(LeafInfo leaf, object value) =>
            new($"The filter on column '{leaf.Column.Name}' ({leaf.Column.ClrType.Name}) cannot compare it with a {value.GetType().Name}.");
    }
}

/// <summary>How filter values are compared: as integers (raw stored units), doubles, bytes or UTC ticks (INT96).</summary>
internal enum Domain
{
    Integer,
    Floating,
    Bytes,
    Ticks,
}

internal abstract class BoundFilter
{
    /// <summary>False when the row group's statistics prove that no row matches.</summary>
    public abstract bool MayMatch(Thrift.RowGroup group, IReadOnlyList<Thrift.ColumnMetaData?> metas);

    public abstract bool Matches(ColumnCursor[] cursors, int row);

    public abstract IEnumerable<int> Columns { get; }
}

internal sealed class BoundAnd(BoundFilter[] parts) : BoundFilter
{
    public override IEnumerable<int> Columns => parts.SelectMany(p => p.Columns);

    public override bool MayMatch(Thrift.RowGroup group, IReadOnlyList<Thrift.ColumnMetaData?> metas) => parts.All(p => p.MayMatch(group, metas));

    public override bool Matches(ColumnCursor[] cursors, int row)
    {
        foreach (var part in parts)
        {
            if (!part.Matches(cursors, row))
            {
                return false;
            }
        }

        return true;
    }
}

internal sealed class BoundRange : BoundFilter
{
    public BoundRange(int column, LeafInfo leaf)
    {
        Column = column;
        Leaf = leaf;
        Domain = leaf.Column.Type switch
        {
            ParquetType.Float or ParquetType.Double => Domain.Floating,
            ParquetType.ByteArray or ParquetType.FixedLenByteArray => Domain.Bytes,
            ParquetType.Int96 => Domain.Ticks,
            _ => Domain.Integer,
        };
    }

    public int Column { get; }

    public LeafInfo Leaf { get; }

    public Domain Domain { get; }

    public long MinLong { get; set; }

    public long MaxLong { get; set; }

    public double MinDouble { get; set; }

    public double MaxDouble { get; set; }

    public byte[]? MinBytes { get; set; }

    public byte[]? MaxBytes { get; set; }

    public override IEnumerable<int> Columns => [Column];

    public override bool MayMatch(Thrift.RowGroup group, IReadOnlyList<Thrift.ColumnMetaData?> metas)
    {
        if (IsEmpty())
        {
            return false;
        }

        var meta = metas[Column];
        var statistics = meta?.Statistics;
        if (statistics is null)
        {
            return true;
        }

        if (statistics.NullCount is { } nulls && nulls >= group.NumRows && group.NumRows > 0)
        {
            return false; // only nulls: nothing can match
        }

        var (min, max) = StatisticsReader.RawMinMax(Leaf, statistics);
        if (min is null || max is null)
        {
            return true;
        }

        switch (Domain)
        {
            case Domain.Integer:
            {
                var lo = StatisticsReader.RawToLong(Leaf, min);
                var hi = StatisticsReader.RawToLong(Leaf, max);
                return !(MaxLong < lo || MinLong > hi);
            }

            case Domain.Floating:
            {
                var lo = StatisticsReader.RawToDouble(Leaf, min);
                var hi = StatisticsReader.RawToDouble(Leaf, max);
                if (double.IsNaN(lo) || double.IsNaN(hi))
                {
                    return true;
                }

                return !(MaxDouble < lo || MinDouble > hi);
            }

            case Domain.Bytes:
                return !((MaxBytes is not null && MaxBytes.AsSpan().SequenceCompareTo(min) < 0)
                    || (MinBytes is not null && MinBytes.AsSpan().SequenceCompareTo(max) > 0));
            default:
                return true;
        }
    }

    private bool IsEmpty() => Domain switch
    {
        Domain.Integer or Domain.Ticks => MinLong > MaxLong,
        Domain.Floating => MinDouble > MaxDouble || double.IsNaN(MinDouble) || double.IsNaN(MaxDouble),
        _ => MinBytes is not null && MaxBytes is not null && MinBytes.AsSpan().SequenceCompareTo(MaxBytes) > 0,
    };

    public override bool Matches(ColumnCursor[] cursors, int row)
    {
        var cursor = cursors[Column];
        if (cursor.IsNull(row))
        {
            return false;
        }

        switch (Domain)
        {
            case Domain.Integer:
            {
                var value = cursor.GetRawLong(row);
                return value >= MinLong && value <= MaxLong;
            }

            case Domain.Floating:
            {
                var value = cursor.GetRawDouble(row);
                return value >= MinDouble && value <= MaxDouble;
            }

            case Domain.Bytes:
            {
                var value = cursor.GetBytesSpan(row);
                return (MinBytes is null || value.SequenceCompareTo(MinBytes) >= 0)
                    && (MaxBytes is null || value.SequenceCompareTo(MaxBytes) <= 0);
            }

            default:
            {
                var ticks = cursor.GetTimestamp(row).UtcTicks;
                return ticks >= MinLong && ticks <= MaxLong;
            }
        }
    }
}

/// <summary>Decodes PLAIN-encoded statistics values.</summary>
internal static class StatisticsReader
{
    /// <summary>The min / max bytes to trust: min_value / max_value, else the legacy fields where their signed order is right.</summary>
    public static (byte[]? Min, byte[]? Max) RawMinMax(LeafInfo leaf, Thrift.Statistics statistics)
    {
        if (leaf.Column.Type == ParquetType.Int96 || !leaf.TypeOrder)
        {
            return (null, null);
        }

        byte[]? min, max;
        if (statistics.MinValue is not null && statistics.MaxValue is not null)
        {
            (min, max) = (statistics.MinValue, statistics.MaxValue);
        }
        else if (leaf.Column.Type is not (ParquetType.ByteArray or ParquetType.FixedLenByteArray))
        {
            (min, max) = (statistics.Min, statistics.Max);
        }
        else
        {
            return (null, null);
        }

        if (min is null || max is null)
        {
            return (null, null);
        }

        var width = leaf.Column.Type switch
        {
            ParquetType.Boolean => 1,
            ParquetType.Int32 or ParquetType.Float => 4,
            ParquetType.Int64 or ParquetType.Double => 8,
            _ => -1,
        };
        if (width > 0 && (min.Length != width || max.Length != width))
        {
            return (null, null);
        }

        return (min, max);
    }

    public static long RawToLong(LeafInfo leaf, byte[] raw) => leaf.Column.Type switch
    {
        ParquetType.Boolean => raw[0] != 0 ? 1 : 0,
        ParquetType.Int32 => BinaryPrimitives.ReadInt32LittleEndian(raw),
        _ => BinaryPrimitives.ReadInt64LittleEndian(raw),
    };

    public static double RawToDouble(LeafInfo leaf, byte[] raw) => leaf.Column.Type == ParquetType.Float
        ? BinaryPrimitives.ReadSingleLittleEndian(raw)
        : BinaryPrimitives.ReadDoubleLittleEndian(raw);

    /// <summary>The statistics value as a CLR value of the column's type, or null.</summary>
    public static object? ToClr(LeafInfo leaf, byte[]? raw)
    {
        if (raw is null)
        {
            return null;
        }

        var column = leaf.Column;
        switch (column.Type)
        {
            case ParquetType.Boolean:
                return raw[0] != 0;
            case ParquetType.Int32:
            {
                var value = BinaryPrimitives.ReadInt32LittleEndian(raw);
                if (column.Logical == LogicalKind.Date)
                {
                    return ParquetValues.TryDaysToDate(value, out var date) ? date : null;
                }

                return value;
            }

            case ParquetType.Int64:
            {
                var value = BinaryPrimitives.ReadInt64LittleEndian(raw);
                if (leaf.IsTimestamp)
                {
                    return leaf.TryTimestamp(value, out var timestamp) ? timestamp : null;
                }

                return value;
            }

            case ParquetType.Float:
            {
                var value = BinaryPrimitives.ReadSingleLittleEndian(raw);
                return float.IsNaN(value) ? null : value;
            }

            case ParquetType.Double:
            {
                var value = BinaryPrimitives.ReadDoubleLittleEndian(raw);
                return double.IsNaN(value) ? null : value;
            }

            case ParquetType.ByteArray:
                return column.Logical == LogicalKind.String ? System.Text.Encoding.UTF8.GetString(raw) : raw.ToArray();
            default:
                return raw.ToArray();
        }
    }
}
