using Lambda.BatchLayer.Master;
using Lambda.Core.Contracts;
using Lambda.Core.Klines;
using Lambda.Core.Transport;
using Lambda.Core.Transport.Kafka;
using Lambda.Testing;
using Microsoft.Extensions.Logging.Abstractions;

namespace Lambda.BatchLayer.Tests.Archive;

/// <summary><c>batch-layer archive</c> over the embedded log and over Kafka (librdkafka's mock cluster), with the real 4h sample.</summary>
public sealed class ArchiveTests : IDisposable
{
    private readonly TempDirectory _data = new();
    private MockCluster? _cluster;

    public void Dispose()
    {
        _cluster?.Dispose();
        _data.Dispose();
    }

    /// <summary>The real BTCUSDT 4h klines from 2026-06-01 on, all closed (the file's last row is the open kline of its last day).</summary>
    private static List<Kline> Sample() =>
        [.. RealData.Klines(RealData.FourHour).Where(k => k.OpenTime >= new DateTimeOffset(2026, 6, 1, 0, 0, 0, TimeSpan.Zero).ToUnixTimeMilliseconds()).SkipLast(1)];

    private static KlineEvent Event(Kline k, bool closed) => new()
    {
        Exchange = Exchanges.Binance,
        Symbol = "BTCUSDT",
        EventTime = closed ? k.CloseTime : k.OpenTime + 60_000,
        Source = EventSources.Replay,
        Interval = "4h",
        OpenTime = k.OpenTime,
        CloseTime = k.CloseTime,
        Open = k.Open,
        High = closed ? k.High : k.Open,
        Low = closed ? k.Low : k.Open,
        Close = closed ? k.Close : k.Open,
        Volume = closed ? k.Volume : 0,
        QuoteVolume = closed ? k.QuoteVolume : 0,
        Trades = closed ? k.Trades : 0,
        IsClosed = closed,
    };

    /// <summary>Each kline as an open update followed by its closed version, as a live stream sends them.</summary>
    private static IEnumerable<KlineEvent> Stream(IEnumerable<Kline> klines) => klines.SelectMany(k => new[] { Event(k, closed: false), Event(k, closed: true) });

    private KafkaOptions Kafka() => _cluster is null ? new KafkaOptions() : new KafkaOptions { BootstrapServers = _cluster.BootstrapServers };

    private async Task PublishAsync(IEnumerable<MarketEvent> events)
    {
        await using var sink = EventLog.CreateSink(Kafka(), _data.Path, NullLoggerFactory.Instance, TimeProvider.System);
        foreach (var e in events)
        {
            await sink.PublishAsync(e, CancellationToken.None);
        }

        (await sink.FlushAsync(TimeSpan.FromSeconds(30), CancellationToken.None)).Complete.Should().BeTrue();
    }

    private async Task<CommandRun> ArchiveAsync(params string[] more)
    {
        string[] args = _cluster is null ? ["--data-dir", _data.Path, "archive", .. more] : ["--data-dir", _data.Path, "--kafka", _cluster.BootstrapServers, "archive", .. more];
        var run = await CommandRun.InvokeAsync(BatchLayerCommand.Build(), args);
        run.ExitCode.Should().Be(0, run.Error + run.Output);
        return run;
    }

    private List<MasterKline> Stored()
    {
        using var master = new MasterDataset(_data.Path);
        return [.. master.Partitions().SelectMany(master.Read)];
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Closed_klines_of_the_log_land_in_the_master_exactly_once_across_runs_and_open_updates_are_skipped(bool kafka)
    {
        if (kafka)
        {
            _cluster = new MockCluster(brokers: 1);
            _cluster.CreateTopic(Topics.Klines, partitions: 3);
        }

        var klines = Sample();
        var firstHalf = klines.Take(klines.Count / 2).ToList();
        await PublishAsync(Stream(firstHalf));

        var first = await ArchiveAsync("--batch-size", "100");

        first.Output.Should().Contain(kafka ? $"Kafka at {_cluster!.BootstrapServers}" : "embedded log");
        Directory.Exists(Path.Combine(_data.Path, "topics")).Should().Be(!kafka);

        first.Output.Should().Contain($"messages read    {firstHalf.Count * 2} ")
            .And.Contain($"klines           {firstHalf.Count} closed: {firstHalf.Count} added, 0 already stored, 0 conflicting (kept the stored); {firstHalf.Count} open updates skipped");
        Stored().Select(r => r.Kline).Should().Equal(firstHalf);
        Stored().Should().OnlyContain(r => r.Origin == MasterOrigins.Archive);

        var second = await ArchiveAsync();
        second.Output.Should().Contain("messages read    0 ", "the first run committed its positions").And.Contain("0 added");

        await PublishAsync(Stream(klines.Skip(firstHalf.Count)));
        var third = await ArchiveAsync();
        third.Output.Should().Contain($"messages read    {(klines.Count - firstHalf.Count) * 2} ").And.Contain($"{klines.Count - firstHalf.Count} added, 0 already stored");
        Stored().Select(r => r.Kline).Should().Equal(klines, "every closed kline once, none of the open updates");
    }

    [Fact]
    public async Task Klines_read_twice_from_the_log_are_stored_once_and_a_different_second_version_is_counted_as_conflicting()
    {
        var klines = Sample().Take(12).ToList();
        await PublishAsync(Stream(klines));
        await ArchiveAsync();

        // The same klines again (a replay run twice), and one closed kline with other values.
        var changed = klines[3] with { Close = klines[3].High, Trades = klines[3].Trades + 1 };
        await PublishAsync([.. klines.Select(k => Event(k, closed: true)), Event(changed, closed: true)]);
        var run = await ArchiveAsync();

        run.Output.Should().Contain("klines           13 closed: 0 added, 12 already stored, 1 conflicting");
        Stored().Select(r => r.Kline).Should().Equal(klines);
    }

    [Fact]
    public async Task Undeserializable_lines_and_klines_the_master_cannot_hold_are_counted_and_shown_and_the_rest_is_stored()
    {
        var klines = Sample().Take(6).ToList();
        var offGrid = klines[0] with { OpenTime = klines[0].OpenTime + 1 };
        await PublishAsync([.. klines.Select(k => Event(k, closed: true)), Event(offGrid, closed: true)]);
        var segment = Directory.GetFiles(Path.Combine(_data.Path, "topics", Topics.Klines), "*.jsonl").Single();
        await File.AppendAllTextAsync(segment, "{\"exchange\":\"binance\",\"symbol\":\"BTCUSDT\",\"interval\":\"4h\",\"open_time\":\"soon\"}\n");

        var run = await ArchiveAsync();

        run.Output.Should().Contain("bad messages     1 undeserializable, 1 rejected")
            .And.Contain("is not the start of a 4h interval")
            .And.Contain("undeserializable: ");
        Stored().Select(r => r.Kline).Should().Equal(klines);
        (await ArchiveAsync()).Output.Should().Contain("messages read    0 ", "bad messages are committed with the rest: reported once, not read forever");
    }
}
