using System.Diagnostics;
using System.Globalization;
using Lambda.Core.Contracts;
using Lambda.Core.Views;
using Lambda.Producer.Commands;
using Lambda.SpeedLayer;
using Lambda.Testing;

namespace Lambda.Cli.Tests;

/// <summary>The producer and both speed-layer modes through Kafka (librdkafka's mock cluster) instead of the embedded log.</summary>
public sealed class KafkaTransportTests : IDisposable
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);
    private readonly string _dataDir = Directory.CreateTempSubdirectory("lambda-kafka-cli-").FullName;
    private readonly MockCluster _cluster = new(brokers: 1);

    public KafkaTransportTests()
    {
        foreach (var topic in Topics.All)
        {
            _cluster.CreateTopic(topic, partitions: 3);
        }
    }

    public void Dispose()
    {
        _cluster.Dispose();
        Directory.Delete(_dataDir, recursive: true);
    }

    private static string Sample(string name) => Path.Combine(AppContext.BaseDirectory, "samples", "binance", name);

    /// <summary>The 1d sample's complete days from 2026-06-01 on (the last row of the file is a partial day).</summary>
    private static Dictionary<DateOnly, string[]> ExpectedDays()
    {
        var rows = File.ReadLines(Sample("BTCUSDT-1d.csv")).Skip(1).Select(l => l.Split(','))
            .Select(f => (Day: DateOnly.FromDateTime(DateTimeOffset.FromUnixTimeMilliseconds(long.Parse(f[0], CultureInfo.InvariantCulture)).UtcDateTime), Fields: f))
            .Where(r => r.Day >= new DateOnly(2026, 6, 1)).ToList();
        return rows.SkipLast(1).ToDictionary(r => r.Day, r => r.Fields);
    }

    private static void ShouldMatchTheDailyKlines(IEnumerable<DailyCandle> candles)
    {
        var expected = ExpectedDays();
        var complete = candles.Where(c => c.Complete).ToList();
        complete.Select(c => c.Day).Order().Should().Equal(expected.Keys.Order(), "every complete day once");
        foreach (var candle in complete)
        {
            var f = expected[candle.Day];
            double D(int i) => double.Parse(f[i], CultureInfo.InvariantCulture);
            (candle.Open, candle.High, candle.Low, candle.Close).Should().Be((D(1), D(2), D(3), D(4)), "the prices of {0}", candle.Day);
            candle.Trades.Should().Be(long.Parse(f[8], CultureInfo.InvariantCulture));
            candle.Volume.Should().BeApproximately(D(5), D(5) * 1e-9);
        }
    }

    private async Task ReplayIntoKafkaAsync()
    {
        var run = await CommandRun.InvokeAsync(ProducerCommand.Build(), "--data-dir", _dataDir, "--kafka", _cluster.BootstrapServers,
            "replay", Sample("BTCUSDT-4h.csv"), "--from", "2026-06-01", "--stats-every", "0");
        run.ExitCode.Should().Be(0, run.Error + run.Output);
        run.Output.Should().Contain($"Kafka at {_cluster.BootstrapServers}").And.MatchRegex(@"kafka +sent (\d+), acked \1, failed 0");
        Directory.Exists(Path.Combine(_dataDir, "topics")).Should().BeFalse("nothing goes to the embedded log when Kafka is configured");
    }

    [Fact]
    public async Task Batch_reads_the_replayed_klines_back_from_kafka_into_the_daily_candles()
    {
        await ReplayIntoKafkaAsync();

        var run = await CommandRun.InvokeAsync(SpeedLayerCommand.Build(), "--data-dir", _dataDir, "--kafka", _cluster.BootstrapServers, "batch");

        run.ExitCode.Should().Be(0, run.Error + run.Output);
        using var reader = ParquetFileReader.Open(Path.Combine(_dataDir, "views", "speed", "daily_candles.parquet"));
        ShouldMatchTheDailyKlines(reader.Read(DailyCandleMap.Instance).ToList());
        var read = long.Parse(reader.KeyValueMetadata[ViewLayout.Speed.EventsReadKey], System.Globalization.CultureInfo.InvariantCulture);
        run.Output.Should().Contain(string.Create(System.Globalization.CultureInfo.InvariantCulture, $"reading the log: 100.0 % {read:N0} of {read:N0} messages, {read:N0} events"),
            "against Kafka the progress counts messages up to the high watermarks seen at the start");
    }

    [Fact]
    public async Task Stream_consumes_kafka_and_writes_every_complete_day_to_its_parts()
    {
        await ReplayIntoKafkaAsync();
        using var output = new StringWriter();
        using var stop = new CancellationTokenSource();
        var run = SpeedLayerCommand.Build().Parse(["--data-dir", _dataDir, "--kafka", _cluster.BootstrapServers, "stream", "--refresh", "200ms"])
            .InvokeAsync(new System.CommandLine.InvocationConfiguration { Output = output, Error = output }, stop.Token);

        var parts = Path.Combine(_dataDir, "views", "speed", "closed");
        var clock = Stopwatch.StartNew();
        List<DailyCandle> candles = [];
        while (candles.Count < ExpectedDays().Count)
        {
            clock.Elapsed.Should().BeLessThan(Timeout, output.ToString());
            run.IsCompleted.Should().BeFalse(output.ToString());
            await Task.Delay(100);
            candles = !Directory.Exists(parts) ? [] : Directory.GetFiles(parts, "part-*.parquet", SearchOption.AllDirectories).Order()
                .SelectMany(path =>
                {
                    using var reader = ParquetFileReader.Open(path);
                    return reader.Read(DailyCandleMap.Instance).ToList();
                }).ToList();
        }

        await stop.CancelAsync();
        (await run.WaitAsync(Timeout)).Should().Be(0, output.ToString());
        ShouldMatchTheDailyKlines(candles);
        Directory.GetFiles(Path.Combine(_dataDir, "checkpoints", "speed-layer-speed-layer"), "shard-*.json").Select(Path.GetFileName).Order()
            .Should().Equal(["shard-0.json", "shard-1.json", "shard-2.json"], "one shard per partition number, each checkpointed at Ctrl+C");
    }
}
