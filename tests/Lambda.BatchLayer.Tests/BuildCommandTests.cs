using Lambda.Testing;
using System.Globalization;
using System.Text.RegularExpressions;
using Lambda.BatchLayer.Build;
using Lambda.BatchLayer.Master;
using Lambda.Core.Progress;
using Lambda.Core.Views;
using Microsoft.Extensions.Time.Testing;

namespace Lambda.BatchLayer.Tests;

public sealed class BuildCommandTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    private string Data => _temp.File("data");

    public void Dispose() => _temp.Dispose();

    private async Task ImportAsync(params string[] paths)
    {
        var run = await CommandRun.InvokeAsync(BatchLayerCommand.Build(), ["--data-dir", Data, "import", .. paths]);
        run.ExitCode.Should().Be(0, run.ToString());
    }

    private async Task<CommandRun> BuildAsync(params string[] options)
    {
        var run = await CommandRun.InvokeAsync(BatchLayerCommand.Build(), ["--data-dir", Data, "build", .. options]);
        run.ExitCode.Should().Be(0, run.ToString());
        return run;
    }

    /// <summary>The build command's work with a clock the test sets.</summary>
    private async Task BuildInProcessAsync(TimeProvider clock)
    {
        using var master = new MasterDataset(Data);
        var inputs = BatchViewBuilder.Inputs(master.Partitions(), until: null);
        var result = await new BatchViewBuilder(Data, clock).BuildAsync(inputs, until: null, new WorkProgress("partitions", inputs.Count), CancellationToken.None);
        result.Interrupted.Should().BeFalse();
    }

    [Fact]
    public async Task Importing_the_daily_file_builds_a_view_equal_to_the_file_row_for_row()
    {
        await ImportAsync(RealData.Daily);

        var run = await BuildAsync();

        run.Output.Should().Contain("2,051 daily candle(s) (2,051 complete, 0 incomplete)");
        BatchViews.Candles(Data).Should().Equal(RealData.Klines(RealData.Daily).Select(k => BatchViews.FromDaily("BTCUSDT", k)));
    }

    [Fact]
    public async Task Importing_only_the_4h_file_gives_the_daily_candles_on_every_complete_day_and_marks_the_last_day_incomplete()
    {
        await ImportAsync(RealData.FourHour);

        await BuildAsync();

        var candles = BatchViews.Candles(Data);
        var daily = RealData.Klines(RealData.Daily).Select(k => BatchViews.FromDaily("BTCUSDT", k)).ToDictionary(c => c.Day);
        candles.Should().HaveCount(daily.Count);
        candles[^1].Complete.Should().BeFalse();
        candles[..^1].Should().OnlyContain(c => c.Complete);
        foreach (var candle in candles[..^1])
        {
            var expected = daily[candle.Day];
            (candle.Open, candle.High, candle.Low, candle.Close, candle.Trades).Should().Be((expected.Open, expected.High, expected.Low, expected.Close, expected.Trades), $"{candle.Day}");
            BatchViews.Close(candle.Volume, expected.Volume).Should().BeTrue($"{candle.Day}: volume {candle.Volume} vs {expected.Volume}");
            BatchViews.Close(candle.QuoteVolume, expected.QuoteVolume).Should().BeTrue($"{candle.Day}: quote volume {candle.QuoteVolume} vs {expected.QuoteVolume}");
            candle.FirstEventTime.Should().Be(expected.FirstEventTime);
            candle.LastEventTime.Should().BeOnOrBefore(expected.LastEventTime);
            (candle.Source, candle.Exchange, candle.Symbol).Should().Be(("batch", "binance", "BTCUSDT"));
        }

        // The last day holds only the 4h klines up to the end of the file.
        var last = RealData.Klines(RealData.FourHour)[^1];
        candles[^1].LastEventTime.Should().Be(DateTimeOffset.FromUnixTimeMilliseconds(last.CloseTime));
    }

    [Fact]
    public async Task Where_both_intervals_are_stored_the_daily_klines_win()
    {
        await ImportAsync(RealData.FourHour, RealData.Daily);

        await BuildAsync();

        BatchViews.Candles(Data).Should().Equal(RealData.Klines(RealData.Daily).Select(k => BatchViews.FromDaily("BTCUSDT", k)));
    }

    [Fact]
    public async Task Until_sets_the_horizon_no_later_day_is_written_and_the_metadata_records_it()
    {
        await ImportAsync(RealData.Daily);

        var run = await BuildAsync("--until", "2024-06-30");

        var horizon = new DateOnly(2024, 6, 30);
        var expected = RealData.Klines(RealData.Daily).Select(k => BatchViews.FromDaily("BTCUSDT", k)).Where(c => c.Day <= horizon).ToList();
        BatchViews.Candles(Data).Should().Equal(expected);
        BatchViews.Metrics(Data).Select(m => m.Day).Should().Equal(expected.Select(c => c.Day));
        BatchViews.Metadata(BatchViews.CandlesPath(Data))[ViewLayout.Batch.HorizonKey].Should().Be("2024-06-30");
        run.Output.Should().Contain("horizon 2024-06-30");

        // A build without a horizon replaces the view with every day.
        await BuildAsync();
        BatchViews.Candles(Data).Should().HaveCount(2051);
        BatchViews.Metadata(BatchViews.CandlesPath(Data))[ViewLayout.Batch.HorizonKey].Should().BeEmpty();
    }

    [Fact]
    public async Task Both_views_carry_the_same_build_id_and_record_layer_inputs_and_time()
    {
        await ImportAsync(RealData.Daily, RealData.FourHour);

        var run = await BuildAsync();

        var candles = BatchViews.Metadata(BatchViews.CandlesPath(Data));
        var metrics = BatchViews.Metadata(BatchViews.MetricsPath(Data));
        candles["lambda.layer"].Should().Be("batch");
        candles[ViewLayout.Batch.BuildIdKey].Should().MatchRegex("^build-[0-9]{8}T[0-9]{6}Z-[0-9a-f]{8}$").And.Be(metrics[ViewLayout.Batch.BuildIdKey]);
        run.Output.Should().Contain(candles[ViewLayout.Batch.BuildIdKey]);
        candles[ViewLayout.Batch.InputsKey].Should().Be("binance/BTCUSDT/1d 2021-01..2026-08 68 files 2051 rows; binance/BTCUSDT/4h 2021-01..2026-08 68 files 12304 rows");
        DateTimeOffset.Parse(candles[ViewLayout.Batch.BuiltAtKey], CultureInfo.InvariantCulture).Should().BeCloseTo(DateTimeOffset.UtcNow, TimeSpan.FromMinutes(5));
        metrics.Should().BeEquivalentTo(candles);
    }

    [Fact]
    public async Task A_build_of_the_same_master_dataset_writes_the_same_rows_under_a_new_build_id()
    {
        await ImportAsync(RealData.FourHour);
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 8, 10, 12, 0, 0, TimeSpan.Zero));
        await BuildInProcessAsync(clock);
        var first = (BatchViews.Candles(Data), BatchViews.Metrics(Data), BatchViews.Metadata(BatchViews.CandlesPath(Data))[ViewLayout.Batch.BuildIdKey]);
        clock.Advance(TimeSpan.FromSeconds(1)); // the id has second resolution

        await BuildInProcessAsync(clock);

        BatchViews.Candles(Data).Should().Equal(first.Item1);
        BatchViews.Metrics(Data).Should().Equal(first.Item2);
        var id = BatchViews.Metadata(BatchViews.CandlesPath(Data))[ViewLayout.Batch.BuildIdKey];
        id.Should().NotBe(first.Item3);
        Regex.Match(id, "-([0-9a-f]{8})$").Value.Should().Be(Regex.Match(first.Item3, "-([0-9a-f]{8})$").Value, "the inputs did not change");
    }

    [Fact]
    public async Task An_empty_master_dataset_builds_empty_views()
    {
        var run = await BuildAsync();

        run.Output.Should().Contain("0 daily candle(s)");
        BatchViews.Candles(Data).Should().BeEmpty();
        BatchViews.Metrics(Data).Should().BeEmpty();
    }

    /// <summary>An empty build does not silently replace non-empty views; --allow-empty says it should.</summary>
    [Fact]
    public async Task An_empty_build_over_non_empty_views_is_refused_unless_allowed()
    {
        await ImportAsync(RealData.Daily);
        await BuildAsync();
        var published = BatchViews.Candles(Data);
        var buildId = BatchViews.Metadata(BatchViews.CandlesPath(Data))[ViewLayout.Batch.BuildIdKey];

        var beforeAllData = await CommandRun.InvokeAsync(BatchLayerCommand.Build(), ["--data-dir", Data, "build", "--until", "2020-12-31"]);
        Directory.Delete(Path.Combine(Data, "master"), recursive: true);
        var noMaster = await CommandRun.InvokeAsync(BatchLayerCommand.Build(), ["--data-dir", Data, "build"]);

        foreach (var refused in new[] { beforeAllData, noMaster })
        {
            refused.ExitCode.Should().Be(1);
            refused.Error.Should().Contain("build refused:").And.Contain("2,051 candle(s); it stays").And.Contain("--allow-empty");
        }

        beforeAllData.Error.Should().Contain("up to --until 2020-12-31");
        BatchViews.Candles(Data).Should().Equal(published);
        BatchViews.Metadata(BatchViews.CandlesPath(Data))[ViewLayout.Batch.BuildIdKey].Should().Be(buildId);

        await BuildAsync("--allow-empty");
        BatchViews.Candles(Data).Should().BeEmpty();
    }

    [Fact]
    public async Task Metrics_follow_their_definitions_on_a_hand_checked_window()
    {
        await ImportAsync(RealData.Daily);
        await BuildAsync();

        var closes = RealData.Klines(RealData.Daily).Select(k => k.Close).ToList();
        var metrics = BatchViews.Metrics(Data);
        metrics.Should().HaveCount(closes.Count);
        metrics[0].Should().Be(new DailyMetric("binance", "BTCUSDT", new DateOnly(2021, 1, 1), closes[0], null, null, null, null));
        metrics[5].Ma7.Should().BeNull();
        metrics[6].Ma7.Should().BeApproximately(closes.Take(7).Average(), 1e-9);
        metrics[28].Ma30.Should().BeNull();
        metrics[29].Ma30.Should().BeApproximately(closes.Take(30).Average(), 1e-9);
        metrics[29].Volatility30d.Should().BeNull("30 returns need 31 days");
        metrics[1].Return.Should().BeApproximately(closes[1] / closes[0] - 1, 1e-15);
        var logReturns = Enumerable.Range(1, 30).Select(i => Math.Log(closes[i] / closes[i - 1])).ToList();
        var mean = logReturns.Average();
        var expected = Math.Sqrt(logReturns.Sum(r => (r - mean) * (r - mean)) / 29) * Math.Sqrt(365);
        metrics[30].Volatility30d.Should().BeApproximately(expected, 1e-12);
    }

    [Fact]
    public async Task Incomplete_days_get_no_metrics_and_break_the_windows_that_span_them()
    {
        // Drop one 4h kline of 2021-03-10: that day is incomplete.
        var gapDay = new DateTimeOffset(2021, 3, 10, 8, 0, 0, TimeSpan.Zero).ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture);
        var path = _temp.File("BTCUSDT-4h.csv");
        await File.WriteAllLinesAsync(path, File.ReadLines(RealData.FourHour).Where(l => !l.StartsWith(gapDay, StringComparison.Ordinal)));
        await ImportAsync(path);

        await BuildAsync();

        var candles = BatchViews.Candles(Data);
        candles.Single(c => c.Day == new DateOnly(2021, 3, 10)).Complete.Should().BeFalse();
        var metrics = BatchViews.Metrics(Data).ToDictionary(m => m.Day);
        metrics.Should().NotContainKey(new DateOnly(2021, 3, 10));
        metrics[new DateOnly(2021, 3, 11)].Return.Should().BeNull("the day before is missing");
        metrics[new DateOnly(2021, 3, 16)].Ma7.Should().BeNull();
        metrics[new DateOnly(2021, 3, 17)].Ma7.Should().NotBeNull();
        metrics[new DateOnly(2021, 4, 8)].Ma30.Should().BeNull("its window starts on 2021-03-10");
        metrics[new DateOnly(2021, 4, 9)].Ma30.Should().NotBeNull();
        metrics[new DateOnly(2021, 4, 9)].Volatility30d.Should().BeNull("its first return needs 2021-03-10");
        metrics[new DateOnly(2021, 4, 10)].Volatility30d.Should().NotBeNull();
    }
}
