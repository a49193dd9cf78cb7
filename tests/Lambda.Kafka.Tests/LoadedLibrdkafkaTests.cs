using System.Runtime.InteropServices;
using Confluent.Kafka;
using Lambda.Testing;
using Lambda.Testing.Native;
using Xunit.Abstractions;

namespace Lambda.Kafka.Tests;

/// <summary>The test code's own librdkafka calls go to the very file Confluent.Kafka loaded.</summary>
public sealed class LoadedLibrdkafkaTests(ITestOutputHelper output)
{
    [Fact]
    public void The_bound_library_is_the_package_file_Confluent_Kafka_loaded()
    {
        using var cluster = new MockCluster(brokers: 1);

        var path = LoadedLibrdkafka.Path;
        output.WriteLine($"librdkafka {Library.VersionString} from {path}");

        File.Exists(path).Should().BeTrue();
        Path.GetFileName(path).Should().MatchRegex(@"librdkafka\.(so(\.\d+)?|dylib|dll)$");
        path.Should().Contain(Path.Combine("runtimes", RuntimeInformation.RuntimeIdentifier.Split('-')[0]), "it comes from librdkafka.redist's runtimes folder");
        Library.IsLoaded.Should().BeTrue();
    }

    [Fact]
    public void Our_calls_and_Confluent_Kafkas_see_the_same_library_version()
    {
        using var cluster = new MockCluster(brokers: 1);
        var handle = NativeLibrary.Load(LoadedLibrdkafka.Path);
        var versionString = Marshal.GetDelegateForFunctionPointer<VersionStr>(NativeLibrary.GetExport(handle, "rd_kafka_version_str"));

        Marshal.PtrToStringUTF8(versionString()).Should().Be(Library.VersionString).And.Be("2.16.0");
    }

    [Fact]
    public async Task A_Confluent_producer_reaches_the_mock_cluster_started_through_our_calls()
    {
        using var cluster = new MockCluster(brokers: 1);
        cluster.CreateTopic("loaded-library", partitions: 1);
        using var producer = new ProducerBuilder<Null, string>(new ProducerConfig { BootstrapServers = cluster.BootstrapServers }).Build();

        var report = await producer.ProduceAsync("loaded-library", new Message<Null, string> { Value = "one" });

        report.Status.Should().Be(PersistenceStatus.Persisted);
        report.Offset.Value.Should().Be(0);
    }

    [UnmanagedFunctionPointer(CallingConvention.Cdecl)]
    private delegate IntPtr VersionStr();
}
