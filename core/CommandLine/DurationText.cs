using System.Globalization;

namespace Lambda.Core.CommandLine;

/// <summary>Durations as people write them on a command line: <c>1d</c>, <c>6h</c>, <c>30m</c>, <c>15s</c>, <c>250ms</c>.</summary>
public static class DurationText
{
    public static bool TryParse(string text, out TimeSpan duration)
    {
        duration = default;
        text = text.Trim();
        (string Suffix, Func<double, TimeSpan> Make)[] units =
        [
            ("ms", TimeSpan.FromMilliseconds), ("d", TimeSpan.FromDays), ("h", TimeSpan.FromHours),
            ("m", TimeSpan.FromMinutes), ("s", TimeSpan.FromSeconds),
        ];
        foreach (var (suffix, make) in units)
        {
            if (text.EndsWith(suffix, StringComparison.Ordinal)
                && double.TryParse(text.AsSpan(0, text.Length - suffix.Length), NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var amount))
            {
                duration = make(amount);
                return true;
            }
        }

        return TimeSpan.TryParse(text, CultureInfo.InvariantCulture, out duration) && duration >= TimeSpan.Zero;
    }

    /// <summary>The shortest form <see cref="TryParse"/> reads back: <c>1d</c>, <c>90m</c>, <c>250ms</c>, <c>0s</c>.</summary>
    public static string Format(TimeSpan duration)
    {
        (long Ticks, string Suffix)[] units = [(TimeSpan.TicksPerDay, "d"), (TimeSpan.TicksPerHour, "h"), (TimeSpan.TicksPerMinute, "m"), (TimeSpan.TicksPerSecond, "s")];
        if (duration == TimeSpan.Zero)
        {
            return "0s";
        }

        foreach (var (ticks, suffix) in units)
        {
            if (duration.Ticks % ticks == 0)
            {
                return string.Create(CultureInfo.InvariantCulture, $"{duration.Ticks / ticks}{suffix}");
            }
        }

        return string.Create(CultureInfo.InvariantCulture, $"{duration.TotalMilliseconds}ms");
    }
}
