namespace Lambda.Core.Views;

/// <summary>Timestamp columns hold UTC instants in milliseconds or microseconds; Parquet.Net takes them as <see cref="DateTime"/>.</summary>
internal static class ParquetTimestamps
{
    public static long TicksPerUnit(ParquetColumnKind kind) => kind == ParquetColumnKind.TimestampMillis ? TimeSpan.TicksPerMillisecond : TimeSpan.TicksPerMicrosecond;

    /// <summary>The instant rounded down to the column's unit, so that Parquet.Net's conversion is exact (also before 1970).</summary>
    public static DateTime Truncate(DateTimeOffset value, ParquetColumnKind kind)
    {
        var ticks = value.UtcTicks - DateTime.UnixEpoch.Ticks;
        return new DateTime(DateTime.UnixEpoch.Ticks + ticks - Mod(ticks, TicksPerUnit(kind)), DateTimeKind.Utc);
    }

    public static DateTime FromUnits(long units, ParquetColumnKind kind) =>
        DateTime.UnixEpoch.AddTicks(checked(units * TicksPerUnit(kind)));

    public static long ToUnits(DateTime value, ParquetColumnKind kind)
    {
        var ticks = value.Ticks - DateTime.UnixEpoch.Ticks;
        return (ticks - Mod(ticks, TicksPerUnit(kind))) / TicksPerUnit(kind);
    }

    private static long Mod(long ticks, long unit) => ((ticks % unit) + unit) % unit;
}
