using System.ComponentModel.DataAnnotations;

namespace Lambda.Core.Transport.Kafka;

/// <summary>
/// The <c>Kafka</c> configuration section. Any librdkafka setting can be passed through
/// <see cref="Settings"/> (both clients), <see cref="Producer"/> or <see cref="Consumer"/>; those win
/// over our defaults. Example: <c>"Settings": { "security.protocol": "SASL_SSL" }</c>.
/// </summary>
public sealed class KafkaOptions
{
    public const string Section = "Kafka";

    /// <summary>Comma-separated <c>host:port</c> list; empty means "use the embedded log instead".</summary>
    public string? BootstrapServers { get; set; }

    /// <summary>Prepended to every topic name, so several classes can share one cluster.</summary>
    public string TopicPrefix { get; set; } = "";

    /// <summary>librdkafka settings for both producer and consumer (security, SASL, TLS, protocol fallbacks).</summary>
    public Dictionary<string, string> Settings { get; set; } = [];

    /// <summary>librdkafka producer settings, applied after <see cref="Settings"/>.</summary>
    public Dictionary<string, string> Producer { get; set; } = [];

    /// <summary>librdkafka consumer settings, applied after <see cref="Settings"/>.</summary>
    public Dictionary<string, string> Consumer { get; set; } = [];

    /// <summary>How long shutdown waits for undelivered messages before reporting them.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "01:00:00")]
    public TimeSpan FlushTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>How long a reader retries a cluster that does not answer before it gives up (exit 1).</summary>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00")]
    public TimeSpan ReachTimeout { get; set; } = TimeSpan.FromSeconds(15);

    public bool IsConfigured => !string.IsNullOrWhiteSpace(BootstrapServers);

    public string PhysicalTopic(string topic) => TopicPrefix + topic;

    public string LogicalTopic(string physicalTopic) =>
        physicalTopic.StartsWith(TopicPrefix, StringComparison.Ordinal) ? physicalTopic[TopicPrefix.Length..] : physicalTopic;
}
