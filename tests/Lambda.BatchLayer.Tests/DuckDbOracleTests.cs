using Lambda.Core.Views;
using Lambda.Testing;

namespace Lambda.BatchLayer.Tests;

/// <summary>DuckDB reads the master dataset (hive partitions) and the views on its own and must agree with the build.</summary>
public sealed class DuckDbOracleTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    private string Data => _temp.File("data");

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task DuckDB_reading_master_with_hive_partitioning_computes_the_same_daily_candles_as_the_build()
    {
        // BTCUSDT from 4h klines only, ETHUSDT (the same figures under another name) from 1d and 4h.
        File.Copy(RealData.Daily, _temp.File("ETHUSDT-1d.csv"));
        File.Copy(RealData.FourHour, _temp.File("ETHUSDT-4h.csv"));
        var import = await CommandRun.InvokeAsync(BatchLayerCommand.Build(), "--data-dir", Data, "import", RealData.FourHour, _temp.File("ETHUSDT-1d.csv"), _temp.File("ETHUSDT-4h.csv"));
        import.ExitCode.Should().Be(0, import.ToString());
        (await CommandRun.InvokeAsync(BatchLayerCommand.Build(), "--data-dir", Data, "build")).ExitCode.Should().Be(0);
        var ours = BatchViews.Candles(Data);

        await using var db = await DuckDb.StartAsync();
        var result = await db.QueryAsync(DailyCandlesOracle.Sql(Path.Combine(Data, "master", "klines")));

        var theirs = result.Rows.Select(r => new DailyCandle((string)r[0]!, (string)r[1]!, (DateOnly)r[2]!, (double)r[3]!, (double)r[4]!, (double)r[5]!, (double)r[6]!,
            (double)r[7]!, (double)r[8]!, (long)r[9]!, (string)r[10]!, (bool)r[11]!, (DateTimeOffset)r[12]!, (DateTimeOffset)r[13]!)).ToList();
        theirs.Should().HaveCount(ours.Count).And.HaveCount(2 * 2051);
        for (var i = 0; i < ours.Count; i++)
        {
            // DuckDB sums in its own order: volumes agree to 1e-9, everything else exactly.
            var (o, t) = (ours[i], theirs[i]);
            o.Should().Be(t with { Volume = o.Volume, QuoteVolume = o.QuoteVolume }, $"row {i}");
            BatchViews.Close(o.Volume, t.Volume).Should().BeTrue($"row {i} volume");
            BatchViews.Close(o.QuoteVolume, t.QuoteVolume).Should().BeTrue($"row {i} quote volume");
        }

        ours.Count(c => !c.Complete).Should().Be(1, "only BTCUSDT's last day (ETHUSDT's comes from the 1d kline)");
    }

    [Fact]
    public async Task DuckDB_window_functions_over_the_candles_give_the_same_daily_metrics()
    {
        (await CommandRun.InvokeAsync(BatchLayerCommand.Build(), "--data-dir", Data, "import", RealData.Daily)).ExitCode.Should().Be(0);
        (await CommandRun.InvokeAsync(BatchLayerCommand.Build(), "--data-dir", Data, "build")).ExitCode.Should().Be(0);
        var ours = BatchViews.Metrics(Data);

        await using var db = await DuckDb.StartAsync();
        var result = await db.QueryAsync($"""
            WITH c AS (SELECT exchange, symbol, day, close FROM read_parquet({DuckDb.Literal(BatchViews.CandlesPath(Data))}) WHERE complete),
            l AS (
                SELECT *, lag(day, 1) OVER s AS d1, lag(close, 1) OVER s AS c1, lag(day, 6) OVER s AS d6, lag(day, 29) OVER s AS d29, lag(day, 30) OVER s AS d30,
                       avg(close) OVER (s ROWS BETWEEN 6 PRECEDING AND CURRENT ROW) AS a7,
                       avg(close) OVER (s ROWS BETWEEN 29 PRECEDING AND CURRENT ROW) AS a30,
                       ln(close / lag(close) OVER s) AS lr
                FROM c WINDOW s AS (PARTITION BY exchange, symbol ORDER BY day))
            SELECT exchange, symbol, day, close,
                   CASE WHEN d1 = day - 1 THEN close / c1 - 1 END,
                   CASE WHEN d6 = day - 6 THEN a7 END,
                   CASE WHEN d29 = day - 29 THEN a30 END,
                   CASE WHEN d30 = day - 30 THEN stddev_samp(lr) OVER (PARTITION BY exchange, symbol ORDER BY day ROWS BETWEEN 29 PRECEDING AND CURRENT ROW) * sqrt(365) END
            FROM l ORDER BY exchange, symbol, day
            """);

        result.Rows.Should().HaveCount(ours.Count);
        for (var i = 0; i < ours.Count; i++)
        {
            var r = result.Rows[i];
            var o = ours[i];
            (o.Exchange, o.Symbol, o.Day, o.Close).Should().Be(((string)r[0]!, (string)r[1]!, (DateOnly)r[2]!, (double)r[3]!));
            Same(o.Return, r[4]).Should().BeTrue($"{o.Day} return {o.Return} vs {r[4]}");
            Same(o.Ma7, r[5]).Should().BeTrue($"{o.Day} ma7 {o.Ma7} vs {r[5]}");
            Same(o.Ma30, r[6]).Should().BeTrue($"{o.Day} ma30 {o.Ma30} vs {r[6]}");
            Same(o.Volatility30d, r[7]).Should().BeTrue($"{o.Day} volatility {o.Volatility30d} vs {r[7]}");
        }

        ours.Count(m => m.Volatility30d is not null).Should().Be(ours.Count - 30);
    }

    private static bool Same(double? ours, object? theirs) =>
        (ours, theirs) switch
        {
            (null, null) => true,
            ({ } a, double b) => BatchViews.Close(a, b) || Math.Abs(a - b) < 1e-15,
            _ => false,
        };
}
