namespace Lambda.Core.Transport;

/// <summary>
/// Reads messages from the event log and remembers, when told, how far they were processed. A
/// reader that restarts resumes after the last committed position, so committing only after the
/// output is durable gives at-least-once reading and, with idempotent output, exactly-once results.
/// </summary>
public interface IEventSource : IAsyncDisposable
{
    /// <summary>
    /// Messages from the committed positions on, in log order per partition. Ends at the end
    /// positions seen at the start when the source was opened to stop there; otherwise waits for more.
    /// </summary>
    IAsyncEnumerable<ConsumedMessage> ReadAsync(CancellationToken cancellationToken);

    /// <summary>Records that every message up to and including each of these positions is processed.</summary>
    ValueTask CommitAsync(IEnumerable<LogPosition> positions, CancellationToken cancellationToken);

    /// <summary>
    /// For a source opened to stop at the end: what it will read, known once <see cref="ReadAsync"/>
    /// has started (it fixes the end positions). Null for continuous sources.
    /// </summary>
    ReadExtent? Extent => null;

    /// <summary>
    /// How many messages each partition this reader holds has beyond what it read, as far as the reader
    /// knows now (Kafka: the high watermark of the last fetch minus the position). Empty where the log
    /// cannot say in messages (the embedded log counts bytes) or nothing was read yet.
    /// </summary>
    /// <remarks>Safe to call from another thread while <see cref="ReadAsync"/> runs: metrics read it.</remarks>
    IReadOnlyList<PartitionLag> Lag() => [];
}

/// <summary>Messages in one partition beyond a reader's position: its consumer lag.</summary>
public readonly record struct PartitionLag(string Topic, int Partition, long Messages);

/// <summary>One message read from the log.</summary>
/// <param name="Topic">The logical topic (without any configured prefix).</param>
/// <param name="Key">The message key; null where the log keeps none (the embedded files).</param>
/// <param name="Value">The UTF-8 JSON of one event.</param>
/// <param name="Position">Where the message stands, for committing.</param>
public sealed record ConsumedMessage(string Topic, string? Key, ReadOnlyMemory<byte> Value, LogPosition Position)
{
    /// <summary>
    /// The partition number the message belongs to: a Kafka partition's number, or
    /// <see cref="Embedded.EmbeddedTopicSource.PartitionNumber"/> on the embedded log, whose topics each are one partition
    /// (their segment files are pieces of it). A key lands on the same number in topics of equal partition counts,
    /// so state kept per number follows the keys.
    /// </summary>
    public int PartitionNumber { get; init; }
}

/// <summary>
/// A message's place in the log: a partition of a topic (a Kafka partition number, or an embedded
/// segment file's name), the message's own offset and the offset right after it, which is what a
/// commit stores (Kafka offsets count messages, embedded offsets count bytes).
/// </summary>
public readonly record struct LogPosition(string Topic, string Partition, long Offset, long Next);
