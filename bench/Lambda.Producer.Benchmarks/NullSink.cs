using System.Buffers;
using Lambda.Core.Contracts;
using Lambda.Core.Transport;

namespace Lambda.Producer.Benchmarks;

/// <summary>
/// The sink that delivers nowhere: it still serializes every event, with the same serializer the
/// sinks use, into one reused buffer, so serialization stays in the measured path. It counts events and bytes.
/// </summary>
public sealed class NullSink : IEventSink
{
    private readonly ArrayBufferWriter<byte> _buffer = new(4096);

    public string Name => "null";

    public SinkStatistics Statistics { get; } = new();

    public long Events { get; private set; }

    public long Bytes { get; private set; }

    public ValueTask PublishAsync(MarketEvent marketEvent, CancellationToken cancellationToken)
    {
        _buffer.ResetWrittenCount();
        EventSerializer.Serialize(marketEvent, _buffer);
        Bytes += _buffer.WrittenCount;
        Events++;
        return ValueTask.CompletedTask;
    }

    public Task<FlushResult> FlushAsync(TimeSpan timeout, CancellationToken cancellationToken) => Task.FromResult(new FlushResult(0));

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}

/// <summary>Serializes every event once, keeping topic, key and message: what kcat and the bare producer send.</summary>
public sealed class CollectingSink : IEventSink
{
    public string Name => "collect";

    public SinkStatistics Statistics { get; } = new();

    public List<SerializedMessage> Messages { get; } = [];

    public ValueTask PublishAsync(MarketEvent marketEvent, CancellationToken cancellationToken)
    {
        Messages.Add(new SerializedMessage(marketEvent.Topic, marketEvent.Key, EventSerializer.Serialize(marketEvent)));
        return ValueTask.CompletedTask;
    }

    public Task<FlushResult> FlushAsync(TimeSpan timeout, CancellationToken cancellationToken) => Task.FromResult(new FlushResult(0));

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}

/// <summary>One message as it goes to Kafka: logical topic, key, JSON value.</summary>
public sealed record SerializedMessage(string Topic, string Key, byte[] Value);

/// <summary>
/// Passes events on to another sink and counts the publishes that did not complete at once: for the
/// Kafka sink those are waits for librdkafka's full queue (back-pressure), and the time spent in them.
/// </summary>
public sealed class BackPressureProbe(IEventSink inner) : IEventSink
{
    public string Name => inner.Name;

    public SinkStatistics Statistics => inner.Statistics;

    public long Waits { get; private set; }

    public TimeSpan WaitTime { get; private set; }

    public ValueTask PublishAsync(MarketEvent marketEvent, CancellationToken cancellationToken)
    {
        var publish = inner.PublishAsync(marketEvent, cancellationToken);
        return publish.IsCompletedSuccessfully ? publish : WaitAsync(publish);
    }

    public Task<FlushResult> FlushAsync(TimeSpan timeout, CancellationToken cancellationToken) => inner.FlushAsync(timeout, cancellationToken);

    public ValueTask DisposeAsync() => inner.DisposeAsync();

    private async ValueTask WaitAsync(ValueTask publish)
    {
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        await publish.ConfigureAwait(false);
        Waits++;
        WaitTime += System.Diagnostics.Stopwatch.GetElapsedTime(started);
    }
}
