using Lambda.Testing;
using System.Globalization;
using Lambda.Core.Contracts;
using Lambda.Core.Transport;
using Lambda.Core.Transport.Kafka;
using Lambda.Core.Views;
using Lambda.Producer.Commands;
using Lambda.SpeedLayer;
using Microsoft.Extensions.Logging.Abstractions;

namespace Lambda.Cli.Tests;

/// <summary><c>speed-layer batch</c> end to end: the 4h sample replayed into the embedded log, aggregated to days.</summary>
public sealed class SpeedBatchCommandTests : IDisposable
{
    private static readonly DateOnly From = new(2026, 6, 1);

    private readonly string _dataDir = Directory.CreateTempSubdirectory("lambda-speed-batch-").FullName;

    public void Dispose() => Directory.Delete(_dataDir, recursive: true);

    private string ViewPath => Path.Combine(_dataDir, "views", "speed", "daily_candles.parquet");

    private static string Sample(string name) => Path.Combine(AppContext.BaseDirectory, "samples", "binance", name);

    private async Task ReplayAsync()
    {
        var run = await CommandRun.InvokeAsync(ProducerCommand.Build(), "--data-dir", _dataDir, "replay", Sample("BTCUSDT-4h.csv"), "--from", "2026-06-01", "--speed", "max");
        run.ExitCode.Should().Be(0, run.Error + run.Output);
    }

    private async Task<CommandRun> BatchAsync(params string[] extra)
    {
        var run = await CommandRun.InvokeAsync(SpeedLayerCommand.Build(), ["--data-dir", _dataDir, "batch", .. extra]);
        run.ExitCode.Should().Be(0, run.Error + run.Output);
        return run;
    }

    private (List<DailyCandle> Candles, IReadOnlyDictionary<string, string> Metadata) ReadView()
    {
        using var reader = ParquetFileReader.Open(ViewPath);
        return (reader.Read(DailyCandleMap.Instance).ToList(), reader.KeyValueMetadata);
    }

    /// <summary>A <c>stream</c> run that committed the default group must not make <c>batch</c> start at its positions.</summary>
    [Fact]
    public async Task Batch_reads_the_whole_log_even_after_stream_committed_the_default_group()
    {
        await ReplayAsync();
        long read = 0;
        await using (var stream = EventLog.CreateSource(new KafkaOptions(), _dataDir, "speed-layer", [Topics.Klines], stopAtEnd: true, NullLoggerFactory.Instance))
        {
            // What speed-layer stream does with its default group: read to the end and commit.
            LogPosition? last = null;
            await foreach (var message in stream.ReadAsync(CancellationToken.None))
            {
                last = message.Position;
                read++;
            }

            await stream.CommitAsync([last!.Value], CancellationToken.None);
        }

        var run = await BatchAsync();

        run.Output.Should().Contain($"events read      {read} ");
        ReadView().Candles.Should().NotBeEmpty();
    }

    /// <summary>The same CSV replayed twice gives duplicates, not late events.</summary>
    [Fact]
    public async Task A_log_holding_the_same_replay_twice_counts_the_copies_as_duplicates_not_late()
    {
        await ReplayAsync();
        var once = await BatchAsync();
        await ReplayAsync();

        var twice = await BatchAsync();

        var events = long.Parse(System.Text.RegularExpressions.Regex.Match(once.Output, @"events read +(\d+)").Groups[1].Value, CultureInfo.InvariantCulture);
        twice.Output.Should().Contain($"events read      {2 * events} ").And.Contain($"merged {events}, late 0, duplicates {events},");
    }

    [Fact]
    public async Task Batch_of_another_interval_than_the_logs_says_its_events_were_ignored_not_that_the_log_is_empty()
    {
        await ReplayAsync();

        var run = await BatchAsync("--interval", "1d");

        run.Output.Should().MatchRegex(@"No candles: the log's \d+ event\(s\) of these topics were all ignored \(klines of another interval than 1d");
    }

    [Fact]
    public async Task Batch_turns_the_replayed_4h_klines_into_the_daily_candles_of_the_1d_sample()
    {
        await ReplayAsync();

        var run = await BatchAsync();

        var (candles, metadata) = ReadView();
        var days = File.ReadLines(Sample("BTCUSDT-1d.csv")).Skip(1).Select(l => l.Split(','))
            .ToDictionary(f => DateOnly.FromDateTime(DateTimeOffset.FromUnixTimeMilliseconds(long.Parse(f[0], CultureInfo.InvariantCulture)).UtcDateTime));
        var expectedDays = days.Keys.Where(d => d >= From).Order().ToList();

        candles.Select(c => c.Day).Should().Equal(expectedDays, "every day from --from on appears exactly once, in order");
        candles.Should().OnlyContain(c => c.Exchange == "binance" && c.Symbol == "BTCUSDT" && c.Source == "speed");
        candles[^1].Complete.Should().BeFalse("the sample's last day is not over");
        candles.Take(candles.Count - 1).Should().OnlyContain(c => c.Complete);
        foreach (var candle in candles.Where(c => c.Complete))
        {
            var f = days[candle.Day];
            double D(int i) => double.Parse(f[i], CultureInfo.InvariantCulture);
            candle.Open.Should().Be(D(1), "open of {0}", candle.Day);
            candle.High.Should().Be(D(2), "high of {0}", candle.Day);
            candle.Low.Should().Be(D(3), "low of {0}", candle.Day);
            candle.Close.Should().Be(D(4), "close of {0}", candle.Day);
            candle.Trades.Should().Be(long.Parse(f[8], CultureInfo.InvariantCulture), "trades of {0}", candle.Day);
            candle.Volume.Should().BeApproximately(D(5), D(5) * 1e-9, "volume of {0}", candle.Day);
            candle.QuoteVolume.Should().BeApproximately(D(7), D(7) * 1e-9, "quote volume of {0}", candle.Day);
        }

        metadata[ViewLayout.Speed.TopicsKey].Should().Be("crypto-klines");
        metadata[ViewLayout.Speed.KlineIntervalKey].Should().Be("4h");
        metadata[ViewLayout.Speed.EventsReadKey].Should().Be(File.ReadLines(Sample("BTCUSDT-4h.csv")).Skip(1)
            .Count(l => long.Parse(l.Split(',')[0], CultureInfo.InvariantCulture) >= new DateTimeOffset(2026, 6, 1, 0, 0, 0, TimeSpan.Zero).ToUnixTimeMilliseconds())
            .ToString(CultureInfo.InvariantCulture));
        run.Output.Should().Contain("2026-08-13").And.Contain($"windows written  {candles.Count} candle(s)").And.Contain("undeserializable 0");
        var segmentBytes = Directory.GetFiles(Path.Combine(_dataDir, "topics", "crypto-klines")).Sum(f => new FileInfo(f).Length);
        run.Output.Should().Contain(string.Create(CultureInfo.InvariantCulture, $"reading the log: 100.0 % {segmentBytes:N0} of {segmentBytes:N0} bytes, {long.Parse(metadata[ViewLayout.Speed.EventsReadKey], CultureInfo.InvariantCulture):N0} events"),
            "progress is measured against the end positions seen at the start (the segments' bytes), and ends at 100 %");
        Directory.GetFiles(Path.GetDirectoryName(ViewPath)!).Select(Path.GetFileName).Should().Equal("daily_candles.parquet");
    }

    [Fact]
    public async Task Running_batch_twice_reads_everything_again_and_gives_the_same_candles()
    {
        await ReplayAsync();

        await BatchAsync();
        var first = ReadView().Candles;
        await BatchAsync();
        var second = ReadView().Candles;

        first.Should().NotBeEmpty();
        second.Should().Equal(first);
    }

    [Fact]
    public async Task From_skips_earlier_days()
    {
        await ReplayAsync();

        var run = await BatchAsync("--from", "2026-08-01");

        ReadView().Candles.Select(c => c.Day).Should().OnlyContain(d => d >= new DateOnly(2026, 8, 1)).And.HaveCount(13);
        run.Output.Should().MatchRegex(@"before --from [1-9]\d*");
    }

    [Fact]
    public async Task An_empty_log_writes_an_empty_view_and_says_so()
    {
        var run = await BatchAsync("--topics", "crypto-klines,crypto-prices");

        ReadView().Candles.Should().BeEmpty();
        using var tickers = ParquetFileReader.Open(Path.Combine(_dataDir, "views", "speed", "ticker_stats.parquet"));
        tickers.RowCount.Should().Be(0);
        run.Output.Should().Contain("An empty view was written").And.Contain("events read      0");
    }

    [Fact]
    public async Task Messages_that_do_not_deserialize_are_counted_not_fatal()
    {
        await ReplayAsync();
        var segment = Directory.GetFiles(Path.Combine(_dataDir, "topics", "crypto-klines"), "*.jsonl").Order(StringComparer.Ordinal).Last();
        File.AppendAllText(segment, "{not json\n\"just a string\"\n");

        var run = await BatchAsync();

        run.Output.Should().Contain("undeserializable 2").And.Contain("undeserializable: crypto-klines");
        ReadView().Candles.Should().NotBeEmpty();
    }
}
