using System.Collections.Concurrent;
using System.Text;
using Lambda.Core.Contracts;
using Lambda.Core.Transport;
using Lambda.Core.Transport.Embedded;
using Lambda.Testing;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace Lambda.Core.Tests.Transport;

public sealed class EmbeddedTransportTests : IDisposable
{
    private readonly string _dataDir = Directory.CreateTempSubdirectory("lambda-embedded-").FullName;
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 11, 20, 23, 59, 0, TimeSpan.Zero));

    public void Dispose() => Directory.Delete(_dataDir, recursive: true);

    private TopicLayout Layout => new(_dataDir);

    private static TradeEvent Trade(long id, string symbol = "BTCUSDT") => new()
    {
        Exchange = "binance", Symbol = symbol, EventTime = 1_763_683_200_000 + id, Source = EventSources.Replay,
        TradeId = id, Price = 90_000 + id, Quantity = 0.01, TradeTime = 1_763_683_200_000 + id, IsBuyerMaker = false,
    };

    private EmbeddedTopicSink Sink() => new(Layout, _clock, NullLogger<EmbeddedTopicSink>.Instance);

    private EmbeddedTopicSource Source(bool stopAtEnd = true, string consumer = "test") =>
        new(Layout, new EmbeddedSourceOptions(consumer, [Topics.Trades, Topics.Klines], stopAtEnd) { PollInterval = TimeSpan.FromMilliseconds(20) });

    private static async Task<List<ConsumedMessage>> ReadAll(EmbeddedTopicSource source, int? take = null)
    {
        var messages = new List<ConsumedMessage>();
        await foreach (var message in source.ReadAsync(CancellationToken.None))
        {
            messages.Add(message);
            if (messages.Count == take)
            {
                break;
            }
        }

        return messages;
    }

    private static long Id(ConsumedMessage message) => EventSerializer.Deserialize<TradeEvent>(message.Value.Span).TradeId;

    [Fact]
    public async Task Events_are_appended_as_json_lines_per_topic_and_day()
    {
        await using (var sink = Sink())
        {
            await sink.PublishAsync(Trade(1), CancellationToken.None);
            _clock.Advance(TimeSpan.FromMinutes(2));
            await sink.PublishAsync(Trade(2), CancellationToken.None);
            (await sink.FlushAsync(TimeSpan.FromSeconds(1), CancellationToken.None)).Complete.Should().BeTrue();
            sink.Statistics.Acked.Should().Be(2);
        }

        var directory = Path.Combine(_dataDir, "topics", Topics.Trades);
        Directory.GetFiles(directory).Select(Path.GetFileName).Should().BeEquivalentTo("2026-11-20.jsonl", "2026-11-21.jsonl");
        var line = File.ReadAllText(Path.Combine(directory, "2026-11-21.jsonl"));
        line.Should().EndWith("\n").And.Contain("\"trade_id\":2");
        EventSerializer.Deserialize(Topics.Trades, Encoding.UTF8.GetBytes(line.TrimEnd())).Should().Be(Trade(2));
    }

    [Fact]
    public async Task Messages_kept_by_the_caller_keep_their_bytes_while_later_chunks_are_read()
    {
        // Several 64 KB chunks, lines cut at chunk ends, and one line longer than a chunk.
        var events = Enumerable.Range(1, 3_000).Select(i => Trade(i, symbol: i == 1_500 ? new string('X', 150_000) : "S" + new string('Y', i % 97))).ToList();
        await using (var sink = Sink())
        {
            foreach (var e in events)
            {
                await sink.PublishAsync(e, CancellationToken.None);
            }
        }

        var messages = await ReadAll(Source());

        messages.Select(m => Encoding.UTF8.GetString(m.Value.Span)).Should().Equal(events.Select(e => Encoding.UTF8.GetString(EventSerializer.Serialize(e))));
    }

    [Fact]
    public async Task A_reader_sees_every_event_in_order_across_segments()
    {
        await using (var sink = Sink())
        {
            for (var id = 0; id < 1000; id++)
            {
                await sink.PublishAsync(Trade(id), CancellationToken.None);
                if (id == 500)
                {
                    _clock.Advance(TimeSpan.FromMinutes(2));
                }
            }
        }

        await using var source = Source();
        var messages = await ReadAll(source);

        messages.Select(Id).Should().Equal(Enumerable.Range(0, 1000).Select(i => (long)i));
        messages.Select(m => m.Position.Partition).Distinct().Should().Equal("2026-11-20.jsonl", "2026-11-21.jsonl");
    }

    [Fact]
    public async Task A_restarted_reader_resumes_after_its_committed_offset()
    {
        await using (var sink = Sink())
        {
            for (var id = 0; id < 100; id++)
            {
                await sink.PublishAsync(Trade(id), CancellationToken.None);
            }
        }

        await using (var first = Source())
        {
            var firstForty = await ReadAll(first, take: 40);
            await first.CommitAsync([firstForty[^1].Position], CancellationToken.None);
        }

        File.Exists(Path.Combine(_dataDir, "checkpoints", "test.topics.json")).Should().BeTrue();
        await using var second = Source();
        (await ReadAll(second)).Select(Id).Should().Equal(Enumerable.Range(40, 60).Select(i => (long)i));
    }

    [Fact]
    public async Task Start_positions_override_the_checkpoint_file()
    {
        await using (var sink = Sink())
        {
            for (var id = 0; id < 100; id++)
            {
                await sink.PublishAsync(Trade(id), CancellationToken.None);
            }
        }

        LogPosition at30;
        await using (var first = Source())
        {
            var messages = await ReadAll(first, take: 60);
            at30 = messages[29].Position;
            await first.CommitAsync([messages[^1].Position], CancellationToken.None);
        }

        await using var second = new EmbeddedTopicSource(Layout, new EmbeddedSourceOptions("test", [Topics.Trades, Topics.Klines], StopAtEnd: true) { StartPositions = [at30] });
        (await ReadAll(second)).Select(Id).Should().Equal(Enumerable.Range(30, 70).Select(i => (long)i), "the given position wins over the committed one");
        await using var third = new EmbeddedTopicSource(Layout, new EmbeddedSourceOptions("test", [Topics.Trades, Topics.Klines], StopAtEnd: true) { StartPositions = [] });
        (await ReadAll(third)).Should().HaveCount(100, "no position for a topic means its beginning");
    }

    [Fact]
    public async Task A_torn_last_line_is_not_read_until_it_is_complete()
    {
        await using (var sink = Sink())
        {
            await sink.PublishAsync(Trade(1), CancellationToken.None);
        }

        var segment = Path.Combine(_dataDir, "topics", Topics.Trades, "2026-11-20.jsonl");
        var second = EventSerializer.Serialize(Trade(2));
        await using (var append = new FileStream(segment, FileMode.Append))
        {
            append.Write(second.AsSpan(0, second.Length / 2));
        }

        // A complete line in the topic the reader visits after the trades: it reads the topics in turn, each as far
        // as its complete lines go, so once this line is read the reader has looked at the torn tail. No sleep needed.
        var klines = Path.Combine(_dataDir, "topics", Topics.Klines);
        Directory.CreateDirectory(klines);
        await File.WriteAllTextAsync(Path.Combine(klines, "2026-11-20.jsonl"), "{\"marker\":true}\n");

        await using var source = Source(stopAtEnd: false);
        using var cancel = new CancellationTokenSource();
        var seen = new ConcurrentQueue<string>();
        var reading = Task.Run(async () =>
        {
            await foreach (var message in source.ReadAsync(cancel.Token))
            {
                seen.Enqueue(message.Topic == Topics.Trades ? $"trade {Id(message)}" : message.Topic);
                if (seen.Count == 3)
                {
                    break;
                }
            }
        });

        await Deadline.WaitUntilAsync(() => seen.Contains(Topics.Klines), TimeSpan.FromSeconds(10), "the line of the next topic");
        seen.Should().Equal(["trade 1", Topics.Klines], "half a line is never parsed");

        await using (var append = new FileStream(segment, FileMode.Append))
        {
            append.Write(second.AsSpan(second.Length / 2));
            append.Write("\n"u8);
        }

        await reading.WaitAsync(TimeSpan.FromSeconds(10));
        seen.Should().Equal("trade 1", Topics.Klines, "trade 2");
    }

    [Fact]
    public async Task A_writer_restarted_after_a_crash_moves_the_torn_tail_aside()
    {
        await using (var sink = Sink())
        {
            await sink.PublishAsync(Trade(1), CancellationToken.None);
        }

        var segment = Path.Combine(_dataDir, "topics", Topics.Trades, "2026-11-20.jsonl");
        File.AppendAllText(segment, "{\"exchange\":\"binan");

        await using (var sink = Sink())
        {
            await sink.PublishAsync(Trade(2), CancellationToken.None);
        }

        await using var source = Source();
        (await ReadAll(source)).Select(Id).Should().Equal(1L, 2L);
        File.ReadAllText(segment + ".torn").Should().Be("{\"exchange\":\"binan\n");
    }

    [Fact]
    public async Task Batch_reading_stops_at_the_end_seen_at_the_start()
    {
        await using var sink = Sink();
        for (var id = 0; id < 10; id++)
        {
            await sink.PublishAsync(Trade(id), CancellationToken.None);
        }

        await sink.FlushAsync(TimeSpan.FromSeconds(1), CancellationToken.None);
        await using var source = Source(stopAtEnd: true);
        var messages = new List<ConsumedMessage>();
        await foreach (var message in source.ReadAsync(CancellationToken.None))
        {
            messages.Add(message);
            if (messages.Count == 1)
            {
                // Written after the start: not part of this batch.
                await sink.PublishAsync(Trade(99), CancellationToken.None);
                await sink.FlushAsync(TimeSpan.FromSeconds(1), CancellationToken.None);
            }
        }

        messages.Select(Id).Should().Equal(Enumerable.Range(0, 10).Select(i => (long)i));
    }

    [Fact]
    public async Task A_continuous_reader_picks_up_lines_written_later()
    {
        await using var sink = Sink();
        await using var source = Source(stopAtEnd: false);
        using var cancel = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        var reading = ReadAll(source, take: 3);

        for (var id = 0; id < 3; id++)
        {
            await sink.PublishAsync(Trade(id), CancellationToken.None);
            await sink.FlushAsync(TimeSpan.FromSeconds(1), CancellationToken.None);
            await Task.Delay(50);
        }

        (await reading.WaitAsync(cancel.Token)).Select(Id).Should().Equal(0L, 1L, 2L);
    }

    [Fact]
    public async Task Commits_never_move_a_checkpoint_backwards()
    {
        await using var source = Source();
        await source.CommitAsync([new LogPosition(Topics.Trades, "2026-11-21.jsonl", 0, 500)], CancellationToken.None);
        await source.CommitAsync([new LogPosition(Topics.Trades, "2026-11-20.jsonl", 0, 900)], CancellationToken.None);

        File.ReadAllText(Path.Combine(_dataDir, "checkpoints", "test.topics.json")).Should().Contain("2026-11-21.jsonl").And.Contain("500");
    }
}
