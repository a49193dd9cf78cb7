using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Lambda.Core.Contracts;
using Lambda.Core.Progress;
using Lambda.Core.Storage;
using Lambda.Core.Transport;
using Lambda.Core.Transport.Kafka;
using Lambda.Core.Views;
using Lambda.Core.Windows;
using Lambda.SpeedLayer.DeadLetters;
using Microsoft.Extensions.Logging;
using Lambda.SpeedLayer.Views;

namespace Lambda.SpeedLayer.Batch;

/// <summary>What one <c>speed-layer batch</c> run reads and how it cuts windows.</summary>
/// <param name="Consumer">Kafka consumer group / embedded checkpoint name; never committed, so every run reads the log from its start.</param>
/// <param name="KlineInterval">The kline interval to aggregate; null: the interval of the first kline read.</param>
/// <param name="DeadLetterLate">Also send late events to the dead-letter topic. Off by default: every run reads the whole log again, so every run would send them again.</param>
public sealed record SpeedBatchOptions(
    IReadOnlyList<string> Topics,
    TimeSpan Window,
    TimeSpan Lateness,
    string Consumer,
    DateOnly? From,
    string? KlineInterval,
    bool DeadLetterLate = false);

/// <summary>What a run read and wrote.</summary>
public sealed record SpeedBatchResult(
    IReadOnlyList<WindowCandle> Candles,
    IReadOnlyList<TickerDayStats> TickerStats,
    long EventsRead,
    long Undeserializable,
    IReadOnlyList<string> UndeserializableExamples,
    long BeforeFrom,
    WindowCounters Counters,
    string? KlineInterval,
    TimeSpan Elapsed,
    string CandlesPath,
    string? TickerStatsPath)
{
    /// <summary>Late events sent to the dead-letter topic (with <see cref="SpeedBatchOptions.DeadLetterLate"/>).</summary>
    public long DeadLettersSent { get; init; }

    /// <summary>Where they went; null when late events were only counted.</summary>
    public string? DeadLetterTarget { get; init; }
}

/// <summary>
/// The speed layer's batch (demo) mode: reads the chosen topics from the start of the log to its end
/// as of the start of the run, aggregates them with a <see cref="CandleWindowEngine"/>, flushes every
/// window (the current one as incomplete) and writes the speed views atomically.
/// </summary>
public sealed class SpeedBatchJob(SpeedBatchOptions options, KafkaOptions kafka, string dataDirectory, ILoggerFactory loggers, TextWriter progress)
{

    /// <summary>Progress is updated every this many events (a power of two), so it costs nothing per event.</summary>
    private const int ProgressSample = 4096;

    /// <exception cref="ArgumentException">The kline interval does not divide the window.</exception>
    public async Task<SpeedBatchResult> RunAsync(CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        var fromMs = options.From is { } from ? new DateTimeOffset(from.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero).ToUnixTimeMilliseconds() : (long?)null;
        var candles = new List<WindowCandle>();
        var tradeCandles = new List<WindowCandle>();
        var tickers = new List<TickerDayStats>();
        var examples = new List<string>();
        var waiting = new List<(MarketEvent Event, byte[]? Raw, string Topic, int Partition)>();
        var inputs = new BatchInputs();
        var deadLetters = new List<DeadLetter>();
        long read = 0, undeserializable = 0, beforeFrom = 0;

        // Without a configured interval the engine waits for the first kline; events read before it wait too.
        var interval = options.KlineInterval ?? (options.Topics.Contains(Topics.Klines) ? null : "1m");
        CandleWindowEngine? engine = null;
        List<(string Topic, int Partition)>? toRead = null;

        // Every input with something to read holds the watermark from the start: one read ahead cannot make another's events late.
        CandleWindowEngine Create(string kline)
        {
            var created = CreateEngine(kline);
            foreach (var (topic, partition) in toRead ?? [])
            {
                inputs.IndexOf(topic, partition, created);
            }

            return created;
        }

        await using (var source = EventLog.CreateSource(kafka, dataDirectory, options.Consumer, options.Topics, stopAtEnd: true, loggers, fromBeginning: true))
        {

            ProgressDisplay? display = null;
            try
            {
                await foreach (var message in source.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    read++;
                    toRead ??= [.. source.Extent?.PartitionsToRead ?? []];
                    if ((read & (ProgressSample - 1)) == 1)
                    {
                        display = ShowProgress(display, source.Extent, message.Position, read, undeserializable);
                    }

                    if (!EventSerializer.TryDeserialize(message.Topic, message.Value.Span, out var marketEvent, out var unreadable))
                    {
                        undeserializable++;
                        if (examples.Count < 5)
                        {
                            examples.Add($"{message.Topic} {message.Position.Partition}@{message.Position.Offset}: {unreadable}");
                        }

                        continue;
                    }

                    if (fromMs is { } f && WindowTime(marketEvent) < f)
                    {
                        beforeFrom++;
                        continue;
                    }

                    if (engine is null)
                    {
                        if (interval is null && marketEvent is not KlineEvent)
                        {
                            waiting.Add((marketEvent, options.DeadLetterLate ? message.Value.ToArray() : null, message.Topic, message.PartitionNumber));
                            continue;
                        }

                        interval ??= ((KlineEvent)marketEvent).Interval;
                        engine = Create(interval);
                        foreach (var (earlier, raw, topic, partition) in waiting)
                        {
                            AddAndKeepLate(engine, earlier, inputs.IndexOf(topic, partition, engine), raw, deadLetters);
                        }

                        waiting.Clear();
                    }

                    AddAndKeepLate(engine, marketEvent, inputs.IndexOf(message.Topic, message.PartitionNumber, engine), message.Value.Span, deadLetters);
                    Collect(engine.TakeClosed(), candles, tradeCandles, tickers);
                }

                if (display is not null && source.Extent is { } extent)
                {
                    display.Report(extent.Total, read, UndeserializableNote(undeserializable));
                }
            }
            finally
            {
                if (display is not null)
                {
                    await display.DisposeAsync().ConfigureAwait(false);
                }
            }
        }

        if (engine is null)
        {
            engine = Create(interval ?? "1m");
            foreach (var (earlier, raw, topic, partition) in waiting)
            {
                AddAndKeepLate(engine, earlier, inputs.IndexOf(topic, partition, engine), raw, deadLetters);
            }
        }

        Collect(engine.Flush(), candles, tradeCandles, tickers);
        var view = SpeedViewFiles.CombineCandles(candles, tradeCandles);
        tickers.Sort(static (a, b) => SpeedViewFiles.CompareWindows(a.Exchange, a.Symbol, a.WindowStart, b.Exchange, b.Symbol, b.WindowStart));

        var directory = ViewLayout.Speed.Directory(dataDirectory);
        var metadata = Metadata(read, interval);
        var candlesPath = Path.Combine(directory, ViewLayout.Speed.CandlesFile);
        await AtomicFile.WriteAsync(candlesPath, SpeedViewFiles.ToParquet(view.Select(c => c.Candle), DailyCandleMap.Instance, metadata), cancellationToken).ConfigureAwait(false);
        string? tickersPath = null;
        if (options.Topics.Contains(Topics.Prices) || tickers.Count > 0)
        {
            tickersPath = Path.Combine(directory, ViewLayout.Speed.TickerStatsFile);
            await AtomicFile.WriteAsync(tickersPath, SpeedViewFiles.ToParquet(tickers, TickerDayStatsMap.Instance, metadata), cancellationToken).ConfigureAwait(false);
        }

        // Dead letters last: the views are written whether or not the dead-letter topic takes them.
        string? deadLetterTarget = null;
        if (options.DeadLetterLate)
        {
            const string writer = "batch";
            deadLetterTarget = DeadLetterOutbox.Describe(kafka, dataDirectory, writer);
            await using var outbox = new DeadLetterOutbox(kafka, dataDirectory, writer, loggers);
            await outbox.DeliverAsync(deadLetters, cancellationToken).ConfigureAwait(false);
        }

        return new(view, tickers, read, undeserializable, examples, beforeFrom, engine.Counters, interval, clock.Elapsed, candlesPath, tickersPath)
        {
            DeadLettersSent = deadLetters.Count,
            DeadLetterTarget = deadLetterTarget,
        };
    }

    /// <summary>Adds one event; a late one becomes a dead letter when they are sent (its raw message: as read, or re-serialized when it was not kept).</summary>
    private void AddAndKeepLate(CandleWindowEngine engine, MarketEvent marketEvent, int input, ReadOnlySpan<byte> raw, List<DeadLetter> deadLetters)
    {
        var result = engine.Add(marketEvent, input);
        if (result.Status == WindowEventStatus.Late && options.DeadLetterLate)
        {
            deadLetters.Add(LateEvents.ToDeadLetter(marketEvent, result.Reason ?? "late", raw.IsEmpty ? EventSerializer.Serialize(marketEvent) : raw, options.Lateness,
                engine.MaxEventTime ?? default));
        }
    }

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

    /// <summary>Starts the progress display once the source knows its end positions, then keeps it current.</summary>
    private ProgressDisplay? ShowProgress(ProgressDisplay? display, ReadExtent? extent, LogPosition position, long read, long undeserializable)
    {
        if (extent is null)
        {
            return display;
        }

        display ??= ProgressDisplay.Start("reading the log", extent.Total, extent.Unit, progress, "events");
        extent.Advance(position);
        display.Report(extent.Done, read, UndeserializableNote(undeserializable));
        return display;
    }

    private static string? UndeserializableNote(long undeserializable) =>
        undeserializable == 0 ? null : string.Create(CultureInfo.InvariantCulture, $"{undeserializable:N0} undeserializable");

    private CandleWindowEngine CreateEngine(string interval) =>
        new(new CandleWindowOptions { WindowLength = options.Window, AllowedLateness = options.Lateness, KlineInterval = interval });

    /// <summary>The time that puts an event into its window (what --from compares).</summary>
    private static long WindowTime(MarketEvent marketEvent) => marketEvent switch
    {
        KlineEvent k => k.OpenTime,
        TradeEvent t => t.TradeTime,
        _ => marketEvent.EventTime,
    };

    private static void Collect(WindowEmission emission, List<WindowCandle> klines, List<WindowCandle> trades, List<TickerDayStats> tickers)
    {
        if (emission.IsEmpty)
        {
            return;
        }

        klines.AddRange(emission.KlineCandles);
        trades.AddRange(emission.TradeCandles);
        tickers.AddRange(emission.TickerStats);
    }

    private Dictionary<string, string> Metadata(long read, string? interval)
    {
        var writtenAt = DateTimeOffset.UtcNow.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);
        var metadata = ViewLayout.Speed.Metadata("batch", options.Topics, options.Window, options.Lateness, interval);
        metadata[ViewLayout.Speed.FromKey] = options.From?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) ?? "";
        metadata[ViewLayout.Speed.EventsReadKey] = read.ToString(CultureInfo.InvariantCulture);
        metadata[ViewLayout.Speed.WrittenAtKey] = writtenAt;
        // The merge reads this as the lineage of the rows.
        metadata[ViewLayout.Speed.LineageKey] = "batch:" + writtenAt;
        return metadata;
    }
}
