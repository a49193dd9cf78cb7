using System.Diagnostics;
using Lambda.Core.Contracts;
using Lambda.Core.Transport.Kafka;
using Lambda.SpeedLayer;
using Lambda.Testing;

namespace Lambda.Cli.Tests;

/// <summary>
/// <c>speed-layer stream</c> on Kafka (librdkafka's mock cluster, 4 partitions): several members of one
/// group, members killed and restarted, late events dead-lettered to the Kafka topic.
/// </summary>
public sealed class SpeedStreamKafkaTests : IDisposable
{
    private const int Partitions = 4;
    private const string Group = "speed";
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(120);
    private static readonly string[] Symbols = ["BTCUSDT", "ETHUSDT", "SOLUSDT", "BNBUSDT", "XRPUSDT", "ADAUSDT", "DOGEUSDT", "LTCUSDT"];

    /// <summary>A member that dies is given up after 3 s instead of librdkafka's 45 s.</summary>
    private static readonly Dictionary<string, string> QuickGroup = new()
    {
        ["LAMBDA_Kafka__Consumer__session.timeout.ms"] = "3000",
        ["LAMBDA_Kafka__Consumer__heartbeat.interval.ms"] = "500",
    };

    private readonly MockCluster _cluster = new(brokers: 1);
    private readonly List<string> _directories = [];

    public SpeedStreamKafkaTests()
    {
        foreach (var topic in Topics.All)
        {
            _cluster.CreateTopic(topic, Partitions);
        }
    }

    public void Dispose()
    {
        _cluster.Dispose();
        foreach (var directory in _directories)
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    private KafkaOptions Kafka => new() { BootstrapServers = _cluster.BootstrapServers };

    private string NewDataDir()
    {
        var dataDir = Directory.CreateTempSubdirectory("lambda-speed-kafka-").FullName;
        _directories.Add(dataDir);
        return dataDir;
    }

    private string[] StreamArguments(string dataDir) =>
        ["--data-dir", dataDir, "--kafka", _cluster.BootstrapServers, "stream", "--group", Group, "--refresh", "200ms", "--checkpoint-every", "50"];

    private static async Task WaitForCandlesAsync(string dataDir, int count, Func<string> context, params LambdaProcess[] members)
    {
        var clock = Stopwatch.StartNew();
        while (SpeedViews.Parts(dataDir).Count < count)
        {
            clock.Elapsed.Should().BeLessThan(Timeout, context());
            members.Should().OnlyContain(m => !m.HasExited, context());
            await Task.Delay(100);
        }
    }

    /// <summary>One member alone, run until every complete day is in the parts, then stopped with Ctrl+C.</summary>
    private async Task<string> ReferenceRunAsync(int candles)
    {
        var dataDir = NewDataDir();
        using var member = LambdaProcess.Start(StreamArguments(dataDir), QuickGroup);
        await WaitForCandlesAsync(dataDir, candles, () => member.Output, member);
        (await member.InterruptAsync(Timeout)).Should().Be(0, member.Output);
        return dataDir;
    }

    private static void ShouldHaveTheSameParts(string dataDir, string reference, string because)
    {
        var expected = SpeedViews.PartFiles(reference);
        var parts = SpeedViews.PartFiles(dataDir);
        parts.Select(p => p.Name).Should().Equal(expected.Select(p => p.Name), because);
        for (var i = 0; i < parts.Count; i++)
        {
            parts[i].Bytes.Should().Equal(expected[i].Bytes, "{0} is byte for byte the single member's ({1})", parts[i].Name, because);
        }

        SpeedViews.Parts(dataDir).Select(c => (c.Symbol, c.Day)).Should().OnlyHaveUniqueItems("no window twice");
    }

    /// <summary>Publishes the klines; returns how many candles close (every complete day; the sample's last day is partial and stays live).</summary>
    private async Task<int> PublishAsync()
    {
        var klines = SyntheticKlines.FourHour(Symbols);
        await SyntheticKlines.PublishAsync(Kafka, NewDataDir(), klines);
        return klines.GroupBy(k => (k.Symbol, Day: k.OpenTime / 86_400_000)).Count(g => g.Count() == 6);
    }

    [Fact]
    public async Task Two_members_of_one_group_one_joining_late_and_one_killed_write_exactly_the_parts_of_a_single_member()
    {
        var candles = await PublishAsync();
        var reference = await ReferenceRunAsync(candles);
        var shards = SpeedViews.PartFiles(reference).Select(p => Path.GetDirectoryName(p.Name)).Distinct().Count();
        shards.Should().BeGreaterThan(1, "the symbols spread over several partitions, so that moving partitions matters");

        var dataDir = NewDataDir();
        using var first = LambdaProcess.Start(StreamArguments(dataDir), QuickGroup);
        await WaitForCandlesAsync(dataDir, candles / 4, () => first.Output, first);
        using var second = LambdaProcess.Start(StreamArguments(dataDir), QuickGroup);
        await WaitForCandlesAsync(dataDir, candles / 2, () => first.Output + second.Output, first, second);
        await second.KillAsync(); // SIGKILL: its shards go back to the first member after the session timeout
        await WaitForCandlesAsync(dataDir, candles, () => first.Output + second.Output, first);
        (await first.InterruptAsync(Timeout)).Should().Be(0, first.Output);

        first.Output.Should().Contain("Shards revoked").And.Contain("Shards assigned");
        ShouldHaveTheSameParts(dataDir, reference, "after a member joined and another was killed");
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public async Task Killing_a_kafka_member_at_random_moments_and_restarting_gives_the_parts_of_an_uninterrupted_run_byte_for_byte(int seed)
    {
        var candles = await PublishAsync();
        var reference = await ReferenceRunAsync(candles);
        var dataDir = NewDataDir();
        var random = new Random(seed);

        var stalled = 0;
        var partsBefore = 0;
        while (true)
        {
            // A restart that made no progress (a busy machine) gets a later kill moment next time, so the run
            // always ends, however slow the machine, with every kill still at a random moment.
            stalled.Should().BeLessThan(8, "restarts whose kill moment keeps doubling should make progress");
            using var member = LambdaProcess.Start(StreamArguments(dataDir), QuickGroup);
            // The group gives the partitions to the new member once the killed one timed out; kill it at a random moment after that.
            var clock = Stopwatch.StartNew();
            while (!member.Output.Contains("Shards assigned", StringComparison.Ordinal))
            {
                clock.Elapsed.Should().BeLessThan(Timeout, member.Output);
                await Task.Delay(20);
            }

            await Task.Delay(random.Next(100, 1500) << stalled);
            var partsNow = SpeedViews.Parts(dataDir).Count;
            var done = partsNow >= candles;
            member.HasExited.Should().BeFalse(member.Output);
            await member.KillAsync();
            stalled = partsNow > partsBefore ? 0 : stalled + 1;
            partsBefore = partsNow;
            if (done)
            {
                break;
            }
        }

        ShouldHaveTheSameParts(dataDir, reference, "after SIGKILLs and restarts");
    }

    [Fact]
    public async Task Stream_dead_letters_a_late_kline_to_the_kafka_topic_before_its_checkpoint()
    {
        await SyntheticKlines.PublishAsync(Kafka, NewDataDir(), LateDeadLetterTests.EventsWithOneLateKline(out var late));
        var dataDir = NewDataDir();
        using var output = new StringWriter();
        using var stop = new CancellationTokenSource();
        var run = SpeedLayerCommand.Build().Parse(["--data-dir", dataDir, "--kafka", _cluster.BootstrapServers, "stream", "--group", "late", "--lateness", "1h", "--refresh", "200ms"])
            .InvokeAsync(new System.CommandLine.InvocationConfiguration { Output = output, Error = output }, stop.Token);
        var clock = Stopwatch.StartNew();
        while (SpeedViews.Parts(dataDir).Count < 2)
        {
            clock.Elapsed.Should().BeLessThan(Timeout, output.ToString());
            await Task.Delay(100);
        }

        // The dead letter is on its topic before the stop, so the run's statistics must count it.
        await Deadline.WaitUntilAsync(() => _cluster.MessagesIn(Topics.DeadLetter, Partitions) == 1, Timeout, "the late kline on the dead-letter topic", TimeSpan.FromMilliseconds(100));
        await stop.CancelAsync();
        (await run.WaitAsync(Timeout)).Should().Be(0, output.ToString());
        output.ToString().Should().Contain("1 late, 1 dead-lettered");
        LateDeadLetterTests.ShouldBeTheLateKline(await LateDeadLetterTests.ReadDeadLettersAsync(Kafka, dataDir), late);
    }
}
