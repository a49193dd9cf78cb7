using Lambda.Merge.Serving;
using static Lambda.Merge.Tests.Candles;

namespace Lambda.Merge.Tests;

/// <summary>The merge rules on crafted Parquet views, through the <c>merge</c> command.</summary>
public sealed class MergeRulesTests : IDisposable
{
    private readonly DataDirectory _data = new();

    public void Dispose() => _data.Dispose();

    private Dictionary<(string Symbol, DateOnly Day), ServingCandle> ServingByKey() =>
        _data.Serving().ToDictionary(r => (r.Candle.Symbol, r.Candle.Day));

    [Fact]
    public async Task Batch_wins_the_complete_days_it_covers_and_speed_fills_the_days_after_the_horizon()
    {
        _data.WriteBatch(Range("BTCUSDT", "2026-07-01", "2026-07-10", "batch"), horizon: "2026-07-10");
        // speed overlaps the batch for three days, with other prices, and goes two days further
        _data.WriteSpeed("daily_candles.parquet", Range("BTCUSDT", "2026-07-08", "2026-07-12", "speed").Select(c => c with { Open = c.Open + 0.5 }));

        await _data.MergeOkAsync();

        var rows = _data.Serving();
        rows.Select(r => r.Candle.Day).Should().Equal(Enumerable.Range(0, 12).Select(i => Day("2026-07-01").AddDays(i)), "every day once, in order");
        rows.Take(10).Should().OnlyContain(r => r.Candle.Source == "batch" && r.Lineage == "batch:build-1");
        rows.Skip(10).Should().OnlyContain(r => r.Candle.Source == "speed");
        rows.Single(r => r.Candle.Day == Day("2026-07-09")).Candle.Should().Be(Of("BTCUSDT", "2026-07-09", "batch"), "the batch's own values win the overlap");
    }

    [Fact]
    public async Task Beyond_the_horizon_speed_wins_even_where_the_batch_has_a_row()
    {
        _data.WriteBatch(Range("BTCUSDT", "2026-07-01", "2026-07-05", "batch"), horizon: "2026-07-03");
        _data.WriteSpeed("daily_candles.parquet", Range("BTCUSDT", "2026-07-04", "2026-07-05", "speed"));

        await _data.MergeOkAsync();

        var rows = ServingByKey();
        rows[("BTCUSDT", Day("2026-07-03"))].Candle.Source.Should().Be("batch");
        rows[("BTCUSDT", Day("2026-07-04"))].Candle.Source.Should().Be("speed");
        rows[("BTCUSDT", Day("2026-07-05"))].Candle.Source.Should().Be("speed");
    }

    [Fact]
    public async Task A_batch_row_beyond_the_horizon_that_speed_lacks_is_kept_rather_than_leaving_a_gap()
    {
        _data.WriteBatch(Range("BTCUSDT", "2026-07-01", "2026-07-05", "batch"), horizon: "2026-07-03");

        var run = await _data.MergeOkAsync();

        _data.Serving().Should().HaveCount(5).And.OnlyContain(r => r.Candle.Source == "batch");
        run.Output.Should().Contain("BatchOnly 2").And.Contain("no speed views");
    }

    [Fact]
    public async Task Without_a_horizon_the_batch_covers_every_day_it_has()
    {
        _data.WriteBatch(Range("BTCUSDT", "2026-07-01", "2026-07-05", "batch"), horizon: null);
        _data.WriteSpeed("daily_candles.parquet", Range("BTCUSDT", "2026-07-04", "2026-07-06", "speed"));

        await _data.MergeOkAsync();

        _data.Serving().Select(r => r.Candle.Source).Should().Equal("batch", "batch", "batch", "batch", "batch", "speed");
    }

    [Fact]
    public async Task An_incomplete_batch_day_yields_to_speed_or_is_kept_marked_incomplete_when_speed_lacks_it()
    {
        // ETH: the batch's last day is partial and speed has that day; SOL: partial batch day, no speed row
        _data.WriteBatch(
            [
                .. Range("ETHUSDT", "2026-07-01", "2026-07-02", "batch"), Of("ETHUSDT", "2026-07-03", "batch", complete: false),
                .. Range("SOLUSDT", "2026-07-01", "2026-07-02", "batch"), Of("SOLUSDT", "2026-07-03", "batch", complete: false),
            ]);
        _data.WriteSpeed("daily_candles.parquet", [Of("ETHUSDT", "2026-07-03", "speed", open: 777, complete: false), Of("ETHUSDT", "2026-07-04", "speed", complete: false)]);

        var run = await _data.MergeOkAsync();

        var rows = ServingByKey();
        rows[("ETHUSDT", Day("2026-07-03"))].Candle.Should().Match<Lambda.Core.Views.DailyCandle>(c => c.Source == "speed" && c.Open == 777 && !c.Complete);
        rows[("SOLUSDT", Day("2026-07-03"))].Candle.Should().Match<Lambda.Core.Views.DailyCandle>(c => c.Source == "batch" && !c.Complete);
        rows[("ETHUSDT", Day("2026-07-02"))].Candle.Source.Should().Be("batch");
        run.Output.Should().Contain("SpeedOverIncompleteBatch 1").And.Contain("BatchOnly 1");
    }

    [Fact]
    public async Task A_symbol_only_one_layer_knows_is_served_from_that_layer()
    {
        _data.WriteBatch([.. Range("BTCUSDT", "2026-07-01", "2026-07-03", "batch"), .. Range("XRPUSDT", "2026-07-01", "2026-07-02", "batch")], horizon: "2026-07-03");
        _data.WriteSpeed("daily_candles.parquet", [.. Range("DOGEUSDT", "2026-07-02", "2026-07-04", "speed"), .. Range("ETHUSDT", "2026-07-03", "2026-07-03", "speed", exchange: "bybit")]);

        await _data.MergeOkAsync();

        var rows = _data.Serving();
        rows.Select(r => (r.Candle.Exchange, r.Candle.Symbol, r.Candle.Source)).Distinct().Should().Equal(
            ("binance", "BTCUSDT", "batch"), ("binance", "DOGEUSDT", "speed"), ("binance", "XRPUSDT", "batch"), ("bybit", "ETHUSDT", "speed"));
        rows.Should().HaveCount(3 + 2 + 3 + 1);
    }

    [Fact]
    public async Task Of_several_speed_rows_for_a_day_the_latest_last_event_time_wins_then_the_complete_one()
    {
        var noon = new DateTimeOffset(2026, 7, 2, 12, 0, 0, TimeSpan.Zero);
        _data.WriteBatch(Range("BTCUSDT", "2026-07-01", "2026-07-01", "batch"), horizon: "2026-07-01");
        // a closed part, and a live file written later for the same days
        _data.WriteSpeed("closed/part-00000001.parquet",
            [Of("BTCUSDT", "2026-07-02", "speed", open: 1, lastEvent: noon), Of("BTCUSDT", "2026-07-03", "speed", open: 3, complete: true, lastEvent: noon.AddDays(1))], lineage: "stream:g:shard-0:part-00000001");
        _data.WriteSpeed("live.parquet",
            [Of("BTCUSDT", "2026-07-02", "speed", open: 2, lastEvent: noon.AddHours(1)), Of("BTCUSDT", "2026-07-03", "speed", open: 4, complete: false, lastEvent: noon.AddDays(1))], lineage: "stream:g:live");

        var run = await _data.MergeOkAsync();

        var rows = ServingByKey();
        rows[("BTCUSDT", Day("2026-07-02"))].Should().Match<ServingCandle>(r => r.Candle.Open == 2 && r.Lineage == "speed:stream:g:live", "the later event wins");
        rows[("BTCUSDT", Day("2026-07-03"))].Should().Match<ServingCandle>(r => r.Candle.Open == 3 && r.Candle.Complete, "on a tie the complete row wins");
        run.Output.Should().Contain("2 superseded");
    }

    [Fact]
    public async Task Speed_files_of_another_schema_are_skipped_and_said_so()
    {
        _data.WriteBatch(Range("BTCUSDT", "2026-07-01", "2026-07-01", "batch"));
        _data.WriteSpeed("daily_candles.parquet", Range("BTCUSDT", "2026-07-02", "2026-07-02", "speed"));
        DataDirectory.Write(Path.Combine(_data.Root, "views", "speed", "ticker_stats.parquet"), [1L, 2L], new LongMap(), new Dictionary<string, string>());

        var run = await _data.MergeOkAsync();

        _data.Serving().Should().HaveCount(2);
        run.Output.Should().Contain("skipped ticker_stats.parquet: not a daily candle view (no column 'exchange')");
    }

    [Fact]
    public async Task Missing_days_stay_missing_and_the_batch_source_column_is_corrected_not_trusted()
    {
        _data.WriteBatch([Of("BTCUSDT", "2026-07-01", "batch"), Of("BTCUSDT", "2026-07-04", "somewhere-else")]);

        await _data.MergeOkAsync();

        _data.Serving().Select(r => (r.Candle.Day, r.Candle.Source)).Should().Equal((Day("2026-07-01"), "batch"), (Day("2026-07-04"), "batch"));
    }

    private sealed class LongMap : Lambda.Core.Views.IParquetRecordMap<long>
    {
        public Lambda.Core.Views.ParquetSchema Schema { get; } = new([Lambda.Core.Views.ParquetColumn.Int64("ticks")]);

        public void Write(long record, Lambda.Core.Views.ParquetRowWriter row) => row.SetInt64(0, record);

        public long Read(Lambda.Core.Views.ParquetRowReader row) => row.GetInt64(0);
    }
}
