using System.Diagnostics;
using System.Text.Json;
using System.Text.RegularExpressions;
using Lambda.Core.Contracts;
using Lambda.Core.Transport.Kafka;
using Lambda.Testing;

namespace Lambda.Cli.Tests;

/// <summary>
/// Fencing of shards: a member frozen with SIGSTOP while another takes its shards cannot write over them when it
/// wakes; the parts and checkpoints end as a single member's, byte for byte (the checkpoints but for their epoch).
/// </summary>
public sealed class ShardFenceTests : IDisposable
{
    private const int Partitions = 4;
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(120);
    private static readonly string[] Symbols = ["BTCUSDT", "ETHUSDT", "SOLUSDT", "BNBUSDT", "XRPUSDT", "ADAUSDT", "DOGEUSDT", "LTCUSDT"];

    /// <summary>A member that stops heart-beating is given up after 3 s instead of librdkafka's 45 s.</summary>
    private static readonly Dictionary<string, string> QuickGroup = new()
    {
        ["LAMBDA_Kafka__Consumer__session.timeout.ms"] = "3000",
        ["LAMBDA_Kafka__Consumer__heartbeat.interval.ms"] = "500",
    };

    private readonly List<string> _directories = [];
    private MockCluster? _cluster;

    public void Dispose()
    {
        _cluster?.Dispose();
        foreach (var directory in _directories)
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    private string NewDataDir()
    {
        var dataDir = Directory.CreateTempSubdirectory("lambda-fence-").FullName;
        _directories.Add(dataDir);
        return dataDir;
    }

    private static string CheckpointDirectory(string dataDir) => Path.Combine(dataDir, "checkpoints", "speed-layer-test");

    private static List<(string Name, string Json)> Checkpoints(string dataDir) =>
        Directory.Exists(CheckpointDirectory(dataDir))
            ? [.. Directory.GetFiles(CheckpointDirectory(dataDir), "shard-*.json").Order(StringComparer.Ordinal).Select(p => (Path.GetFileName(p), File.ReadAllText(p)))]
            : [];

    private static long Field(string json, string name)
    {
        using var document = JsonDocument.Parse(json);
        return document.RootElement.GetProperty(name).GetInt64();
    }

    private static long EventsRead(string dataDir)
    {
        try
        {
            return Checkpoints(dataDir).Sum(c => Field(c.Json, "events_read"));
        }
        catch (Exception e) when (e is IOException or JsonException)
        {
            return 0; // a checkpoint being replaced right now
        }
    }

    private static async Task WaitForAsync(Func<bool> condition, Func<string> context, params LambdaProcess[] members)
    {
        var clock = Stopwatch.StartNew();
        while (!condition())
        {
            clock.Elapsed.Should().BeLessThan(Timeout, context());
            members.Should().OnlyContain(m => !m.HasExited, context());
            await Task.Delay(50);
        }
    }

    /// <summary>Every part byte for byte, every checkpoint byte for byte once its epoch is taken out.</summary>
    private static void ShouldEqualTheSingleMembersRun(string dataDir, string reference)
    {
        var expected = SpeedViews.PartFiles(reference);
        var parts = SpeedViews.PartFiles(dataDir);
        parts.Should().NotBeEmpty();
        parts.Select(p => p.Name).Should().Equal(expected.Select(p => p.Name));
        for (var i = 0; i < parts.Count; i++)
        {
            parts[i].Bytes.Should().Equal(expected[i].Bytes, "{0} is byte for byte the single member's", parts[i].Name);
        }

        var checkpoints = Checkpoints(dataDir);
        checkpoints.Select(c => c.Name).Should().Equal(Checkpoints(reference).Select(c => c.Name));
        checkpoints.Select(c => SpeedViews.WithoutEpoch(c.Json)).Should().Equal(Checkpoints(reference).Select(c => SpeedViews.WithoutEpoch(c.Json)),
            "the checkpoints hold the single member's state and positions");
    }

    private static readonly string[] StreamOptions = ["stream", "--group", "test", "--refresh", "200ms", "--checkpoint-every", "50", "--idle-timeout", "10m"];

    [Fact]
    public async Task A_member_that_wakes_after_another_took_its_shard_has_its_checkpoint_refused_and_drops_the_shard()
    {
        // The embedded log: one shard. A second member started on it takes the shard's next epoch.
        var klines = SyntheticKlines.FourHour(["BTCUSDT"]);
        var (before, after) = (klines[..(klines.Count / 2)], klines[(klines.Count / 2)..]);
        var reference = NewDataDir();
        await SyntheticKlines.PublishAsync(new KafkaOptions(), reference, klines);
        var dataDir = NewDataDir();
        await SyntheticKlines.PublishAsync(new KafkaOptions(), dataDir, before);

        using var first = LambdaProcess.Start(["--data-dir", dataDir, .. StreamOptions]);
        await WaitForAsync(() => EventsRead(dataDir) == before.Count, () => first.Output, first);
        Field(Checkpoints(dataDir)[0].Json, "epoch").Should().Be(1);
        await first.FreezeAsync();
        try
        {
            await SyntheticKlines.PublishAsync(new KafkaOptions(), dataDir, after);
            using var second = LambdaProcess.Start(["--data-dir", dataDir, .. StreamOptions]);
            await WaitForAsync(() => EventsRead(dataDir) == klines.Count, () => second.Output, second);
            Field(Checkpoints(dataDir)[0].Json, "epoch").Should().Be(2);
            await first.ThawAsync();

            // Awake, the first member reads the new klines too and checkpoints them under its stale epoch: refused.
            await WaitForAsync(() => first.Output.Contains("epoch 1 is stale", StringComparison.Ordinal), () => first.Output, first, second);
            (await first.InterruptAsync(Timeout)).Should().Be(0, first.Output);
            first.Output.Should().Contain("Shard 0: this member's epoch 1 is stale (another member took the shard at epoch 2); checkpoint refused")
                .And.Contain("shards held      none");
            (await second.InterruptAsync(Timeout)).Should().Be(0, second.Output);
        }
        finally
        {
            if (!first.HasExited)
            {
                await first.ThawAsync(); // a failed assertion above must not leave a stopped process behind
            }
        }

        using (var single = LambdaProcess.Start(["--data-dir", reference, .. StreamOptions]))
        {
            await WaitForAsync(() => EventsRead(reference) == klines.Count, () => single.Output, single);
            (await single.InterruptAsync(Timeout)).Should().Be(0, single.Output);
        }

        Field(Checkpoints(dataDir)[0].Json, "epoch").Should().Be(2, "the stale member wrote nothing");
        ShouldEqualTheSingleMembersRun(dataDir, reference);
    }

    [Fact]
    public async Task A_kafka_member_frozen_past_its_session_timeout_cannot_write_over_the_shards_the_group_gave_away()
    {
        _cluster = new MockCluster(brokers: 1);
        foreach (var topic in Topics.All)
        {
            _cluster.CreateTopic(topic, Partitions);
        }

        var kafka = new KafkaOptions { BootstrapServers = _cluster.BootstrapServers };
        var klines = SyntheticKlines.FourHour(Symbols);
        var (before, after) = (klines[..(klines.Count / 2)], klines[(klines.Count / 2)..]);
        await SyntheticKlines.PublishAsync(kafka, NewDataDir(), before);
        string[] Arguments(string dataDir) => ["--data-dir", dataDir, "--kafka", _cluster.BootstrapServers, .. StreamOptions];

        var dataDir = NewDataDir();
        using var first = LambdaProcess.Start(Arguments(dataDir), QuickGroup);
        using var second = LambdaProcess.Start(Arguments(dataDir), QuickGroup);
        await WaitForAsync(() => EventsRead(dataDir) == before.Count && Checkpoints(dataDir).Count == Partitions
            && HeldShards(first).Count > 0 && HeldShards(second).Count > 0, () => first.Output + second.Output, first, second);
        var frozenShards = HeldShards(first);

        await first.FreezeAsync();
        try
        {
            // While the first member is frozen: more klines, its session times out, the second takes every shard and checkpoints them.
            await SyntheticKlines.PublishAsync(kafka, NewDataDir(), after);
            await WaitForAsync(() => HeldShards(second).Count == Partitions && EventsRead(dataDir) == klines.Count
                && frozenShards.All(s => Field(File.ReadAllText(Path.Combine(CheckpointDirectory(dataDir), $"shard-{s}.json")), "epoch") > 1),
                () => second.Output, second);
            await first.ThawAsync();

            // Awake, the first member either writes under its stale epoch (refused) or hears from the group first that it lost the shards.
            await WaitForAsync(() => first.Output.Contains("is stale", StringComparison.Ordinal) || first.Output.Contains("(lost: True)", StringComparison.Ordinal),
                () => first.Output, first, second);
            (await first.InterruptAsync(Timeout)).Should().Be(0, first.Output);
            (await second.InterruptAsync(Timeout)).Should().Be(0, second.Output);
        }
        finally
        {
            if (!first.HasExited)
            {
                await first.ThawAsync(); // a failed assertion above must not leave a stopped process behind
            }
        }

        var reference = NewDataDir();
        using (var single = LambdaProcess.Start(Arguments(reference), QuickGroup))
        {
            await WaitForAsync(() => EventsRead(reference) == klines.Count && Checkpoints(reference).Count == Partitions, () => single.Output, single);
            (await single.InterruptAsync(Timeout)).Should().Be(0, single.Output);
        }

        ShouldEqualTheSingleMembersRun(dataDir, reference);
    }

    /// <summary>The shards a member holds by its last "held now" log line.</summary>
    private static List<int> HeldShards(LambdaProcess member)
    {
        var held = Regex.Matches(member.Output, @"held now: ([0-9,]*)").LastOrDefault()?.Groups[1].Value ?? "";
        return [.. held.Split(',', StringSplitOptions.RemoveEmptyEntries).Select(int.Parse)];
    }
}
