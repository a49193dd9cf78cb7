using Lambda.Core.Windows;

namespace Lambda.BatchLayer.Build;

/// <summary>
/// The klines of one interval inside one UTC day, folded in open_time order by <see cref="KlineFold"/>,
/// the same fold the speed layer's window uses. The master dataset stores one row per open time, so
/// every kline folded in is distinct.
/// </summary>
public struct DayAggregate
{
    public const long DayMs = 86_400_000;

    /// <summary>Days since 1970-01-01 (UTC).</summary>
    public long Day;

    public KlineFold Fold;

    /// <summary>Open time of the first kline, Unix ms.</summary>
    public long FirstOpenTime;

    /// <summary>Close time of the last kline, Unix ms.</summary>
    public long LastCloseTime;

    public static DayAggregate Start(long day, long openTime) => new() { Day = day, FirstOpenTime = openTime };

    public void Add(long closeTime, double open, double high, double low, double close, double volume, double quoteVolume, long trades)
    {
        Fold.Add(open, high, low, close, volume, quoteVolume, trades);
        LastCloseTime = closeTime;
    }
}
