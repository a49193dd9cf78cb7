using System.Threading.Channels;
using Microsoft.Extensions.Logging;

namespace Lambda.Producer.Connectors.WebSockets;

/// <summary>
/// One logical exchange stream that stays alive: it connects, subscribes, forwards every message as
/// a <see cref="ReceivedFrame"/>, and when the connection ends it logs why, counts a reconnect and
/// comes back after an exponential, jittered backoff. A watchdog ends a connection that went
/// silent. A planned replacement (the exchange's connection lifetime, an announced server shutdown)
/// opens the new connection before closing the old one, and frames that arrive on both during the
/// overlap are emitted once.
/// </summary>
public abstract partial class StreamConnection
{
    private readonly StreamConnectionSettings _settings;
    private readonly ConnectorContext _context;
    private readonly ILogger _logger;
    private readonly ReconnectBackoff _backoff;
    private readonly FrameDeduplicator _deduplicator;

    protected StreamConnection(string name, StreamConnectionSettings settings, ConnectorContext context)
    {
        Name = name;
        _settings = settings;
        _context = context;
        _logger = context.Loggers.CreateLogger(GetType());
        _backoff = new ReconnectBackoff(settings.Reconnect);
        _deduplicator = new FrameDeduplicator(context.Clock);
    }

    public string Name { get; }

    protected TimeProvider Clock => _context.Clock;

    protected ConnectorContext Context => _context;

    /// <summary>Where to connect; may change between attempts (e.g. a URL listing the streams).</summary>
    protected abstract Uri Endpoint { get; }

    /// <summary>Called once a connection is open: send subscriptions here.</summary>
    protected virtual Task OnOpenedAsync(WebSocketSession session, CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>Runs while a connection is open: application-level pings here.</summary>
    protected virtual Task KeepAliveAsync(WebSocketSession session, CancellationToken cancellationToken) =>
        Task.Delay(Timeout.Infinite, cancellationToken);

    /// <summary>True when a frame announces that the server will close this connection soon.</summary>
    protected virtual bool AnnouncesShutdown(ReadOnlySpan<byte> frame) => false;

    /// <summary>Tags a received frame with its exchange, source and normalizer.</summary>
    protected abstract ReceivedFrame Wrap(byte[] frame, DateTimeOffset receivedAt);

    public async Task RunAsync(ChannelWriter<ReceivedFrame> frames, CancellationToken cancellationToken)
    {
        Live? current = null;
        try
        {
            while (!cancellationToken.IsCancellationRequested)
            {
                current ??= await ConnectWithRetryAsync(frames, cancellationToken).ConfigureAwait(false);
                if (current is null)
                {
                    return;
                }

                var trigger = await WaitForTriggerAsync(current, cancellationToken).ConfigureAwait(false);
                if (trigger is Trigger.Silent or Trigger.Ended)
                {
                    // No longer ours to close once it has ended, even if stopping interrupts the backoff.
                    var ended = current;
                    current = null;
                    if (trigger == Trigger.Silent)
                    {
                        ended.Session.End(SessionEndKind.Silent, $"nothing received for {ended.Session.SilentFor.TotalSeconds:0.#} s");
                    }

                    await EndedAsync(ended, cancellationToken).ConfigureAwait(false);
                    continue;
                }

                switch (trigger)
                {
                    case Trigger.Lifetime:
                        current = await RotateAsync(current, "connection lifetime reached", frames, cancellationToken).ConfigureAwait(false);
                        break;
                    case Trigger.ShutdownAnnounced:
                        current = await RotateAsync(current, "server announced shutdown", frames, cancellationToken).ConfigureAwait(false);
                        break;
                    default:
                        return;
                }
            }
        }
        finally
        {
            if (current is not null)
            {
                await current.Session.CloseAsync(SessionEndKind.Cancelled, "stopping").ConfigureAwait(false);
                await CloseLiveAsync(current).ConfigureAwait(false);
            }
        }
    }

    private async Task EndedAsync(Live live, CancellationToken cancellationToken)
    {
        var end = await live.Receiving.ConfigureAwait(false);
        var lived = live.Session.Age;
        await CloseLiveAsync(live).ConfigureAwait(false);
        if (cancellationToken.IsCancellationRequested)
        {
            return;
        }

        var wait = _backoff.Next(lived);
        _context.Statistics.RecordReconnect(Name, end.Label);
        LogEnded(Name, end.ToString(), lived.TotalSeconds, wait.TotalSeconds);
        await Task.Delay(wait, Clock, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Make before break: the new connection first, the old one closed once the new one caught up.</summary>
    private async Task<Live?> RotateAsync(Live old, string reason, ChannelWriter<ReceivedFrame> frames, CancellationToken cancellationToken)
    {
        _context.Statistics.RecordReconnect(Name, "rotated");
        LogRotating(Name, reason, old.Session.Age.TotalMinutes);
        _deduplicator.Begin();
        var next = await ConnectWithRetryAsync(frames, cancellationToken).ConfigureAwait(false);
        if (next is not null)
        {
            using var overlap = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            var caughtUp = _deduplicator.DuplicateSeen.ContinueWith(
                _ => Task.Delay(_settings.RotationGrace, Clock, overlap.Token), overlap.Token, TaskContinuationOptions.None, TaskScheduler.Default).Unwrap();
            var longest = Task.Delay(_settings.MaxRotationOverlap, Clock, overlap.Token);
            await Task.WhenAny(caughtUp, longest, old.Receiving).ConfigureAwait(false);
            await overlap.CancelAsync().ConfigureAwait(false);
        }

        await old.Session.CloseAsync(SessionEndKind.Rotated, reason).ConfigureAwait(false);
        await old.Receiving.ConfigureAwait(false);
        await CloseLiveAsync(old).ConfigureAwait(false);

        // The new connection may still deliver frames the old one already did.
        _deduplicator.EndAfter(_settings.MaxRotationOverlap);
        LogRotated(Name, _deduplicator.Dropped);
        return next;
    }

    private async Task<Live?> ConnectWithRetryAsync(ChannelWriter<ReceivedFrame> frames, CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            var attemptStarted = Clock.GetTimestamp();
            WebSocketSession? session = null;
            try
            {
                var limiter = new OutgoingRateLimiter(_settings.MaxOutgoingPerSecond, Clock);
                session = await WebSocketSession.ConnectAsync(Endpoint, limiter, Clock, _settings.ConnectTimeout, cancellationToken).ConfigureAwait(false);
                var live = new Live(session);
                live.Receiving = session.ReceiveAsync(message => ForwardAsync(live, message, frames, cancellationToken), cancellationToken);
                await OnOpenedAsync(session, cancellationToken).ConfigureAwait(false);
                live.KeepingAlive = KeepAliveAsync(session, live.Stopping.Token);
                _context.Connectivity.Opened();
                LogConnected(Name, Endpoint.GetLeftPart(UriPartial.Path));
                return live;
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                if (session is not null)
                {
                    // Opened but not set up (a failed subscribe, or stopping meanwhile): never leave it behind.
                    await session.CloseAsync(SessionEndKind.Aborted, "setup failed").ConfigureAwait(false);
                    await session.DisposeAsync().ConfigureAwait(false);
                }

                if (cancellationToken.IsCancellationRequested)
                {
                    return null;
                }

                var wait = _backoff.Next(Clock.GetElapsedTime(attemptStarted));
                _context.Statistics.RecordReconnect(Name, "connect failed");
                LogConnectFailed(Name, Endpoint.GetLeftPart(UriPartial.Authority), Cause(e), wait.TotalSeconds);
                await Task.Delay(wait, Clock, cancellationToken).ConfigureAwait(false);
            }
        }

        return null;
    }

    private async ValueTask ForwardAsync(Live live, ReadOnlyMemory<byte> message, ChannelWriter<ReceivedFrame> frames, CancellationToken cancellationToken)
    {
        var frame = message.ToArray();
        if (AnnouncesShutdown(frame))
        {
            live.ShutdownAnnounced.TrySetResult();
        }

        if (_deduplicator.Admit(frame))
        {
            await frames.WriteAsync(Wrap(frame, Clock.GetUtcNow()), cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task<Trigger> WaitForTriggerAsync(Live live, CancellationToken cancellationToken)
    {
        using var waiting = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var lifetime = _settings.Lifetime is { } limit
            ? Task.Delay(Max(TimeSpan.Zero, limit - live.Session.Age), Clock, waiting.Token)
            : Task.Delay(Timeout.Infinite, waiting.Token);
        var silence = WatchSilenceAsync(live.Session, waiting.Token);
        var stopping = Task.Delay(Timeout.Infinite, waiting.Token);
        var first = await Task.WhenAny(live.Receiving, lifetime, silence, live.ShutdownAnnounced.Task, stopping).ConfigureAwait(false);
        await waiting.CancelAsync().ConfigureAwait(false);
        return cancellationToken.IsCancellationRequested ? Trigger.Stopping
            : first == live.Receiving ? Trigger.Ended
            : first == live.ShutdownAnnounced.Task ? Trigger.ShutdownAnnounced
            : first == lifetime ? Trigger.Lifetime
            : first == silence ? Trigger.Silent
            : Trigger.Stopping;
    }

    private async Task WatchSilenceAsync(WebSocketSession session, CancellationToken cancellationToken)
    {
        var silence = _settings.WatchdogSilence;
        while (session.SilentFor < silence)
        {
            var check = Max(TimeSpan.FromMilliseconds(50), Min(silence - session.SilentFor, TimeSpan.FromSeconds(1)));
            await Task.Delay(check, Clock, cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task CloseLiveAsync(Live live)
    {
        await live.Stopping.CancelAsync().ConfigureAwait(false);
        try
        {
            await live.KeepingAlive.ConfigureAwait(false);
        }
        catch (Exception e) when (e is OperationCanceledException or System.Net.WebSockets.WebSocketException or ObjectDisposedException)
        {
            // Keep-alives stop with the connection, however it ended.
        }

        _context.Connectivity.Closed();
        live.Stopping.Dispose();
        await live.Session.DisposeAsync().ConfigureAwait(false);
    }

    private static TimeSpan Max(TimeSpan a, TimeSpan b) => a > b ? a : b;

    private static TimeSpan Min(TimeSpan a, TimeSpan b) => a < b ? a : b;

    private enum Trigger
    {
        Ended,
        Silent,
        Lifetime,
        ShutdownAnnounced,
        Stopping,
    }

    /// <summary>An open connection and the work running on it.</summary>
    private sealed class Live(WebSocketSession session)
    {
        public WebSocketSession Session { get; } = session;

        public Task<SessionEnd> Receiving { get; set; } = Task.FromResult(new SessionEnd(SessionEndKind.Cancelled, "not started"));

        public Task KeepingAlive { get; set; } = Task.CompletedTask;

        public CancellationTokenSource Stopping { get; } = new();

        public TaskCompletionSource ShutdownAnnounced { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "{Connection}: connected to {Endpoint}")]
    private partial void LogConnected(string connection, string endpoint);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Connection}: connection ended ({Reason}) after {LivedSeconds:0.#} s; reconnecting in {WaitSeconds:0.##} s")]
    private partial void LogEnded(string connection, string reason, double livedSeconds, double waitSeconds);

    /// <summary>
    /// The message and the root cause: "Unable to connect to the remote server" alone does not say
    /// whether the name did not resolve, the port refused, or the network is down.
    /// </summary>
    private static string Cause(Exception e)
    {
        var root = e;
        while (root.InnerException is { } inner)
        {
            root = inner;
        }

        return ReferenceEquals(root, e) || root.Message == e.Message ? e.Message : $"{e.Message}: {root.Message}";
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Connection}: connecting to {Endpoint} failed ({Reason}); retrying in {WaitSeconds:0.##} s")]
    private partial void LogConnectFailed(string connection, string endpoint, string reason, double waitSeconds);

    [LoggerMessage(Level = LogLevel.Information, Message = "{Connection}: replacing the connection ({Reason}, after {AgeMinutes:0.#} min): opening the new one first")]
    private partial void LogRotating(string connection, string reason, double ageMinutes);

    [LoggerMessage(Level = LogLevel.Information, Message = "{Connection}: replaced; {Dropped} frames seen on both connections were emitted once")]
    private partial void LogRotated(string connection, long dropped);
}
