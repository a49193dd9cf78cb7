using Lambda.Core.Views;
using Lambda.Merge.Serving;
using static Lambda.Merge.Tests.Candles;

namespace Lambda.Merge.Tests;

/// <summary>Where every row came from, the serving view's metadata, and inputs that are missing or cannot be used.</summary>
public sealed class LineageAndInputTests : IDisposable
{
    private readonly DataDirectory _data = new();

    public void Dispose() => _data.Dispose();

    [Fact]
    public async Task Every_row_names_its_batch_build_or_its_speed_files_lineage_falling_back_to_the_files_path()
    {
        _data.WriteBatch(Range("BTCUSDT", "2026-07-01", "2026-07-02", "batch"), buildId: "build-42", horizon: "2026-07-02");
        _data.WriteSpeed("closed/2026/part-00000003.parquet", Range("BTCUSDT", "2026-07-03", "2026-07-03", "speed"), lineage: "stream:demo:shard-0:part-00000003");
        _data.WriteSpeed("live/part.parquet", Range("ETHUSDT", "2026-07-03", "2026-07-03", "speed"));

        await _data.MergeOkAsync();

        _data.Serving().Select(r => (r.Candle.Symbol, r.Candle.Source, r.Lineage)).Should().Equal(
            ("BTCUSDT", "batch", "batch:build-42"),
            ("BTCUSDT", "batch", "batch:build-42"),
            ("BTCUSDT", "speed", "speed:stream:demo:shard-0:part-00000003"),
            ("ETHUSDT", "speed", "speed:live/part.parquet"));
        File.ReadAllLines(_data.ServingCsv)[0].Should().Be(
            "exchange,symbol,day,open,high,low,close,volume,quote_volume,trades,source,complete,first_event_time,last_event_time,lineage");
        File.ReadAllLines(_data.ServingCsv).Skip(1).Select(l => l[(l.LastIndexOf(',') + 1)..]).Should().Equal(
            "batch:build-42", "batch:build-42", "speed:stream:demo:shard-0:part-00000003", "speed:live/part.parquet");
    }

    /// <summary>Speed views cut in windows other than UTC days are left out of the serving view, with a message.</summary>
    [Fact]
    public async Task Speed_views_whose_windows_are_not_days_are_left_out_and_named()
    {
        _data.WriteBatch(Range("BTCUSDT", "2026-07-01", "2026-07-02", "batch"), horizon: "2026-07-02");
        _data.WriteSpeed("daily_candles.parquet", Range("BTCUSDT", "2026-07-03", "2026-07-05", "speed"), window: "12:00:00");
        _data.WriteSpeed("closed/shard-0/part-00000001.parquet", Range("ETHUSDT", "2026-07-03", "2026-07-03", "speed"), window: "1.00:00:00");

        var run = await _data.MergeOkAsync();

        _data.Serving().Select(r => (r.Candle.Symbol, r.Candle.Source)).Should().Equal(
            ("BTCUSDT", "batch"), ("BTCUSDT", "batch"), ("ETHUSDT", "speed"));
        run.Output.Should().Contain("skipped daily_candles.parquet: its windows are 12h long, not UTC days");
    }

    [Fact]
    public async Task A_batch_build_without_an_id_is_named_by_its_file()
    {
        _data.WriteBatch(Range("BTCUSDT", "2026-07-01", "2026-07-01", "batch"), buildId: null);

        await _data.MergeOkAsync();

        _data.Serving().Single().Lineage.Should().Be("batch:views/batch/daily_candles.parquet");
    }

    [Fact]
    public async Task The_serving_metadata_names_the_merge_time_the_batch_build_its_horizon_and_the_input_files()
    {
        _data.WriteBatch(Range("BTCUSDT", "2026-07-01", "2026-07-03", "batch"), buildId: "b7", horizon: "2026-07-02", builtAt: "2026-07-03T01:00:00Z");
        _data.WriteSpeed("daily_candles.parquet", Range("BTCUSDT", "2026-07-03", "2026-07-04", "speed"));
        var before = DateTimeOffset.UtcNow.AddSeconds(-1);

        await _data.MergeOkAsync();

        var metadata = _data.ServingMetadata();
        metadata[ViewLayout.Serving.BatchBuildIdKey].Should().Be("b7");
        metadata[ViewLayout.Serving.BatchHorizonKey].Should().Be("2026-07-02");
        metadata[ViewLayout.Serving.BatchBuiltAtKey].Should().Be("2026-07-03T01:00:00Z");
        metadata[ViewLayout.Serving.InputsKey].Should().Be("views/batch/daily_candles.parquet,views/speed/daily_candles.parquet");
        metadata[ViewLayout.Serving.RowsFromBatchKey].Should().Be("2");
        metadata[ViewLayout.Serving.RowsFromSpeedKey].Should().Be("2");
        DateTimeOffset.Parse(metadata[ViewLayout.Serving.MergedAtKey], System.Globalization.CultureInfo.InvariantCulture).Should().BeAfter(before);
        using var manifest = System.Text.Json.JsonDocument.Parse(File.ReadAllBytes(Path.Combine(_data.Root, "views", "serving", ServingView.ManifestFile)));
        manifest.RootElement.GetProperty("merge_id").GetString().Should().Be(metadata[ViewLayout.Serving.MergeIdKey]);
        manifest.RootElement.GetProperty(ViewLayout.Serving.CsvFile).GetInt64().Should().Be(new FileInfo(_data.ServingCsv).Length);
        manifest.RootElement.GetProperty("rows").GetInt64().Should().Be(4);
    }

    [Fact]
    public async Task A_missing_batch_view_exits_2_says_how_to_build_it_and_writes_nothing()
    {
        _data.WriteSpeed("daily_candles.parquet", Range("BTCUSDT", "2026-07-03", "2026-07-04", "speed"));

        var run = await _data.MergeAsync();

        run.ExitCode.Should().Be(2);
        run.Error.Should().Contain("views/batch/daily_candles.parquet does not exist").And.Contain("batch-layer build");
        Directory.Exists(Path.Combine(_data.Root, "views", "serving")).Should().BeFalse();
    }

    [Fact]
    public async Task A_damaged_speed_file_exits_4_naming_the_file()
    {
        _data.WriteBatch(Range("BTCUSDT", "2026-07-01", "2026-07-01", "batch"));
        _data.WriteSpeed("live.parquet", Range("BTCUSDT", "2026-07-02", "2026-07-09", "speed"));
        var live = Path.Combine(_data.Root, "views", "speed", "live.parquet");
        var bytes = File.ReadAllBytes(live);
        File.WriteAllBytes(live, bytes[..(bytes.Length / 2)]);

        var run = await _data.MergeAsync();

        run.ExitCode.Should().Be(4);
        run.Error.Should().Contain("live.parquet").And.Contain("cannot be read");
    }

    [Fact]
    public async Task A_batch_view_with_a_bad_horizon_exits_4()
    {
        _data.WriteBatch(Range("BTCUSDT", "2026-07-01", "2026-07-01", "batch"), horizon: "yesterday");

        var run = await _data.MergeAsync();

        run.ExitCode.Should().Be(4);
        run.Error.Should().Contain("lambda.batch.horizon 'yesterday' is not a day");
    }

    [Fact]
    public async Task An_unsorted_batch_view_exits_4_and_leaves_the_previous_serving_view_intact()
    {
        _data.WriteBatch(Range("BTCUSDT", "2026-07-01", "2026-07-03", "batch"));
        await _data.MergeOkAsync();
        var before = File.ReadAllBytes(_data.ServingParquet);
        var csvBefore = File.ReadAllText(_data.ServingCsv);
        // many rows, then one out of order: the merge has written part of the new view when it finds out
        _data.WriteBatch([.. Range("BTCUSDT", "2020-01-01", "2026-07-03", "batch"), Of("BTCUSDT", "2026-01-01", "batch")]);

        var run = await _data.MergeAsync();

        run.ExitCode.Should().Be(4);
        run.Error.Should().Contain("not sorted by (exchange, symbol, day)").And.Contain("(binance BTCUSDT 2026-01-01) follows binance BTCUSDT 2026-07-03");
        File.ReadAllBytes(_data.ServingParquet).Should().Equal(before);
        File.ReadAllText(_data.ServingCsv).Should().Be(csvBefore);
        Directory.GetFiles(Path.Combine(_data.Root, "views", "serving")).Select(Path.GetFileName).Should().BeEquivalentTo(
            [ViewLayout.Serving.ParquetFile, ViewLayout.Serving.CsvFile, ServingView.ManifestFile], "no temporary file is left behind");
    }

    [Fact]
    public async Task A_batch_view_of_another_schema_exits_4()
    {
        DataDirectory.Write(Path.Combine(_data.Root, "views", "batch", "daily_candles.parquet"), [new Lambda.Core.Views.DailyCandle[0]],
            new SchemaOnly(), new Dictionary<string, string>());

        var run = await _data.MergeAsync();

        run.ExitCode.Should().Be(4);
        run.Error.Should().Contain("is not a daily candle view: no column 'symbol'");
    }

    private sealed class SchemaOnly : Lambda.Core.Views.IParquetRecordMap<Lambda.Core.Views.DailyCandle[]>
    {
        public Lambda.Core.Views.ParquetSchema Schema { get; } = new([Lambda.Core.Views.ParquetColumn.String("exchange")]);

        public void Write(Lambda.Core.Views.DailyCandle[] record, Lambda.Core.Views.ParquetRowWriter row) => row.SetString(0, "binance");

        public Lambda.Core.Views.DailyCandle[] Read(Lambda.Core.Views.ParquetRowReader row) => [];
    }
}
