using Lambda.Testing;
using Lambda.Core.Contracts;
using Lambda.Core.Transport;
using Lambda.Core.Transport.Kafka;
using Lambda.SpeedLayer;
using Microsoft.Extensions.Logging.Abstractions;

namespace Lambda.Cli.Tests;

/// <summary>Late events (their window already closed by the watermark) become dead letters with the rule they broke, in both modes, on the embedded log.</summary>
public sealed class LateDeadLetterTests : IDisposable
{
    private static readonly DateTimeOffset Day1 = new(2026, 6, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    private readonly string _dataDir = Directory.CreateTempSubdirectory("lambda-late-").FullName;

    public void Dispose() => Directory.Delete(_dataDir, recursive: true);

    /// <summary>
    /// Three days of one kline every 4 h, then a kline of day 1 arriving after day 3 (late: the watermark
    /// closed day 1 long ago), then a kline of day 3 out of order but within the lateness (merged).
    /// </summary>
    internal static List<MarketEvent> EventsWithOneLateKline(out KlineEvent late)
    {
        var events = new List<MarketEvent>();
        for (var i = 0; i < 18; i++)
        {
            if (i == 16)
            {
                continue; // day 3, 16:00: arrives last, out of order
            }

            events.Add(SyntheticKlines.At("BTCUSDT", Day1.AddHours(4 * i), Day1.AddHours(4 * i + 4).AddMilliseconds(-1), 100 + i));
        }

        late = SyntheticKlines.At("BTCUSDT", Day1.AddHours(4), Day1.AddHours(8).AddMilliseconds(-1), 999);
        events.Add(late);
        events.Add(SyntheticKlines.At("BTCUSDT", Day1.AddHours(64), Day1.AddHours(68).AddMilliseconds(-1), 116));
        return events;
    }

    /// <param name="allowIdenticalCopies">Exactly one letter; or, through a producer without idempotence (Kafka 0.9), at least one, every copy identical (at-least-once).</param>
    internal static void ShouldBeTheLateKline(IReadOnlyList<DeadLetter> letters, KlineEvent late, bool allowIdenticalCopies = false)
    {
        if (allowIdenticalCopies)
        {
            letters.Should().NotBeEmpty().And.OnlyContain(l => l == letters[0], "a re-sent dead letter is an identical copy");
            letters = [letters[0]];
        }

        var letter = letters.Should().ContainSingle("exactly the one late kline is dead-lettered").Which;
        letter.Reason.Should().Be("late: open_time 2026-06-01T04:00:00Z is in window 2026-06-01 closed at watermark 2026-06-03T22:59:59.999Z (allowed lateness 1h)");
        var raw = EventSerializer.Deserialize(Topics.Klines, System.Text.Encoding.UTF8.GetBytes(letter.Raw));
        raw.Should().Be(late, "the raw message is the late event as read");
        (letter.Exchange, letter.Symbol, letter.EventTime).Should().Be((late.Exchange, late.Symbol, late.EventTime));
        letter.ReceivedAt.Should().Be(Day1.AddHours(72).AddMilliseconds(-1), "received_at is the stream's event-time clock, so a re-sent letter is identical");
    }

    /// <summary>Every dead letter of an embedded log rooted at <paramref name="root"/>.</summary>
    internal static async Task<List<DeadLetter>> ReadDeadLettersAsync(KafkaOptions kafka, string root)
    {
        var letters = new List<DeadLetter>();
        await using var source = EventLog.CreateSource(kafka, root, $"check-{Guid.NewGuid():N}", [Topics.DeadLetter], stopAtEnd: true, NullLoggerFactory.Instance);
        await foreach (var message in source.ReadAsync(CancellationToken.None))
        {
            letters.Add((DeadLetter)EventSerializer.Deserialize(message.Topic, message.Value.Span));
        }

        return letters;
    }

    [Fact]
    public async Task Stream_dead_letters_a_late_kline_with_the_rule_and_merges_one_out_of_order_within_the_lateness()
    {
        await SyntheticKlines.PublishAsync(new KafkaOptions(), _dataDir, EventsWithOneLateKline(out var late));
        using var output = new StringWriter();
        using var stop = new CancellationTokenSource();
        var run = SpeedLayerCommand.Build().Parse(["--data-dir", _dataDir, "stream", "--group", "late", "--lateness", "1h", "--refresh", "200ms"])
            .InvokeAsync(new System.CommandLine.InvocationConfiguration { Output = output, Error = output }, stop.Token);
        var root = Path.Combine(_dataDir, "speed-layer", "stream-late");
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (!File.Exists(Path.Combine(_dataDir, "checkpoints", "speed-layer-late", "shard-0.json")) || SpeedViews.Parts(_dataDir).Count < 2
            || !Directory.Exists(Path.Combine(root, "topics", Topics.DeadLetter)) || (await ReadDeadLettersAsync(new KafkaOptions(), root)).Count == 0)
        {
            clock.Elapsed.Should().BeLessThan(Timeout, output.ToString());
            await Task.Delay(50);
        }

        await stop.CancelAsync();
        (await run.WaitAsync(Timeout)).Should().Be(0, output.ToString());

        ShouldBeTheLateKline(await ReadDeadLettersAsync(new KafkaOptions(), root), late);
        output.ToString().Should().Contain("1 late, 1 dead-lettered").And.Contain("late 1,");
        SpeedViews.Parts(_dataDir).Select(c => (c.Day, c.Open)).Should().Equal([(new DateOnly(2026, 6, 1), 100d), (new DateOnly(2026, 6, 2), 106d)],
            "the late kline changed nothing");
        SpeedViews.Live(_dataDir).Rows.Should().ContainSingle().Which.Complete.Should().BeTrue("day 3's out-of-order kline was merged, so all six are in");
    }

    [Fact]
    public async Task Batch_counts_late_events_without_sending_them_unless_asked_and_then_dead_letters_them_with_the_rule()
    {
        await SyntheticKlines.PublishAsync(new KafkaOptions(), _dataDir, EventsWithOneLateKline(out var late));
        var root = Path.Combine(_dataDir, "speed-layer", "batch");

        var quiet = await CommandRun.InvokeAsync(SpeedLayerCommand.Build(), "--data-dir", _dataDir, "batch", "--lateness", "1h");
        quiet.ExitCode.Should().Be(0, quiet.Error + quiet.Output);
        quiet.Output.Should().Contain("late 1,").And.Contain("dead letters     none sent (1 late event(s) counted; --dead-letter-late sends them)");
        Directory.Exists(root).Should().BeFalse("batch sends no dead letters by default");

        var sending = await CommandRun.InvokeAsync(SpeedLayerCommand.Build(), "--data-dir", _dataDir, "batch", "--lateness", "1h", "--dead-letter-late");
        sending.ExitCode.Should().Be(0, sending.Error + sending.Output);
        sending.Output.Should().Contain("dead letters     1 late event(s) → crypto-deadletter in the embedded log in " + Path.Combine(root, "topics"));
        ShouldBeTheLateKline(await ReadDeadLettersAsync(new KafkaOptions(), root), late);
    }
}
