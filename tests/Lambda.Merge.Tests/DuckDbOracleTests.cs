using System.Globalization;
using Lambda.Core.Views;
using Lambda.Testing;

namespace Lambda.Merge.Tests;

/// <summary>DuckDB, doing the same join in SQL (<see cref="ServingJoinSql"/>), gives exactly our serving view; and reads our CSV as our Parquet.</summary>
public sealed class DuckDbOracleTests : IDisposable
{
    private readonly DataDirectory _data = new();

    public void Dispose() => _data.Dispose();

    [Fact]
    public async Task DuckDb_joining_the_same_views_gives_our_serving_view_row_for_row()
    {
        var random = new Random(7);
        var symbols = new[] { ("binance", "BTCUSDT"), ("binance", "ETHUSDT"), ("bybit", "BTCUSDT"), ("bybit", "SOLUSDT") };
        var first = new DateOnly(2026, 1, 1);
        var horizon = new DateOnly(2026, 3, 1);
        DailyCandle Candle(string exchange, string symbol, DateOnly day, string source, bool complete, int lastEventMinutes) =>
            new(exchange, symbol, day, random.Next(1, 1000) + random.NextDouble(), 2000 * random.NextDouble(), random.NextDouble(), 500 * random.NextDouble(),
                random.NextDouble() * 1e4, random.NextDouble() * 1e8, random.Next(0, 1_000_000), source, complete,
                new DateTimeOffset(day.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero).AddTicks(random.Next(0, 1000) * 10),
                new DateTimeOffset(day.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero).AddMinutes(lastEventMinutes));

        // batch: holes, incomplete days, rows beyond the horizon; the last symbol only in speed
        var batch = new List<DailyCandle>();
        foreach (var (exchange, symbol) in symbols.Take(3))
        {
            for (var day = first; day <= horizon.AddDays(10); day = day.AddDays(1))
            {
                if (random.Next(10) > 0)
                {
                    batch.Add(Candle(exchange, symbol, day, "batch", random.Next(8) > 0, 1439));
                }
            }
        }

        // speed: three files that overlap each other and the batch, with ties on last_event_time
        var speedFiles = new[] { "closed/part-00000001.parquet", "closed/part-00000002.parquet", "live.parquet" };
        var speed = speedFiles.ToDictionary(f => f, _ => new List<DailyCandle>());
        foreach (var (exchange, symbol) in symbols)
        {
            for (var day = horizon.AddDays(-15); day <= horizon.AddDays(20); day = day.AddDays(1))
            {
                foreach (var file in speedFiles.Where(_ => random.Next(3) > 0))
                {
                    speed[file].Add(Candle(exchange, symbol, day, "speed", random.Next(3) > 0, 1000 + random.Next(3) * 100));
                }
            }
        }

        _data.WriteBatch(batch, buildId: "oracle-build", horizon: horizon.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
        foreach (var (file, rows) in speed)
        {
            _data.WriteSpeed(file, rows.OrderBy(_ => random.Next()), lineage: file == "live.parquet" ? null : $"stream:oracle:{Path.GetFileNameWithoutExtension(file)}");
        }

        await _data.MergeOkAsync();

        var speedPath = Path.Combine(_data.Root, "views", "speed");
        var lineages = speedFiles.Select(f => (Path.Combine(speedPath, f), f == "live.parquet" ? "speed:live.parquet" : $"speed:stream:oracle:{Path.GetFileNameWithoutExtension(f)}")).ToList();
        var oracle = ServingJoinSql.Select(Path.Combine(_data.Root, "views", "batch", "daily_candles.parquet"), "batch:oracle-build", horizon, lineages);
        await using var db = await DuckDb.StartAsync();
        var ours = $"read_parquet({DuckDb.Literal(_data.ServingParquet)})";
        var count = Convert.ToInt64((await db.QueryAsync($"SELECT count(*) FROM ({oracle})")).Scalar(), CultureInfo.InvariantCulture);
        count.Should().Be(_data.Serving().Count).And.BeGreaterThan(200);
        (await db.QueryAsync($"SELECT * FROM ({oracle}) EXCEPT ALL SELECT * FROM {ours}")).Rows.Should().BeEmpty("every row DuckDB serves is ours");
        (await db.QueryAsync($"SELECT * FROM {ours} EXCEPT ALL SELECT * FROM ({oracle})")).Rows.Should().BeEmpty("every row we serve is DuckDB's");
        var sources = await db.QueryAsync($"SELECT source, count(*) FROM {ours} GROUP BY source ORDER BY source");
        sources.Rows.Select(r => r[0]).Should().Equal("batch", "speed");

        // the order: ours is sorted by (exchange, symbol, day) as DuckDB sorts them
        var order = await db.QueryAsync($"SELECT count(*) FROM (SELECT exchange, symbol, day, row_number() OVER () AS i FROM {ours}) o JOIN (SELECT exchange, symbol, day, row_number() OVER (ORDER BY exchange, symbol, day) AS i FROM {ours}) s USING (exchange, symbol, day) WHERE o.i <> s.i");
        Convert.ToInt64(order.Scalar(), CultureInfo.InvariantCulture).Should().Be(0);

        // the CSV holds the same rows, values exact
        var csv = $"""
            read_csv({DuckDb.Literal(_data.ServingCsv)}, header = true, columns = {"{"}'exchange': 'VARCHAR', 'symbol': 'VARCHAR', 'day': 'DATE', 'open': 'DOUBLE', 'high': 'DOUBLE',
              'low': 'DOUBLE', 'close': 'DOUBLE', 'volume': 'DOUBLE', 'quote_volume': 'DOUBLE', 'trades': 'BIGINT', 'source': 'VARCHAR', 'complete': 'BOOLEAN',
              'first_event_time': 'TIMESTAMPTZ', 'last_event_time': 'TIMESTAMPTZ', 'lineage': 'VARCHAR'{"}"})
            """;
        (await db.QueryAsync($"SELECT * FROM {csv} EXCEPT ALL SELECT * FROM {ours}")).Rows.Should().BeEmpty();
        Convert.ToInt64((await db.QueryAsync($"SELECT count(*) FROM {csv}")).Scalar(), CultureInfo.InvariantCulture).Should().Be(count);
    }
}
