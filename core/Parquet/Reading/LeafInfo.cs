namespace Lambda.Core.Parquet.Reading;

/// <summary>A column of the file as the reader needs it: public description plus storage details.</summary>
internal sealed class LeafInfo
{
    public LeafInfo(ParquetColumn column, int index, int typeLength, short timestampUnit, bool typeOrder)
    {
        Column = column;
        Index = index;
        TypeLength = typeLength;
        TypeOrder = typeOrder;
        Width = column.Type switch
        {
            ParquetType.Boolean => 0,
            ParquetType.Int32 or ParquetType.Float => 4,
            ParquetType.Int64 or ParquetType.Double => 8,
            ParquetType.Int96 => 12,
            ParquetType.FixedLenByteArray => typeLength,
            _ => -1,
        };
        switch (timestampUnit)
        {
            case Thrift.LogicalTypeInfo.Millis:
                TicksPerUnit = 10_000;
                break;
            case Thrift.LogicalTypeInfo.Micros:
                TicksPerUnit = 10;
                break;
            case Thrift.LogicalTypeInfo.Nanos:
                UnitsPerTick = 100;
                break;
        }

        if (TicksPerUnit != 0)
        {
            // raw values in this range convert without overflow and land inside DateTimeOffset's range
            _minRaw = -(UnixEpochTicks / TicksPerUnit) + 1;
            _maxRaw = (DateTimeOffset.MaxValue.UtcTicks - UnixEpochTicks) / TicksPerUnit - 1;
        }
    }

    public ParquetColumn Column { get; }

    public int Index { get; }

    public int TypeLength { get; }

    /// <summary>Bytes per PLAIN value: 0 for booleans (bits), -1 for BYTE_ARRAY (length-prefixed).</summary>
    public int Width { get; }

    /// <summary>Statistics min / max follow the type's order (TYPE_ORDER, or no column orders given).</summary>
    public bool TypeOrder { get; }

    /// <summary>For INT64 timestamps in millis or micros: ticks per stored unit.</summary>
    public long TicksPerUnit { get; }

    /// <summary>For INT64 timestamps in nanos: stored units per tick (100).</summary>
    public long UnitsPerTick { get; }

    public bool IsTimestamp => Column.Type == ParquetType.Int64 && (TicksPerUnit != 0 || UnitsPerTick != 0);

    public bool TryTimestamp(long raw, out DateTimeOffset value)
    {
        if (TicksPerUnit != 0 && raw >= _minRaw && raw <= _maxRaw)
        {
            value = new DateTimeOffset(raw * TicksPerUnit + UnixEpochTicks, TimeSpan.Zero);
            return true;
        }

        return UnitsPerTick != 0
            ? ParquetValues.TryFromNanos(raw, out value)
            : ParquetValues.TryTimestamp(raw, TicksPerUnit, 1, out value);
    }

    private const long UnixEpochTicks = 621_355_968_000_000_000L;
    private readonly long _minRaw;
    private readonly long _maxRaw = -1;
}
