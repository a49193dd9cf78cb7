using System.Globalization;
using Lambda.Core.Contracts;
using Lambda.Core.Transport;
using Lambda.Core.Windows;
using Lambda.SpeedLayer.DeadLetters;
using Lambda.SpeedLayer.Engine;
using Lambda.SpeedLayer.Metrics;

namespace Lambda.SpeedLayer.Batch;

/// <summary>
/// One batch run's reading of the log: each message deserialized, filtered by <c>--from</c> and fed to
/// the engine (started at the first kline when no interval is configured), the closed windows collected,
/// the late events kept as dead letters, and the counts a run reports.
/// </summary>
internal sealed class BatchRead
{
    private const int ExamplesKept = 5;

    private readonly SpeedBatchOptions _options;
    private readonly long? _fromMs;
    private readonly BatchInputs _inputs = new();
    private List<(string Topic, int PartitionNumber)>? _toRead;

    public BatchRead(SpeedBatchOptions options, Func<string, CandleWindowEngine> createEngine)
    {
        _options = options;
        _fromMs = options.From is { } from ? new DateTimeOffset(from.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero).ToUnixTimeMilliseconds() : null;
        Start = new(EngineStart<(string, int)>.IntervalFor(options.KlineInterval, options.Topics), interval =>
        {
            // Every input with something to read holds the watermark from the start: one read ahead cannot make another's events late.
            var engine = createEngine(interval);
            foreach (var (topic, partition) in _toRead ?? [])
            {
                _inputs.IndexOf(topic, partition, engine);
            }

            return engine;
        }, Feed, keepRaw: options.DeadLetterLate);
    }

    public EngineStart<(string Topic, int Partition)> Start { get; }

    public long Read { get; private set; }

    public long Undeserializable { get; private set; }

    public long BeforeFrom { get; private set; }

    public List<string> UndeserializableExamples { get; } = [];

    public List<WindowCandle> KlineCandles { get; } = [];

    public List<WindowCandle> TradeCandles { get; } = [];

    public List<TickerDayStats> TickerStats { get; } = [];

    public List<DeadLetter> DeadLetters { get; } = [];

    /// <summary>The figures so far for the metrics (read from the exporter's thread: counts only, no enumeration).</summary>
    public SpeedFigures Figures(long filesWritten, long deadLettersSent)
    {
        var counters = Start.Engine?.Counters ?? default;
        return new(Read, Undeserializable, counters.Late, counters.Duplicates, KlineCandles.Count + TradeCandles.Count + TickerStats.Count, filesWritten, deadLettersSent);
    }

    /// <summary>Takes one message of the log; <paramref name="extent"/> is what the source will read.</summary>
    public void Accept(ConsumedMessage message, ReadExtent? extent)
    {
        Read++;
        _toRead ??= [.. extent?.PartitionsToRead ?? []];
        if (!EventSerializer.TryDeserialize(message.Topic, message.Value.Span, out var marketEvent, out var unreadable))
        {
            Undeserializable++;
            if (UndeserializableExamples.Count < ExamplesKept)
            {
                UndeserializableExamples.Add($"{message.Topic} {message.Position.Partition}@{message.Position.Offset}: {unreadable}");
            }

            return;
        }

        if (_fromMs is { } from && WindowTime(marketEvent) < from)
        {
            BeforeFrom++;
            return;
        }

        Start.Feed(marketEvent, message.Value.Span, (message.Topic, message.PartitionNumber));
    }

    /// <summary>Ends the read: starts the engine if no kline did (what waited goes in) and flushes every window.</summary>
    public CandleWindowEngine Finish()
    {
        var engine = Start.Start();
        Collect(engine.Flush());
        return engine;
    }

    /// <summary>Adds one event; a late one becomes a dead letter when they are sent (its raw message: as read, or re-serialized when it was not kept).</summary>
    private void Feed(CandleWindowEngine engine, MarketEvent marketEvent, ReadOnlySpan<byte> raw, (string Topic, int Partition) input)
    {
        var result = engine.Add(marketEvent, _inputs.IndexOf(input.Topic, input.Partition, engine));
        if (result.Status == WindowEventStatus.Late && _options.DeadLetterLate)
        {
            DeadLetters.Add(LateEvents.ToDeadLetter(marketEvent, result.Reason ?? "late", raw.IsEmpty ? EventSerializer.Serialize(marketEvent) : raw, _options.Lateness,
                engine.MaxEventTime ?? default));
        }

        Collect(engine.TakeClosed());
    }

    private void Collect(WindowEmission emission)
    {
        if (emission.IsEmpty)
        {
            return;
        }

        KlineCandles.AddRange(emission.KlineCandles);
        TradeCandles.AddRange(emission.TradeCandles);
        TickerStats.AddRange(emission.TickerStats);
    }

    /// <summary>The time that puts an event into its window (what --from compares).</summary>
    private static long WindowTime(MarketEvent marketEvent) => marketEvent switch
    {
        KlineEvent k => k.OpenTime,
        TradeEvent t => t.TradeTime,
        _ => marketEvent.EventTime,
    };

    /// <summary>
    /// The inputs of a batch read, each with its own watermark in the engine: a Kafka topic-partition, or
    /// an embedded file topic (its day segments are one sequence). No idle timeout: every input read has data
    /// up to the end fixed at the start, and the end of the input flushes every window anyway.
    /// </summary>
    private sealed class BatchInputs
    {
        private readonly Dictionary<(string Topic, int Partition), int> _indices = [];
        private string? _lastTopic;
        private int _lastPartition = -1;
        private int _lastIndex;

        public int IndexOf(string topic, int partition, CandleWindowEngine engine)
        {
            // Consecutive messages mostly come from the same input (the readers hand out the same topic strings).
            if (ReferenceEquals(topic, _lastTopic) && partition == _lastPartition)
            {
                return _lastIndex;
            }

            if (!_indices.TryGetValue((topic, partition), out var index))
            {
                index = engine.DeclareInput(string.Create(CultureInfo.InvariantCulture, $"{topic}/{partition}"));
                _indices.Add((topic, partition), index);
            }

            (_lastTopic, _lastPartition, _lastIndex) = (topic, partition, index);
            return index;
        }
    }
}
