using Lambda.BatchLayer.Build;
using Lambda.Core.Klines;
using Lambda.Core.Views;

namespace Lambda.BatchLayer.Tests;

/// <summary>Reads what <c>batch-layer build</c> wrote, and the candles a file of daily klines stands for.</summary>
internal static class BatchViews
{
    public static string CandlesPath(string data) => Path.Combine(ViewLayout.Batch.Directory(data), ViewLayout.Batch.CandlesFile);

    public static string MetricsPath(string data) => Path.Combine(ViewLayout.Batch.Directory(data), ViewLayout.Batch.MetricsFile);

    public static List<DailyCandle> Candles(string data)
    {
        using var reader = ParquetFileReader.Open(CandlesPath(data));
        return [.. reader.Read(DailyCandleMap.Instance)];
    }

    public static List<DailyMetric> Metrics(string data)
    {
        using var reader = ParquetFileReader.Open(MetricsPath(data));
        return [.. reader.Read(DailyMetricMap.Instance)];
    }

    public static IReadOnlyDictionary<string, string> Metadata(string path)
    {
        using var reader = ParquetFileReader.Open(path);
        return reader.KeyValueMetadata;
    }

    /// <summary>The batch candle a 1d kline is: the same values, complete, times of the kline.</summary>
    public static DailyCandle FromDaily(string symbol, Kline k) => new(
        "binance", symbol, DateOnly.FromDateTime(DateTimeOffset.FromUnixTimeMilliseconds(k.OpenTime).UtcDateTime),
        k.Open, k.High, k.Low, k.Close, k.Volume, k.QuoteVolume, k.Trades, "batch", true,
        DateTimeOffset.FromUnixTimeMilliseconds(k.OpenTime), DateTimeOffset.FromUnixTimeMilliseconds(k.CloseTime));

    public static bool Close(double a, double b) => Math.Abs(a - b) <= 1e-9 * Math.Max(Math.Abs(a), Math.Abs(b));
}
