using System.Runtime.InteropServices;
using System.Text;
using Confluent.Kafka;
using Lambda.Testing.Native;

namespace Lambda.Testing;

/// <summary>
/// librdkafka's built-in mock Kafka cluster, started through its C API: real Kafka protocol on
/// loopback sockets, with brokers that can be taken down and brought back and errors that can be
/// injected. It lives in the very librdkafka file that Confluent.Kafka loaded (<see cref="LoadedLibrdkafka"/>),
/// so the cluster and the clients under test share one library and one set of globals.
/// </summary>
public sealed partial class MockCluster : IDisposable
{
    private const string Library = LoadedLibrdkafka.ImportName;
    private const int ProducerType = 0;

    private readonly IntPtr _handle;
    private readonly IntPtr _cluster;

    static MockCluster() => LoadedLibrdkafka.BindImportsOf(typeof(MockCluster).Assembly);

    public MockCluster(int brokers = 3)
    {
        var errors = new byte[512];
        var conf = rd_kafka_conf_new();
        // The handle only owns the cluster; quiet its own logging.
        Set(conf, "log_level", "3", errors);
        _handle = rd_kafka_new(ProducerType, conf, errors, (nuint)errors.Length);
        if (_handle == IntPtr.Zero)
        {
            throw new InvalidOperationException("rd_kafka_new failed: " + Text(errors));
        }

        _cluster = rd_kafka_mock_cluster_new(_handle, brokers);
        if (_cluster == IntPtr.Zero)
        {
            rd_kafka_destroy(_handle);
            throw new InvalidOperationException("rd_kafka_mock_cluster_new failed");
        }

        // Consumers join at once instead of after the mock's default three-second rebalance delay.
        rd_kafka_mock_group_initial_rebalance_delay_ms(_cluster, 0);
        BootstrapServers = Marshal.PtrToStringUTF8(rd_kafka_mock_cluster_bootstraps(_cluster))!;
        Brokers = brokers;
    }

    public string BootstrapServers { get; }

    public int Brokers { get; }

    public void CreateTopic(string topic, int partitions, int replicationFactor = 1) =>
        Check(rd_kafka_mock_topic_create(_cluster, topic, partitions, replicationFactor), $"create topic {topic}");

    /// <summary>Closes the broker's connections and refuses new ones until <see cref="BrokerUp"/>.</summary>
    /// <remarks>-1 means every broker.</remarks>
    public void BrokerDown(int brokerId) => Check(rd_kafka_mock_broker_set_down(_cluster, brokerId), $"take broker {brokerId} down");

    public void BrokerUp(int brokerId) => Check(rd_kafka_mock_broker_set_up(_cluster, brokerId), $"bring broker {brokerId} up");

    public void SetPartitionLeader(string topic, int partition, int brokerId) =>
        Check(rd_kafka_mock_partition_set_leader(_cluster, topic, partition, brokerId), $"move {topic}/{partition} to broker {brokerId}");

    /// <summary>The next requests of a Kafka API (e.g. 0 = Produce) fail with these error codes, in order.</summary>
    public void PushRequestErrors(short apiKey, params int[] errorCodes) =>
        rd_kafka_mock_push_request_errors_array(_cluster, apiKey, (nuint)errorCodes.Length, errorCodes);

    /// <summary>How many messages the topic holds: its partitions' high watermarks added up.</summary>
    public long MessagesIn(string topic, int partitions)
    {
        using var consumer = new ConsumerBuilder<Ignore, Ignore>(new ConsumerConfig { BootstrapServers = BootstrapServers, GroupId = "mock-cluster-count" }).Build();
        return Enumerable.Range(0, partitions)
            .Sum(p => consumer.QueryWatermarkOffsets(new TopicPartition(topic, new Partition(p)), TimeSpan.FromSeconds(10)).High.Value);
    }

    public void Dispose()
    {
        rd_kafka_mock_cluster_destroy(_cluster);
        rd_kafka_destroy(_handle);
    }

    private static void Set(IntPtr conf, string name, string value, byte[] errors)
    {
        if (rd_kafka_conf_set(conf, name, value, errors, (nuint)errors.Length) != 0)
        {
            throw new InvalidOperationException($"rd_kafka_conf_set {name}: {Text(errors)}");
        }
    }

    private static void Check(int error, string what)
    {
        if (error != 0)
        {
            throw new InvalidOperationException($"mock cluster: could not {what}: {Marshal.PtrToStringUTF8(rd_kafka_err2str(error))}");
        }
    }

    private static string Text(byte[] buffer) => Encoding.UTF8.GetString(buffer, 0, Math.Max(0, Array.IndexOf(buffer, (byte)0)));

    [LibraryImport(Library)]
    private static partial IntPtr rd_kafka_conf_new();

    [LibraryImport(Library, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int rd_kafka_conf_set(IntPtr conf, string name, string value, byte[] errstr, nuint errstrSize);

    [LibraryImport(Library)]
    private static partial IntPtr rd_kafka_new(int type, IntPtr conf, byte[] errstr, nuint errstrSize);

    [LibraryImport(Library)]
    private static partial void rd_kafka_destroy(IntPtr rk);

    [LibraryImport(Library)]
    private static partial IntPtr rd_kafka_err2str(int error);

    [LibraryImport(Library)]
    private static partial IntPtr rd_kafka_mock_cluster_new(IntPtr rk, int brokerCount);

    [LibraryImport(Library)]
    private static partial void rd_kafka_mock_cluster_destroy(IntPtr cluster);

    [LibraryImport(Library)]
    private static partial IntPtr rd_kafka_mock_cluster_bootstraps(IntPtr cluster);

    [LibraryImport(Library, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int rd_kafka_mock_topic_create(IntPtr cluster, string topic, int partitions, int replicationFactor);

    [LibraryImport(Library)]
    private static partial int rd_kafka_mock_broker_set_down(IntPtr cluster, int brokerId);

    [LibraryImport(Library)]
    private static partial int rd_kafka_mock_broker_set_up(IntPtr cluster, int brokerId);

    [LibraryImport(Library, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int rd_kafka_mock_partition_set_leader(IntPtr cluster, string topic, int partition, int brokerId);

    [LibraryImport(Library)]
    private static partial void rd_kafka_mock_group_initial_rebalance_delay_ms(IntPtr cluster, int delayMs);

    [LibraryImport(Library)]
    private static partial void rd_kafka_mock_push_request_errors_array(IntPtr cluster, short apiKey, nuint count, int[] errors);
}
