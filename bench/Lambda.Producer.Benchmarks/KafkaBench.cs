using System.Diagnostics;
using System.Text;
using Confluent.Kafka;
using Lambda.Core.Contracts;
using Lambda.Core.Transport.Kafka;
using Lambda.Core.Validation;
using Lambda.Producer.Normalization;
using Lambda.Producer.Pipeline;
using Lambda.Testing;
using Microsoft.Extensions.Logging.Abstractions;

namespace Lambda.Producer.Benchmarks;

/// <summary>
/// The Kafka path against librdkafka's mock cluster (3 brokers, in this process): our pipeline and
/// <see cref="KafkaEventSink"/>; the same already-serialized messages through a bare Confluent.Kafka producer;
/// and through <c>kcat -P</c>, a child process, as the reference. All three use the sink's producer settings.
/// </summary>
public sealed class KafkaBench : IDisposable
{
    public const int Brokers = 3;
    public const int Partitions = 6;
    public const int ReplicationFactor = 3;

    /// <summary>KafkaEventSink's defaults (KafkaClientSettings), given to the bare producer and to kcat alike.</summary>
    public static readonly IReadOnlyList<(string Name, string Value)> SinkDefaults =
    [
        ("acks", "all"),
        ("enable.idempotence", "true"),
        ("compression.type", "lz4"),
        ("linger.ms", "5"),
    ];

    private static readonly string[] LogicalTopics = [Topics.Prices, Topics.Klines, Topics.Trades];
    private static readonly TimeSpan FlushTimeout = TimeSpan.FromMinutes(2);

    private readonly ReadOnlyMemory<byte>[] _frames;
    private readonly string _kcat;
    private readonly string _workDirectory;
    private readonly List<SerializedMessage> _messages;
    private readonly List<(string Topic, string File, int Count)> _kcatInputs = [];

    private readonly IReadOnlyList<(string Name, string Value)> _extraSettings;

    private KafkaBench(ReadOnlyMemory<byte>[] frames, string kcat, IReadOnlyList<(string Name, string Value)> extraSettings, List<SerializedMessage> messages)
    {
        _frames = frames;
        _kcat = kcat;
        _extraSettings = extraSettings;
        _messages = messages;
        Settings = [.. SinkDefaults.Where(d => !extraSettings.Any(e => e.Name == d.Name)), .. extraSettings];
        _workDirectory = Directory.CreateTempSubdirectory("lambda-bench-").FullName;
        foreach (var topic in LogicalTopics)
        {
            var file = Path.Combine(_workDirectory, topic + ".tsv");
            var count = 0;
            using (var output = new BufferedStream(File.Create(file), 1 << 20))
            {
                foreach (var message in messages.Where(m => m.Topic == topic))
                {
                    output.Write(Encoding.UTF8.GetBytes(message.Key));
                    output.WriteByte((byte)'\t');
                    output.Write(message.Value);
                    output.WriteByte((byte)'\n');
                    count++;
                }
            }

            if (count > 0)
            {
                _kcatInputs.Add((topic, file, count));
            }
        }
    }

    /// <summary>The producer settings of all three paths: the sink's defaults, overridden or extended by <c>-X</c>.</summary>
    public IReadOnlyList<(string Name, string Value)> Settings { get; }

    public int Events => _messages.Count;

    public long MessageBytes => _messages.Sum(m => (long)m.Value.Length);

    public string TopicSummary => string.Join(", ", _kcatInputs.Select(k => $"{k.Topic} {k.Count:N0}"));

    /// <summary>Runs the frames through the pipeline once to get the messages every path sends, and kcat's input files.</summary>
    public static async Task<KafkaBench> PrepareAsync(ReadOnlyMemory<byte>[] frames, string kcat, IReadOnlyList<(string Name, string Value)> extraSettings)
    {
        var collector = new CollectingSink();
        var pipeline = new IngestPipeline(new EventValidator(), [collector], new IngestStatistics(), TimeProvider.System);
        var normalizer = new BinanceStreamNormalizer(TimeProvider.System);
        foreach (var frame in frames)
        {
            await pipeline.AcceptFrameAsync(frame, normalizer, Exchanges.Binance, EventSources.Replay, CancellationToken.None).ConfigureAwait(false);
        }

        if (pipeline.Statistics.DeadLetters != 0)
        {
            throw new InvalidOperationException($"{pipeline.Statistics.DeadLetters} dead letters in the Kafka input");
        }

        return new KafkaBench(frames, kcat, extraSettings, collector.Messages);
    }

    /// <summary>A fresh cluster with every topic of every path: 6 partitions, replication factor 3.</summary>
    public static MockCluster NewCluster()
    {
        var cluster = new MockCluster(Brokers);
        foreach (var prefix in new[] { "ours-", "bare-", "kcat-" })
        {
            foreach (var topic in LogicalTopics)
            {
                cluster.CreateTopic(prefix + topic, Partitions, ReplicationFactor);
            }
        }

        return cluster;
    }

    /// <summary>Frames → IngestPipeline → KafkaEventSink, from the sink's creation to the end of its flush.</summary>
    public async Task<(Run Run, long Waits, TimeSpan WaitTime)> OursAsync(MockCluster cluster, int? limit = null)
    {
        var frames = limit is { } n ? _frames[..Math.Min(n, _frames.Length)] : _frames;
        var options = new KafkaOptions { BootstrapServers = cluster.BootstrapServers, TopicPrefix = "ours-", FlushTimeout = FlushTimeout };
        foreach (var (name, value) in _extraSettings)
        {
            options.Producer[name] = value;
        }


        var meter = Meter.Start(wholeProcess: true);
        var sink = new KafkaEventSink(options, NullLogger<KafkaEventSink>.Instance);
        var probe = new BackPressureProbe(sink);
        var pipeline = new IngestPipeline(new EventValidator(), [probe], new IngestStatistics(), TimeProvider.System);
        var normalizer = new BinanceStreamNormalizer(TimeProvider.System);
        foreach (var frame in frames)
        {
            await pipeline.AcceptFrameAsync(frame, normalizer, Exchanges.Binance, EventSources.Replay, CancellationToken.None).ConfigureAwait(false);
        }

        var produced = meter.Elapsed;
        var flush = await sink.FlushAsync(FlushTimeout, CancellationToken.None).ConfigureAwait(false);
        var run = meter.Stop();
        run = run with { Flush = run.Elapsed - produced };
        await sink.DisposeAsync().ConfigureAwait(false);

        var expected = pipeline.Statistics.Events;
        if (!flush.Complete || sink.Statistics.Acked != expected || sink.Statistics.Failed != 0)
        {
            throw new InvalidOperationException($"KafkaEventSink: {sink.Statistics} after the flush, {expected} expected");
        }

        Verify(cluster, "ours-", expected);
        return (run, probe.Waits, probe.WaitTime);
    }

    /// <summary>The already-serialized messages through a bare Confluent.Kafka producer: the .NET client's own cost.</summary>
    public (Run Run, long QueueFull) Bare(MockCluster cluster, int? limit = null)
    {
        var messages = limit is { } n ? _messages[..Math.Min(n, _messages.Count)] : _messages;
        var config = new ProducerConfig { BootstrapServers = cluster.BootstrapServers };
        foreach (var (name, value) in Settings)
        {
            config.Set(name, value);
        }

        config.Set("dotnet.producer.delivery.report.fields", "none");
        var topics = LogicalTopics.ToDictionary(t => t, t => "bare-" + t, StringComparer.Ordinal);
        long acked = 0, failed = 0, queueFull = 0;
        void OnDelivery(DeliveryReport<string, byte[]> report)
        {
            if (report.Error.IsError)
            {
                Interlocked.Increment(ref failed);
            }
            else
            {
                Interlocked.Increment(ref acked);
            }
        }

        var meter = Meter.Start(wholeProcess: true);
        Run run;
        using (var producer = new ProducerBuilder<string, byte[]>(config).Build())
        {
            Action<DeliveryReport<string, byte[]>> handler = OnDelivery;
            foreach (var message in messages)
            {
                var kafkaMessage = new Message<string, byte[]> { Key = message.Key, Value = message.Value };
                while (true)
                {
                    try
                    {
                        producer.Produce(topics[message.Topic], kafkaMessage, handler);
                        break;
                    }
                    catch (ProduceException<string, byte[]> e) when (e.Error.Code == ErrorCode.Local_QueueFull)
                    {
                        queueFull++;
                        Thread.Sleep(1);
                    }
                }
            }

            var produced = meter.Elapsed;
            var undelivered = producer.Flush(FlushTimeout);
            run = meter.Stop();
            run = run with { Flush = run.Elapsed - produced };
            if (undelivered != 0 || Interlocked.Read(ref acked) != messages.Count || Interlocked.Read(ref failed) != 0)
            {
                throw new InvalidOperationException($"bare producer: {undelivered} undelivered, {acked} acked, {failed} failed of {messages.Count}");
            }
        }

        Verify(cluster, "bare-", messages.Count);
        return (run, queueFull);
    }

    /// <summary><c>kcat -P</c> once per topic, one after the other; the time from each start to each exit, summed.</summary>
    public async Task<Run> KcatAsync(MockCluster cluster)
    {
        var elapsed = TimeSpan.Zero;
        foreach (var (topic, file, _) in _kcatInputs)
        {
            elapsed += await RunKcatAsync(cluster.BootstrapServers, "kcat-" + topic, file).ConfigureAwait(false);
        }

        Verify(cluster, "kcat-", _messages.Count);
        return new Run(elapsed, 0);
    }

    /// <summary>What one kcat process costs with nothing to send: start, connect, exit.</summary>
    public async Task<TimeSpan> KcatEmptyAsync(MockCluster cluster)
    {
        var empty = Path.Combine(_workDirectory, "empty.tsv");
        await File.WriteAllBytesAsync(empty, []).ConfigureAwait(false);
        return await RunKcatAsync(cluster.BootstrapServers, "kcat-" + Topics.Trades, empty).ConfigureAwait(false);
    }

    /// <summary>The kcat command line, for the report.</summary>
    public string KcatCommand(string bootstrap, string topic, string file) =>
        string.Join(' ', KcatArguments(bootstrap, topic, file).Select(a => a.Contains(' ', StringComparison.Ordinal) || a.Contains('\\', StringComparison.Ordinal) ? $"'{a}'" : a));

    public static async Task<string> KcatVersionAsync(string kcat)
    {
        try
        {
            using var process = Process.Start(new ProcessStartInfo(kcat, "-V") { RedirectStandardOutput = true, RedirectStandardError = true })!;
            var output = await process.StandardOutput.ReadToEndAsync().ConfigureAwait(false);
            await process.WaitForExitAsync().ConfigureAwait(false);
            var version = System.Text.RegularExpressions.Regex.Match(output, @"Version (\S+).*?(librdkafka \S+)");
            return version.Success ? $"kcat {version.Groups[1].Value} ({version.Groups[2].Value})" : "kcat, unknown version";
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return "";
        }
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(_workDirectory, recursive: true);
        }
        catch (IOException)
        {
            // A temporary directory left behind is no reason to fail the benchmark.
        }
    }

    private IEnumerable<string> KcatArguments(string bootstrap, string topic, string file)
    {
        string[] fixedArguments = ["-P", "-b", bootstrap, "-t", topic, "-K", "\\t"];
        foreach (var argument in fixedArguments)
        {
            yield return argument;
        }

        foreach (var (name, value) in Settings.Where(s => s.Name == "compression.type"))
        {
            yield return "-z";
            yield return value;
        }

        foreach (var (name, value) in Settings.Where(s => s.Name != "compression.type"))
        {
            yield return "-X";
            yield return $"{name}={value}";
        }

        yield return "-l";
        yield return file;
    }

    private async Task<TimeSpan> RunKcatAsync(string bootstrap, string topic, string file)
    {
        var start = new ProcessStartInfo(_kcat) { RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in KcatArguments(bootstrap, topic, file))
        {
            start.ArgumentList.Add(argument);
        }

        var started = Stopwatch.GetTimestamp();
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {_kcat}");
        var errors = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().ConfigureAwait(false);
        var elapsed = Stopwatch.GetElapsedTime(started);
        var stderr = await errors.ConfigureAwait(false);
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"kcat exited with {process.ExitCode}: {stderr}");
        }

        return elapsed;
    }

    /// <summary>The broker holds exactly the messages sent: the partitions' high watermarks add up to the count.</summary>
    private static void Verify(MockCluster cluster, string prefix, long expected)
    {
        var config = new ConsumerConfig { BootstrapServers = cluster.BootstrapServers, GroupId = "bench-verify" };
        using var consumer = new ConsumerBuilder<Ignore, Ignore>(config).Build();
        long total = 0;
        foreach (var topic in LogicalTopics)
        {
            for (var partition = 0; partition < Partitions; partition++)
            {
                total += consumer.QueryWatermarkOffsets(new TopicPartition(prefix + topic, partition), TimeSpan.FromSeconds(30)).High.Value;
            }
        }

        if (total != expected)
        {
            throw new InvalidOperationException($"the mock cluster holds {total} messages on {prefix}*, {expected} were sent");
        }
    }
}
