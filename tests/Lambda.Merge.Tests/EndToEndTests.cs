using Lambda.Testing;
using System.Globalization;
using System.Text.Json;
using Lambda.Core.Klines;
using Lambda.Core.Views;
using Lambda.Merge.Chart;
using Lambda.Merge.Reports;
using Lambda.Merge.Serving;
using Lambda.Producer.Commands;
using Lambda.SpeedLayer;

namespace Lambda.Merge.Tests;

/// <summary>
/// The demo's steps on a temporary data directory, on the real BTCUSDT samples: the batch view holds
/// the 1d klines up to a cutoff day; the producer replays the 4h klines from three days before the
/// cutoff into the embedded log; <c>speed-layer batch</c> turns them into daily candles; <c>merge</c>
/// joins both.
/// </summary>
public sealed class EndToEndTests : IDisposable
{
    private static readonly DateOnly Cutoff = new(2026, 8, 1);
    private static readonly DateOnly SpeedFrom = Cutoff.AddDays(-3);

    private readonly DataDirectory _data = new();

    public void Dispose() => _data.Dispose();

    private static string Sample(string name) => Path.Combine(AppContext.BaseDirectory, "samples", "binance", name);

    /// <summary>
    /// The batch view as the batch layer builds it from the imported daily history (written directly:
    /// <c>batch-layer build</c> is being built in parallel): the 1d klines up to the cutoff, horizon = cutoff.
    /// </summary>
    private static List<DailyCandle> BatchFromDailyKlines()
    {
        using var reader = new StreamReader(Sample("BTCUSDT-1d.csv"));
        return [.. KlinesCsvReader.Read(reader, "1d").Select(row => row.Kline ?? throw new InvalidOperationException(row.Error))
            .Select(k => new DailyCandle("binance", "BTCUSDT", DateOnly.FromDateTime(DateTimeOffset.FromUnixTimeMilliseconds(k.OpenTime).UtcDateTime),
                k.Open, k.High, k.Low, k.Close, k.Volume, k.QuoteVolume, k.Trades, "batch", true,
                DateTimeOffset.FromUnixTimeMilliseconds(k.OpenTime), DateTimeOffset.FromUnixTimeMilliseconds(k.CloseTime)))
            .Where(c => c.Day <= Cutoff)];
    }

    [Fact]
    public async Task The_demo_steps_serve_every_day_once_batch_up_to_the_cutoff_then_speed_and_both_agree_on_the_shared_days()
    {
        _data.WriteBatch(BatchFromDailyKlines(), buildId: "e2e-build", horizon: Cutoff.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
        var replay = await CommandRun.InvokeAsync(ProducerCommand.Build(), "--data-dir", _data.Root, "replay", Sample("BTCUSDT-4h.csv"),
            "--from", SpeedFrom.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), "--speed", "max");
        replay.ExitCode.Should().Be(0, replay.Error + replay.Output);
        var speed = await CommandRun.InvokeAsync(SpeedLayerCommand.Build(), "--data-dir", _data.Root, "batch");
        speed.ExitCode.Should().Be(0, speed.Error + speed.Output);

        var merge = await CommandRun.InvokeAsync(MergeCommand.Build(), "--data-dir", _data.Root, "--last", "6");

        merge.ExitCode.Should().Be(0, merge.Error + merge.Output);
        var rows = _data.Serving();
        var allDays = File.ReadLines(Sample("BTCUSDT-1d.csv")).Skip(1)
            .Select(l => DateOnly.FromDateTime(DateTimeOffset.FromUnixTimeMilliseconds(long.Parse(l.Split(',')[0], CultureInfo.InvariantCulture)).UtcDateTime)).ToList();
        rows.Select(r => r.Candle.Day).Should().Equal(allDays, "every day of the history appears exactly once, in order");
        rows.Where(r => r.Candle.Day <= Cutoff).Should().OnlyContain(r => r.Candle.Source == "batch" && r.Lineage == "batch:e2e-build");
        rows.Where(r => r.Candle.Day > Cutoff).Should().NotBeEmpty().And.OnlyContain(r => r.Candle.Source == "speed" && r.Lineage.StartsWith("speed:", StringComparison.Ordinal));
        rows[^1].Candle.Complete.Should().BeFalse("the sample's last day is not over");
        rows.SkipLast(1).Should().OnlyContain(r => r.Candle.Complete);

        // speed and batch identical on the shared days: the speed view itself, and the consistency report
        using (var reader = ParquetFileReader.Open(Path.Combine(_data.Root, "views", "speed", "daily_candles.parquet")))
        {
            var batch = BatchFromDailyKlines().ToDictionary(c => c.Day);
            var shared = reader.Read(DailyCandleMap.Instance).Where(c => c.Day <= Cutoff).ToList();
            shared.Select(c => c.Day).Should().Equal(Enumerable.Range(0, 4).Select(i => SpeedFrom.AddDays(i)));
            foreach (var s in shared)
            {
                var b = batch[s.Day];
                (s.Open, s.High, s.Low, s.Close, s.Trades).Should().Be((b.Open, b.High, b.Low, b.Close, b.Trades), "OHLC and trades of {0}", s.Day);
                s.Volume.Should().BeApproximately(b.Volume, b.Volume * 1e-12);
            }
        }

        using var consistency = JsonDocument.Parse(File.ReadAllBytes(_data.Report(ConsistencyReport.JsonFile)));
        consistency.RootElement.GetProperty("agrees").GetBoolean().Should().BeTrue();
        consistency.RootElement.GetProperty("compared_days").GetInt64().Should().Be(4);
        consistency.RootElement.GetProperty("days_beyond_tolerance").GetInt64().Should().Be(0);
        File.ReadAllText(_data.Report(CoverageReport.CoverageFile)).Should().Contain($"binance,BTCUSDT,2021-01-01,2026-08-13,{allDays.Count},{allDays.Count(d => d <= Cutoff)},{allDays.Count(d => d > Cutoff)},1,0");
        File.ReadAllLines(_data.Report(CoverageReport.GapsFile)).Should().Equal("exchange,symbol,missing_from,missing_to,days");
        File.ReadLines(_data.ServingCsv).Count().Should().Be(allDays.Count + 1);

        merge.Output.Should().Contain("speed and batch agree on all 4 shared complete day(s)")
            .And.Contain("binance BTCUSDT: last 6 day(s)").And.Contain("2026-08-13").And.Contain("e2e-build");
        // scripts/test.sh installs the chart library (scripts/setup-chart.sh) and Chromium (scripts/setup-system.sh)
        File.Exists(_data.Report(ServingChartPage.HtmlFile)).Should().BeTrue(merge.Output);
        File.Exists(_data.Report(ServingChartPage.PngFile)).Should().BeTrue(merge.Output);
    }
}
