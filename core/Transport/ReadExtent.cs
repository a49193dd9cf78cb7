namespace Lambda.Core.Transport;

/// <summary>
/// What a reader that stops at the end of the log has to read: per partition, the position it
/// starts at and the end it stops at (message offsets for Kafka, byte offsets for embedded segment
/// files). Fed with the positions read, it tells how much of that is done, for a progress bar.
/// </summary>
public sealed class ReadExtent
{
    private readonly Dictionary<(string Topic, string Partition), (long Start, long End)> _partitions;
    private readonly Dictionary<(string Topic, string Partition), long> _reached = [];
    private readonly Func<string, int> _partitionNumber;

    /// <param name="unit">What the offsets count: <c>messages</c> or <c>bytes</c>.</param>
    /// <param name="partitionNumber">The partition number (<see cref="ConsumedMessage.PartitionNumber"/>) of a position's partition.</param>
    public ReadExtent(IEnumerable<KeyValuePair<(string Topic, string Partition), (long Start, long End)>> partitions, string unit, Func<string, int> partitionNumber)
    {
        _partitions = new(partitions);
        _partitionNumber = partitionNumber;
        Unit = unit;
        Total = _partitions.Values.Sum(p => Math.Max(0, p.End - p.Start));
    }

    public string Unit { get; }

    /// <summary>The topics' partitions, by number, with something to read (start before end).</summary>
    public IEnumerable<(string Topic, int PartitionNumber)> PartitionsToRead =>
        _partitions.Where(static p => p.Value.End > p.Value.Start).Select(p => (p.Key.Topic, _partitionNumber(p.Key.Partition))).Distinct().Order();

    /// <summary>The amount to read, in <see cref="Unit"/>s.</summary>
    public long Total { get; }

    /// <summary>The amount read so far, as far as the positions given to <see cref="Advance"/> tell.</summary>
    public long Done { get; private set; }

    /// <summary>Notes that the log was read up to <paramref name="position"/> (positions may be sampled).</summary>
    public void Advance(LogPosition position)
    {
        var key = (position.Topic, position.Partition);
        if (!_partitions.TryGetValue(key, out var extent))
        {
            return;
        }

        var reached = Math.Clamp(position.Next, extent.Start, extent.End) - extent.Start;
        Done += reached - _reached.GetValueOrDefault(key);
        _reached[key] = reached;
    }
}
