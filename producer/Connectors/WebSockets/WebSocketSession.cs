using System.Buffers;
using System.Net.WebSockets;
using System.Text;

namespace Lambda.Producer.Connectors.WebSockets;

/// <summary>
/// One client WebSocket connection: receives whole messages, sends text through the outgoing rate
/// limit, remembers when it last heard from the server, and ends with a <see cref="SessionEnd"/>
/// saying why. Server pings are answered by <see cref="ClientWebSocket"/> itself, with a pong that
/// carries the ping's payload, as Binance requires.
/// </summary>
public sealed class WebSocketSession : IAsyncDisposable
{
    private const int InitialBufferSize = 64 * 1024;
    private static readonly TimeSpan CloseHandshakeTimeout = TimeSpan.FromSeconds(2);

    private readonly ClientWebSocket _socket;
    private readonly OutgoingRateLimiter? _limiter;
    private readonly TimeProvider _clock;
    private readonly SemaphoreSlim _sendGate = new(1, 1);
    private readonly CancellationTokenSource _stop = new();
    private readonly TaskCompletionSource _receiveEnded = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private long _lastReceived;
    private SessionEnd? _endRequested;

    private WebSocketSession(ClientWebSocket socket, Uri uri, OutgoingRateLimiter? limiter, TimeProvider clock)
    {
        _socket = socket;
        _limiter = limiter;
        _clock = clock;
        Uri = uri;
        OpenedAt = clock.GetUtcNow();
        _lastReceived = clock.GetTimestamp();
    }

    public Uri Uri { get; }

    public DateTimeOffset OpenedAt { get; }

    /// <summary>How long since the last message (or since opening).</summary>
    public TimeSpan SilentFor => _clock.GetElapsedTime(Interlocked.Read(ref _lastReceived));

    public TimeSpan Age => _clock.GetUtcNow() - OpenedAt;

    public static async Task<WebSocketSession> ConnectAsync(Uri uri, OutgoingRateLimiter? limiter, TimeProvider clock, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var socket = new ClientWebSocket();
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        try
        {
            await socket.ConnectAsync(uri, deadline.Token).ConfigureAwait(false);
            return new WebSocketSession(socket, uri, limiter, clock);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            socket.Dispose();
            throw new WebSocketException($"connecting to {uri} timed out after {timeout.TotalSeconds:0.#} s");
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <summary>Receives messages until the session ends, handing each whole message to <paramref name="onMessage"/>.</summary>
    /// <remarks>The memory handed over is only valid during the call: copy what you keep.</remarks>
    public async Task<SessionEnd> ReceiveAsync(Func<ReadOnlyMemory<byte>, ValueTask> onMessage, CancellationToken cancellationToken)
    {
        // Cancelling a pending receive would abort the socket without a close frame; stopping
        // closes politely instead, and the server's answer ends the loop.
        using var stopping = cancellationToken.Register(() => _ = CloseAsync(SessionEndKind.Cancelled, "stopping"));
        var buffer = ArrayPool<byte>.Shared.Rent(InitialBufferSize);
        try
        {
            var count = 0;
            while (true)
            {
                if (count == buffer.Length)
                {
                    var larger = ArrayPool<byte>.Shared.Rent(buffer.Length * 2);
                    buffer.AsSpan(0, count).CopyTo(larger);
                    ArrayPool<byte>.Shared.Return(buffer);
                    buffer = larger;
                }

                var result = await _socket.ReceiveAsync(buffer.AsMemory(count), _stop.Token).ConfigureAwait(false);
                Interlocked.Exchange(ref _lastReceived, _clock.GetTimestamp());
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    await CompleteCloseHandshakeAsync().ConfigureAwait(false);
                    if (Volatile.Read(ref _endRequested) is { } ours)
                    {
                        // The server's answer to our own close.
                        return ours;
                    }

                    var status = _socket.CloseStatus is { } s ? $"{(int)s} {s}" : "no status";
                    return new SessionEnd(SessionEndKind.ClosedByServer, $"{status}: {_socket.CloseStatusDescription}".TrimEnd(' ', ':'));
                }

                count += result.Count;
                if (!result.EndOfMessage)
                {
                    continue;
                }

                await onMessage(buffer.AsMemory(0, count)).ConfigureAwait(false);
                count = 0;
            }
        }
        catch (Exception e) when (e is OperationCanceledException or WebSocketException or ObjectDisposedException)
        {
            if (Volatile.Read(ref _endRequested) is { } requested)
            {
                return requested;
            }

            if (cancellationToken.IsCancellationRequested)
            {
                return new SessionEnd(SessionEndKind.Cancelled, "stopping");
            }

            return new SessionEnd(SessionEndKind.Aborted, e.Message);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
            _receiveEnded.TrySetResult();
        }
    }

    public async Task SendTextAsync(string text, CancellationToken cancellationToken)
    {
        if (_limiter is not null)
        {
            await _limiter.WaitAsync(cancellationToken).ConfigureAwait(false);
        }

        await _sendGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await _socket.SendAsync(Encoding.UTF8.GetBytes(text), WebSocketMessageType.Text, endOfMessage: true, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _sendGate.Release();
        }
    }

    /// <summary>Ends the session at once for the given reason (the receive loop returns it).</summary>
    public void End(SessionEndKind kind, string detail)
    {
        Interlocked.CompareExchange(ref _endRequested, new SessionEnd(kind, detail), null);
        _stop.Cancel();
        _socket.Abort();
    }

    /// <summary>
    /// Closes politely: a close frame, then a bounded wait for the server's answer (which ends the
    /// receive loop with this reason), and an abort if it does not come.
    /// </summary>
    public async Task CloseAsync(SessionEndKind kind, string detail)
    {
        Interlocked.CompareExchange(ref _endRequested, new SessionEnd(kind, detail), null);
        try
        {
            using var timeout = new CancellationTokenSource(CloseHandshakeTimeout);
            if (_socket.State == WebSocketState.Open)
            {
                await _socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, detail, timeout.Token).ConfigureAwait(false);
                await _receiveEnded.Task.WaitAsync(timeout.Token).ConfigureAwait(false);
            }
        }
        catch (Exception e) when (e is OperationCanceledException or WebSocketException or ObjectDisposedException)
        {
            // The polite way failed; the abort below is the way that always works.
        }

        End(kind, detail);
    }

    public ValueTask DisposeAsync()
    {
        // _stop and _sendGate hold no OS handles; leaving them undisposed keeps a late End() or
        // send from racing into an ObjectDisposedException.
        _socket.Dispose();
        return ValueTask.CompletedTask;
    }

    private async Task CompleteCloseHandshakeAsync()
    {
        try
        {
            using var timeout = new CancellationTokenSource(CloseHandshakeTimeout);
            if (_socket.State == WebSocketState.CloseReceived)
            {
                await _socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "closing", timeout.Token).ConfigureAwait(false);
            }
        }
        catch (Exception e) when (e is OperationCanceledException or WebSocketException)
        {
            // The server is gone already; nothing more to say to it.
        }
    }
}
