using Lambda.Core.Views;
using Lambda.Core.Windows;

namespace Lambda.SpeedLayer.Views;

/// <summary>
/// What every speed view file holds and how it is made, for all three ways the speed layer writes one: <c>batch</c>,
/// <c>stream</c>'s parts and live view, and the Spark engine's views.
/// </summary>
internal static class SpeedViewFiles
{
    /// <summary>One candle per (exchange, symbol, window): the kline candle where there is one, the trade candle otherwise.</summary>
    public static List<WindowCandle> CombineCandles(List<WindowCandle> klines, List<WindowCandle> trades)
    {
        var keys = klines.Select(c => (c.Candle.Exchange, c.Candle.Symbol, c.WindowStart)).ToHashSet();
        var all = klines.Concat(trades.Where(c => !keys.Contains((c.Candle.Exchange, c.Candle.Symbol, c.WindowStart)))).ToList();
        all.Sort(static (a, b) => CompareWindows(a.Candle.Exchange, a.Candle.Symbol, a.WindowStart, b.Candle.Exchange, b.Candle.Symbol, b.WindowStart));
        return all;
    }

    /// <summary>The views' row order: by exchange, symbol, then window start.</summary>
    public static int CompareWindows(string exchangeA, string symbolA, DateTimeOffset startA, string exchangeB, string symbolB, DateTimeOffset startB)
    {
        var c = string.CompareOrdinal(exchangeA, exchangeB);
        if (c == 0)
        {
            c = string.CompareOrdinal(symbolA, symbolB);
        }

        return c != 0 ? c : startA.CompareTo(startB);
    }

    /// <summary>A view file's bytes: the rows through their map, with the view's key-value metadata.</summary>
    public static byte[] ToParquet<T>(IEnumerable<T> rows, IParquetRecordMap<T> map, Dictionary<string, string> metadata)
    {
        var writerOptions = new ParquetWriterOptions();
        foreach (var (key, value) in metadata)
        {
            writerOptions.KeyValueMetadata[key] = value;
        }

        using var stream = new MemoryStream();
        using (var writer = new ParquetFileWriter(stream, map.Schema, writerOptions))
        {
            foreach (var row in rows)
            {
                writer.Write(row, map);
            }

            writer.Close();
        }

        return stream.ToArray();
    }
}
