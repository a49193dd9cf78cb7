using Microsoft.Extensions.Logging;
using StackExchange.Redis;

namespace Lambda.Core.Transport.Live;

/// <summary>
/// The one way the live fan-out's ends connect to Redis (the producer's sink publishing, the
/// dashboard subscribing): starting without Redis and connecting when it comes, failing commands at
/// once while it is gone when asked (a publisher: nothing piles up inside the client), reconnecting with an exponential
/// backoff up to <see cref="RedisOptions.MaxReconnectDelay"/>, and logging each loss and return once.
/// </summary>
public static partial class RedisConnection
{
    /// <param name="failFast">Fail commands while disconnected (publishing) rather than hold them until the connection is back (subscribing).</param>
    /// <param name="connectedChanged">Called with true when the connection comes back, false when it is lost.</param>
    public static async Task<ConnectionMultiplexer> ConnectAsync(RedisOptions options, string clientName, bool failFast, ILogger logger, Action<bool> connectedChanged)
    {
        var endpoint = options.Endpoint!;
        var connection = await ConnectionMultiplexer.ConnectAsync(new ConfigurationOptions
        {
            EndPoints = { endpoint },
            AbortOnConnectFail = false,
            // A publisher fails at once while disconnected instead of queueing inside the client, which
            // would grow without bound and deliver stale prices late.
            BacklogPolicy = failFast ? BacklogPolicy.FailFast : BacklogPolicy.Default,
            ConnectTimeout = (int)options.ConnectTimeout.TotalMilliseconds,
            ConnectRetry = 1,
            ReconnectRetryPolicy = new ExponentialRetry(100, (int)options.MaxReconnectDelay.TotalMilliseconds),
            ClientName = clientName,
        }).ConfigureAwait(false);
        var lost = connection.IsConnected ? 0 : 1;
        if (lost == 1)
        {
            LogNotReachable(logger, endpoint);
        }

        connection.ConnectionFailed += (_, e) =>
        {
            if (Interlocked.Exchange(ref lost, 1) == 0)
            {
                LogLost(logger, endpoint, e.FailureType.ToString());
                connectedChanged(false);
            }
        };
        connection.ConnectionRestored += (_, _) =>
        {
            if (Interlocked.Exchange(ref lost, 0) == 1)
            {
                LogRestored(logger, endpoint);
                connectedChanged(true);
            }
        };
        return connection;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Redis at {Endpoint} is not reachable yet; connecting in the background")]
    private static partial void LogNotReachable(ILogger logger, string endpoint);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Redis at {Endpoint}: connection lost ({Failure}); reconnecting")]
    private static partial void LogLost(ILogger logger, string endpoint, string failure);

    [LoggerMessage(Level = LogLevel.Information, Message = "Redis at {Endpoint}: connection restored")]
    private static partial void LogRestored(ILogger logger, string endpoint);
}
