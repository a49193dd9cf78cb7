using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Lambda.Core.Contracts;
using Lambda.Core.Storage;
using Lambda.Core.Transport;
using Lambda.Core.Transport.Embedded;
using Lambda.Core.Transport.Kafka;
using Lambda.Core.Views;
using Lambda.Core.Windows;
using Lambda.SpeedLayer.Batch;
using Microsoft.Extensions.Logging;

namespace Lambda.SpeedLayer.Stream;

/// <summary>How <c>speed-layer stream</c> reads and how often it checkpoints.</summary>
/// <param name="Refresh">Checkpoint (parts, live view, checkpoint file, commit) this often while events arrive.</param>
/// <param name="CheckpointEvery">…and at the latest after this many events.</param>
public sealed record SpeedStreamOptions(
    IReadOnlyList<string> Topics,
    TimeSpan Window,
    TimeSpan Lateness,
    string Group,
    TimeSpan Refresh,
    int CheckpointEvery);

/// <summary>What a run read (totals since the first run of the group) and how long this run took.</summary>
public sealed record SpeedStreamResult(long EventsRead, long EventsThisRun, long Undeserializable, long WindowsClosed, long NextPart, WindowCounters Counters, TimeSpan Elapsed, bool Resumed);

/// <summary>
/// The continuous speed layer. Each checkpoint (every <see cref="SpeedStreamOptions.Refresh"/>, after
/// <see cref="SpeedStreamOptions.CheckpointEvery"/> events and at shutdown): (1) the windows closed
/// since the last one go to <c>views/speed/closed/part-&lt;seq&gt;.parquet</c>, (2) the open windows
/// to <c>views/speed/live.parquet</c>, (3) engine state + positions + next sequence to
/// <c>checkpoints/speed-layer-&lt;group&gt;.json</c>, all atomically, and only then (4) the positions
/// are committed to the source. A restart resumes from the checkpoint file's positions and deletes
/// parts at or after its next sequence (output of a run that died before its checkpoint), so the
/// parts never hold a window twice nor miss one.
/// </summary>
public sealed class SpeedStreamJob(SpeedStreamOptions options, KafkaOptions kafka, string dataDirectory, ILoggerFactory loggers)
{
    public const string LiveFile = "live.parquet";
    public const string ClosedDirectory = "closed";

    private readonly Dictionary<(string Topic, string Partition), LogPosition> _positions = [];
    private readonly List<MarketEvent> _waiting = [];
    private Dictionary<(string Topic, string Partition), LogPosition>? _positionsBeforeWaiting;
    private CandleWindowEngine? _engine;
    private string? _interval;
    private long _nextPart;
    private long _read;
    private long _undeserializable;
    private long _windowsClosed;

    public static string ClosedPath(string dataDirectory) => Path.Combine(SpeedBatchJob.ViewDirectory(dataDirectory), ClosedDirectory);

    public const string LiveTickersFile = "live_ticker_stats.parquet";

    public static string PartPath(string dataDirectory, long sequence) =>
        Path.Combine(ClosedPath(dataDirectory), string.Create(CultureInfo.InvariantCulture, $"part-{sequence:D8}.parquet"));

    /// <summary>The ticker stats closed at the same checkpoint as <see cref="PartPath"/> (topic crypto-prices).</summary>
    public static string TickerPartPath(string dataDirectory, long sequence) =>
        Path.Combine(ClosedPath(dataDirectory), string.Create(CultureInfo.InvariantCulture, $"ticker-part-{sequence:D8}.parquet"));

    /// <summary>Runs until <paramref name="cancellationToken"/> is cancelled, then writes a last checkpoint and returns.</summary>
    public async Task<SpeedStreamResult> RunAsync(CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        var checkpointPath = SpeedStreamCheckpoint.PathOf(dataDirectory, options.Group);
        var checkpoint = SpeedStreamCheckpoint.Load(checkpointPath);
        Resume(checkpoint);
        var readAtStart = _read;

        var start = checkpoint?.Positions ?? [];
        var source = kafka.IsConfigured
            ? (IEventSource)new KafkaEventSource(kafka, new KafkaSourceOptions(options.Group, options.Topics) { StartPositions = start }, loggers.CreateLogger<KafkaEventSource>())
            : new EmbeddedTopicSource(new TopicLayout(dataDirectory), new EmbeddedSourceOptions(options.Group, options.Topics) { StartPositions = start });
        await using (source.ConfigureAwait(false))
        {
            var enumerator = source.ReadAsync(cancellationToken).GetAsyncEnumerator(cancellationToken);
            Task<bool>? next = null;
            var sinceCheckpoint = 0;
            var due = clock.Elapsed + options.Refresh;
            try
            {
                while (true)
                {
                    next ??= enumerator.MoveNextAsync().AsTask();
                    var wait = due - clock.Elapsed;
                    if (!next.IsCompleted && wait > TimeSpan.Zero)
                    {
                        await Task.WhenAny(next, Task.Delay(wait, cancellationToken)).ConfigureAwait(false);
                        cancellationToken.ThrowIfCancellationRequested();
                    }

                    if (next.IsCompleted)
                    {
                        var more = await next.ConfigureAwait(false);
                        next = null;
                        if (!more)
                        {
                            break;
                        }

                        Feed(enumerator.Current);
                        sinceCheckpoint++;
                    }

                    if (sinceCheckpoint > 0 && (sinceCheckpoint >= options.CheckpointEvery || clock.Elapsed >= due))
                    {
                        await CheckpointAsync(source, checkpointPath, cancellationToken).ConfigureAwait(false);
                        sinceCheckpoint = 0;
                    }

                    if (clock.Elapsed >= due)
                    {
                        due = clock.Elapsed + options.Refresh;
                    }
                }
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                // Ctrl+C: finish with a last checkpoint below.
            }
            finally
            {
                if (next is not null)
                {
                    try
                    {
                        await next.ConfigureAwait(false);
                    }
                    catch (OperationCanceledException)
                    {
                        // The read was cancelled with the run.
                    }
                }

                await enumerator.DisposeAsync().ConfigureAwait(false);
            }

            await CheckpointAsync(source, checkpointPath, CancellationToken.None).ConfigureAwait(false);
        }

        var counters = _engine?.Counters ?? default;
        return new(_read, _read - readAtStart, _undeserializable, _windowsClosed, _nextPart, counters, clock.Elapsed, checkpoint is not null);
    }

    private void Resume(SpeedStreamCheckpoint? checkpoint)
    {
        if (checkpoint is not null)
        {
            foreach (var p in checkpoint.Positions)
            {
                _positions[(p.Topic, p.Partition)] = p;
            }

            _nextPart = checkpoint.NextPart;
            _interval = checkpoint.KlineInterval;
            _read = checkpoint.EventsRead;
            _undeserializable = checkpoint.Undeserializable;
            _windowsClosed = checkpoint.WindowsClosed;
            if (checkpoint.EngineState is { } state)
            {
                _engine = CandleWindowEngine.Restore(CandleWindowState.FromJson(state));
            }
        }

        if (_engine is null && !options.Topics.Contains(Topics.Klines))
        {
            _interval = "1m";
            _engine = CreateEngine(_interval);
        }

        // Parts at or after the checkpoint's next sequence are the output of a run that died before
        // its checkpoint: their windows will be closed again, so they must go.
        var closed = ClosedPath(dataDirectory);
        if (Directory.Exists(closed))
        {
            foreach (var file in Directory.GetFiles(closed, "*part-*.parquet"))
            {
                var name = Path.GetFileNameWithoutExtension(file);
                if (long.TryParse(name.AsSpan(name.IndexOf("part-", StringComparison.Ordinal) + "part-".Length), NumberStyles.None, CultureInfo.InvariantCulture, out var sequence) && sequence >= _nextPart)
                {
                    File.Delete(file);
                }
            }
        }
    }

    private CandleWindowEngine CreateEngine(string interval) =>
        new(new CandleWindowOptions { WindowLength = options.Window, AllowedLateness = options.Lateness, KlineInterval = interval });

    private void Feed(ConsumedMessage message)
    {
        _read++;
        MarketEvent marketEvent;
        try
        {
            marketEvent = EventSerializer.Deserialize(message.Topic, message.Value.Span);
        }
        catch (Exception e) when (e is JsonException or NotSupportedException or ArgumentException or InvalidOperationException or FormatException)
        {
            _undeserializable++;
            _positions[(message.Position.Topic, message.Position.Partition)] = message.Position;
            return;
        }

        if (_engine is null)
        {
            if (marketEvent is not KlineEvent first)
            {
                // Events before the first kline wait for the interval; a checkpoint meanwhile keeps the positions before them.
                _positionsBeforeWaiting ??= new(_positions);
                _waiting.Add(marketEvent);
                _positions[(message.Position.Topic, message.Position.Partition)] = message.Position;
                return;
            }

            _interval = first.Interval;
            _engine = CreateEngine(_interval);
            foreach (var earlier in _waiting)
            {
                _engine.Add(earlier);
            }

            _waiting.Clear();
            _positionsBeforeWaiting = null;
        }

        _engine.Add(marketEvent);
        _positions[(message.Position.Topic, message.Position.Partition)] = message.Position;
    }

    private async Task CheckpointAsync(IEventSource source, string checkpointPath, CancellationToken cancellationToken)
    {
        var positions = (_positionsBeforeWaiting ?? _positions).Values
            .OrderBy(p => p.Topic, StringComparer.Ordinal).ThenBy(p => p.Partition, StringComparer.Ordinal).ToList();
        var metadata = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["lambda.layer"] = "speed",
            ["lambda.speed.mode"] = "stream",
            ["lambda.speed.topics"] = string.Join(',', options.Topics),
            ["lambda.speed.window"] = options.Window.ToString("c", CultureInfo.InvariantCulture),
            ["lambda.speed.lateness"] = options.Lateness.ToString("c", CultureInfo.InvariantCulture),
            ["lambda.speed.kline_interval"] = _interval ?? "",
        };

        // (1) The windows closed since the last checkpoint, one part.
        var closed = _engine?.TakeClosed() ?? WindowEmission.Empty;
        var candles = SpeedBatchJob.CombineCandles([.. closed.KlineCandles], [.. closed.TradeCandles]);
        if (candles.Count > 0)
        {
            await AtomicFile.WriteAsync(PartPath(dataDirectory, _nextPart), SpeedBatchJob.ToParquet(candles.Select(c => c.Candle), DailyCandleMap.Instance, metadata), cancellationToken)
                .ConfigureAwait(false);
            _windowsClosed += candles.Count;
        }

        if (closed.TickerStats.Count > 0)
        {
            await AtomicFile.WriteAsync(TickerPartPath(dataDirectory, _nextPart), SpeedBatchJob.ToParquet(closed.TickerStats, TickerDayStatsMap.Instance, metadata), cancellationToken)
                .ConfigureAwait(false);
            _windowsClosed += closed.TickerStats.Count;
        }

        if (candles.Count > 0 || closed.TickerStats.Count > 0)
        {
            _nextPart++;
        }

        // (2) The live view of the open windows.
        var live = _engine?.LiveView() ?? WindowEmission.Empty;
        var liveCandles = SpeedBatchJob.CombineCandles([.. live.KlineCandles], [.. live.TradeCandles]);
        await AtomicFile.WriteAsync(Path.Combine(SpeedBatchJob.ViewDirectory(dataDirectory), LiveFile),
            SpeedBatchJob.ToParquet(liveCandles.Select(c => c.Candle), DailyCandleMap.Instance, metadata), cancellationToken).ConfigureAwait(false);
        if (options.Topics.Contains(Topics.Prices))
        {
            await AtomicFile.WriteAsync(Path.Combine(SpeedBatchJob.ViewDirectory(dataDirectory), LiveTickersFile),
                SpeedBatchJob.ToParquet(live.TickerStats, TickerDayStatsMap.Instance, metadata), cancellationToken).ConfigureAwait(false);
        }

        // (3) The checkpoint: after it, the parts above are committed output.
        var checkpoint = new SpeedStreamCheckpoint(SpeedStreamCheckpoint.CurrentVersion, options.Group, options.Topics, positions, _nextPart, _interval,
            _engine?.Snapshot().ToJson(), _read, _undeserializable, _windowsClosed);
        await checkpoint.SaveAsync(checkpointPath, cancellationToken).ConfigureAwait(false);

        // (4) Only now tell the source (informational: restarts start from the checkpoint file).
        if (positions.Count > 0)
        {
            await source.CommitAsync(positions, cancellationToken).ConfigureAwait(false);
        }
    }
}
