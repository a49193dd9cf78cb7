using Lambda.Merge.Serving;
using Lambda.Testing;

namespace Lambda.Spark.Tests;

/// <summary>
/// Files shaped like Spark's Parquet output (every column OPTIONAL, snappy, dictionary pages,
/// TIMESTAMP(MICROS, UTC), part-… names beside _spark_metadata) are taken by the merge as speed
/// views. Written here by DuckDB, since no Spark runs on these machines.
/// </summary>
public sealed class SparkWrittenViewTests : IDisposable
{
    private readonly string _data = Path.Combine(Path.GetTempPath(), "lambda-spark-view-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_data))
        {
            Directory.Delete(_data, recursive: true);
        }
    }

    [Fact]
    public async Task The_merge_reads_nullable_snappy_candles_as_spark_writes_them_and_ignores_the_sinks_metadata()
    {
        var closed = Path.Combine(_data, "views", "speed", "spark", "candles", "closed");
        Directory.CreateDirectory(Path.Combine(closed, "_spark_metadata"));
        await File.WriteAllTextAsync(Path.Combine(closed, "_spark_metadata", "0"), "v1\n{\"path\":\"part-00000.snappy.parquet\"}");
        var part = Path.Combine(closed, "part-00000-1b2c-c000.snappy.parquet");
        await using (var duck = await DuckDb.StartAsync())
        {
            await duck.ExecuteAsync($"""
                COPY (SELECT 'binance'::VARCHAR AS exchange, 'BTCUSDT'::VARCHAR AS symbol, DATE '2026-08-01' + i::INTEGER AS day,
                             64000.5::DOUBLE AS open, 65000::DOUBLE AS high, 63000::DOUBLE AS low, 64500::DOUBLE AS close,
                             1234.5::DOUBLE AS volume, 7.9e7::DOUBLE AS quote_volume, 1000000::BIGINT AS trades, 'speed'::VARCHAR AS source,
                             true AS complete, TIMESTAMPTZ '2026-08-01 03:59:59.999+00' + to_days(i::INTEGER) AS first_event_time,
                             TIMESTAMPTZ '2026-08-01 23:59:59.999+00' + to_days(i::INTEGER) AS last_event_time
                      FROM range(3) t(i))
                TO {DuckDb.Literal(part)} (FORMAT parquet, COMPRESSION snappy)
                """);
        }

        var views = SpeedViews.Load(Path.Combine(_data, "views", "speed"), CancellationToken.None);

        views.Files.Should().ContainSingle().Which.SkippedBecause.Should().BeNull();
        views.Rows.Should().HaveCount(3);
        views.Rows.Select(r => r.Candle.Day).Should().Equal(new DateOnly(2026, 8, 1), new DateOnly(2026, 8, 2), new DateOnly(2026, 8, 3));
        views.Rows[2].Candle.LastEventTime.Should().Be(new DateTimeOffset(2026, 8, 3, 23, 59, 59, 999, TimeSpan.Zero));
        views.LineageOf(views.Rows[0]).Should().Be("speed:spark/candles/closed/part-00000-1b2c-c000.snappy.parquet");
    }
}
