using System.Globalization;

namespace Lambda.Core.Transport.Kafka;

/// <summary>
/// The logical topic and partition text of each topic-partition read, made once: a reader handles millions of
/// messages from a few dozen partitions, and the same string instances let the layers above compare by reference.
/// </summary>
internal sealed class PartitionNames(KafkaOptions options)
{
    private readonly Dictionary<(string PhysicalTopic, int Partition), (string Topic, string Partition)> _names = [];

    public (string Topic, string Partition) Of(string physicalTopic, int partition)
    {
        if (!_names.TryGetValue((physicalTopic, partition), out var names))
        {
            names = (options.LogicalTopic(physicalTopic), partition.ToString(CultureInfo.InvariantCulture));
            _names.Add((physicalTopic, partition), names);
        }

        return names;
    }
}
