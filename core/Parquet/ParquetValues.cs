using System.Buffers.Binary;

namespace Lambda.Core.Parquet;

/// <summary>Conversions between Parquet's stored numbers and CLR values.</summary>
internal static class ParquetValues
{
    private const long UnixEpochTicks = 621_355_968_000_000_000L; // DateTime.UnixEpoch.Ticks
    private static readonly int EpochDayNumber = DateOnly.FromDateTime(DateTime.UnixEpoch).DayNumber;
    private const int JulianDayOfUnixEpoch = 2_440_588;

    public static int DateToDays(DateOnly date) => date.DayNumber - EpochDayNumber;

    public static bool TryDaysToDate(int days, out DateOnly date)
    {
        var dayNumber = (long)days + EpochDayNumber;
        if (dayNumber < DateOnly.MinValue.DayNumber || dayNumber > DateOnly.MaxValue.DayNumber)
        {
            date = default;
            return false;
        }

        date = DateOnly.FromDayNumber((int)dayNumber);
        return true;
    }

    public static long ToMicros(DateTimeOffset value) => Math.DivRem(value.UtcTicks - UnixEpochTicks, 10, out var rest) - (rest < 0 ? 1 : 0);

    public static long ToMillis(DateTimeOffset value) => Math.DivRem(value.UtcTicks - UnixEpochTicks, 10_000, out var rest) - (rest < 0 ? 1 : 0);

    /// <summary>Converts a raw timestamp (1 = millis, 2 = micros, 3 = nanos per unit) to UTC; false when out of range.</summary>
    public static bool TryTimestamp(long raw, long ticksPerUnitNumerator, long unitsPerTickDenominator, out DateTimeOffset value)
    {
        Int128 ticks = unitsPerTickDenominator == 1
            ? (Int128)raw * ticksPerUnitNumerator
            : Int128.DivRem(raw, unitsPerTickDenominator).Quotient;
        ticks += UnixEpochTicks;
        if (ticks < DateTimeOffset.MinValue.UtcTicks || ticks > DateTimeOffset.MaxValue.UtcTicks)
        {
            value = default;
            return false;
        }

        value = new DateTimeOffset((long)ticks, TimeSpan.Zero);
        return true;
    }

    public static bool TryFromMicros(long micros, out DateTimeOffset value) => TryTimestamp(micros, 10, 1, out value);

    public static bool TryFromMillis(long millis, out DateTimeOffset value) => TryTimestamp(millis, 10_000, 1, out value);

    public static bool TryFromNanos(long nanos, out DateTimeOffset value) => TryTimestamp(nanos, 1, 100, out value);

    /// <summary>INT96: 8 bytes nanoseconds of the day, then 4 bytes Julian day, both little-endian.</summary>
    public static bool TryFromInt96(ReadOnlySpan<byte> bytes, out DateTimeOffset value)
    {
        var nanos = BinaryPrimitives.ReadInt64LittleEndian(bytes);
        var julian = BinaryPrimitives.ReadInt32LittleEndian(bytes[8..]);
        Int128 ticks = (Int128)(julian - (long)JulianDayOfUnixEpoch) * TimeSpan.TicksPerDay + nanos / 100 + UnixEpochTicks;
        if (ticks < DateTimeOffset.MinValue.UtcTicks || ticks > DateTimeOffset.MaxValue.UtcTicks)
        {
            value = default;
            return false;
        }

        value = new DateTimeOffset((long)ticks, TimeSpan.Zero);
        return true;
    }

    /// <summary>Encodes a timestamp as INT96 (for tests and tools: the writer does not produce INT96 columns).</summary>
    public static byte[] ToInt96(DateTimeOffset value)
    {
        var ticks = value.UtcTicks - UnixEpochTicks;
        var days = Math.DivRem(ticks, TimeSpan.TicksPerDay, out var rest);
        if (rest < 0)
        {
            days--;
            rest += TimeSpan.TicksPerDay;
        }

        var bytes = new byte[12];
        BinaryPrimitives.WriteInt64LittleEndian(bytes, rest * 100);
        BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(8), (int)(days + JulianDayOfUnixEpoch));
        return bytes;
    }
}
