using Lambda.BatchLayer.Master;
using Lambda.Core.Views;
using Lambda.Merge.Serving;
using Lambda.SpeedLayer.Batch;

namespace Lambda.Parquet.Tests;

/// <summary>Files written by the previous version (the hand-written codec) still read, value for value.</summary>
public sealed class LegacyFixtureTests
{
    private static string Fixture(string name) => Path.Combine(AppContext.BaseDirectory, "Fixtures", name);

    [Theory]
    [InlineData("daily_candles.parquet", 3)]
    [InlineData("daily_candles-gzip-plain-v2.parquet", 1)]
    public void Candle_views_read_with_every_value_and_their_metadata(string name, int rowGroups)
    {
        var (rows, metadata, groups) = ReadAll(Fixture(name), DailyCandleMap.Instance);

        rows.Should().Equal(LegacyFixtureRows.Candles);
        groups.Should().Be(rowGroups);
        // Record equality treats -0.0 as 0.0; the sign must survive too.
        double.IsNegative(rows[1].Close).Should().BeTrue();
        double.IsNaN(rows[1].Open).Should().BeTrue();
        // Only the Snappy file was written with view metadata.
        metadata.Should().Equal(rowGroups > 1 ? LegacyFixtureRows.CandleMetadata : new Dictionary<string, string>());
    }

    [Fact]
    public void Metrics_read_with_their_nulls()
    {
        var (rows, _, _) = ReadAll(Fixture("daily_metrics.parquet"), DailyMetricMap.Instance);

        rows.Should().Equal(LegacyFixtureRows.Metrics);
        double.IsNegative(rows[3].Ma30!.Value).Should().BeTrue();
    }

    [Fact]
    public void Master_partitions_read_with_millisecond_open_times()
    {
        var (rows, metadata, _) = ReadAll(Fixture("master-2026-08.parquet"), MasterKlineMap.Instance);

        rows.Should().Equal(LegacyFixtureRows.MasterKlines);
        metadata.Should().Equal(LegacyFixtureRows.MasterMetadata);
    }

    [Fact]
    public void Serving_views_read_with_their_lineage()
    {
        var (rows, _, groups) = ReadAll(Fixture("serving-daily_candles.parquet"), ServingCandleMap.Instance);

        rows.Should().Equal(LegacyFixtureRows.Serving);
        groups.Should().Be(2);
    }

    [Fact]
    public void Ticker_views_read()
    {
        var (rows, _, _) = ReadAll(Fixture("ticker_stats.parquet"), TickerDayStatsMap.Instance);

        rows.Should().Equal(LegacyFixtureRows.Tickers);
        double.IsNegative(rows[1].LastPrice).Should().BeTrue();
    }

    private static (List<T> Rows, IReadOnlyDictionary<string, string> Metadata, int RowGroups) ReadAll<T>(string path, IParquetRecordMap<T> map)
    {
        using var reader = ParquetFileReader.Open(path);
        return (reader.Read(map).ToList(), reader.KeyValueMetadata, reader.RowGroupCount);
    }
}
