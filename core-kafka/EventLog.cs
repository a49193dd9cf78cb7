using Lambda.Core.Transport.Embedded;
using Lambda.Core.Transport.Kafka;
using Microsoft.Extensions.Logging;

namespace Lambda.Core.Transport;

/// <summary>
/// Chooses the event log's transport: Kafka whenever a bootstrap server is configured, otherwise
/// the embedded topic files under the data directory.
/// </summary>
public static class EventLog
{
    public static IEventSink CreateSink(KafkaOptions kafka, string dataDirectory, ILoggerFactory loggers, TimeProvider clock) =>
        kafka.IsConfigured
            ? new KafkaEventSink(kafka, loggers.CreateLogger<KafkaEventSink>())
            : new EmbeddedTopicSink(new TopicLayout(dataDirectory), clock, loggers.CreateLogger<EmbeddedTopicSink>());

    /// <param name="consumer">The Kafka consumer group, or the embedded reader's checkpoint name.</param>
    /// <param name="fromBeginning">
    /// Read from the start of the log whatever the consumer committed before (a reader that re-reads
    /// everything on each run, like <c>speed-layer batch</c>, must not inherit another reader's positions).
    /// </param>
    public static IEventSource CreateSource(KafkaOptions kafka, string dataDirectory, string consumer, IReadOnlyList<string> topics, bool stopAtEnd, ILoggerFactory loggers, bool fromBeginning = false) =>
        kafka.IsConfigured
            ? new KafkaEventSource(kafka, new KafkaSourceOptions(consumer, topics, stopAtEnd) { FromBeginning = fromBeginning }, loggers.CreateLogger<KafkaEventSource>())
            : new EmbeddedTopicSource(new TopicLayout(dataDirectory), new EmbeddedSourceOptions(consumer, topics, stopAtEnd) { StartPositions = fromBeginning ? [] : null });

    /// <summary>
    /// A continuous source for a member of a consumer group that keeps its state per partition number: on Kafka the
    /// group assigns partitions (range assignment, topics of equal partition counts); the embedded log is one partition
    /// per topic, held by this reader. <paramref name="assignment"/> is told either way and says where to start.
    /// </summary>
    public static IEventSource CreateGroupSource(KafkaOptions kafka, string dataDirectory, string group, IReadOnlyList<string> topics, IPartitionAssignmentListener assignment, ILoggerFactory loggers) =>
        kafka.IsConfigured
            ? new KafkaEventSource(kafka, new KafkaSourceOptions(group, topics) { Assignment = assignment, CoPartitioned = true }, loggers.CreateLogger<KafkaEventSource>())
            : new EmbeddedTopicSource(new TopicLayout(dataDirectory), new EmbeddedSourceOptions(group, topics) { Assignment = assignment });

    public static string Describe(KafkaOptions kafka, string dataDirectory) =>
        kafka.IsConfigured ? $"Kafka at {kafka.BootstrapServers}" : $"embedded log in {Path.Combine(Path.GetFullPath(dataDirectory), "topics")}";
}
