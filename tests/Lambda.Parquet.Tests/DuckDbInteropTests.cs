using Lambda.BatchLayer.Master;
using Lambda.Core.Views;
using Lambda.Merge.Show;
using Lambda.Testing;

namespace Lambda.Parquet.Tests;

/// <summary>Starts one DuckDB (in process) for the interop tests of this class.</summary>
public sealed class DuckDbFixture : IAsyncLifetime
{
    public DuckDb Db { get; private set; } = null!;

    public async Task InitializeAsync() => Db = await DuckDb.StartAsync();

    public async Task DisposeAsync() => await Db.DisposeAsync();
}

/// <summary>
/// DuckDB is the oracle in both directions: it reads every view we write with identical values and
/// declared types, and we read the files it writes with identical values.
/// </summary>
public sealed class DuckDbInteropTests(DuckDbFixture duck) : IClassFixture<DuckDbFixture>, IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("lambda-interop-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private static object?[] Values(DailyCandle c) =>
        [c.Exchange, c.Symbol, c.Day, c.Open, c.High, c.Low, c.Close, c.Volume, c.QuoteVolume, c.Trades, c.Source, c.Complete, c.FirstEventTime, c.LastEventTime];

    [Fact]
    public async Task DuckDB_reads_our_candle_view_with_identical_values_and_the_views_types()
    {
        var path = Path.Combine(_folder, "candles.parquet");
        var options = new ParquetWriterOptions { RowGroupRows = 4 };
        options.KeyValueMetadata[ViewLayout.Batch.BuildIdKey] = "build ✓";
        using (var writer = ParquetFileWriter.Create(path, DailyCandleMap.Instance.Schema, options))
        {
            foreach (var candle in LegacyFixtureRows.Candles)
            {
                writer.Write(candle, DailyCandleMap.Instance);
            }
        }

        var read = await duck.Db.QueryAsync($"SELECT * FROM read_parquet({DuckDb.Literal(path)})");

        read.Columns.Should().Equal(DailyCandleMap.Instance.Schema.Columns.Select(c => c.Name));
        read.Types.Should().Equal("VARCHAR", "VARCHAR", "DATE", "DOUBLE", "DOUBLE", "DOUBLE", "DOUBLE", "DOUBLE", "DOUBLE", "BIGINT", "VARCHAR", "BOOLEAN",
            "TIMESTAMP WITH TIME ZONE", "TIMESTAMP WITH TIME ZONE");
        ViewValues.ShouldBeSame(read.Rows, [.. LegacyFixtureRows.Candles.Select(Values)], "DuckDB reading our file");
        var metadata = await duck.Db.QueryAsync($"SELECT decode(value) FROM parquet_kv_metadata({DuckDb.Literal(path)}) WHERE decode(key) = 'lambda.batch.build_id'");
        metadata.Scalar().Should().Be("build ✓");
        var groups = await duck.Db.QueryAsync($"SELECT count(DISTINCT row_group_id) FROM parquet_metadata({DuckDb.Literal(path)})");
        groups.Scalar().Should().Be(3L);
    }

    [Fact]
    public async Task DuckDB_reads_our_metrics_nulls_and_master_millisecond_timestamps()
    {
        var metrics = Path.Combine(_folder, "metrics.parquet");
        using (var writer = ParquetFileWriter.Create(metrics, DailyMetricMap.Instance.Schema))
        {
            foreach (var metric in LegacyFixtureRows.Metrics)
            {
                writer.Write(metric, DailyMetricMap.Instance);
            }
        }

        var master = Path.Combine(_folder, "master.parquet");
        using (var writer = ParquetFileWriter.Create(master, MasterKlineMap.Instance.Schema))
        {
            foreach (var kline in LegacyFixtureRows.MasterKlines)
            {
                writer.Write(kline, MasterKlineMap.Instance);
            }
        }

        var readMetrics = await duck.Db.QueryAsync($"SELECT * FROM read_parquet({DuckDb.Literal(metrics)})");
        ViewValues.ShouldBeSame(readMetrics.Rows,
            [.. LegacyFixtureRows.Metrics.Select(m => new object?[] { m.Exchange, m.Symbol, m.Day, m.Close, m.Return, m.Ma7, m.Ma30, m.Volatility30d })], "metrics");
        var readMaster = await duck.Db.QueryAsync($"SELECT epoch_ms(open_time), epoch_ms(close_time), trades, origin, ingested_at FROM read_parquet({DuckDb.Literal(master)})");
        ViewValues.ShouldBeSame(readMaster.Rows,
            [.. LegacyFixtureRows.MasterKlines.Select(k => new object?[] { k.Kline.OpenTime, k.Kline.CloseTime, k.Kline.Trades, k.Origin, k.IngestedAt })], "master");
    }

    [Fact]
    public async Task We_read_DuckDBs_candles_with_identical_values()
    {
        var path = Path.Combine(_folder, "duck.parquet");
        // DuckDB declares every column optional and writes its own encodings; the view reads it all the same.
        await duck.Db.ExecuteAsync($"""
            COPY (
              SELECT * FROM (VALUES
                ('binance', 'BTCUSDT', DATE '2026-08-01', 64000.5::DOUBLE, 'Infinity'::DOUBLE, '-Infinity'::DOUBLE, '-0.0'::DOUBLE, 'NaN'::DOUBLE, 1.7976931348623157e308::DOUBLE,
                 (-9223372036854775807 - 1)::BIGINT, 'batch', true, TIMESTAMPTZ '1900-01-01 00:00:00.000001+00', TIMESTAMPTZ '1969-12-31 23:59:59.999999+00'),
                ('bybit', 'ÄÖÜ€😀USDT', DATE '1969-12-31', 1::DOUBLE, 2::DOUBLE, 0.5::DOUBLE, 1.5::DOUBLE, 0::DOUBLE, 5e-324::DOUBLE,
                 9223372036854775807::BIGINT, 'speed', false, TIMESTAMPTZ '0001-01-01 00:00:00+00', TIMESTAMPTZ '9999-12-31 23:59:59.999999+00'),
                ('binance', '日本円JPY', DATE '0001-01-01', -1e-300::DOUBLE, 0::DOUBLE, 0::DOUBLE, 0::DOUBLE, 0::DOUBLE, 0::DOUBLE,
                 0::BIGINT, 'speed', true, TIMESTAMPTZ '2026-08-01 12:00:00+00', TIMESTAMPTZ '2026-08-01 12:00:00+00')
              ) t(exchange, symbol, day, open, high, low, close, volume, quote_volume, trades, source, complete, first_event_time, last_event_time)
            ) TO {DuckDb.Literal(path)} (FORMAT parquet, COMPRESSION snappy, ROW_GROUP_SIZE 2)
            """);

        using var reader = ParquetFileReader.Open(path);
        var rows = reader.Read(DailyCandleMap.Instance).ToList();

        var expected = await duck.Db.QueryAsync($"SELECT * FROM read_parquet({DuckDb.Literal(path)})");
        ViewValues.ShouldBeSame(expected.Rows, [.. rows.Select(Values)], "our reader on DuckDB's file");
        double.IsNegative(rows[0].Close).Should().BeTrue();
        rows[0].Trades.Should().Be(long.MinValue);
        rows[2].Day.Should().Be(DateOnly.MinValue);
    }

    [Fact]
    public async Task Merge_show_prints_DuckDBs_other_types_and_refuses_nested_columns_with_a_message()
    {
        var flat = Path.Combine(_folder, "flat.parquet");
        var nested = Path.Combine(_folder, "nested.parquet");
        await duck.Db.ExecuteAsync($"""
            COPY (SELECT 1::TINYINT AS tiny, 12.34::DECIMAL(10, 2) AS price, 'x'::BLOB AS raw, TIME '12:34:56' AS at, TIMESTAMP '2026-08-01 01:02:03' AS local_time,
                         NULL::INTEGER AS nothing, 2.5::FLOAT AS ratio)
            TO {DuckDb.Literal(flat)} (FORMAT parquet)
            """);
        await duck.Db.ExecuteAsync($"COPY (SELECT 1 AS id, [1, 2] AS list, {{'a': 1}} AS record) TO {DuckDb.Literal(nested)} (FORMAT parquet)");

        var file = await ForeignParquetFile.ReadAsync(flat, 10, CancellationToken.None);
        var refused = () => ForeignParquetFile.ReadAsync(nested, 10, CancellationToken.None);

        file.Columns.Select(c => c.Name).Should().Equal("tiny", "price", "raw", "at", "local_time", "nothing", "ratio");
        file.Rows.Should().ContainSingle();
        file.Rows[0][0].Should().Be((sbyte)1);
        file.Rows[0][1].Should().Be(12.34m);
        file.Rows[0][2].Should().BeEquivalentTo(new byte[] { (byte)'x' });
        file.Rows[0][5].Should().BeNull();
        file.Rows[0][6].Should().Be(2.5f);
        (await refused.Should().ThrowAsync<Lambda.Core.Views.ParquetException>())
            .WithMessage($"{nested}: *column 'list' is a nested List*merge show prints flat files only*");
    }
}
