using System.Buffers;
using System.Diagnostics;
using System.Text.Json;
using Lambda.Core.Contracts;
using Lambda.Core.Validation;
using Lambda.Producer.Normalization;
using Lambda.Producer.Pipeline;

namespace Lambda.Producer.Benchmarks;

/// <summary>The producer's whole path, IngestPipeline with the Binance normalizer and the validator, into a <see cref="NullSink"/>.</summary>
public static class NullSinkBench
{
    public static async Task<Run> RunAsync(ReadOnlyMemory<byte>[] frames, int repeats, long expectedEvents)
    {
        var sink = new NullSink();
        var statistics = new IngestStatistics();
        var pipeline = new IngestPipeline(new EventValidator(), [sink], statistics, TimeProvider.System);
        var normalizer = new BinanceStreamNormalizer(TimeProvider.System);

        var meter = Meter.Start(wholeProcess: false);
        for (var r = 0; r < repeats; r++)
        {
            foreach (var frame in frames)
            {
                await pipeline.AcceptFrameAsync(frame, normalizer, Exchanges.Binance, EventSources.Replay, CancellationToken.None).ConfigureAwait(false);
            }
        }

        var run = meter.Stop();
        if (sink.Events != expectedEvents || statistics.DeadLetters != 0)
        {
            throw new InvalidOperationException($"expected {expectedEvents} events, the null sink got {sink.Events}, dead letters {statistics.DeadLetters}");
        }

        return run;
    }
}

/// <summary>
/// Where the time of one event goes: each stage of the pipeline run on its own over chunks of the dense capture,
/// with a bare tokenizer pass over the same bytes as the floor for parsing.
/// </summary>
public static class StageBreakdown
{
    private const int Chunk = 16_384;

    public sealed record Stage(string Name, string What, TimeSpan Time, long Allocated, bool PartOfPipeline, long Events);

    public static IReadOnlyList<Stage> Measure(ReadOnlyMemory<byte>[] frames)
    {
        var normalizer = new BinanceStreamNormalizer(TimeProvider.System);
        var validator = new EventValidator();
        var statistics = new IngestStatistics();
        var buffer = new ArrayBufferWriter<byte>(4096);
        var events = new List<MarketEvent>(Chunk);
        var totals = new (long Ticks, long Bytes)[6];
        long checksum = 0;

        GC.Collect();
        for (var start = 0; start < frames.Length; start += Chunk)
        {
            var chunk = frames.AsSpan(start, Math.Min(Chunk, frames.Length - start));

            var s = Begin();
            foreach (var frame in chunk)
            {
                var reader = new Utf8JsonReader(frame.Span);
                while (reader.Read())
                {
                    checksum++;
                }
            }

            End(ref totals[0], s);

            events.Clear();
            s = Begin();
            foreach (var frame in chunk)
            {
                normalizer.Normalize(frame.Span, EventSources.Replay, events);
            }

            End(ref totals[1], s);

            s = Begin();
            foreach (var marketEvent in events)
            {
                if (!validator.Validate(marketEvent).IsValid)
                {
                    throw new InvalidOperationException("an event of the dense capture is invalid");
                }
            }

            End(ref totals[2], s);

            s = Begin();
            foreach (var marketEvent in events)
            {
                statistics.RecordEvent(marketEvent);
            }

            End(ref totals[3], s);

            s = Begin();
            foreach (var marketEvent in events)
            {
                buffer.ResetWrittenCount();
                EventSerializer.Serialize(marketEvent, buffer);
                checksum += buffer.WrittenCount;
            }

            End(ref totals[4], s);

            s = Begin();
            foreach (var marketEvent in events)
            {
                checksum += EventSerializer.Serialize(marketEvent).Length + marketEvent.Key.Length;
            }

            End(ref totals[5], s);
        }

        GC.KeepAlive(checksum);
        return
        [
            Stage(0, "tokenize only", "Utf8JsonReader over every token, no mapping (a floor for parsing)", false),
            Stage(1, "parse+normalize", "BinanceStreamNormalizer.Normalize: UTF-8 check, JSON, numbers, event object", true),
            Stage(2, "validate", "EventValidator.Validate", true),
            Stage(3, "statistics", "IngestStatistics.RecordEvent: 2 ConcurrentDictionary updates, the key string", true),
            Stage(4, "serialize", "EventSerializer.Serialize(evt, IBufferWriter) into a reused buffer (the null sink)", true),
            Stage(5, "serialize→byte[]", "EventSerializer.Serialize(evt) + Key: what KafkaEventSink calls per event", false),
        ];

        Stage Stage(int i, string name, string what, bool part) =>
            new(name, what, TimeSpan.FromTicks(totals[i].Ticks * TimeSpan.TicksPerSecond / Stopwatch.Frequency), totals[i].Bytes, part, frames.Length);
    }

    private static (long Timestamp, long Allocated) Begin() => (Stopwatch.GetTimestamp(), GC.GetAllocatedBytesForCurrentThread());

    private static void End(ref (long Ticks, long Bytes) total, (long Timestamp, long Allocated) start)
    {
        total.Ticks += Stopwatch.GetTimestamp() - start.Timestamp;
        total.Bytes += GC.GetAllocatedBytesForCurrentThread() - start.Allocated;
    }
}
