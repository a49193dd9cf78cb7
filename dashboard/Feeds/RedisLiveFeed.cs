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
        await using var connection = await RedisConnection.ConnectAsync(options, "lambda-dashboard", failFast: false, logger, connected =>
        {
            board.Connected = connected;
            board.MarkStatusChanged();
        }).ConfigureAwait(false);
        board.Connected = connection.IsConnected;
        var subscriber = connection.GetSubscriber();
        foreach (var channel in LiveChannels.All)
        {
            var topic = LiveChannels.TopicOf(channel)!;
            // Subscribing while Redis is not there yet waits in the client's backlog (not fail-fast) and is
            // renewed by the client after every reconnect. One queue per channel: its messages are applied one at a time, in the order they were published.
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
}
