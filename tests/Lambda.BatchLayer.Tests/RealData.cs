using Lambda.Core.Klines;

namespace Lambda.BatchLayer.Tests;

/// <summary>The real Binance BTCUSDT klines of samples/binance (copied beside the tests).</summary>
public static class RealData
{
    public static string Daily => Path.Combine(AppContext.BaseDirectory, "samples", "binance", "BTCUSDT-1d.csv");

    public static string FourHour => Path.Combine(AppContext.BaseDirectory, "samples", "binance", "BTCUSDT-4h.csv");

    public static IReadOnlyList<Kline> Klines(string path)
    {
        using var reader = new StreamReader(path);
        return [.. KlinesCsvReader.Read(reader).Select(row => row.Kline ?? throw new InvalidDataException($"{path}:{row.Line}: {row.Error}"))];
    }

    /// <summary>The data lines of a CSV file (without its header).</summary>
    public static IReadOnlyList<string> DataLines(string path) => [.. File.ReadLines(path).Skip(1).Where(l => l.Length > 0)];
}
