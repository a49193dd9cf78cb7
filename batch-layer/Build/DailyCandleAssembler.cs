using Lambda.Core.Views;

namespace Lambda.BatchLayer.Build;

/// <summary>
/// Picks, for each day of one exchange/symbol, the interval its batch candle comes from: the 1d kline
/// where there is one; otherwise the finest intraday interval that covers the whole day; otherwise
/// (no interval covers it) the finest one, and the candle is incomplete.
/// </summary>
/// <remarks>
/// "Finest wins" alone would let a few archived 1m klines of a day hide the complete 4h klines of that
/// same day; preferring a complete interval keeps such a day complete, and among complete ones the
/// finest still wins. Exactness does not depend on the choice: complete intervals give the same day.
/// </remarks>
public static class DailyCandleAssembler
{
    public static List<DailyCandle> Assemble(string exchange, string symbol, IEnumerable<IntervalDays> intervals)
    {
        ArgumentNullException.ThrowIfNull(intervals);
        var ordered = intervals.Where(i => i.MakesDays).OrderBy(i => i.IsDaily ? 0 : 1).ThenBy(i => i.LengthMs).ToList();
        var chosen = new Dictionary<long, (DayAggregate Day, bool Complete, bool Daily)>();
        foreach (var interval in ordered)
        {
            foreach (var day in interval.Days)
            {
                var complete = interval.IsDaily || day.Fold.Klines >= interval.KlinesPerDay;
                if (!chosen.TryGetValue(day.Day, out var current) || (!current.Daily && !current.Complete && complete))
                {
                    chosen[day.Day] = (day, complete, interval.IsDaily);
                }
            }
        }

        var candles = new List<DailyCandle>(chosen.Count);
        foreach (var (dayNumber, (d, complete, _)) in chosen.OrderBy(pair => pair.Key))
        {
            candles.Add(new DailyCandle(
                exchange,
                symbol,
                DateOnly.FromDayNumber(UnixEpochDayNumber + (int)dayNumber),
                d.Fold.Open,
                d.Fold.High,
                d.Fold.Low,
                d.Fold.Close,
                d.Fold.Volume,
                d.Fold.QuoteVolume,
                d.Fold.Trades,
                ViewLayout.Sources.Batch,
                complete,
                DateTimeOffset.FromUnixTimeMilliseconds(d.FirstOpenTime),
                DateTimeOffset.FromUnixTimeMilliseconds(d.LastCloseTime)));
        }

        return candles;
    }

    private static readonly int UnixEpochDayNumber = new DateOnly(1970, 1, 1).DayNumber;
}
