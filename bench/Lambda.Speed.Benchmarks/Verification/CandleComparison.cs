using System.Globalization;

namespace Lambda.Speed.Benchmarks.Verification;

/// <summary>
/// Whether two engines computed the same candles: the same (exchange, symbol, day) keys; open, high, low,
/// close, trades, completeness and first/last event time exactly; volumes to 1e-9 relative (sums in another
/// order may differ in the last bits).
/// </summary>
public sealed record CandleComparison(int Left, int Right, int Equal, IReadOnlyList<string> Differences)
{
    public const double VolumeTolerance = 1e-9;

    public bool Agree => Differences.Count == 0 && Left == Right && Equal == Left;

    public static CandleComparison Compare(string leftName, IReadOnlyList<BenchCandle> left, string rightName, IReadOnlyList<BenchCandle> right)
    {
        ArgumentNullException.ThrowIfNull(left);
        ArgumentNullException.ThrowIfNull(right);
        var differences = new List<string>();
        var rightByKey = new Dictionary<(string, string, DateOnly), BenchCandle>();
        foreach (var candle in right)
        {
            if (!rightByKey.TryAdd(candle.Key, candle))
            {
                differences.Add($"{rightName} has {Describe(candle)} twice");
            }
        }

        var equal = 0;
        var seen = new HashSet<(string, string, DateOnly)>();
        foreach (var l in left)
        {
            if (!seen.Add(l.Key))
            {
                differences.Add($"{leftName} has {Describe(l)} twice");
                continue;
            }

            if (!rightByKey.TryGetValue(l.Key, out var r))
            {
                differences.Add($"only {leftName} has {Describe(l)}");
                continue;
            }

            var fields = FieldDifferences(l, r);
            if (fields.Count == 0)
            {
                equal++;
            }
            else
            {
                differences.Add($"{Describe(l)}: {string.Join(", ", fields)} ({leftName} vs {rightName})");
            }
        }

        differences.AddRange(right.Where(r => !seen.Contains(r.Key)).Select(r => $"only {rightName} has {Describe(r)}"));
        return new(left.Count, right.Count, equal, differences);
    }

    private static List<string> FieldDifferences(BenchCandle l, BenchCandle r)
    {
        var fields = new List<string>();
        void Exact<T>(string name, T a, T b)
        {
            if (!EqualityComparer<T>.Default.Equals(a, b))
            {
                fields.Add(string.Create(CultureInfo.InvariantCulture, $"{name} {a} vs {b}"));
            }
        }

        void Close(string name, double a, double b)
        {
            if (Math.Abs(a - b) > VolumeTolerance * Math.Max(Math.Abs(a), Math.Abs(b)))
            {
                fields.Add(string.Create(CultureInfo.InvariantCulture, $"{name} {a:R} vs {b:R}"));
            }
        }

        Exact("open", l.Open, r.Open);
        Exact("high", l.High, r.High);
        Exact("low", l.Low, r.Low);
        Exact("close", l.Close, r.Close);
        Close("volume", l.Volume, r.Volume);
        Close("quote_volume", l.QuoteVolume, r.QuoteVolume);
        Exact("trades", l.Trades, r.Trades);
        Exact("complete", l.Complete, r.Complete);
        Exact("first_event_time", l.FirstEventTime, r.FirstEventTime);
        Exact("last_event_time", l.LastEventTime, r.LastEventTime);
        return fields;
    }

    private static string Describe(BenchCandle c) => string.Create(CultureInfo.InvariantCulture, $"{c.Exchange} {c.Symbol} {c.Day:yyyy-MM-dd}");
}
