using Lambda.Core.Contracts;
using Lambda.Core.Transport.Live;
using Lambda.Dashboard.Board;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using StackExchange.Redis;

namespace Lambda.Dashboard.Feeds;

/// <summary>
/// Live events from the producer's Redis fan-out: every channel subscribed, each message read as the
/// contract of its channel's topic. The client reconnects and subscribes again by itself when Redis
/// restarts; the status line shows whether it is connected.
/// </summary>
public sealed partial class RedisLiveFeed(RedisOptions options, MarketBoard board, ILogger<RedisLiveFeed> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        board.Source = $"redis {options.Endpoint}{(options.ChannelPrefix.Length > 0 ? $" (channels {options.ChannelPrefix}*)" : "")}";
        var configuration = new ConfigurationOptions
        {
            EndPoints = { options.Endpoint! },
            AbortOnConnectFail = false, // start without Redis and connect when it comes
            ConnectTimeout = (int)options.ConnectTimeout.TotalMilliseconds,
            ConnectRetry = 1,
            ReconnectRetryPolicy = new ExponentialRetry(100, (int)options.MaxReconnectDelay.TotalMilliseconds),
            ClientName = "lambda-dashboard",
        };
        await using var connection = await ConnectionMultiplexer.ConnectAsync(configuration).ConfigureAwait(false);
        connection.ConnectionFailed += (_, e) =>
        {
            board.Connected = false;
            board.MarkStatusChanged();
            LogLost(options.Endpoint!, e.FailureType.ToString());
        };
        connection.ConnectionRestored += (_, _) =>
        {
            board.Connected = connection.IsConnected;
            board.MarkStatusChanged();
            LogRestored(options.Endpoint!);
        };
        board.Connected = connection.IsConnected;
        var subscriber = connection.GetSubscriber();
        foreach (var channel in LiveChannels.All)
        {
            var topic = LiveChannels.TopicOf(channel)!;
            // One queue per channel: its messages are applied one at a time, in the order they were published.
            var queue = await subscriber.SubscribeAsync(RedisChannel.Literal(options.Channel(channel))).ConfigureAwait(false);
            queue.OnMessage(message => Apply(topic, message.Message));
        }

        LogSubscribed(options.Endpoint!, options.ChannelPrefix);
        try
        {
            await Task.Delay(Timeout.Infinite, stoppingToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // stopping
        }

        await subscriber.UnsubscribeAllAsync().ConfigureAwait(false);
    }

    private void Apply(string topic, RedisValue message)
    {
        try
        {
            board.Apply(EventSerializer.Deserialize(topic, (byte[])message!));
        }
        catch (Exception e) when (e is System.Text.Json.JsonException or InvalidCastException or ArgumentException)
        {
            board.RecordUnreadable();
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Subscribed to Redis at {Endpoint} (channel prefix '{Prefix}')")]
    private partial void LogSubscribed(string endpoint, string prefix);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Redis at {Endpoint}: connection lost ({Failure}); reconnecting")]
    private partial void LogLost(string endpoint, string failure);

    [LoggerMessage(Level = LogLevel.Information, Message = "Redis at {Endpoint}: connection restored")]
    private partial void LogRestored(string endpoint);
}
