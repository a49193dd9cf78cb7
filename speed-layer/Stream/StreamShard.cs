using System.Globalization;
using System.Text.Json;
using Lambda.Core.Contracts;
using Lambda.Core.Storage;
using Lambda.Core.Transport;
using Lambda.Core.Views;
using Lambda.Core.Windows;
using Lambda.SpeedLayer.Batch;
using Lambda.SpeedLayer.DeadLetters;
using Lambda.SpeedLayer.Engine;
using Lambda.SpeedLayer.Views;
using Microsoft.Extensions.Logging;

namespace Lambda.SpeedLayer.Stream;

/// <summary>
/// The state of one shard of <c>speed-layer stream</c> (the partitions with one partition number, one
/// per topic): its engine, the positions fed into it, the windows it closed and the late events it
/// refused since its last checkpoint, and how to write them out. A shard's output depends only on the
/// events of its partitions in log order, so whichever member of the group holds it, and however often
/// it is moved or restarted, it writes the same parts.
/// </summary>
internal sealed partial class StreamShard
{
    private readonly SpeedStreamOptions _options;
    private readonly SpeedStreamLayout _layout;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly ShardFence _fence;

    // When each topic's partition of this shard last delivered an event (TimeProvider timestamps), by engine input index.
    private readonly Dictionary<string, long> _lastActivity = new(StringComparer.Ordinal);
    private int[] _inputOfTopic = [];
    private readonly Dictionary<(string Topic, string Partition), LogPosition> _positions = [];
    private readonly List<WindowEmission> _closings = [];
    private readonly List<DeadLetter> _deadLetters = [];
    private Dictionary<(string Topic, string Partition), LogPosition>? _positionsBeforeWaiting;
    private readonly EngineStart<string> _start;
    private long _deliveredSinceCheckpoint;
    private bool _dirty;
    private bool _saved;

    private StreamShard(int id, SpeedStreamOptions options, SpeedStreamLayout layout, ILogger logger, TimeProvider time, ShardFence fence)
    {
        _fence = fence;
        Id = id;
        _options = options;
        _layout = layout;
        _logger = logger;
        _time = time;
        _start = new(EngineStart<string>.IntervalFor(options.KlineInterval, options.Topics), CreateEngine, Add, keepRaw: true);
        var now = time.GetTimestamp();
        foreach (var topic in options.Topics)
        {
            _lastActivity[topic] = now;
        }
    }

    public int Id { get; }

    public long NextPart { get; private set; }

    public long EventsRead { get; private set; }

    public long Undeserializable { get; private set; }

    public long WindowsClosed { get; private set; }

    public long DeadLetters { get; private set; }

    public bool Resumed { get; private init; }

    public WindowCounters Counters => _start.Engine?.Counters ?? default;

    /// <summary>Where reading goes on while the shard stays in memory: after the last message fed, else where its checkpoint says.</summary>
    public IReadOnlyList<LogPosition> ReadPositions => [.. _positions.Values];

    /// <summary>No other member took the shard since this one did.</summary>
    public bool StillFenced => _fence.IsCurrent;

    /// <summary>
    /// Loads the shard's checkpoint (none: a fresh shard that reads from the beginning) and deletes what
    /// a holder that died before its next checkpoint wrote after it: parts at or after its next sequence,
    /// whose windows will be closed again, and temporary files.
    /// </summary>
    /// <remarks>Call it with the shard's <paramref name="fence"/> taken: from then on, a previous holder can no longer write.</remarks>
    public static StreamShard Resume(int id, SpeedStreamOptions options, SpeedStreamLayout layout, ILogger logger, TimeProvider time, ShardFence fence)
    {
        var checkpoint = SpeedStreamCheckpoint.Load(layout.CheckpointPath(id));
        if (checkpoint is not null && (checkpoint.Shard != id || checkpoint.Group != layout.Group))
        {
            throw new InvalidDataException($"Checkpoint file {layout.CheckpointPath(id)} belongs to group {checkpoint.Group} shard {checkpoint.Shard}, not {layout.Group} shard {id}");
        }

        var shard = new StreamShard(id, options, layout, logger, time, fence) { Resumed = checkpoint is not null };
        if (checkpoint is not null)
        {
            foreach (var p in checkpoint.Positions)
            {
                shard._positions[(p.Topic, p.Partition)] = p;
            }

            shard.NextPart = checkpoint.NextPart;
            shard.EventsRead = checkpoint.EventsRead;
            shard.Undeserializable = checkpoint.Undeserializable;
            shard.WindowsClosed = checkpoint.WindowsClosed;
            shard.DeadLetters = checkpoint.DeadLetters;
            shard._saved = true;
            if (checkpoint.EngineState is { } state)
            {
                var engine = CandleWindowEngine.Restore(CandleWindowState.FromJson(state));
                shard.DeclareInputs(engine);
                shard._start.Resume(engine, checkpoint.KlineInterval);
            }
        }

        // A known interval starts the engine at once, so even a shard that reads nothing checkpoints its (empty) state.
        if (shard._start.Interval is not null)
        {
            shard._start.Start();
        }

        shard.DeleteUncheckpointedOutput();
        return shard;
    }

    /// <summary>Feeds one message of this shard's partitions into the engine.</summary>
    public void Feed(ConsumedMessage message)
    {
        EventsRead++;
        _dirty = true;
        _lastActivity[message.Topic] = _time.GetTimestamp();
        if (!EventSerializer.TryDeserialize(message.Topic, message.Value.Span, out var marketEvent, out _))
        {
            Undeserializable++;
            _positions[(message.Position.Topic, message.Position.Partition)] = message.Position;
            return;
        }

        // Events before the first kline wait for the interval; a checkpoint meanwhile keeps the positions before them.
        if (_start.Feed(marketEvent, message.Value.Span, message.Topic))
        {
            _positionsBeforeWaiting = null;
        }
        else
        {
            _positionsBeforeWaiting ??= new(_positions);
        }

        _positions[(message.Position.Topic, message.Position.Partition)] = message.Position;
    }

    /// <summary>Something happened since the last checkpoint, or there never was one.</summary>
    public bool NeedsCheckpoint => _dirty || !_saved;

    /// <summary>
    /// (1) One part per closing of windows since the last checkpoint, (2) the live view of the open
    /// windows, (3) the late events' dead letters, delivered and flushed, (4) the checkpoint file, every
    /// file atomically, and only then (5) the positions committed to the source (none: a shard the group
    /// took away, whose next holder starts from the checkpoint file, which is the truth anyway).
    /// </summary>
    /// <remarks>
    /// Under the shard's fence: when another member took the shard meanwhile (a later epoch), nothing is
    /// written, the refusal is logged and returned (<see cref="CheckpointWritten.Refused"/>), and the caller drops the shard.
    /// </remarks>
    public async Task<CheckpointWritten> CheckpointAsync(IEventSource? source, DeadLetterOutbox? outbox, DateTimeOffset now, CancellationToken cancellationToken)
    {
        using var fenced = _fence.Enter(out var currentEpoch, cancellationToken);
        if (fenced is null)
        {
            LogFenced(Id, _fence.Epoch, currentEpoch);
            return new(0, 0, 0, null, Refused: true);
        }

        var metadata = ViewLayout.Speed.Metadata("stream", _options.Topics, _options.Window, _options.Lateness, _start.Interval);
        var (sequence, windows) = await WritePartsAsync(metadata, cancellationToken).ConfigureAwait(false);
        await WriteLiveViewAsync(metadata, now, cancellationToken).ConfigureAwait(false);

        // (3) Dead letters before the checkpoint: a crash before it sends them again, never loses them. Once
        // delivered they leave the queue, so a checkpoint redone by this process does not send them twice.
        if (outbox is not null)
        {
            await outbox.DeliverAsync(_deadLetters, cancellationToken).ConfigureAwait(false);
        }

        _deliveredSinceCheckpoint += _deadLetters.Count;
        _deadLetters.Clear();
        var deadLetters = _deliveredSinceCheckpoint;

        // (4) The checkpoint: after it, the parts above are committed output.
        var parts = sequence - NextPart;
        var positions = (_positionsBeforeWaiting ?? _positions).Values
            .OrderBy(p => p.Topic, StringComparer.Ordinal).ThenBy(p => p.Partition, StringComparer.Ordinal).ToList();
        var checkpoint = new SpeedStreamCheckpoint(SpeedStreamCheckpoint.CurrentVersion, _layout.Group, Id, _options.Topics, positions, sequence, _start.Interval,
            _start.Engine?.Snapshot().ToJson(), EventsRead, Undeserializable, WindowsClosed + windows, DeadLetters + deadLetters, _fence.Epoch);
        await checkpoint.SaveAsync(_layout.CheckpointPath(Id), cancellationToken).ConfigureAwait(false);
        NextPart = sequence;
        WindowsClosed += windows;
        DeadLetters += deadLetters;
        _deliveredSinceCheckpoint = 0;
        _closings.Clear();
        _dirty = false;
        _saved = true;

        return new(windows, parts, deadLetters, await CommitAsync(source, positions).ConfigureAwait(false));
    }

    /// <summary>
    /// (1) One part per closing: its content depends on the events alone, not on when checkpoints happen.
    /// Nothing in memory changes before the checkpoint file is written, so a checkpoint interrupted half-way
    /// (Ctrl+C, a failed delivery) is redone whole, over the same part files. Returns the next part's
    /// sequence number and the windows written.
    /// </summary>
    private async Task<(long Sequence, long Windows)> WritePartsAsync(Dictionary<string, string> metadata, CancellationToken cancellationToken)
    {
        var windows = 0L;
        var sequence = NextPart;
        foreach (var closing in _closings)
        {
            metadata[ViewLayout.Speed.LineageKey] = _layout.PartLineage(Id, sequence);
            var candles = SpeedViewFiles.CombineCandles([.. closing.KlineCandles], [.. closing.TradeCandles]);
            if (candles.Count > 0)
            {
                await AtomicFile.WriteAsync(_layout.PartPath(Id, sequence), SpeedViewFiles.ToParquet(candles.Select(c => c.Candle), DailyCandleMap.Instance, metadata), cancellationToken)
                    .ConfigureAwait(false);
            }

            if (closing.TickerStats.Count > 0)
            {
                await AtomicFile.WriteAsync(_layout.TickerPartPath(Id, sequence), SpeedViewFiles.ToParquet(closing.TickerStats, TickerDayStatsMap.Instance, metadata), cancellationToken)
                    .ConfigureAwait(false);
            }

            windows += candles.Count + closing.TickerStats.Count;
            sequence++;
        }

        return (sequence, windows);
    }

    /// <summary>(2) The live view of the open windows.</summary>
    private async Task WriteLiveViewAsync(Dictionary<string, string> metadata, DateTimeOffset now, CancellationToken cancellationToken)
    {
        metadata[ViewLayout.Speed.LineageKey] = _layout.LiveLineage(Id, now);
        var live = _start.Engine?.LiveView() ?? WindowEmission.Empty;
        var liveCandles = SpeedViewFiles.CombineCandles([.. live.KlineCandles], [.. live.TradeCandles]);
        await AtomicFile.WriteAsync(_layout.LivePath(Id), SpeedViewFiles.ToParquet(liveCandles.Select(c => c.Candle), DailyCandleMap.Instance, metadata), cancellationToken)
            .ConfigureAwait(false);
        if (_options.Topics.Contains(Topics.Prices))
        {
            await AtomicFile.WriteAsync(_layout.LiveTickersPath(Id), SpeedViewFiles.ToParquet(live.TickerStats, TickerDayStatsMap.Instance, metadata), cancellationToken)
                .ConfigureAwait(false);
        }
    }

    /// <summary>
    /// (5) Only after the checkpoint file, tell the source. Informational (restarts start from the checkpoint
    /// file), so a commit the group refuses, e.g. while it rebalances, is returned as the error, not thrown.
    /// </summary>
    private static async Task<string?> CommitAsync(IEventSource? source, List<LogPosition> positions)
    {
        if (positions.Count == 0 || source is null)
        {
            return null;
        }

        try
        {
            // Not cancellable: the checkpoint file is written, so the checkpoint is done and must return what it
            // wrote (a Ctrl+C landing here once left a run's parts and dead letters out of its statistics).
            await source.CommitAsync(positions, CancellationToken.None).ConfigureAwait(false);
            return null;
        }
        catch (EventLogException e)
        {
            return e.Message;
        }
    }

    /// <summary>
    /// Leaves out of the watermark every input (this shard's partition of a topic) that delivered nothing
    /// for <see cref="SpeedStreamOptions.IdleTimeout"/>, so a quiet partition cannot hold windows open;
    /// returns whether that closed windows (then a checkpoint is due).
    /// </summary>
    public bool LeaveOutIdleInputs()
    {
        if (_start.Engine is not { } engine)
        {
            return false;
        }

        var closings = _closings.Count;
        for (var i = 0; i < _options.Topics.Count; i++)
        {
            var topic = _options.Topics[i];
            var input = _inputOfTopic[i];
            var quiet = _time.GetElapsedTime(_lastActivity[topic]);
            if (quiet >= _options.IdleTimeout && engine.SetIdle(input, idle: true))
            {
                _dirty = true;
                LogInputIdle(Id, topic, quiet.TotalSeconds, Format(engine.Watermark));
                TakeClosings(engine);
            }
        }

        return _closings.Count > closings;
    }

    private CandleWindowEngine CreateEngine(string interval)
    {
        var engine = new CandleWindowEngine(new CandleWindowOptions { WindowLength = _options.Window, AllowedLateness = _options.Lateness, KlineInterval = interval });
        DeclareInputs(engine);
        return engine;
    }

    /// <summary>One input per topic: a shard reads one partition (the same number) of each topic, the embedded log each file topic.</summary>
    private void DeclareInputs(CandleWindowEngine engine) => _inputOfTopic = [.. _options.Topics.Select(engine.DeclareInput)];

    private void Add(CandleWindowEngine engine, MarketEvent marketEvent, ReadOnlySpan<byte> raw, string topic)
    {
        var input = _inputOfTopic[IndexOfTopic(topic)];
        if (engine.IsIdle(input))
        {
            LogInputBack(Id, topic, Format(engine.Watermark));
        }

        var result = engine.Add(marketEvent, input);
        if (result.Status == WindowEventStatus.Late && _options.DeadLetterLate)
        {
            _deadLetters.Add(LateEvents.ToDeadLetter(marketEvent, result.Reason ?? "late", raw, _options.Lateness, engine.MaxEventTime ?? default));
        }

        TakeClosings(engine);
    }

    private int IndexOfTopic(string topic)
    {
        var topics = _options.Topics;
        for (var i = 0; i < topics.Count; i++)
        {
            if (ReferenceEquals(topics[i], topic) || string.Equals(topics[i], topic, StringComparison.Ordinal))
            {
                return i;
            }
        }

        throw new InvalidOperationException($"shard {Id} got a message of topic {topic}, which it does not read");
    }

    /// <summary>
    /// One closing per window end: the windows that end together close together whatever the order in
    /// which the inputs were read, so the parts depend on the events alone.
    /// </summary>
    private void TakeClosings(CandleWindowEngine engine)
    {
        var closed = engine.TakeClosed();
        if (closed.IsEmpty)
        {
            return;
        }

        var ends = closed.KlineCandles.Select(c => c.WindowEnd).Concat(closed.TradeCandles.Select(c => c.WindowEnd)).Concat(closed.TickerStats.Select(t => t.WindowEnd))
            .Distinct().Order().ToList();
        if (ends.Count == 1)
        {
            _closings.Add(closed);
            return;
        }

        foreach (var end in ends)
        {
            _closings.Add(new WindowEmission([.. closed.KlineCandles.Where(c => c.WindowEnd == end)], [.. closed.TradeCandles.Where(c => c.WindowEnd == end)],
                [.. closed.TickerStats.Where(t => t.WindowEnd == end)]));
        }
    }

    private static string Format(DateTimeOffset? time) =>
        time?.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture) ?? "none";

    [LoggerMessage(Level = LogLevel.Warning,
        Message = "Shard {Shard}: this member's epoch {Epoch} is stale (another member took the shard at epoch {Current}); checkpoint refused, nothing written, shard dropped")]
    private partial void LogFenced(int shard, long epoch, long current);

    [LoggerMessage(Level = LogLevel.Information, Message = "Shard {Shard}: input {Topic} idle for {Seconds:F1} s, left out of the watermark (now {Watermark})")]
    private partial void LogInputIdle(int shard, string topic, double seconds, string watermark);

    [LoggerMessage(Level = LogLevel.Information, Message = "Shard {Shard}: input {Topic} delivers again and counts for the watermark again (now {Watermark})")]
    private partial void LogInputBack(int shard, string topic, string watermark);

    private void DeleteUncheckpointedOutput()
    {
        var closed = _layout.ShardClosedDirectory(Id);
        if (Directory.Exists(closed))
        {
            foreach (var file in Directory.GetFiles(closed))
            {
                var name = Path.GetFileName(file);
                if ((name.EndsWith(".parquet", StringComparison.Ordinal) && SpeedStreamLayout.SequenceOf(file) >= NextPart)
                    || (name.StartsWith('.') && name.EndsWith(".tmp", StringComparison.Ordinal)))
                {
                    File.Delete(file);
                }
            }
        }

        // Temporary files of this shard's live view and checkpoint left by a kill mid-write.
        foreach (var target in (string[])[_layout.LivePath(Id), _layout.LiveTickersPath(Id), _layout.CheckpointPath(Id)])
        {
            var directory = Path.GetDirectoryName(target)!;
            if (Directory.Exists(directory))
            {
                foreach (var file in Directory.GetFiles(directory, $".{Path.GetFileName(target)}.*.tmp"))
                {
                    File.Delete(file);
                }
            }
        }
    }
}

/// <summary>What one shard checkpoint wrote.</summary>
/// <param name="CommitError">Why the source refused the commit of the positions, if it did.</param>
/// <param name="Refused">The shard's fence refused the write: another member holds the shard now.</param>
internal readonly record struct CheckpointWritten(long Windows, long Parts, long DeadLetters, string? CommitError, bool Refused = false);
