using System.Runtime.CompilerServices;

namespace Lambda.Core.Transport.Embedded;

/// <summary>How an <see cref="EmbeddedTopicSource"/> reads.</summary>
/// <param name="Consumer">Names the checkpoint file, like a Kafka consumer group.</param>
/// <param name="Topics">Topics to read.</param>
/// <param name="StopAtEnd">Read up to the segment lengths seen at the start, then end (batch mode).</param>
public sealed record EmbeddedSourceOptions(string Consumer, IReadOnlyList<string> Topics, bool StopAtEnd = false)
{
    /// <summary>How often a continuous reader looks for new lines when it has read everything.</summary>
    public TimeSpan PollInterval { get; init; } = TimeSpan.FromMilliseconds(200);

    /// <summary>
    /// Where to start instead of the checkpoint file (a caller that keeps its own checkpoint):
    /// per topic, the furthest of these positions' <see cref="LogPosition.Next"/>. Topics not named start at the beginning.
    /// </summary>
    public IReadOnlyList<LogPosition>? StartPositions { get; init; }

    /// <summary>
    /// A reader that keeps state per partition number, as with a Kafka group: told before the first read that it holds
    /// each topic's one partition (<see cref="EmbeddedTopicSource.PartitionNumber"/>); the positions it answers replace
    /// <see cref="StartPositions"/>. One process reads an embedded log, so the partitions are never taken away.
    /// </summary>
    public IPartitionAssignmentListener? Assignment { get; init; }
}

/// <summary>
/// Reads the embedded log from the committed byte offsets on. Only complete lines are read: a line
/// still being written (or torn by a crash) stays unread until its newline arrives.
/// </summary>
public sealed class EmbeddedTopicSource(TopicLayout layout, EmbeddedSourceOptions options) : IEventSource
{
    /// <summary>The number of each topic's one partition (see <see cref="ConsumedMessage.PartitionNumber"/>).</summary>
    public const int PartitionNumber = 0;

    // Below the large object heap threshold (85,000 bytes): each read gets a fresh chunk, which must die young.
    private const int ChunkSize = 64 * 1024;

    private readonly string _checkpointPath = layout.CheckpointPath(options.Consumer);
    private readonly Dictionary<string, TopicCheckpoint> _committed = EmbeddedCheckpointFile.Load(layout.CheckpointPath(options.Consumer));
    private readonly SemaphoreSlim _commitGate = new(1, 1);

    private IReadOnlyList<LogPosition>? _assignedStart;

    public async IAsyncEnumerable<ConsumedMessage> ReadAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var partition = PartitionNumber.ToString(System.Globalization.CultureInfo.InvariantCulture);
        _assignedStart = options.Assignment?.OnAssigned([.. options.Topics.Select(t => new LogPartition(t, partition))]);
        // The end of the log "at the start", for batch reading: each segment's length now.
        var ends = options.StopAtEnd
            ? options.Topics.ToDictionary(t => t, t => layout.Segments(t).ToDictionary(s => s, s => new FileInfo(Path.Combine(layout.TopicDirectory(t), s)).Length))
            : null;
        var readers = options.Topics.ToDictionary(t => t, t => new TopicReader(layout, t, StartOf(t)));
        if (ends is not null)
        {
            Extent = ExtentOf(ends);
        }

        try
        {
            while (true)
            {
                var progressed = false;
                foreach (var (topic, reader) in readers)
                {
                    foreach (var message in reader.ReadAvailable(ends?[topic], ChunkSize))
                    {
                        progressed = true;
                        yield return message;
                    }
                }

                if (!progressed)
                {
                    if (ends is not null)
                    {
                        yield break;
                    }

                    await Task.Delay(options.PollInterval, cancellationToken).ConfigureAwait(false);
                }

                cancellationToken.ThrowIfCancellationRequested();
            }
        }
        finally
        {
            foreach (var reader in readers.Values)
            {
                reader.Dispose();
            }
        }
    }

    public ReadExtent? Extent { get; private set; }

    public async ValueTask CommitAsync(IEnumerable<LogPosition> positions, CancellationToken cancellationToken)
    {
        await _commitGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var changed = false;
            foreach (var position in positions)
            {
                var place = new TopicCheckpoint(position.Partition, position.Next);
                if (!_committed.TryGetValue(position.Topic, out var current) || place.CompareTo(current) > 0)
                {
                    _committed[position.Topic] = place;
                    changed = true;
                }
            }

            if (changed)
            {
                await EmbeddedCheckpointFile.SaveAsync(_checkpointPath, _committed, cancellationToken).ConfigureAwait(false);
            }
        }
        finally
        {
            _commitGate.Release();
        }
    }

    public ValueTask DisposeAsync()
    {
        _commitGate.Dispose();
        return ValueTask.CompletedTask;
    }

    /// <summary>Bytes to read per segment: none before the start segment, from the start offset in it, all of later ones.</summary>
    private ReadExtent ExtentOf(Dictionary<string, Dictionary<string, long>> ends)
    {
        var partitions = new List<KeyValuePair<(string, string), (long, long)>>();
        foreach (var (topic, segments) in ends)
        {
            var start = StartOf(topic);
            foreach (var (segment, length) in segments)
            {
                var from = start is null ? 0 : string.CompareOrdinal(segment, start.Segment) switch
                {
                    < 0 => length,
                    0 => Math.Min(start.Offset, length),
                    _ => 0,
                };
                partitions.Add(new((topic, segment), (from, length)));
            }
        }

        return new ReadExtent(partitions, "bytes", static _ => PartitionNumber);
    }

    private TopicCheckpoint? StartOf(string topic)
    {
        if ((_assignedStart ?? options.StartPositions) is { } start)
        {
            return start.Where(p => p.Topic == topic).Select(p => new TopicCheckpoint(p.Partition, p.Next)).Max();
        }

        lock (_committed)
        {
            return _committed.GetValueOrDefault(topic);
        }
    }
}
