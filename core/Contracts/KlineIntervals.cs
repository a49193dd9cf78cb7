namespace Lambda.Core.Contracts;

/// <summary>Binance's kline intervals and their lengths.</summary>
public static class KlineIntervals
{
    private static readonly Dictionary<string, TimeSpan> Lengths = new(StringComparer.Ordinal)
    {
        ["1s"] = TimeSpan.FromSeconds(1),
        ["1m"] = TimeSpan.FromMinutes(1),
        ["3m"] = TimeSpan.FromMinutes(3),
        ["5m"] = TimeSpan.FromMinutes(5),
        ["15m"] = TimeSpan.FromMinutes(15),
        ["30m"] = TimeSpan.FromMinutes(30),
        ["1h"] = TimeSpan.FromHours(1),
        ["2h"] = TimeSpan.FromHours(2),
        ["4h"] = TimeSpan.FromHours(4),
        ["6h"] = TimeSpan.FromHours(6),
        ["8h"] = TimeSpan.FromHours(8),
        ["12h"] = TimeSpan.FromHours(12),
        ["1d"] = TimeSpan.FromDays(1),
        ["3d"] = TimeSpan.FromDays(3),
        ["1w"] = TimeSpan.FromDays(7),
        // A calendar month has no fixed length; zero says "variable".
        ["1M"] = TimeSpan.Zero,
    };

    public static IEnumerable<string> All => Lengths.Keys;

    /// <summary>The interval's length; <see cref="TimeSpan.Zero"/> for the calendar month <c>1M</c>.</summary>
    public static bool TryGetLength(string interval, out TimeSpan length) => Lengths.TryGetValue(interval, out length);
}
