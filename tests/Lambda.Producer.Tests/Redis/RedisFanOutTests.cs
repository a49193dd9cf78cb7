using System.Collections.Concurrent;
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using Lambda.Core.Contracts;
using Lambda.Core.Transport.Live;
using Lambda.Producer.Commands;
using Lambda.Testing;
using StackExchange.Redis;

namespace Lambda.Producer.Tests.Redis;

/// <summary>
/// <c>producer replay --redis</c> against a real redis-server: the live fan-out carries exactly what
/// the event log records, and Redis going away mid-replay costs the log nothing.
/// </summary>
public sealed partial class RedisFanOutTests : IAsyncLifetime, IDisposable
{
    private static readonly string[] Symbols = ["BTCUSDT", "ETHUSDT", "SOLUSDT"];

    private readonly string _directory = Directory.CreateTempSubdirectory("lambda-redis-").FullName;
    private RedisServer _redis = null!;

    public async Task InitializeAsync() => _redis = await RedisServer.StartAsync();

    public async Task DisposeAsync() => await _redis.DisposeAsync();

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public async Task A_subscriber_receives_exactly_the_replayed_events_in_order_per_channel()
    {
        var capture = Path.Combine(_directory, "capture.txt");
        SyntheticMarket.WriteCapture(capture, Symbols, rounds: 400);
        await using var subscriber = await LiveSubscriber.ConnectAsync(_redis.Endpoint, "class-a.");

        var run = await ReplayAsync(capture, "--redis", _redis.Endpoint, "--redis-prefix", "class-a.");

        run.ExitCode.Should().Be(0, run.Output);
        var log = EventLogLines();
        log[Topics.Prices].Should().HaveCount(Symbols.Length * 400);
        log[Topics.Trades].Should().HaveCount(Symbols.Length * 400);
        log[Topics.Klines].Should().HaveCount(Symbols.Length * 400);
        log[Topics.Alerts].Should().NotBeEmpty("a walk of ±1 % steps crosses the 0.5 % alert threshold");
        log[Topics.DeadLetter].Should().ContainSingle();

        var total = log.Values.Sum(lines => lines.Count);
        try
        {
            await Deadline.WaitUntilAsync(() => subscriber.Received >= total, TimeSpan.FromSeconds(60), $"{total} messages on the subscriber");
        }
        catch (TimeoutException e)
        {
            // What arrived, per channel, and whether the server is still ours tell a slow subscriber from a lost one.
            throw new TimeoutException($"{e.Message}; received {subscriber.Received}: "
                + string.Join(", ", LiveChannels.All.Select(c => $"{c} {subscriber.Messages(c).Count}")) + $"; redis-server {(_redis.IsRunning ? "running" : "gone")}", e);
        }
        foreach (var topic in Topics.All)
        {
            // Same bytes, same order: the fan-out publishes each event's JSON contract as the log stores it.
            subscriber.Messages(LiveChannels.ForTopic(topic)).Should().Equal(log[topic], $"channel {LiveChannels.ForTopic(topic)} carries {topic}");
        }

        var counts = ChannelCounts(run.Output);
        foreach (var topic in Topics.All)
        {
            counts["class-a." + LiveChannels.ForTopic(topic)].Should().Be((log[topic].Count, 0L));
        }
    }

    [Fact]
    public async Task Killing_and_restarting_Redis_mid_replay_loses_nothing_in_the_log_and_the_counts_add_up()
    {
        const int rounds = 2000;
        var capture = Path.Combine(_directory, "capture.txt");
        SyntheticMarket.WriteCapture(capture, Symbols, rounds);
        await using var subscriber = await LiveSubscriber.ConnectAsync(_redis.Endpoint, "");

        // 9 events per second of capture time, 200 times faster: about ten seconds of replay.
        var replay = ReplayAsync(capture, "--redis", _redis.Endpoint, "--speed", "200");
        await Deadline.WaitUntilAsync(() => subscriber.Received >= 1000 || replay.IsCompleted, TimeSpan.FromSeconds(60), "1000 live messages");
        replay.IsCompleted.Should().BeFalse("the replay must still be running when Redis is killed");

        await _redis.KillAsync();
        var atKill = subscriber.Received;
        var logAtKill = EventLogLineCount();
        // The log keeps growing while Redis is gone: those events cannot be published.
        await Deadline.WaitUntilAsync(() => EventLogLineCount() >= logAtKill + 1000 || replay.IsCompleted, TimeSpan.FromSeconds(60), "1000 more events in the log");
        await _redis.RestartAsync();
        await Deadline.WaitUntilAsync(() => subscriber.Received > atKill || replay.IsCompleted, TimeSpan.FromSeconds(60), "live messages after the restart");
        replay.IsCompleted.Should().BeFalse("the replay must still be running when Redis is back");

        var run = await replay;

        run.ExitCode.Should().Be(0, "Redis is the live fan-out; the log got everything\n" + run.Output);
        var log = EventLogLines();
        log[Topics.Prices].Should().HaveCount(Symbols.Length * rounds);
        log[Topics.Trades].Should().HaveCount(Symbols.Length * rounds);
        log[Topics.Klines].Should().HaveCount(Symbols.Length * rounds);
        log[Topics.DeadLetter].Should().ContainSingle();
        run.Output.Should().MatchRegex(@"reconnects to 127\.0\.0\.1:\d+: [1-9]");

        var counts = ChannelCounts(run.Output);
        long published = 0, failed = 0;
        foreach (var topic in Topics.All)
        {
            var (channelPublished, channelFailed) = counts[LiveChannels.ForTopic(topic)];
            (channelPublished + channelFailed).Should().Be(log[topic].Count, $"every {topic} event is either published or counted as failed");
            published += channelPublished;
            failed += channelFailed;

            // What the subscriber got is the log's order with the outage cut out: a subsequence.
            var received = subscriber.Messages(LiveChannels.ForTopic(topic));
            received.Count.Should().BeLessThanOrEqualTo((int)channelPublished);
            IsSubsequence(received, log[topic]).Should().BeTrue($"{LiveChannels.ForTopic(topic)} arrives in log order");
        }

        failed.Should().BeGreaterThanOrEqualTo(1000 - 256, "the events logged while Redis was down (less a batch in flight at the kill) failed");
        published.Should().BeGreaterThan(atKill, "publishing resumed after the restart");
        subscriber.Received.Should().BeGreaterThan(atKill);
    }

    [Fact]
    public async Task Without_Redis_the_replay_still_logs_everything_and_reports_every_event_failed()
    {
        var capture = Path.Combine(_directory, "capture.txt");
        SyntheticMarket.WriteCapture(capture, Symbols, rounds: 50);
        await _redis.KillAsync();

        var run = await ReplayAsync(capture, "--redis", _redis.Endpoint);

        run.ExitCode.Should().Be(0, run.Output);
        var log = EventLogLines();
        var counts = ChannelCounts(run.Output);
        foreach (var topic in Topics.All)
        {
            counts[LiveChannels.ForTopic(topic)].Should().Be((0L, log[topic].Count));
        }

        log[Topics.Klines].Should().HaveCount(Symbols.Length * 50);
    }

    [Theory]
    [InlineData("--redis", "localhost", "--redis 'localhost' is not HOST:PORT")]
    [InlineData("--redis", "127.0.0.1:70000", "--redis '127.0.0.1:70000' is not HOST:PORT")]
    [InlineData("--redis-prefix", "two words", "--redis-prefix 'two words' must be")]
    public async Task A_bad_Redis_option_is_refused_with_one_clear_line(string option, string value, string message)
    {
        var capture = Path.Combine(_directory, "capture.txt");
        SyntheticMarket.WriteCapture(capture, Symbols, rounds: 1);

        var run = await ReplayAsync(capture, option, value);

        run.ExitCode.Should().Be(1);
        run.Error.Should().Contain(message);
        Directory.Exists(Path.Combine(_directory, "data", "topics")).Should().BeFalse("nothing runs with a bad option");
    }

    private Task<CommandRun> ReplayAsync(string capture, params string[] options) =>
        Task.Run(() => CommandRun.InvokeAsync(ProducerCommand.Build(), ["--data-dir", Path.Combine(_directory, "data"), "replay", capture, "--stats-every", "0", .. options]));

    private Dictionary<string, List<string>> EventLogLines() =>
        Topics.All.ToDictionary(topic => topic, topic =>
        {
            var folder = Path.Combine(_directory, "data", "topics", topic);
            return Directory.Exists(folder)
                ? Directory.EnumerateFiles(folder, "*.jsonl").Order(StringComparer.Ordinal).SelectMany(File.ReadLines).ToList()
                : [];
        });

    private long EventLogLineCount()
    {
        var folder = Path.Combine(_directory, "data", "topics");
        return Directory.Exists(folder)
            ? Directory.EnumerateFiles(folder, "*.jsonl", SearchOption.AllDirectories).Sum(path =>
            {
                using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
                var count = 0L;
                int b;
                while ((b = stream.ReadByte()) >= 0)
                {
                    count += b == '\n' ? 1 : 0;
                }

                return count;
            })
            : 0;
    }

    /// <summary>The final statistics' lines <c>channel published N, failed M</c>.</summary>
    private static Dictionary<string, (long Published, long Failed)> ChannelCounts(string output) =>
        ChannelLine().Matches(output).ToDictionary(
            m => m.Groups[1].Value,
            m => (long.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture), long.Parse(m.Groups[3].Value, CultureInfo.InvariantCulture)));

    private static bool IsSubsequence(IReadOnlyList<string> part, IReadOnlyList<string> whole)
    {
        var at = 0;
        foreach (var line in part)
        {
            while (at < whole.Count && whole[at] != line)
            {
                at++;
            }

            if (at++ >= whole.Count)
            {
                return false;
            }
        }

        return true;
    }

    [GeneratedRegex(@"^\s+(\S+)\s+published\s+(\d+), failed\s+(\d+)\s*$", RegexOptions.Multiline)]
    private static partial Regex ChannelLine();

    /// <summary>A live consumer: every channel subscribed, messages kept per channel in arrival order.</summary>
    private sealed class LiveSubscriber : IAsyncDisposable
    {
        private readonly ConnectionMultiplexer _connection;
        private readonly ConcurrentDictionary<string, ConcurrentQueue<string>> _messages = new();
        private long _received;

        private LiveSubscriber(ConnectionMultiplexer connection) => _connection = connection;

        public long Received => Interlocked.Read(ref _received);

        public static async Task<LiveSubscriber> ConnectAsync(string endpoint, string prefix)
        {
            var connection = await ConnectionMultiplexer.ConnectAsync(new ConfigurationOptions
            {
                EndPoints = { endpoint },
                AbortOnConnectFail = false,
                ReconnectRetryPolicy = new ExponentialRetry(100, 1000),
            });
            var subscriber = new LiveSubscriber(connection);
            foreach (var channel in LiveChannels.All)
            {
                var queue = subscriber._messages.GetOrAdd(channel, _ => new ConcurrentQueue<string>());
                // A ChannelMessageQueue hands messages over one at a time, in the order they arrived.
                (await connection.GetSubscriber().SubscribeAsync(RedisChannel.Literal(prefix + channel))).OnMessage(message =>
                {
                    queue.Enqueue(Encoding.UTF8.GetString((byte[])message.Message!));
                    Interlocked.Increment(ref subscriber._received);
                });
            }

            return subscriber;
        }

        public IReadOnlyList<string> Messages(string channel) => [.. _messages[channel]];

        public async ValueTask DisposeAsync() => await _connection.DisposeAsync();
    }
}
