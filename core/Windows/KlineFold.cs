namespace Lambda.Core.Windows;

/// <summary>
/// Shorter klines folded, in open-time order, into one longer candle: the open of the first, the close of
/// the last, the extremes, and the sums added in that same order. Both the batch layer's day and the
/// speed layer's daily window fold this way, so the two agree to the last bit: floating-point sums depend
/// on their order, and open-time order is the one every run and every engine can reproduce (on the real
/// data it equals the exchange's own 1d kline).
/// </summary>
public struct KlineFold
{
    /// <summary>Klines folded in.</summary>
    public int Klines { get; private set; }

    /// <summary>Klines whose sums were added (the final ones).</summary>
    public int Summed { get; private set; }

    public double Open { get; private set; }

    public double High { get; private set; }

    public double Low { get; private set; }

    public double Close { get; private set; }

    public double Volume { get; private set; }

    public double QuoteVolume { get; private set; }

    public long Trades { get; private set; }

    /// <summary>
    /// Folds the next kline. One that is not <paramref name="final"/> (an open kline's latest update) moves
    /// the prices but not the sums: its volume and trades still grow, and counting them now would make a
    /// window's volume go down again when a later update replaces it.
    /// </summary>
    public void Add(double open, double high, double low, double close, double volume, double quoteVolume, long trades, bool final = true)
    {
        if (Klines == 0)
        {
            Open = open;
            High = high;
            Low = low;
        }
        else
        {
            if (high > High)
            {
                High = high;
            }

            if (low < Low)
            {
                Low = low;
            }
        }

        Close = close;
        Klines++;
        if (final)
        {
            Volume += volume;
            QuoteVolume += quoteVolume;
            Trades += trades;
            Summed++;
        }
    }
}
