using System.Diagnostics;
using System.Globalization;
using Lambda.Core.Contracts;
using Lambda.Core.Progress;
using Lambda.Core.Storage;
using Lambda.Core.Transport;
using Lambda.Core.Transport.Kafka;
using Lambda.Core.Views;
using Lambda.Core.Windows;
using Lambda.SpeedLayer.DeadLetters;
using Lambda.SpeedLayer.Metrics;
using Lambda.SpeedLayer.Views;
using Microsoft.Extensions.Logging;

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
public sealed class SpeedBatchJob(SpeedBatchOptions options, KafkaOptions kafka, string dataDirectory, ILoggerFactory loggers, TextWriter progress, SpeedMetrics? metrics = null)
{
    /// <summary>Progress is updated every this many events (a power of two), so it costs nothing per event.</summary>
    private const int ProgressSample = 4096;

    /// <exception cref="ArgumentException">The kline interval does not divide the window.</exception>
    public async Task<SpeedBatchResult> RunAsync(CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        var read = new BatchRead(options, CreateEngine);
        long filesWritten = 0, deadLettersSent = 0;
        metrics?.Observe(() => read.Figures(Volatile.Read(ref filesWritten), Volatile.Read(ref deadLettersSent)));
        await ReadLogAsync(read, cancellationToken).ConfigureAwait(false);
        var engine = read.Finish();

        var view = SpeedViewFiles.CombineCandles(read.KlineCandles, read.TradeCandles);
        var tickers = read.TickerStats;
        tickers.Sort(static (a, b) => SpeedViewFiles.CompareWindows(a.Exchange, a.Symbol, a.WindowStart, b.Exchange, b.Symbol, b.WindowStart));
        var interval = read.Start.Interval;
        var (candlesPath, tickersPath) = await WriteViewsAsync(view, tickers, Metadata(read.Read, interval), cancellationToken).ConfigureAwait(false);
        Volatile.Write(ref filesWritten, tickersPath is null ? 1 : 2);

        // Dead letters last: the views are written whether or not the dead-letter topic takes them.
        string? deadLetterTarget = null;
        if (options.DeadLetterLate)
        {
            const string writer = "batch";
            deadLetterTarget = DeadLetterOutbox.Describe(kafka, dataDirectory, writer);
            await using var outbox = new DeadLetterOutbox(kafka, dataDirectory, writer, loggers);
            await outbox.DeliverAsync(read.DeadLetters, cancellationToken).ConfigureAwait(false);
            Volatile.Write(ref deadLettersSent, read.DeadLetters.Count);
        }

        return new(view, tickers, read.Read, read.Undeserializable, read.UndeserializableExamples, read.BeforeFrom, engine.Counters, interval, clock.Elapsed,
            candlesPath, tickersPath)
        {
            DeadLettersSent = read.DeadLetters.Count,
            DeadLetterTarget = deadLetterTarget,
        };
    }

    /// <summary>Reads the log from its start to the end it had when the run began, with a progress display.</summary>
    private async Task ReadLogAsync(BatchRead read, CancellationToken cancellationToken)
    {
        await using var source = EventLog.CreateSource(kafka, dataDirectory, options.Consumer, options.Topics, stopAtEnd: true, loggers, fromBeginning: true);
        ProgressDisplay? display = null;
        try
        {
            await foreach (var message in source.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                read.Accept(message, source.Extent);
                if ((read.Read & (ProgressSample - 1)) == 1)
                {
                    display = ShowProgress(display, source.Extent, message.Position, read.Read, read.Undeserializable);
                }
            }

            if (display is not null && source.Extent is { } extent)
            {
                display.Report(extent.Total, read.Read, UndeserializableNote(read.Undeserializable));
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

    /// <summary>The candles view, and the ticker view when tickers were read (or any came out), each written atomically.</summary>
    private async Task<(string CandlesPath, string? TickersPath)> WriteViewsAsync(IReadOnlyList<WindowCandle> view, List<TickerDayStats> tickers, Dictionary<string, string> metadata,
        CancellationToken cancellationToken)
    {
        var directory = ViewLayout.Speed.Directory(dataDirectory);
        var candlesPath = Path.Combine(directory, ViewLayout.Speed.CandlesFile);
        await AtomicFile.WriteAsync(candlesPath, SpeedViewFiles.ToParquet(view.Select(c => c.Candle), DailyCandleMap.Instance, metadata), cancellationToken).ConfigureAwait(false);
        if (!options.Topics.Contains(Topics.Prices) && tickers.Count == 0)
        {
            return (candlesPath, null);
        }

        var tickersPath = Path.Combine(directory, ViewLayout.Speed.TickerStatsFile);
        await AtomicFile.WriteAsync(tickersPath, SpeedViewFiles.ToParquet(tickers, TickerDayStatsMap.Instance, metadata), cancellationToken).ConfigureAwait(false);
        return (candlesPath, tickersPath);
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
