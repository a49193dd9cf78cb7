using System.Globalization;
using System.Runtime.CompilerServices;
using Confluent.Kafka;
using Lambda.Core.CommandLine;
using Lambda.Core.Contracts;
using Microsoft.Extensions.Logging;

namespace Lambda.Core.Transport.Kafka;

/// <summary>How a <see cref="KafkaEventSource"/> reads.</summary>
/// <param name="GroupId">The consumer group, whose committed offsets say where reading resumes.</param>
/// <param name="Topics">Logical topic names to read.</param>
/// <param name="StopAtEnd">Read up to the end offsets seen at the start, then end (batch mode).</param>
public sealed record KafkaSourceOptions(string GroupId, IReadOnlyList<string> Topics, bool StopAtEnd = false)
{
    /// <summary>
    /// Where to start instead of the group's committed offsets (a caller that keeps its own
    /// checkpoint): each assigned partition named here starts at its <see cref="LogPosition.Next"/>;
    /// other partitions start at the committed offset.
    /// </summary>
    public IReadOnlyList<LogPosition>? StartPositions { get; init; }

    /// <summary>Reading to the end starts at each partition's beginning, not at the group's committed offsets.</summary>
    public bool FromBeginning { get; init; }

    /// <summary>
    /// Told when the group assigns or revokes partitions (continuous reading only). Its start
    /// positions replace <see cref="StartPositions"/>, and a partition it gives no position starts
    /// at the beginning of the log, not at the group's committed offset: the listener's own
    /// checkpoint is the source of truth.
    /// </summary>
    public IPartitionAssignmentListener? Assignment { get; init; }

    /// <summary>
    /// The caller keeps state per partition number across the topics (a key lands on the same
    /// partition number in every topic only when the topics have the same partition count). Then the
    /// topics must have equal partition counts (checked before subscribing) and every member must get
    /// the same partition numbers of every topic (range assignment by default; checked at each assignment).
    /// </summary>
    public bool CoPartitioned { get; init; }
}

/// <summary>
/// Reads the log from Kafka with manual commits. Continuous reading subscribes with the consumer
/// group; reading to the end assigns every partition directly, starting from the group's
/// committed offsets, and stops at the high watermarks seen at the start.
/// </summary>
public sealed partial class KafkaEventSource : IEventSource
{
    private static readonly TimeSpan PollTimeout = TimeSpan.FromMilliseconds(200);
    private static readonly TimeSpan MetadataTimeout = TimeSpan.FromSeconds(30);

    private readonly KafkaOptions _options;
    private readonly KafkaSourceOptions _source;
    private readonly ILogger _logger;
    private readonly IConsumer<string?, byte[]> _consumer;
    private readonly KafkaErrorLog _errors = new();
    private readonly PartitionNames _names;

    public KafkaEventSource(KafkaOptions options, KafkaSourceOptions source, ILogger<KafkaEventSource> logger)
    {
        _options = options;
        _source = source;
        _logger = logger;
        _names = new PartitionNames(options);
        KafkaNativeLibrary.EnsureLoaded();
        var settings = KafkaClientSettings.ForConsumer(options, source.GroupId);
        if (source.CoPartitioned)
        {
            // The range assignor gives each member the same partition numbers of every topic when the
            // counts are equal; a user's own choice still wins and is checked at each assignment.
            settings.TryAdd("partition.assignment.strategy", "range");
        }

        _consumer = new ConsumerBuilder<string?, byte[]>(settings)
            .SetKeyDeserializer(SharedKeyDeserializer.Instance)
            .SetErrorHandler((_, error) =>
            {
                if (_errors.IsNew(error.Code.ToString(), error.Reason))
                {
                    LogClientError(error.Code, error.Reason);
                }
            })
            .SetLogHandler((_, message) => LogLibrdkafka(message.Facility, message.Message))
            .SetPartitionsAssignedHandler((_, partitions) =>
            {
                LogAssigned(string.Join(", ", partitions));
                if (_source.CoPartitioned)
                {
                    CheckCoPartitioned(partitions);
                }

                var start = _source.Assignment?.OnAssigned([.. partitions.Select(Logical)]);
                return partitions.Select(p => new TopicPartitionOffset(p, StartOf(p, start)));
            })
            .SetPartitionsRevokedHandler((_, partitions) =>
            {
                LogRevoked(string.Join(", ", partitions));
                _source.Assignment?.OnRevoked([.. partitions.Select(p => Logical(p.TopicPartition))], lost: false);
            })
            .SetPartitionsLostHandler((_, partitions) =>
            {
                LogLost(string.Join(", ", partitions));
                _source.Assignment?.OnRevoked([.. partitions.Select(p => Logical(p.TopicPartition))], lost: true);
            })
            .Build();
        try
        {
            WaitUntilReachable();
        }
        catch
        {
            _consumer.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Asks the cluster for its metadata until it answers, for at most <see cref="KafkaOptions.ReachTimeout"/>.
    /// Without it an unreachable broker shows as a silent wait and then as an empty log; here the
    /// operator hears once, at the first failure, what is retried and for how long, then a refusal.
    /// </summary>
    /// <exception cref="RunRefusedException">The cluster did not answer in time.</exception>
    private void WaitUntilReachable()
    {
        using var admin = new DependentAdminClientBuilder(_consumer.Handle).Build();
        var deadline = DateTimeOffset.UtcNow + _options.ReachTimeout;
        string? reason = null;
        while (true)
        {
            try
            {
                admin.GetMetadata(TimeSpan.FromSeconds(2));
                if (reason is not null)
                {
                    LogReached(_options.BootstrapServers!);
                }

                return;
            }
            catch (KafkaException e)
            {
                if (reason is null)
                {
                    LogUnreachable(_options.BootstrapServers!, e.Error.Reason, _options.ReachTimeout.TotalSeconds);
                }

                reason = e.Error.Reason;
            }

            if (DateTimeOffset.UtcNow >= deadline)
            {
                throw new RunRefusedException(
                    $"Kafka at {_options.BootstrapServers} could not be reached within {_options.ReachTimeout.TotalSeconds:0.#} s ({reason}); nothing was read. "
                    + "Check --kafka (or KAFKA_BOOTSTRAP_SERVERS) and that the broker is up; Kafka:ReachTimeout sets how long to retry.");
            }
        }
    }

    public async IAsyncEnumerable<ConsumedMessage> ReadAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        // librdkafka's calls block; leave the caller's thread at once.
        await Task.Yield();
        var remaining = Start();

        while (remaining is null || remaining.Count > 0)
        {
            cancellationToken.ThrowIfCancellationRequested();
            // A message already fetched is taken at once; waiting for one happens off the caller's
            // thread, so a caller that awaits the next message alongside a timer is never blocked.
            var result = ConsumeOne(TimeSpan.Zero)
                ?? await Task.Run(() => ConsumeOne(PollTimeout), CancellationToken.None).ConfigureAwait(false);
            if (result is null || result.IsPartitionEOF)
            {
                continue;
            }

            var offset = result.Offset.Value;
            var name = _names.Of(result.Topic, result.Partition.Value);
            if (remaining is not null)
            {
                if (!remaining.TryGetValue(name, out var end) || offset >= end)
                {
                    continue;
                }

                if (offset + 1 >= end)
                {
                    remaining.Remove(name);
                    // Done with it: stop fetching a partition that has nothing more for us, or the client keeps
                    // asking the broker for it (an empty fetch a round trip) until every other partition is done.
                    Pause(result.TopicPartition);
                }
            }

            yield return new ConsumedMessage(name.Topic, result.Message.Key, result.Message.Value, new LogPosition(name.Topic, name.Partition, offset, offset + 1))
            {
                PartitionNumber = result.Partition.Value,
            };
        }
    }

    public ReadExtent? Extent { get; private set; }

    public IReadOnlyList<PartitionLag> Lag()
    {
        try
        {
            var lag = new List<PartitionLag>();
            foreach (var partition in _consumer.Assignment)
            {
                // Both are librdkafka's cached figures (no request): the position after the last message handed out,
                // and the partition's end as the last fetch response gave it.
                var position = _consumer.Position(partition);
                var end = _consumer.GetWatermarkOffsets(partition).High;
                if (position != Offset.Unset && end != Offset.Unset)
                {
                    lag.Add(new(Logical(partition).Topic, partition.Partition.Value, Math.Max(0, end.Value - position.Value)));
                }
            }

            return lag;
        }
        catch (Exception e) when (e is KafkaException or ObjectDisposedException)
        {
            // Closing, or the client is gone: no figure rather than a failed metrics collection.
            return [];
        }
    }

    public ValueTask CommitAsync(IEnumerable<LogPosition> positions, CancellationToken cancellationToken)
    {
        var offsets = positions
            .GroupBy(p => (p.Topic, p.Partition))
            .Select(g => new TopicPartitionOffset(
                _options.PhysicalTopic(g.Key.Topic),
                new Partition(int.Parse(g.Key.Partition, CultureInfo.InvariantCulture)),
                new Offset(g.Max(p => p.Next))))
            .ToList();
        if (offsets.Count > 0)
        {
            try
            {
                _consumer.Commit(offsets);
            }
            catch (KafkaException e)
            {
                throw Failed("committing offsets", e);
            }
        }

        return ValueTask.CompletedTask;
    }

    public ValueTask DisposeAsync()
    {
        try
        {
            _consumer.Close();
        }
        catch (KafkaException e)
        {
            // Leaving the group failed (the broker went away): the group notices by the session timeout instead.
            LogClientError(e.Error.Code, e.Error.Reason);
        }

        _consumer.Dispose();
        return ValueTask.CompletedTask;
    }

    /// <summary>Assigns (reading to the end: returns the end of each partition) or subscribes.</summary>
    private Dictionary<PartitionName, long>? Start()
    {
        try
        {
            var remaining = _source.StopAtEnd ? AssignAllUpToEnd() : null;
            if (remaining is null)
            {
                if (_source.CoPartitioned)
                {
                    CheckPartitionCounts();
                }

                _consumer.Subscribe(_source.Topics.Select(_options.PhysicalTopic));
            }

            return remaining;
        }
        catch (KafkaException e)
        {
            throw Failed("starting to read", e);
        }
    }

    // The client's calls, with its failures turned into the transport-neutral EventLogException (no closure: this is per message).
    private ConsumeResult<string?, byte[]>? ConsumeOne(TimeSpan timeout)
    {
        try
        {
            return _consumer.Consume(timeout);
        }
        catch (KafkaException e)
        {
            throw Failed("reading", e);
        }
    }

    private void Pause(TopicPartition partition)
    {
        try
        {
            _consumer.Pause([partition]);
        }
        catch (KafkaException e)
        {
            throw Failed("pausing a finished partition", e);
        }
    }

    private EventLogException Failed(string what, KafkaException e) =>
        new($"Kafka at {_options.BootstrapServers}: {what} failed: {e.Error.Reason} ({e.Error.Code})", e);

    private LogPartition Logical(TopicPartition partition) =>
        new(_options.LogicalTopic(partition.Topic), partition.Partition.Value.ToString(CultureInfo.InvariantCulture));

    private Offset StartOf(TopicPartition partition, IReadOnlyList<LogPosition>? listenerStart)
    {
        var (logical, id) = Logical(partition);
        var positions = listenerStart ?? _source.StartPositions;
        if (positions?.Where(p => p.Topic == logical && p.Partition == id).Select(p => (long?)p.Next).Max() is { } next)
        {
            return new Offset(next);
        }

        return _source.Assignment is not null ? Offset.Beginning : Offset.Unset;
    }

    /// <summary>Refuses topics whose partition counts differ: their keys would hash to different partition numbers.</summary>
    private void CheckPartitionCounts()
    {
        using var admin = new DependentAdminClientBuilder(_consumer.Handle).Build();
        var counts = new List<(string Topic, int Partitions)>();
        foreach (var topic in _source.Topics)
        {
            var physical = _options.PhysicalTopic(topic);
            var metadata = admin.GetMetadata(physical, MetadataTimeout).Topics.Single(t => t.Topic == physical);
            if (!metadata.Error.IsError)
            {
                counts.Add((topic, metadata.Partitions.Count));
            }
        }

        if (counts.Select(c => c.Partitions).Distinct().Count() > 1)
        {
            throw new InvalidOperationException(
                $"The topics have different partition counts ({string.Join(", ", counts.Select(c => $"{c.Topic}: {c.Partitions}"))}). "
                + "State is kept per partition number, and a symbol's key lands on the same partition number in every topic only when the counts are equal: "
                + "give the topics the same number of partitions, or read them with separate groups.");
        }
    }

    /// <summary>Refuses an assignment that gives this member a partition number of one topic but not of another topic it reads.</summary>
    private void CheckCoPartitioned(List<TopicPartition> partitions)
    {
        var topics = partitions.Select(p => p.Topic).Distinct(StringComparer.Ordinal).ToList();
        var byNumber = partitions.GroupBy(p => p.Partition.Value).Where(g => g.Count() != topics.Count).Select(g => g.Key).Order().ToList();
        if (byNumber.Count > 0)
        {
            throw new InvalidOperationException(
                $"The group assigned partition(s) {string.Join(", ", byNumber)} of some topics but not of all of {string.Join(", ", topics)} ({string.Join(", ", partitions)}). "
                + "State is kept per partition number across the topics: use the range assignor (partition.assignment.strategy=range, the default here) and equal partition counts.");
        }
    }

    /// <summary>Assigns every partition of the topics and returns the end offset of each non-empty one.</summary>
    private Dictionary<PartitionName, long> AssignAllUpToEnd()
    {
        using var admin = new DependentAdminClientBuilder(_consumer.Handle).Build();
        var partitions = new List<TopicPartition>();
        foreach (var topic in _source.Topics.Select(_options.PhysicalTopic))
        {
            var metadata = admin.GetMetadata(topic, MetadataTimeout);
            var topicMetadata = metadata.Topics.Single(t => t.Topic == topic);
            if (topicMetadata.Error.IsError)
            {
                // A topic nobody has written to yet holds nothing to read.
                LogTopicMissing(topic, topicMetadata.Error.Reason);
                continue;
            }

            partitions.AddRange(topicMetadata.Partitions.Select(p => new TopicPartition(topic, new Partition(p.PartitionId))));
        }

        var committed = partitions.Count == 0 || _source.FromBeginning ? [] : _consumer.Committed(partitions, MetadataTimeout);
        var ends = new Dictionary<PartitionName, long>(ReferenceEqualityComparer.Instance);
        var assignment = new List<TopicPartitionOffset>();
        foreach (var partition in partitions)
        {
            var watermarks = _consumer.QueryWatermarkOffsets(partition, MetadataTimeout);
            var start = committed.FirstOrDefault(c => c.TopicPartition == partition)?.Offset ?? Offset.Unset;
            var startOffset = start == Offset.Unset ? watermarks.Low : start;
            assignment.Add(new TopicPartitionOffset(partition, startOffset));
            if (watermarks.High.Value > startOffset.Value)
            {
                ends[_names.Of(partition.Topic, partition.Partition.Value)] = watermarks.High.Value;
            }
        }

        _consumer.Assign(assignment);
        Extent = new ReadExtent(
            assignment.Select(a => (Start: a.Offset.Value, Name: _names.Of(a.Topic, a.Partition.Value)))
                .Where(a => ends.ContainsKey(a.Name))
                .Select(a => KeyValuePair.Create((a.Name.Topic, a.Name.Partition), (a.Start, ends[a.Name]))),
            "messages",
            static partition => int.Parse(partition, NumberStyles.None, CultureInfo.InvariantCulture));
        return ends;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Kafka at {Servers} cannot be reached ({Reason}); retrying for {Seconds:0.#} s")]
    private partial void LogUnreachable(string servers, string reason, double seconds);

    [LoggerMessage(Level = LogLevel.Information, Message = "Kafka at {Servers} answered")]
    private partial void LogReached(string servers);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Kafka consumer: {Code} {Reason}")]
    private partial void LogClientError(ErrorCode code, string reason);

    [LoggerMessage(Level = LogLevel.Debug, Message = "librdkafka {Facility}: {Message}")]
    private partial void LogLibrdkafka(string facility, string message);

    [LoggerMessage(Level = LogLevel.Information, Message = "Partitions assigned: {Partitions}")]
    private partial void LogAssigned(string partitions);

    [LoggerMessage(Level = LogLevel.Information, Message = "Partitions revoked: {Partitions}")]
    private partial void LogRevoked(string partitions);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Partitions lost (the group gave them to another member): {Partitions}")]
    private partial void LogLost(string partitions);

    [LoggerMessage(Level = LogLevel.Information, Message = "Topic {Topic} has nothing to read: {Reason}")]
    private partial void LogTopicMissing(string topic, string reason);

    /// <summary>
    /// Keys are a handful of <c>exchange:symbol</c> texts repeated in millions of messages: each is read into one
    /// shared string instead of a new string per message.
    /// </summary>
    private sealed class SharedKeyDeserializer : IDeserializer<string?>
    {
        public static readonly SharedKeyDeserializer Instance = new();

        public string? Deserialize(ReadOnlySpan<byte> data, bool isNull, SerializationContext context) =>
            isNull ? null : Utf8StringCache.Find(data) ?? Utf8StringCache.Add(data);
    }
}
