using Lambda.BatchLayer.Master;
using Lambda.Core.Klines;
using Lambda.Core.Views;
using Lambda.Core.Windows;
using Lambda.Merge.Serving;

namespace Lambda.Parquet.Tests;

/// <summary>
/// The rows of the files in <c>Fixtures/</c>. Those files were written by the hand-written codec that
/// <c>core/Parquet</c> held until Parquet.Net replaced it (commit 408b094, its own record maps and
/// writer options), so reading them proves that views written by the previous version still read.
/// The rows carry the values a codec gets wrong first: NaN, ±∞, -0.0, extreme integers, dates before
/// 1970 and at the ends of the calendar, text beyond ASCII, nulls.
/// </summary>
public static class LegacyFixtureRows
{
    public static readonly DateTimeOffset Noon = new(2026, 8, 1, 12, 0, 0, TimeSpan.Zero);

    /// <summary>Ten candles, written with four rows per row group (three row groups) and view metadata.</summary>
    public static IReadOnlyList<DailyCandle> Candles { get; } =
    [
        new("binance", "BTCUSDT", new DateOnly(2026, 8, 1), 64000.5, 65000.25, 63000.125, 64500.75, 1234.5678, 79_000_000.01, 123_456, "batch", true,
            new DateTimeOffset(2026, 8, 1, 0, 0, 0, TimeSpan.Zero), new DateTimeOffset(2026, 8, 1, 23, 59, 59, 999, TimeSpan.Zero).AddTicks(9990)),
        new("bybit", "ÄÖÜ€😀USDT", new DateOnly(1969, 12, 31), double.NaN, double.PositiveInfinity, double.NegativeInfinity, -0.0, double.MaxValue, double.Epsilon,
            long.MinValue, "speed", false, new DateTimeOffset(1900, 1, 1, 0, 0, 0, TimeSpan.Zero).AddTicks(10), new DateTimeOffset(1969, 12, 31, 23, 59, 59, 999, TimeSpan.Zero).AddTicks(9990)),
        new("binance", "ETHUSDT", DateOnly.MinValue, double.MinValue, 0.0, -1e-300, 1e300, 0.1, 0.2, long.MaxValue, "batch", true,
            new DateTimeOffset(1, 1, 1, 0, 0, 0, TimeSpan.Zero), new DateTimeOffset(9999, 12, 31, 23, 59, 59, 999, TimeSpan.Zero).AddTicks(9990)),
        new("binance", "ETHUSDT", DateOnly.MaxValue, 1, 2, 0.5, 1.5, 0, 0, 0, "speed", false, Noon, Noon),
        .. Enumerable.Range(0, 6).Select(i => new DailyCandle(
            "binance", i % 2 == 0 ? "BTCUSDT" : "SOLUSDT", new DateOnly(2021, 1, 1).AddDays(i * 100), 100 + i, 110 + i, 90 + i, 105 + i, i * 1.25, i * 1000.5, i * 7L,
            i % 3 == 0 ? "speed" : "batch", i % 2 == 1, Noon.AddDays(-i), Noon.AddDays(-i).AddHours(1))),
    ];

    public static IReadOnlyDictionary<string, string> CandleMetadata { get; } = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        [ViewLayout.LayerKey] = ViewLayout.Batch.Layer,
        ["lambda.build.id"] = "fixture-build-1",
        ["lambda.horizon"] = "2026-08-01",
        ["lambda.note"] = "unicode: Ωμέγα ✓",
    };

    public static IReadOnlyList<DailyMetric> Metrics { get; } =
    [
        new("binance", "BTCUSDT", new DateOnly(2026, 7, 30), 64000, null, null, null, null),
        new("binance", "BTCUSDT", new DateOnly(2026, 7, 31), 64500, 0.0078125, null, null, null),
        new("binance", "BTCUSDT", new DateOnly(2026, 8, 1), 64250.5, -0.0038681, 64250.25, 61000.75, 0.4567),
        new("bybit", "ETHUSDT", new DateOnly(1970, 1, 1), double.NaN, double.PositiveInfinity, double.NegativeInfinity, -0.0, null),
    ];

    /// <summary>One master partition's klines (open and close time stored as TIMESTAMP ms).</summary>
    public static IReadOnlyList<MasterKline> MasterKlines { get; } =
    [
        .. Enumerable.Range(0, 6).Select(i => new MasterKline(
            new Kline(1_785_542_400_000 + i * 14_400_000L, 1_785_542_400_000 + (i + 1) * 14_400_000L - 1, 64000 + i, 64100 + i, 63900 + i, 64050 + i, 12.5 * i, 800_000.25 * i, 1000 + i),
            i % 2 == 0 ? "import:BTCUSDT-4h.csv" : "stream", Noon.AddTicks(i * 10))),
        new MasterKline(new Kline(-86_400_000, -1, double.NaN, double.PositiveInfinity, double.NegativeInfinity, -0.0, 0, 0, long.MaxValue), "ünïcödé", new DateTimeOffset(1960, 6, 15, 1, 2, 3, TimeSpan.Zero)),
    ];

    public static IReadOnlyDictionary<string, string> MasterMetadata { get; } = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["lambda.layer"] = "master",
        ["lambda.master.partition"] = "exchange=binance/symbol=BTCUSDT/interval=4h/month=2026-08",
    };

    public static IReadOnlyList<ServingCandle> Serving { get; } =
    [
        new(Candles[0], "batch:views/batch/daily_candles.parquet"),
        new(Candles[1], "speed:views/speed/candles/part-00001.parquet ✓"),
        new(Candles[4], ""),
    ];

    public static IReadOnlyList<TickerDayStats> Tickers { get; } =
    [
        new("binance", "BTCUSDT", new DateOnly(2026, 8, 1), Noon.AddHours(-12), Noon.AddHours(12), 64000, 64500, 63000, 65000, 64250.125, 1e6, 6.4e10, 86_400,
            "speed", false, Noon.AddHours(-12).AddTicks(10), Noon.AddHours(11)),
        new("bybit", "日本円JPY", new DateOnly(1969, 7, 20), Noon, Noon, double.NaN, -0.0, double.NegativeInfinity, double.PositiveInfinity, 0, 0, 0, long.MinValue,
            "speed", true, new DateTimeOffset(1969, 7, 20, 20, 17, 40, TimeSpan.Zero), new DateTimeOffset(1969, 7, 21, 2, 56, 15, TimeSpan.Zero)),
    ];
}
