using Lambda.Core.Spark;
using Lambda.Core.Views;
using Lambda.Core.Windows;

namespace Lambda.SpeedLayer.Spark;

/// <summary>Rows collected from Spark (Arrow) as the views' records, by column name.</summary>
public static class SparkViewRows
{
    public static IReadOnlyList<DailyCandle> Candles(SparkRows rows)
    {
        ArgumentNullException.ThrowIfNull(rows);
        var c = Columns(rows, CandleSemantics.DailyCandleColumns);
        return [.. rows.Rows.Select(r => new DailyCandle(
            (string)r[c[0]]!, (string)r[c[1]]!, (DateOnly)r[c[2]]!, (double)r[c[3]]!, (double)r[c[4]]!, (double)r[c[5]]!, (double)r[c[6]]!,
            (double)r[c[7]]!, (double)r[c[8]]!, (long)r[c[9]]!, (string)r[c[10]]!, (bool)r[c[11]]!, (DateTimeOffset)r[c[12]]!, (DateTimeOffset)r[c[13]]!))
            .OrderBy(d => d.Exchange, StringComparer.Ordinal).ThenBy(d => d.Symbol, StringComparer.Ordinal).ThenBy(d => d.Day)];
    }

    public static IReadOnlyList<TickerDayStats> TickerStats(SparkRows rows)
    {
        ArgumentNullException.ThrowIfNull(rows);
        var c = Columns(rows, CandleSemantics.TickerStatsColumns);
        return [.. rows.Rows.Select(r => new TickerDayStats(
            (string)r[c[0]]!, (string)r[c[1]]!, (DateOnly)r[c[2]]!, (DateTimeOffset)r[c[3]]!, (DateTimeOffset)r[c[4]]!, (double)r[c[5]]!, (double)r[c[6]]!,
            (double)r[c[7]]!, (double)r[c[8]]!, (double)r[c[9]]!, (double)r[c[10]]!, (double)r[c[11]]!, (long)r[c[12]]!, (string)r[c[13]]!,
            (bool)r[c[14]]!, (DateTimeOffset)r[c[15]]!, (DateTimeOffset)r[c[16]]!))
            .OrderBy(d => d.Exchange, StringComparer.Ordinal).ThenBy(d => d.Symbol, StringComparer.Ordinal).ThenBy(d => d.Day)];
    }

    private static int[] Columns(SparkRows rows, IReadOnlyList<string> names)
    {
        if (rows.Count == 0)
        {
            return new int[names.Count];
        }

        var index = rows.Columns.Select((n, i) => (n, i)).ToDictionary(p => p.n, p => p.i, StringComparer.Ordinal);
        return [.. names.Select(n => index.TryGetValue(n, out var i) ? i : throw new InvalidDataException($"the live table has no column '{n}' (columns: {string.Join(", ", rows.Columns)})"))];
    }
}
