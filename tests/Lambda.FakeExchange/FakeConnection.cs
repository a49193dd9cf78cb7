using System.Net.Sockets;
using System.Net.WebSockets;
using System.Text;
using Microsoft.AspNetCore.Connections.Features;
using Microsoft.AspNetCore.Http;

namespace Lambda.FakeExchange;

/// <summary>
/// One WebSocket connection a client opened to the fake exchange, seen from the server: what it
/// subscribed to, what it sent, how it ended, and the faults a test can inflict on it.
/// </summary>
/// <remarks>
/// <see cref="Silenced"/> mutes only what the exchange sends on its own (published frames, replies
/// to subscribe and ping requests); the explicit commands (<see cref="SendRawAsync"/>,
/// <see cref="SendServerShutdownAsync"/>, <see cref="CloseAsync"/>) still go out. WebSocket
/// keep-alive pings are transport level and are not muted either.
/// </remarks>
public sealed class FakeConnection
{
    /// <summary>How long the server waits for the client's close frame after sending its own.</summary>
    internal static readonly TimeSpan CloseHandshakeTimeout = TimeSpan.FromSeconds(1);

    /// <summary>A send that takes longer than this (a client that stopped reading) aborts the connection.</summary>
    internal static readonly TimeSpan SendTimeout = TimeSpan.FromSeconds(5);

    private const int MaxMessageBytes = 1 << 20;
    private const int MaxCloseReasonBytes = 123;

    private readonly Lock _gate = new();
    private readonly WebSocket _socket;
    private readonly HttpContext _context;
    private readonly bool _keepAliveTimeoutEnabled;
    private readonly StallTolerantClock _clock;
    private readonly SemaphoreSlim _sendLock = new(1, 1);
    private readonly CancellationTokenSource _receiveCancellation = new();
    private readonly TaskCompletionSource<DateTimeOffset> _closed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly List<string> _streams = [];
    private readonly List<string> _received = [];
    private readonly List<DateTimeOffset> _pings = [];
    private readonly Queue<long> _recentIncoming = new();
    private string? _closedBy;
    private DateTimeOffset? _closedAt;
    private TimeSpan _lastPingOrOpenOnClock;
    private bool _receiveLoopDone;
    private volatile bool _silenced;
    private TimeSpan _serverShutdownGrace = TimeSpan.FromSeconds(1);

    internal FakeConnection(
        int ordinal,
        WebSocket socket,
        HttpContext context,
        IEnumerable<string> streams,
        bool keepAliveTimeoutEnabled,
        StallTolerantClock clock)
    {
        Ordinal = ordinal;
        _clock = clock;
        _socket = socket;
        _context = context;
        _keepAliveTimeoutEnabled = keepAliveTimeoutEnabled;
        _streams.AddRange(streams);
        OpenedAt = DateTimeOffset.UtcNow;
        OpenedOnClock = clock.Now;
        _lastPingOrOpenOnClock = OpenedOnClock;
        RequestPathAndQuery = context.Request.Path.Value + context.Request.QueryString.Value;
        ConnectionId = Guid.NewGuid().ToString("N");
    }

    /// <summary>
    /// The WebSocket frames of this connection counted on the wire: the keep-alive pings ASP.NET Core sent and
    /// the pongs the client answered, which no handler sees.
    /// </summary>
    public WireCount Wire { get; internal init; } = new();

    /// <summary>1 for the first connection ever opened on this endpoint, 2 for the second...</summary>
    public int Ordinal { get; }

    /// <summary>When the WebSocket was accepted.</summary>
    public DateTimeOffset OpenedAt { get; }

    /// <summary>When the connection stopped being open (close frame sent or received, or abort); null while open.</summary>
    public DateTimeOffset? ClosedAt
    {
        get
        {
            lock (_gate)
            {
                return _closedAt;
            }
        }
    }

    /// <summary>The path and query string of the upgrade request, as sent (e.g. <c>/stream?streams=btcusdt@trade</c>).</summary>
    public string RequestPathAndQuery { get; }

    /// <summary>The server's id for this connection (Bybit's <c>conn_id</c>).</summary>
    public string ConnectionId { get; }

    /// <summary>Binance streams, or Bybit topics, the connection is subscribed to, in subscription order.</summary>
    public IReadOnlyList<string> Streams
    {
        get
        {
            lock (_gate)
            {
                return [.. _streams];
            }
        }
    }

    /// <summary>Every text message the client sent, in order.</summary>
    public IReadOnlyList<string> ReceivedMessages
    {
        get
        {
            lock (_gate)
            {
                return [.. _received];
            }
        }
    }

    /// <summary>True until the connection is closed by either side or aborted.</summary>
    public bool IsOpen
    {
        get
        {
            lock (_gate)
            {
                return _closedBy is null;
            }
        }
    }

    /// <summary>
    /// Why the connection ended: <c>client</c> (the client's close frame came first),
    /// <c>client gone</c> (the client vanished without a close frame), <c>abort</c>
    /// (<see cref="Abort"/>), <c>"{code} {reason}"</c> (<see cref="CloseAsync"/>, or the server's own
    /// policy closes such as <c>1008 too many messages</c>), <c>lifetime</c>, <c>pong missing</c>,
    /// <c>no ping</c>, <c>serverShutdown</c> (after <see cref="SendServerShutdownAsync"/>),
    /// <c>shutdown</c> (the fake server was disposed). Null while open.
    /// </summary>
    public string? ClosedBy
    {
        get
        {
            lock (_gate)
            {
                return _closedBy;
            }
        }
    }

    /// <summary>When true the server keeps the connection open but sends it nothing: published frames are lost.</summary>
    public bool Silenced
    {
        get => _silenced;
        set => _silenced = value;
    }

    /// <summary>How long after the <c>serverShutdown</c> event the server closes the connection (default 1 s).</summary>
    public TimeSpan ServerShutdownGrace
    {
        get
        {
            lock (_gate)
            {
                return _serverShutdownGrace;
            }
        }
        set
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(value, TimeSpan.Zero);
            lock (_gate)
            {
                _serverShutdownGrace = value;
            }
        }
    }

    /// <summary>When the connection opened, on the server's stall-tolerant clock.</summary>
    internal TimeSpan OpenedOnClock { get; }

    /// <summary>The last Bybit ping, or the opening, on the server's stall-tolerant clock.</summary>
    internal TimeSpan LastPingOrOpenOnClock
    {
        get
        {
            lock (_gate)
            {
                return _lastPingOrOpenOnClock;
            }
        }
    }

    internal IReadOnlyList<DateTimeOffset> PingTimes
    {
        get
        {
            lock (_gate)
            {
                return [.. _pings];
            }
        }
    }

    /// <summary>Sends any text as one message, e.g. malformed or truncated JSON. Throws when the connection is no longer open.</summary>
    public async Task SendRawAsync(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (!await TrySendAsync(text, respectSilence: false).ConfigureAwait(false))
        {
            throw new InvalidOperationException($"Connection #{Ordinal} is not open (closed by {ClosedBy ?? "?"}).");
        }
    }

    /// <summary>Ends the connection abruptly: TCP reset, no close frame.</summary>
    public void Abort() => AbortCore("abort");

    /// <summary>
    /// Sends a close frame with this status and reason; <see cref="ClosedBy"/> becomes
    /// <c>"{(int)status} {reason}"</c>. The server then waits up to 1 s for the client's close frame
    /// before dropping the connection. Does nothing when the connection is no longer open.
    /// </summary>
    public Task CloseAsync(WebSocketCloseStatus status, string reason)
    {
        ArgumentNullException.ThrowIfNull(reason);
        return InitiateCloseAsync($"{(int)status} {reason}", status, reason);
    }

    /// <summary>
    /// Sends Binance's <c>{"e":"serverShutdown","E":&lt;ms&gt;}</c> event, then closes the connection
    /// normally <see cref="ServerShutdownGrace"/> later (<see cref="ClosedBy"/> <c>serverShutdown</c>).
    /// The returned task completes once the event is sent.
    /// </summary>
    public async Task SendServerShutdownAsync()
    {
        await SendRawAsync($"{{\"e\":\"serverShutdown\",\"E\":{Json.NowMs()}}}").ConfigureAwait(false);
        _ = CloseLaterAsync(ServerShutdownGrace);
    }

    /// <summary>When the connection stopped being open, or null if it is still open after the timeout.</summary>
    public async Task<DateTimeOffset?> WaitForCloseAsync(TimeSpan timeout)
    {
        try
        {
            return await _closed.Task.WaitAsync(timeout).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            return null;
        }
    }

    /// <inheritdoc />
    public override string ToString() =>
        $"#{Ordinal} {RequestPathAndQuery} {(IsOpen ? "open" : "closed by " + ClosedBy)}";

    internal bool IsSubscribed(string stream)
    {
        lock (_gate)
        {
            return _streams.Contains(stream, StringComparer.Ordinal);
        }
    }

    internal void Subscribe(IEnumerable<string> streams)
    {
        lock (_gate)
        {
            foreach (var stream in streams)
            {
                if (!_streams.Contains(stream, StringComparer.Ordinal))
                {
                    _streams.Add(stream);
                }
            }
        }
    }

    internal void Unsubscribe(IEnumerable<string> streams)
    {
        lock (_gate)
        {
            foreach (var stream in streams)
            {
                _streams.Remove(stream);
            }
        }
    }

    internal void RecordPing()
    {
        var onClock = _clock.Now;
        lock (_gate)
        {
            _pings.Add(DateTimeOffset.UtcNow);
            _lastPingOrOpenOnClock = onClock;
        }
    }

    /// <summary>Counts one more client message and returns how many arrived in the last second.</summary>
    internal int CountIncomingInLastSecond()
    {
        var now = Environment.TickCount64;
        lock (_gate)
        {
            _recentIncoming.Enqueue(now);
            while (_recentIncoming.Count > 0 && now - _recentIncoming.Peek() >= 1000)
            {
                _recentIncoming.Dequeue();
            }

            return _recentIncoming.Count;
        }
    }

    /// <summary>Sends one text message unless the connection is closed (or silenced, when asked); false when not sent.</summary>
    internal async Task<bool> TrySendAsync(string text, bool respectSilence)
    {
        if (!IsOpen || (respectSilence && _silenced))
        {
            return false;
        }

        var bytes = Encoding.UTF8.GetBytes(text);
        if (!await _sendLock.WaitAsync(SendTimeout).ConfigureAwait(false))
        {
            AbortCore("send timeout");
            return false;
        }

        try
        {
            if (!IsOpen || (respectSilence && _silenced))
            {
                return false;
            }

            using var timeout = new CancellationTokenSource(SendTimeout);
            await _socket.SendAsync(bytes, WebSocketMessageType.Text, endOfMessage: true, timeout.Token).ConfigureAwait(false);
            return true;
        }
        catch (Exception ex) when (IsConnectionFailure(ex))
        {
            return false;
        }
        finally
        {
            _sendLock.Release();
        }
    }

    /// <summary>Marks the connection closed for this reason, sends a close frame, and gives the client a moment to answer it.</summary>
    internal async Task InitiateCloseAsync(string closedBy, WebSocketCloseStatus status, string reason)
    {
        if (!TryMarkClosed(closedBy))
        {
            return;
        }

        try
        {
            if (await _sendLock.WaitAsync(SendTimeout).ConfigureAwait(false))
            {
                try
                {
                    if (_socket.State is WebSocketState.Open or WebSocketState.CloseReceived)
                    {
                        using var timeout = new CancellationTokenSource(SendTimeout);
                        await _socket.CloseOutputAsync(status, TruncateReason(reason), timeout.Token).ConfigureAwait(false);
                    }
                }
                finally
                {
                    _sendLock.Release();
                }
            }
        }
        catch (Exception ex) when (IsConnectionFailure(ex))
        {
            // The connection is already gone; nothing more to tell the client.
        }

        CancelReceiveAfter(CloseHandshakeTimeout);
    }

    internal void AbortCore(string closedBy)
    {
        TryMarkClosed(closedBy);
        lock (_gate)
        {
            // The HttpContext is only valid while the request (the receive loop) runs.
            if (!_receiveLoopDone)
            {
                try
                {
                    // Linger 0: closing the socket sends a TCP reset rather than a FIN.
                    var socket = _context.Features.Get<IConnectionSocketFeature>()?.Socket;
                    socket?.LingerState = new LingerOption(true, 0);
                }
                catch (Exception ex) when (ex is ObjectDisposedException or SocketException)
                {
                    // Already closed.
                }

                _context.Abort();
            }
        }

        _socket.Abort();
    }

    /// <summary>
    /// Reads client messages until the connection ends and hands every complete message to
    /// <paramref name="onMessage"/> (text, or null for binary) while the connection is open.
    /// </summary>
    internal async Task RunAsync(Func<FakeConnection, string?, Task> onMessage)
    {
        var buffer = new byte[16 * 1024];
        using var message = new MemoryStream();
        try
        {
            while (true)
            {
                var result = await _socket.ReceiveAsync(buffer.AsMemory(), _receiveCancellation.Token).ConfigureAwait(false);
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    if (TryMarkClosed("client"))
                    {
                        await AnswerClientCloseAsync().ConfigureAwait(false);
                    }

                    return;
                }

                if (message.Length + result.Count > MaxMessageBytes)
                {
                    message.SetLength(0);
                    await InitiateCloseAsync("1009 message too big", WebSocketCloseStatus.MessageTooBig, "message too big").ConfigureAwait(false);
                    continue;
                }

                message.Write(buffer, 0, result.Count);
                if (!result.EndOfMessage)
                {
                    continue;
                }

                string? text = null;
                if (result.MessageType == WebSocketMessageType.Text)
                {
                    text = Encoding.UTF8.GetString(message.GetBuffer(), 0, (int)message.Length);
                    lock (_gate)
                    {
                        _received.Add(text);
                    }
                }

                message.SetLength(0);
                if (IsOpen)
                {
                    await onMessage(this, text).ConfigureAwait(false);
                }
            }
        }
        catch (Exception ex) when (IsConnectionFailure(ex))
        {
            TryMarkClosed(_keepAliveTimeoutEnabled && await KeepAliveTimedOutAsync(ex).ConfigureAwait(false) ? "pong missing" : "client gone");
        }
        catch (Exception ex)
        {
            // A bug in the fake itself: end the connection and say so rather than pretend the client left.
            TryMarkClosed($"error: {ex.GetType().Name}: {ex.Message}");
        }
        finally
        {
            TryMarkClosed("client gone");
            lock (_gate)
            {
                _receiveLoopDone = true;
                _receiveCancellation.Dispose();
            }
        }
    }

    private async Task AnswerClientCloseAsync()
    {
        try
        {
            if (await _sendLock.WaitAsync(SendTimeout).ConfigureAwait(false))
            {
                try
                {
                    if (_socket.State == WebSocketState.CloseReceived)
                    {
                        using var timeout = new CancellationTokenSource(SendTimeout);
                        await _socket.CloseOutputAsync(
                            _socket.CloseStatus ?? WebSocketCloseStatus.NormalClosure,
                            _socket.CloseStatusDescription,
                            timeout.Token).ConfigureAwait(false);
                    }
                }
                finally
                {
                    _sendLock.Release();
                }
            }
        }
        catch (Exception ex) when (IsConnectionFailure(ex))
        {
            // The client left without waiting for the answer.
        }
    }

    private async Task CloseLaterAsync(TimeSpan delay)
    {
        await Task.Delay(delay).ConfigureAwait(false);
        await InitiateCloseAsync("serverShutdown", WebSocketCloseStatus.NormalClosure, "serverShutdown").ConfigureAwait(false);
    }

    private bool TryMarkClosed(string closedBy)
    {
        DateTimeOffset at;
        lock (_gate)
        {
            if (_closedBy is not null)
            {
                return false;
            }

            _closedBy = closedBy;
            at = DateTimeOffset.UtcNow;
            _closedAt = at;
        }

        _closed.TrySetResult(at);
        return true;
    }

    private void CancelReceiveAfter(TimeSpan delay)
    {
        lock (_gate)
        {
            if (!_receiveLoopDone)
            {
                _receiveCancellation.CancelAfter(delay);
            }
        }
    }

    private static string TruncateReason(string reason)
    {
        if (Encoding.UTF8.GetByteCount(reason) <= MaxCloseReasonBytes)
        {
            return reason;
        }

        var length = Math.Min(reason.Length, MaxCloseReasonBytes);
        while (Encoding.UTF8.GetByteCount(reason.AsSpan(0, length)) > MaxCloseReasonBytes)
        {
            length--;
        }

        return reason[..length];
    }

    /// <summary>
    /// Whether the receive failed because ASP.NET Core's keep-alive timeout aborted the socket. The
    /// pending read may only see the aborted stream; the WebSocket keeps the keep-alive fault and
    /// hands it to the next read.
    /// </summary>
    private async Task<bool> KeepAliveTimedOutAsync(Exception failure)
    {
        if (IsKeepAliveFault(failure))
        {
            return true;
        }

        if (_socket.State != WebSocketState.Aborted)
        {
            return false;
        }

        try
        {
            await _socket.ReceiveAsync(Memory<byte>.Empty, CancellationToken.None).ConfigureAwait(false);
            return false;
        }
        catch (Exception ex) when (IsConnectionFailure(ex))
        {
            return IsKeepAliveFault(ex);
        }
    }

    /// <summary>ASP.NET Core's keep-alive timeout aborts the socket with a Faulted WebSocketException (possibly wrapped).</summary>
    private static bool IsKeepAliveFault(Exception ex)
    {
        for (Exception? e = ex; e is not null; e = e.InnerException)
        {
            if (e is WebSocketException { WebSocketErrorCode: WebSocketError.Faulted })
            {
                return true;
            }
        }

        return false;
    }

    private static bool IsConnectionFailure(Exception ex) =>
        ex is WebSocketException or OperationCanceledException or IOException or ObjectDisposedException
            or InvalidOperationException or SocketException;
}
