using Lambda.Core.Views;
using Lambda.Merge;

namespace Lambda.Merge.Tests;

/// <summary>The serving layer reads views, never the event log: it must not carry the Kafka client.</summary>
public sealed class DependencyTests
{
    [Fact]
    public void Merge_and_core_reference_neither_Confluent_Kafka_nor_the_Kafka_transport()
    {
        foreach (var assembly in new[] { typeof(MergeCommand).Assembly, typeof(DailyCandle).Assembly })
        {
            assembly.GetReferencedAssemblies().Select(a => a.Name).Should().NotContain(["Confluent.Kafka", "Lambda.Core.Kafka"], assembly.GetName().Name);
        }
    }
}
