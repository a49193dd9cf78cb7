using Lambda.Core.Views;

namespace Lambda.BatchLayer.Build;

/// <summary>
/// The daily metrics of one symbol from its batch candles (see <see cref="DailyMetric"/>). Only complete
/// days count: an incomplete day's close is not a daily close (the merge replaces it with the speed
/// layer's), so it gets no metric row and counts as a missing day in the windows after it.
/// </summary>
public static class DailyMetricsCalculator
{
    /// <summary>Calendar days a year: crypto trades every day, so daily volatility is annualised × √365.</summary>
    public const double DaysPerYear = 365;

    /// <param name="candles">One symbol's candles in day order.</param>
    public static List<DailyMetric> Compute(IReadOnlyList<DailyCandle> candles)
    {
        ArgumentNullException.ThrowIfNull(candles);
        var days = candles.Where(c => c.Complete).ToList();
        var metrics = new List<DailyMetric>(days.Count);
        for (var i = 0; i < days.Count; i++)
        {
            var c = days[i];
            double? dailyReturn = Consecutive(days, i, 1) ? c.Close / days[i - 1].Close - 1 : null;
            metrics.Add(new DailyMetric(c.Exchange, c.Symbol, c.Day, c.Close, dailyReturn, MeanClose(days, i, 7), MeanClose(days, i, 30), Volatility(days, i, 30)));
        }

        return metrics;
    }

    /// <summary>True when the <paramref name="back"/> days before day i are all present (days are distinct and sorted).</summary>
    private static bool Consecutive(List<DailyCandle> days, int i, int back) =>
        i >= back && days[i].Day.DayNumber - days[i - back].Day.DayNumber == back;

    private static double? MeanClose(List<DailyCandle> days, int i, int window)
    {
        if (!Consecutive(days, i, window - 1))
        {
            return null;
        }

        var sum = 0.0;
        for (var j = i - window + 1; j <= i; j++)
        {
            sum += days[j].Close;
        }

        return sum / window;
    }

    /// <summary>Sample standard deviation (n − 1) of the <paramref name="window"/> log returns ending on day i, × √365.</summary>
    private static double? Volatility(List<DailyCandle> days, int i, int window)
    {
        if (!Consecutive(days, i, window))
        {
            return null;
        }

        Span<double> returns = stackalloc double[window];
        var mean = 0.0;
        for (var k = 0; k < window; k++)
        {
            var j = i - window + 1 + k;
            returns[k] = Math.Log(days[j].Close / days[j - 1].Close);
            mean += returns[k];
        }

        mean /= window;
        var squares = 0.0;
        foreach (var r in returns)
        {
            squares += (r - mean) * (r - mean);
        }

        return Math.Sqrt(squares / (window - 1)) * Math.Sqrt(DaysPerYear);
    }
}
