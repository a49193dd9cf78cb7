using System.Diagnostics;
using System.Globalization;
using Lambda.Core.Transport;
using Lambda.Core.Transport.Kafka;
using Lambda.Core.Windows;
using Lambda.SpeedLayer.DeadLetters;
using Lambda.SpeedLayer.Metrics;
using Microsoft.Extensions.Logging;

namespace Lambda.SpeedLayer.Stream;

/// <summary>How <c>speed-layer stream</c> reads and how often it checkpoints.</summary>
/// <param name="Refresh">Checkpoint (parts, live view, dead letters, checkpoint file, commit) this often while events arrive.</param>
/// <param name="CheckpointEvery">…and at the latest after this many events.</param>
/// <param name="KlineInterval">The kline interval to aggregate; null: each shard takes its first kline's.</param>
/// <param name="DeadLetterLate">Send late events to the dead-letter topic with their reason (they are counted either way).</param>
/// <param name="IdleTimeout">An input (a shard's partition of a topic) that delivers nothing this long is left out of the shard's watermark until it delivers again.</param>
public sealed record SpeedStreamOptions(
    IReadOnlyList<string> Topics,
    TimeSpan Window,
    TimeSpan Lateness,
    string Group,
    TimeSpan Refresh,
    int CheckpointEvery,
    string? KlineInterval = null,
    bool DeadLetterLate = true)
{
    public static readonly TimeSpan DefaultIdleTimeout = TimeSpan.FromMinutes(1);

    public TimeSpan IdleTimeout { get; init; } = DefaultIdleTimeout;
}

/// <summary>What a run did, and the totals (since each shard's first checkpoint) of the shards it held at its last checkpoint.</summary>
public sealed record SpeedStreamResult(
    long EventsThisRun,
    long WindowsThisRun,
    long PartsThisRun,
    long DeadLettersThisRun,
    long LateThisRun,
    IReadOnlyList<int> ShardsHeld,
    long EventsRead,
    long Undeserializable,
    long WindowsClosed,
    long Parts,
    WindowCounters Counters,
    TimeSpan Elapsed,
    bool Resumed);

/// <summary>
/// The continuous speed layer. Its state is sharded by partition number (see <see cref="SpeedStreamLayout"/>):
/// Kafka's group assigns partitions to members, and a member holds the shards of the partition numbers it
/// was given (a symbol's key lands on the same partition number in every topic); the embedded log is one
/// shard. Each checkpoint (every <see cref="SpeedStreamOptions.Refresh"/>, after
/// <see cref="SpeedStreamOptions.CheckpointEvery"/> events, when the group takes a shard away and at
/// shutdown) writes a shard's parts, live view, dead letters and checkpoint file before committing its
/// positions; an assigned shard resumes from its checkpoint file and deletes what was written after it.
/// So the parts never hold a window twice nor miss one, however members come, go or die.
/// </summary>
/// <remarks>
/// The group's callbacks (<see cref="OnAssigned"/>, <see cref="OnRevoked"/>) run inside the Kafka client's
/// poll, on whichever thread polls. They only load or hand over shards, under a short lock, and never wait
/// for asynchronous work: a revoked shard's last checkpoint is written by the read loop right after, under
/// the shard's fence. If the next holder took the shard first, the fence refuses that write and the next
/// holder redoes the events from the checkpoint it loaded; either way no window is lost or doubled.
/// </remarks>
public sealed partial class SpeedStreamJob(SpeedStreamOptions options, KafkaOptions kafka, string dataDirectory, ILoggerFactory loggers, SpeedMetrics? metrics = null)
    : IPartitionAssignmentListener
{
    private readonly SpeedStreamLayout _layout = new(dataDirectory, options.Group);
    private readonly ILogger _logger = loggers.CreateLogger<SpeedStreamJob>();

    // Guards the shard maps against the group's callbacks; never held across an await.
    private readonly Lock _shardsLock = new();
    private readonly SortedDictionary<int, StreamShard> _shards = [];
    private readonly List<StreamShard> _handedOver = [];
    private TaskCompletionSource _handOver = NewSignal();
    private DeadLetterOutbox? _outbox;
    private IEventSource? _source;
    private bool _stopping;
    private bool _resumed;
    private long _eventsThisRun;
    private long _undeserializableThisRun;
    private long _windowsThisRun;
    private long _partsThisRun;
    private long _deadLettersThisRun;
    private long _lateThisRun;
    private long _duplicatesThisRun;
    private long _notHeld;

    public SpeedStreamLayout Layout => _layout;

    /// <summary>Runs until <paramref name="cancellationToken"/> is cancelled, then checkpoints every shard it holds and returns.</summary>
    /// <exception cref="InvalidOperationException">A checkpoint of the layout before sharding exists, or the Kafka topics cannot be sharded alike.</exception>
    public async Task<SpeedStreamResult> RunAsync(CancellationToken cancellationToken)
    {
        if (File.Exists(_layout.UnshardedCheckpoint))
        {
            throw new InvalidOperationException(
                $"{_layout.UnshardedCheckpoint} is a checkpoint of speed-layer stream before its state was sharded by partition; it cannot be split into shards. "
                + "Delete it together with its output (views/speed/closed/part-*.parquet, views/speed/live.parquet) to rebuild the speed views from the log, or use another --group.");
        }

        var clock = Stopwatch.StartNew();
        metrics?.Observe(Figures, () => Volatile.Read(ref _source)?.Lag() ?? []);
        await using var outbox = options.DeadLetterLate ? new DeadLetterOutbox(kafka, dataDirectory, "stream-" + options.Group, loggers) : null;
        _outbox = outbox;
        // Kafka's group hands this member partitions, and so shards, as it rebalances; the embedded log is one shard,
        // held from the start. Either way the source tells OnAssigned and starts where the shards' checkpoints say.
        var source = EventLog.CreateGroupSource(kafka, dataDirectory, options.Group, options.Topics, this, loggers);
        _source = source;
        List<StreamShard> held;
        await using (source.ConfigureAwait(false))
        {
            try
            {
                await ReadAndCheckpointAsync(source, clock, cancellationToken).ConfigureAwait(false);
                await CheckpointHandedOverAsync().ConfigureAwait(false);
                await CheckpointAllAsync(force: true, CancellationToken.None).ConfigureAwait(false);
                held = HeldShards();
            }
            finally
            {
                // Closing the consumer revokes its partitions: after the last checkpoint (or a failure) they
                // only need dropping; a failed run leaves its shards to their checkpoints.
                _stopping = true;
                Volatile.Write(ref _source, null);
            }
        }

        if (_notHeld > 0)
        {
            LogNotHeld(_notHeld);
        }

        return Result(held, clock.Elapsed);
    }

    /// <summary>
    /// Feeds every message to its shard and checkpoints when due, until the log ends (the embedded log read to
    /// its end by a test) or <paramref name="cancellationToken"/> is cancelled (Ctrl+C; the caller's last checkpoint follows).
    /// </summary>
    private async Task ReadAndCheckpointAsync(IEventSource source, Stopwatch clock, CancellationToken cancellationToken)
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
                var handOver = _handOver.Task;
                var wait = due - clock.Elapsed;
                if (!next.IsCompleted && !handOver.IsCompleted && wait > TimeSpan.Zero)
                {
                    await Task.WhenAny(next, handOver, Task.Delay(wait, cancellationToken)).ConfigureAwait(false);
                    cancellationToken.ThrowIfCancellationRequested();
                }

                if (handOver.IsCompleted)
                {
                    await CheckpointHandedOverAsync().ConfigureAwait(false);
                }

                if (next.IsCompleted)
                {
                    var more = await next.ConfigureAwait(false);
                    next = null;
                    if (!more)
                    {
                        return;
                    }

                    // No read is in progress here, so no rebalance can change the shards while feeding.
                    Feed(enumerator.Current);
                    sinceCheckpoint++;
                }

                var idleClosed = clock.Elapsed >= due && LeaveOutIdleInputs();
                if ((sinceCheckpoint > 0 || idleClosed) && (sinceCheckpoint >= options.CheckpointEvery || clock.Elapsed >= due))
                {
                    await CheckpointAllAsync(force: false, cancellationToken).ConfigureAwait(false);
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
            // Ctrl+C: the caller finishes with a last checkpoint.
        }
        finally
        {
            await FinishReadAsync(enumerator, next).ConfigureAwait(false);
        }
    }

    /// <summary>Waits for a read still in flight (cancelled with the run) and closes the enumerator.</summary>
    private static async Task FinishReadAsync(IAsyncEnumerator<ConsumedMessage> enumerator, Task<bool>? next)
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

    private SpeedStreamResult Result(List<StreamShard> held, TimeSpan elapsed)
    {
        var counters = held.Aggregate(default(WindowCounters), (sum, s) => new(sum.Merged + s.Counters.Merged, sum.Duplicates + s.Counters.Duplicates,
            sum.Late + s.Counters.Late, sum.Ignored + s.Counters.Ignored));
        return new(_eventsThisRun, _windowsThisRun, _partsThisRun, _deadLettersThisRun, _lateThisRun, [.. held.Select(s => s.Id)],
            held.Sum(s => s.EventsRead), held.Sum(s => s.Undeserializable), held.Sum(s => s.WindowsClosed), held.Sum(s => s.NextPart), counters, elapsed, _resumed);
    }

    /// <summary>This run's figures for the metrics (read from the exporter's thread: each is one aligned 64-bit read).</summary>
    private SpeedFigures Figures() => new(
        Volatile.Read(ref _eventsThisRun), Volatile.Read(ref _undeserializableThisRun), Volatile.Read(ref _lateThisRun), Volatile.Read(ref _duplicatesThisRun),
        Volatile.Read(ref _windowsThisRun), Volatile.Read(ref _partsThisRun), Volatile.Read(ref _deadLettersThisRun));

    /// <summary>
    /// The shards of these partition numbers are now ours: load their checkpoints, or take back a shard handed
    /// over for its last checkpoint that no one else took meanwhile (an eager rebalance revokes every partition
    /// and often gives the same ones back), which goes on from its state in memory.
    /// </summary>
    public IReadOnlyList<LogPosition> OnAssigned(IReadOnlyList<LogPartition> partitions)
    {
        var numbers = partitions.Select(p => ShardOf(p.Partition)).Distinct().Order().ToList();
        lock (_shardsLock)
        {
            var start = new List<LogPosition>();
            foreach (var number in numbers)
            {
                if (!_shards.TryGetValue(number, out var shard))
                {
                    shard = TakeBack(number) ?? Load(number);
                    _shards.Add(number, shard);
                }

                start.AddRange(shard.ReadPositions);
            }

            LogShardsAssigned(string.Join(",", numbers), string.Join(",", _shards.Keys));
            return start;
        }
    }

    private StreamShard? TakeBack(int number)
    {
        var index = _handedOver.FindIndex(s => s.Id == number);
        if (index < 0)
        {
            return null;
        }

        var shard = _handedOver[index];
        _handedOver.RemoveAt(index);
        return shard.StillFenced ? shard : null;
    }

    private StreamShard Load(int number)
    {
        // The fence first: once the epoch is taken, a previous holder that wakes up cannot write over what is loaded here.
        var fence = ShardFence.Take(_layout, number, CancellationToken.None);
        var shard = StreamShard.Resume(number, options, _layout, loggers.CreateLogger<StreamShard>(), TimeProvider.System, fence);
        _resumed |= shard.Resumed;
        return shard;
    }

    /// <summary>
    /// The group takes these shards away: hand them to the read loop for a last checkpoint (unless lost to
    /// another member already, or the run is stopping after its own last checkpoint) and stop feeding them.
    /// </summary>
    public void OnRevoked(IReadOnlyList<LogPartition> partitions, bool lost)
    {
        var numbers = partitions.Select(p => ShardOf(p.Partition)).Distinct().Order().ToList();
        lock (_shardsLock)
        {
            foreach (var number in numbers)
            {
                if (_shards.Remove(number, out var shard) && !lost && !_stopping && shard.NeedsCheckpoint)
                {
                    _handedOver.Add(shard);
                }
            }

            LogShardsRevoked(string.Join(",", numbers), lost, string.Join(",", _shards.Keys));
        }

        _handOver.TrySetResult();
    }

    private static int ShardOf(string partition) => int.Parse(partition, NumberStyles.None, CultureInfo.InvariantCulture);

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    private List<StreamShard> HeldShards()
    {
        lock (_shardsLock)
        {
            return [.. _shards.Values];
        }
    }

    private void Feed(ConsumedMessage message)
    {
        _eventsThisRun++;
        var number = message.PartitionNumber;
        if (!_shards.TryGetValue(number, out var shard))
        {
            // A message of a partition this member no longer holds: its new holder reads it.
            _notHeld++;
            return;
        }

        var (late, duplicates, undeserializable) = (shard.Counters.Late, shard.Counters.Duplicates, shard.Undeserializable);
        shard.Feed(message);
        _lateThisRun += shard.Counters.Late - late;
        _duplicatesThisRun += shard.Counters.Duplicates - duplicates;
        _undeserializableThisRun += shard.Undeserializable - undeserializable;
    }

    /// <summary>Every held shard leaves out its idle inputs; true when that closed windows somewhere.</summary>
    private bool LeaveOutIdleInputs()
    {
        var closed = false;
        foreach (var shard in HeldShards())
        {
            closed |= shard.LeaveOutIdleInputs();
        }

        return closed;
    }

    private async Task CheckpointAllAsync(bool force, CancellationToken cancellationToken)
    {
        var now = DateTimeOffset.UtcNow;
        foreach (var shard in HeldShards().Where(s => force || s.NeedsCheckpoint))
        {
            if (Count(await shard.CheckpointAsync(_source!, _outbox, now, cancellationToken).ConfigureAwait(false)))
            {
                // Fenced off: another member holds it now; its messages still arriving here are skipped.
                lock (_shardsLock)
                {
                    _shards.Remove(shard.Id);
                }
            }
        }
    }

    /// <summary>
    /// The last checkpoint of the shards the group took away, without a commit (the group may be between
    /// generations; the next holder starts from the checkpoint file). Not cancellable: it is short, and the
    /// next holder is better served by the newest checkpoint.
    /// </summary>
    private async Task CheckpointHandedOverAsync()
    {
        List<StreamShard> handedOver;
        lock (_shardsLock)
        {
            // A new signal before taking the list: a shard handed over from now on sets the new one.
            _handOver = NewSignal();
            handedOver = [.. _handedOver];
            _handedOver.Clear();
        }

        var now = DateTimeOffset.UtcNow;
        foreach (var shard in handedOver)
        {
            Count(await shard.CheckpointAsync(source: null, _outbox, now, CancellationToken.None).ConfigureAwait(false));
        }
    }

    /// <summary>Adds up what a checkpoint wrote; true when the shard's fence refused it.</summary>
    private bool Count(CheckpointWritten written)
    {
        _windowsThisRun += written.Windows;
        _partsThisRun += written.Parts;
        _deadLettersThisRun += written.DeadLetters;
        if (written.CommitError is { } error)
        {
            LogCommitRefused(error);
        }

        return written.Refused;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "The group refused the commit of a checkpoint's positions ({Error}); the checkpoint file is written and is what a restart reads")]
    private partial void LogCommitRefused(string error);

    [LoggerMessage(Level = LogLevel.Information, Message = "Shards assigned: {Assigned}; held now: {Held}")]
    private partial void LogShardsAssigned(string assigned, string held);

    [LoggerMessage(Level = LogLevel.Information, Message = "Shards revoked (lost: {Lost}): {Revoked}; held now: {Held}")]
    private partial void LogShardsRevoked(string revoked, bool lost, string held);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Count} message(s) of partitions this member does not hold were skipped; their holder reads them")]
    private partial void LogNotHeld(long count);
}
