using System.Globalization;
using System.Text;

namespace Lambda.Merge.Reports;

/// <summary>
/// <c>reports/coverage.csv</c> (per series: first and last day, days served, from batch, from speed,
/// incomplete, missing) and <c>reports/gaps.csv</c> (per series, each run of missing days between its
/// first and last day).
/// </summary>
public static class CoverageReport
{
    public const string CoverageFile = "coverage.csv";
    public const string GapsFile = "gaps.csv";

    public static string Coverage(IReadOnlyList<SeriesCoverage> series)
    {
        var text = new StringBuilder("exchange,symbol,first_day,last_day,days,from_batch,from_speed,incomplete,missing\n");
        foreach (var s in series)
        {
            text.Append(CultureInfo.InvariantCulture,
                $"{s.Exchange},{s.Symbol},{s.FirstDay:yyyy-MM-dd},{s.LastDay:yyyy-MM-dd},{s.Days},{s.FromBatch},{s.FromSpeed},{s.Incomplete},{s.Missing}\n");
        }

        return text.ToString();
    }

    public static string Gaps(IReadOnlyList<SeriesCoverage> series)
    {
        var text = new StringBuilder("exchange,symbol,missing_from,missing_to,days\n");
        foreach (var s in series)
        {
            foreach (var gap in s.Gaps)
            {
                text.Append(CultureInfo.InvariantCulture, $"{s.Exchange},{s.Symbol},{gap.From:yyyy-MM-dd},{gap.To:yyyy-MM-dd},{gap.Days}\n");
            }
        }

        return text.ToString();
    }
}
