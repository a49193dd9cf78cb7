using System.Threading.Channels;
using Lambda.Core.Contracts;
using Lambda.Core.Transport;
using Lambda.Core.Transport.Live;
using Microsoft.Extensions.Logging;
using StackExchange.Redis;

namespace Lambda.Producer.Sinks;

/// <summary>Published and failed messages of one Redis channel.</summary>
public sealed class RedisChannelStatistics(string channel)
{
    private long _published;
    private long _failed;

    public string Channel { get; } = channel;

    public long Published => Interlocked.Read(ref _published);

    public long Failed => Interlocked.Read(ref _failed);

    internal void RecordPublished() => Interlocked.Increment(ref _published);

    internal void RecordFailed() => Interlocked.Increment(ref _failed);
}

/// <summary>
/// The live fan-out: every event, as its JSON contract, on the Redis pub/sub channel of its topic
/// (<see cref="LiveChannels"/>), beside the event log and never instead of it. Publishing only puts
/// the serialized event in a bounded queue, so Redis being slow or gone never slows or blocks the
/// log's sink; a background loop publishes the queue in order on one connection (so each channel
/// keeps the log's order). While Redis is unreachable, or when the queue is full, messages are
/// counted as failed per channel and dropped: pub/sub keeps nothing for absent subscribers either.
/// The client reconnects by itself (exponential backoff up to <see cref="RedisOptions.MaxReconnectDelay"/>).
/// </summary>
public sealed partial class RedisSink : IEventSink
{
    // Publishes handed to the client before their results are awaited: the client pipelines them on
    // its connection, so a batch costs about one round trip instead of one per message.
    private const int PublishBatch = 256;

    private readonly RedisOptions _options;
    private readonly ILogger _logger;
    private readonly Channel<(int Channel, byte[] Payload)> _queue;
    private readonly RedisChannel[] _channels;
    private readonly CancellationTokenSource _stopping = new();
    private readonly Task<ConnectionMultiplexer?> _connecting;
    private readonly Task _publishing;
    private long _reconnects;

    public RedisSink(RedisOptions options, ILogger<RedisSink> logger)
    {
        _options = options;
        _logger = logger;
        _queue = Channel.CreateBounded<(int, byte[])>(new BoundedChannelOptions(options.QueueCapacity)
        {
            SingleReader = true,
            SingleWriter = false,
            FullMode = BoundedChannelFullMode.Wait, // TryWrite then fails instead of waiting: counted, never blocking
        });
        _channels = [.. LiveChannels.All.Select(name => RedisChannel.Literal(options.Channel(name)))];
        Channels = [.. LiveChannels.All.Select(name => new RedisChannelStatistics(options.Channel(name)))];
        _connecting = ConnectAsync();
        _publishing = Task.Run(PublishLoopAsync);
    }

    public string Name => "redis";

    public SinkStatistics Statistics { get; } = new();

    /// <summary>Per channel, in the order of <see cref="LiveChannels.All"/>.</summary>
    public IReadOnlyList<RedisChannelStatistics> Channels { get; }

    /// <summary>Times the connection came back after it was lost.</summary>
    public long Reconnects => Interlocked.Read(ref _reconnects);

    public string Endpoint => _options.Endpoint!;

    public ValueTask PublishAsync(MarketEvent marketEvent, CancellationToken cancellationToken)
    {
        var channel = LiveChannels.IndexOfTopic(marketEvent.Topic);
        Statistics.RecordSent();
        if (!_queue.Writer.TryWrite((channel, EventSerializer.Serialize(marketEvent))))
        {
            Fail(channel);
        }

        return ValueTask.CompletedTask;
    }

    /// <summary>Waits (at most <paramref name="timeout"/>) until the queue is published; what is left counts as undelivered.</summary>
    public async Task<FlushResult> FlushAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        var deadline = DateTime.UtcNow + timeout;
        // Only at shutdown: a short poll of the counters is simpler than a signal from the publish loop, and bounded by the timeout.
        while (Statistics.InFlight > 0 && DateTime.UtcNow < deadline && !_publishing.IsCompleted)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(5), cancellationToken).ConfigureAwait(false);
        }

        return new FlushResult(Statistics.InFlight);
    }

    /// <summary>Stops publishing; whatever is still queued is counted as failed, so published + failed = handed over.</summary>
    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        await _stopping.CancelAsync().ConfigureAwait(false);
        await _publishing.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        while (_queue.Reader.TryRead(out var left))
        {
            Fail(left.Channel);
        }

        if (await _connecting.ConfigureAwait(false) is { } connection)
        {
            await connection.CloseAsync(allowCommandsToComplete: false).ConfigureAwait(false);
            await connection.DisposeAsync().ConfigureAwait(false);
        }

        _stopping.Dispose();
    }

    /// <summary>Published and failed per channel, and reconnects, for the final statistics.</summary>
    public void WriteChannels(TextWriter output)
    {
        foreach (var channel in Channels)
        {
            output.WriteLine($"    {channel.Channel,-20} published {channel.Published,10}, failed {channel.Failed,8}");
        }

        output.WriteLine($"    reconnects to {Endpoint}: {Reconnects}");
    }

    private async Task<ConnectionMultiplexer?> ConnectAsync()
    {
        try
        {
            return await RedisConnection.ConnectAsync(_options, "lambda-producer", failFast: true, _logger, connected =>
            {
                if (connected)
                {
                    Interlocked.Increment(ref _reconnects);
                }
            }).ConfigureAwait(false);
        }
        catch (Exception e) when (e is RedisException or ArgumentException)
        {
            LogCannotConnect(e, _options.Endpoint!);
            return null;
        }
    }

    private async Task PublishLoopAsync()
    {
        var connection = await _connecting.ConfigureAwait(false);
        var subscriber = connection?.GetSubscriber();
        var batch = new List<(int Channel, Task<long>? Sent)>(PublishBatch);
        var reader = _queue.Reader;
        try
        {
            while (await reader.WaitToReadAsync(_stopping.Token).ConfigureAwait(false))
            {
                while (batch.Count < PublishBatch && reader.TryRead(out var item))
                {
                    // Not connected: fail now rather than wait out a timeout per message.
                    batch.Add((item.Channel, subscriber is not null && connection!.IsConnected
                        ? Send(subscriber, _channels[item.Channel], item.Payload)
                        : null));
                }

                foreach (var (channel, sent) in batch)
                {
                    if (sent is null)
                    {
                        Fail(channel);
                        continue;
                    }

                    try
                    {
                        await sent.ConfigureAwait(false);
                        Channels[channel].RecordPublished();
                        Statistics.RecordAcked();
                    }
                    catch (Exception e) when (e is RedisException or TimeoutException or ObjectDisposedException)
                    {
                        Fail(channel);
                    }
                }

                batch.Clear();
            }
        }
        catch (OperationCanceledException) when (_stopping.IsCancellationRequested)
        {
            // Disposed between batches: what is still queued is counted by DisposeAsync.
        }
    }

    /// <summary>The client may refuse a command at once (disconnected, fail-fast) or later: both end as a faulted task.</summary>
    private static Task<long> Send(ISubscriber subscriber, RedisChannel channel, byte[] payload)
    {
        try
        {
            return subscriber.PublishAsync(channel, payload);
        }
        catch (RedisException e)
        {
            return Task.FromException<long>(e);
        }
    }

    private void Fail(int channel)
    {
        Channels[channel].RecordFailed();
        Statistics.RecordFailed();
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Redis at {Endpoint}: cannot connect; the live fan-out is off for this run")]
    private partial void LogCannotConnect(Exception exception, string endpoint);
}
