using Lambda.Core.Contracts;

namespace Lambda.Core.Klines;

/// <summary>
/// What a klines file is: its symbol and interval, from the file name (<c>BTCUSDT-4h.csv</c>), the
/// options (<c>--symbol</c>, <c>--interval</c>) and the timestamps. Shared by <c>producer replay</c>
/// and <c>batch-layer import</c>, so both accept and refuse the same files. When two of them disagree
/// the file is refused: a wrong label would publish one market's prices as another's, or days as
/// 4-hour candles, and the master dataset is immutable.
/// </summary>
public static class KlineLabels
{
    /// <summary>Rows whose open times tell the interval; a missing row only widens one gap.</summary>
    public const int InferenceRows = 16;

    /// <summary>The symbol of a file, or why its name and <c>--symbol</c> disagree.</summary>
    public static (string? Symbol, string? Refusal) Symbol(string? nameSymbol, string? optionSymbol)
    {
        if (nameSymbol is not null && optionSymbol is not null && !nameSymbol.Equals(optionSymbol, StringComparison.OrdinalIgnoreCase))
        {
            return (null, $"the file name says {nameSymbol} but --symbol says {optionSymbol}; drop --symbol, or rename the file if its name is wrong");
        }

        return (optionSymbol?.ToUpperInvariant() ?? nameSymbol, null);
    }

    /// <summary>
    /// The interval of a file: the one its name or <c>--interval</c> declares, else the
    /// one its timestamps show; or why they disagree (or nothing tells).
    /// </summary>
    public static (string? Interval, string? Refusal) Interval(string? nameInterval, string? optionInterval, IReadOnlyCollection<Kline> klines)
    {
        ArgumentNullException.ThrowIfNull(klines);
        if (nameInterval is not null && optionInterval is not null && nameInterval != optionInterval)
        {
            return (null, $"the file name says {nameInterval} klines but --interval says {optionInterval}; drop --interval, or rename the file if its name is wrong");
        }

        var declared = optionInterval ?? nameInterval;
        var shown = FromTimestamps(klines);
        if (declared is not null && shown is not null && declared != shown)
        {
            var by = optionInterval is not null ? "--interval" : "the file name";
            return (null, $"{by} says {declared} klines but the timestamps show {shown} klines (open times {shown} apart); correct {by}");
        }

        var interval = declared ?? shown;
        return interval is not null ? (interval, null) : (null, "cannot tell the interval from the timestamps: pass --interval");
    }

    /// <summary>
    /// The interval the open times show: the smallest gap between them, or one kline's span when they
    /// all start together; null when that is no fixed-length Binance interval (or there are no klines).
    /// </summary>
    public static string? FromTimestamps(IReadOnlyCollection<Kline> klines)
    {
        ArgumentNullException.ThrowIfNull(klines);
        if (klines.Count == 0)
        {
            return null;
        }

        var opens = klines.Select(k => k.OpenTime).Distinct().Order().ToList();
        var gaps = opens.Zip(opens.Skip(1), (a, b) => b - a).ToList();
        var first = klines.First();
        var length = gaps.Count > 0 ? gaps.Min() : first.CloseTime - first.OpenTime + 1;
        return KlineIntervals.All.FirstOrDefault(name =>
            KlineIntervals.TryGetLength(name, out var span) && span > TimeSpan.Zero && (long)span.TotalMilliseconds == length);
    }
}
