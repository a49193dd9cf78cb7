using System.Text.Json;
using Lambda.Merge.Reports;
using static Lambda.Merge.Tests.Candles;

namespace Lambda.Merge.Tests;

/// <summary>The reports' figures on crafted inputs whose answers are known.</summary>
public sealed class ReportTests : IDisposable
{
    private readonly DataDirectory _data = new();

    public void Dispose() => _data.Dispose();

    private JsonElement Consistency()
    {
        using var document = JsonDocument.Parse(File.ReadAllBytes(_data.Report(ConsistencyReport.JsonFile)));
        return document.RootElement.Clone();
    }

    private static JsonElement Field(JsonElement report, string name) =>
        report.GetProperty("fields").EnumerateArray().Single(f => f.GetProperty("field").GetString() == name);

    [Fact]
    public async Task Consistency_gives_each_fields_largest_differences_and_lists_the_days_beyond_the_tolerance()
    {
        _data.WriteBatch(Range("BTCUSDT", "2026-07-01", "2026-07-05", "batch"), horizon: "2026-07-05");
        var speed = Range("BTCUSDT", "2026-07-01", "2026-07-05", "speed").ToList();
        speed[1] = speed[1] with { Close = speed[1].Close * (1 + 1e-12) };            // within 1e-9
        speed[2] = speed[2] with { High = speed[2].High + 2, Trades = speed[2].Trades + 1 }; // beyond
        speed[3] = speed[3] with { Volume = speed[3].Volume * 1.5 };                  // beyond
        speed[4] = speed[4] with { Open = 1, Complete = false };                      // not compared: incomplete
        _data.WriteSpeed("daily_candles.parquet", speed);

        var run = await _data.MergeOkAsync();

        var report = Consistency();
        report.GetProperty("shared_days").GetInt64().Should().Be(5);
        report.GetProperty("compared_days").GetInt64().Should().Be(4);
        report.GetProperty("not_compared_incomplete").GetInt64().Should().Be(1);
        report.GetProperty("days_beyond_tolerance").GetInt64().Should().Be(2);
        report.GetProperty("agrees").GetBoolean().Should().BeFalse();
        var batchHigh = Of("BTCUSDT", "2026-07-03", "batch").High;
        Field(report, "high").GetProperty("max_abs_diff").GetDouble().Should().Be(2);
        Field(report, "high").GetProperty("max_rel_diff").GetDouble().Should().BeApproximately(2 / (batchHigh + 2), 1e-15);
        Field(report, "high").GetProperty("worst").GetProperty("day").GetString().Should().Be("2026-07-03");
        Field(report, "volume").GetProperty("max_rel_diff").GetDouble().Should().BeApproximately(0.5 / 1.5, 1e-12);
        Field(report, "close").GetProperty("max_rel_diff").GetDouble().Should().BeInRange(1e-13, 1e-11);
        Field(report, "open").GetProperty("max_abs_diff").GetDouble().Should().Be(0, "the incomplete day is not compared");
        report.GetProperty("beyond_tolerance").EnumerateArray().Select(d => (d.GetProperty("day").GetString(), d.GetProperty("field").GetString()))
            .Should().Equal(("2026-07-03", "high"), ("2026-07-03", "trades"), ("2026-07-04", "volume"));
        File.ReadAllText(_data.Report(ConsistencyReport.MarkdownFile)).Should().Contain("DISAGREE on 2 of 4").And.Contain("| binance | BTCUSDT | 2026-07-04 | volume |");
        run.Output.Should().Contain("speed and batch DISAGREE on 2 of 4 shared complete day(s) beyond a relative 1e-9 (1 shared incomplete day(s) not compared)");
    }

    [Fact]
    public async Task A_looser_tolerance_turns_the_same_differences_into_agreement()
    {
        _data.WriteBatch(Range("BTCUSDT", "2026-07-01", "2026-07-02", "batch"));
        _data.WriteSpeed("daily_candles.parquet", Range("BTCUSDT", "2026-07-01", "2026-07-02", "speed").Select(c => c with { Close = c.Close * (1 + 1e-6) }));

        await _data.MergeOkAsync("--tolerance", "1e-5");

        Consistency().GetProperty("agrees").GetBoolean().Should().BeTrue();
        Consistency().GetProperty("tolerance_relative").GetDouble().Should().Be(1e-5);
    }

    [Fact]
    public async Task Coverage_counts_days_by_source_and_incomplete_and_gaps_lists_each_run_of_missing_days()
    {
        _data.WriteBatch(
            [
                .. Range("BTCUSDT", "2026-07-01", "2026-07-03", "batch"), .. Range("BTCUSDT", "2026-07-07", "2026-07-08", "batch"),
                Of("ETHUSDT", "2026-07-01", "batch"),
            ], horizon: "2026-07-08");
        _data.WriteSpeed("daily_candles.parquet",
            [Of("BTCUSDT", "2026-07-09", "speed"), Of("BTCUSDT", "2026-07-11", "speed", complete: false), Of("ETHUSDT", "2026-07-02", "speed", complete: false)]);

        var run = await _data.MergeOkAsync();

        File.ReadAllLines(_data.Report(CoverageReport.CoverageFile)).Should().Equal(
            "exchange,symbol,first_day,last_day,days,from_batch,from_speed,incomplete,missing",
            "binance,BTCUSDT,2026-07-01,2026-07-11,7,5,2,1,4",
            "binance,ETHUSDT,2026-07-01,2026-07-02,2,1,1,1,0");
        File.ReadAllLines(_data.Report(CoverageReport.GapsFile)).Should().Equal(
            "exchange,symbol,missing_from,missing_to,days",
            "binance,BTCUSDT,2026-07-04,2026-07-06,3",
            "binance,BTCUSDT,2026-07-10,2026-07-10,1");
        run.Output.Should().Contain("2 incomplete day(s), 4 missing day(s)");
    }

    [Fact]
    public async Task The_console_table_shows_the_last_days_of_each_symbol_with_source_completeness_and_lineage()
    {
        _data.WriteBatch([.. Range("BTCUSDT", "2026-06-01", "2026-07-01", "batch"), .. Range("ETHUSDT", "2026-06-20", "2026-07-01", "batch")], buildId: "b-table", horizon: "2026-07-01");
        _data.WriteSpeed("daily_candles.parquet", [Of("BTCUSDT", "2026-07-02", "speed", complete: false)], lineage: "batch:2026-07-02T10:00:00Z");

        var run = await _data.MergeOkAsync("--last", "3");

        run.Output.Should().Contain("binance BTCUSDT: last 3 day(s)").And.Contain("binance ETHUSDT: last 3 day(s)");
        var btc = run.Output[run.Output.IndexOf("binance BTCUSDT", StringComparison.Ordinal)..run.Output.IndexOf("binance ETHUSDT", StringComparison.Ordinal)];
        btc.Should().NotContain("2026-06-29").And.Contain("2026-06-30").And.Contain("2026-07-01").And.Contain("2026-07-02");
        btc.Split('\n').Single(l => l.Contains("2026-07-02", StringComparison.Ordinal)).Should()
            .Contain("speed").And.Contain(" no ").And.Contain("speed:batch:2026-07-02T10:00:00Z");
        btc.Split('\n').Single(l => l.Contains("2026-07-01", StringComparison.Ordinal)).Should().Contain("batch").And.Contain(" yes ").And.Contain("batch:b-table");
    }
}
