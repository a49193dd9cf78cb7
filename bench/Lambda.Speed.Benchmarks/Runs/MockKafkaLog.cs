using System.Buffers;
using System.Globalization;
using System.Text.Json;
using Confluent.Kafka;
using Lambda.Core.Contracts;
using Lambda.Core.Transport.Embedded;
using Lambda.Core.Transport.Kafka;
using Lambda.Speed.Benchmarks.DataSet;
using Lambda.Testing;

namespace Lambda.Speed.Benchmarks.Runs;

/// <summary>
/// The data set in librdkafka's mock cluster: every line of the topic files produced (untimed) as one message,
/// keyed <c>{exchange}:{symbol}</c> like the producer's, with its settings (acks=all, idempotence, lz4).
/// </summary>
/// <remarks>
/// The mock cluster keeps at most 5 MB of (compressed) batches per partition and drops the oldest beyond that
/// (librdkafka's rdkafka_mock.c), far less than a symbol's events here. So each topic gets enough partitions
/// for about <see cref="RawBytesPerPartition"/> of JSON each, and the events of one (exchange, symbol, segment day)
/// go to one partition, round robin over the groups in order of appearance: every window's events stay in one
/// partition in log order, as with keyed partitioning. After loading, every partition must still start at offset 0
/// and the topic must hold every line, or the run stops.
/// </remarks>
public sealed class MockKafkaLog : IDisposable
{
    public const long RawBytesPerPartition = 6L << 20;
    private const int Brokers = 3;
    private static readonly TimeSpan FlushTimeout = TimeSpan.FromMinutes(10);

    private readonly MockCluster _cluster;

    private MockKafkaLog(MockCluster cluster, IReadOnlyDictionary<string, int> partitions)
    {
        _cluster = cluster;
        Partitions = partitions;
    }

    public IReadOnlyDictionary<string, int> Partitions { get; }

    public string BootstrapServers => _cluster.BootstrapServers;

    /// <summary>What the job is given: the bootstrap servers, and consumer settings beyond our defaults if any.</summary>
    public KafkaOptions Options(IReadOnlyList<(string Name, string Value)> consumerSettings)
    {
        var options = new KafkaOptions { BootstrapServers = _cluster.BootstrapServers };
        foreach (var (name, value) in consumerSettings)
        {
            options.Consumer[name] = value;
        }

        return options;
    }

    public static async Task<MockKafkaLog> LoadAsync(TopicFileDataSet data, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(data);
        var cluster = new MockCluster(Brokers);
        try
        {
            var topics = new Dictionary<string, (int Partitions, long Lines)>
            {
                [Topics.Klines] = (PartitionsFor(data.Manifest.KlineBytes), data.Manifest.KlineEvents),
                [Topics.Trades] = (PartitionsFor(data.Manifest.TradeBytes), data.Manifest.TradeEvents),
            };
            foreach (var (topic, (partitions, _)) in topics)
            {
                cluster.CreateTopic(topic, partitions, replicationFactor: 1);
            }

            var log = new MockKafkaLog(cluster, topics.ToDictionary(t => t.Key, t => t.Value.Partitions));
            await LongWork.RunAsync($"producing {data.Manifest.Events:N0} events into the mock cluster", data.Manifest.Events,
                report => Task.Run(() => log.Produce(data, report, cancellationToken), cancellationToken)).ConfigureAwait(false);
            log.CheckComplete(topics.ToDictionary(t => t.Key, t => t.Value.Lines));
            return log;
        }
        catch
        {
            cluster.Dispose();
            throw;
        }
    }

    public void Dispose() => _cluster.Dispose();

    private static int PartitionsFor(long bytes) => (int)Math.Max(6, (bytes + RawBytesPerPartition - 1) / RawBytesPerPartition);

    private void Produce(TopicFileDataSet data, Action<long> report, CancellationToken cancellationToken)
    {
        var config = new ProducerConfig
        {
            BootstrapServers = _cluster.BootstrapServers,
            Acks = Acks.All,
            EnableIdempotence = true,
            CompressionType = CompressionType.Lz4,
            LingerMs = 5,
        };
        long failed = 0;
        string? firstError = null;
        using var producer = new ProducerBuilder<byte[], byte[]>(config).Build();
        var produced = 0L;
        var layout = new TopicLayout(data.Directory);
        foreach (var topic in Partitions.Keys)
        {
            var groups = new Dictionary<(string Exchange, string Symbol, string Segment), int>();
            var partitions = Partitions[topic];
            foreach (var segment in layout.Segments(topic))
            {
                foreach (var line in Lines(Path.Combine(layout.TopicDirectory(topic), segment)))
                {
                    var (exchange, symbol) = PairOf(line);
                    if (!groups.TryGetValue((exchange, symbol, segment), out var partition))
                    {
                        partition = groups[(exchange, symbol, segment)] = groups.Count % partitions;
                    }

                    var message = new Message<byte[], byte[]> { Key = EventKey.Utf8For(exchange, symbol), Value = line };
                    while (true)
                    {
                        try
                        {
                            producer.Produce(new TopicPartition(topic, new Partition(partition)), message, r =>
                            {
                                if (r.Error.IsError && Interlocked.Increment(ref failed) == 1)
                                {
                                    firstError = r.Error.Reason;
                                }
                            });
                            break;
                        }
                        catch (ProduceException<byte[], byte[]> e) when (e.Error.Code == ErrorCode.Local_QueueFull)
                        {
                            // librdkafka's queue is full: let it deliver, then hand the message over again.
                            producer.Poll(TimeSpan.FromMilliseconds(50));
                        }
                    }

                    if (++produced % 65_536 == 0)
                    {
                        cancellationToken.ThrowIfCancellationRequested();
                        report(produced);
                    }
                }
            }
        }

        var left = producer.Flush(FlushTimeout);
        if (left > 0 || Interlocked.Read(ref failed) > 0)
        {
            throw new InvalidOperationException($"loading the mock cluster: {left:N0} messages not delivered, {failed:N0} failed (first: {firstError})");
        }
    }

    /// <summary>Every partition still starts at 0 (the mock dropped nothing) and each topic holds every line.</summary>
    private void CheckComplete(Dictionary<string, long> lines)
    {
        using var consumer = new ConsumerBuilder<byte[], byte[]>(new ConsumerConfig { BootstrapServers = _cluster.BootstrapServers, GroupId = "bench-speed-check" }).Build();
        foreach (var (topic, expected) in lines)
        {
            var total = 0L;
            for (var p = 0; p < Partitions[topic]; p++)
            {
                var marks = consumer.QueryWatermarkOffsets(new TopicPartition(topic, new Partition(p)), TimeSpan.FromSeconds(30));
                if (marks.Low.Value != 0)
                {
                    throw new InvalidOperationException(string.Create(CultureInfo.InvariantCulture,
                        $"the mock cluster dropped the start of {topic}/{p} (now from offset {marks.Low.Value}): lower {nameof(RawBytesPerPartition)}"));
                }

                total += marks.High.Value;
            }

            if (total != expected)
            {
                throw new InvalidOperationException($"{topic} holds {total:N0} messages, the topic files {expected:N0} lines");
            }
        }
    }

    /// <summary>The exchange and symbol of a line (what its message key is made of).</summary>
    private static (string Exchange, string Symbol) PairOf(byte[] line)
    {
        var reader = new Utf8JsonReader(line);
        string? exchange = null, symbol = null;
        while ((exchange is null || symbol is null) && reader.Read())
        {
            if (reader.TokenType == JsonTokenType.PropertyName && reader.CurrentDepth == 1)
            {
                var name = reader.ValueTextEquals("exchange"u8) ? 1 : reader.ValueTextEquals("symbol"u8) ? 2 : 0;
                reader.Read();
                if (name == 1)
                {
                    exchange = reader.GetString();
                }
                else if (name == 2)
                {
                    symbol = reader.GetString();
                }
            }
        }

        return (exchange ?? throw new InvalidDataException("a line without exchange"), symbol ?? throw new InvalidDataException("a line without symbol"));
    }

    private static IEnumerable<byte[]> Lines(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, bufferSize: 1, FileOptions.SequentialScan);
        var buffer = ArrayPool<byte>.Shared.Rent(1 << 20);
        try
        {
            var filled = 0;
            while (true)
            {
                var read = stream.Read(buffer, filled, buffer.Length - filled);
                filled += read;
                var start = 0;
                int newline;
                while ((newline = Array.IndexOf(buffer, (byte)'\n', start, filled - start)) >= 0)
                {
                    if (newline > start)
                    {
                        yield return buffer.AsSpan(start, newline - start).ToArray();
                    }

                    start = newline + 1;
                }

                if (read == 0)
                {
                    yield break;
                }

                Buffer.BlockCopy(buffer, start, buffer, 0, filled - start);
                filled -= start;
                if (filled == buffer.Length)
                {
                    throw new InvalidDataException($"{path}: a line longer than {buffer.Length:N0} bytes");
                }
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
