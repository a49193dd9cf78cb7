using System.Globalization;

namespace Lambda.Core.Transport.Kafka;

/// <summary>One topic-partition being read: its logical topic and partition text, made once.</summary>
internal sealed class PartitionName(string topic, string partition)
{
    public string Topic { get; } = topic;

    public string Partition { get; } = partition;
}

/// <summary>
/// The logical topic and partition text of each topic-partition read, made once: a reader handles millions of
/// messages from a few dozen partitions, and the same instances let the layers above compare by reference and
/// let the reader key its own per-partition state by reference, without hashing the topic name again.
/// </summary>
internal sealed class PartitionNames(KafkaOptions options)
{
    private readonly Dictionary<(string PhysicalTopic, int Partition), PartitionName> _names = [];

    public PartitionName Of(string physicalTopic, int partition)
    {
        if (!_names.TryGetValue((physicalTopic, partition), out var name))
        {
            name = new PartitionName(options.LogicalTopic(physicalTopic), partition.ToString(CultureInfo.InvariantCulture));
            _names.Add((physicalTopic, partition), name);
        }

        return name;
    }
}
