namespace Lambda.BatchLayer.Build;

/// <summary>
/// The klines of one interval inside one UTC day, folded in open_time order: open of the first,
/// close of the last, max/min, and sums (volumes summed in open_time order, so the result is the
/// same on every run and equals Binance's 1d kline on the real data).
/// </summary>
public struct DayAggregate
{
    public const long DayMs = 86_400_000;

    /// <summary>Days since 1970-01-01 (UTC).</summary>
    public long Day;
    public double Open;
    public double High;
    public double Low;
    public double Close;
    public double Volume;
    public double QuoteVolume;
    public long Trades;

    /// <summary>Klines folded in (distinct open times: the master dataset stores one row per open time).</summary>
    public int Klines;

    /// <summary>Open time of the first kline, Unix ms.</summary>
    public long FirstOpenTime;

    /// <summary>Close time of the last kline, Unix ms.</summary>
    public long LastCloseTime;

    public static DayAggregate Start(long day, long openTime, long closeTime, double open, double high, double low, double close, double volume, double quoteVolume, long trades) => new()
    {
        Day = day,
        Open = open,
        High = high,
        Low = low,
        Close = close,
        Volume = volume,
        QuoteVolume = quoteVolume,
        Trades = trades,
        Klines = 1,
        FirstOpenTime = openTime,
        LastCloseTime = closeTime,
    };

    public void Add(long closeTime, double high, double low, double close, double volume, double quoteVolume, long trades)
    {
        if (high > High)
        {
            High = high;
        }

        if (low < Low)
        {
            Low = low;
        }

        Close = close;
        Volume += volume;
        QuoteVolume += quoteVolume;
        Trades += trades;
        Klines++;
        LastCloseTime = closeTime;
    }
}
