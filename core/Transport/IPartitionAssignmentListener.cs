namespace Lambda.Core.Transport;

/// <summary>One partition of one topic: a Kafka partition number, or an embedded segment's name.</summary>
public readonly record struct LogPartition(string Topic, string Partition);

/// <summary>
/// Told by a source whose partitions a consumer group moves between its members (Kafka) when this
/// member gets partitions and when it gives them up, so that a reader keeping state per partition
/// can load it before reading and save it before another member takes over.
/// </summary>
/// <remarks>
/// Both calls happen on the consuming thread, inside the rebalance: the group waits for them, and
/// the partitions move on as soon as they return. They must therefore finish their work (write
/// their checkpoint) before returning.
/// </remarks>
public interface IPartitionAssignmentListener
{
    /// <summary>Partitions this member reads from now on.</summary>
    /// <returns>Where to start each of them: its <see cref="LogPosition.Next"/>. Partitions without a position start at the beginning of the log.</returns>
    IReadOnlyList<LogPosition> OnAssigned(IReadOnlyList<LogPartition> partitions);

    /// <summary>Partitions this member no longer reads.</summary>
    /// <param name="lost">True when the group already gave them to another member (session timed out): nothing may be written for them any more.</param>
    void OnRevoked(IReadOnlyList<LogPartition> partitions, bool lost);
}
