using System.Net.WebSockets;
using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace Lambda.FakeExchange;

/// <summary>
/// Bybit v5's public spot WebSocket (<c>/v5/public/spot</c>): subscribe and unsubscribe with at
/// most 10 args a request, the application-level <c>{"op":"ping"}</c> heartbeat, and topic
/// messages published by the test.
/// </summary>
public sealed class FakeBybit
{
    /// <summary>Bybit refuses a subscribe request with more args than this.</summary>
    public const int MaxArgsPerRequest = 10;

    private readonly ConnectionRegistry _connections = new();
    private readonly Func<bool> _stopping;
    private readonly StallTolerantClock _clock;
    private readonly Lock _gate = new();
    private TimeSpan? _closeIfNoPingFor;

    internal FakeBybit(Func<bool> stopping, StallTolerantClock clock)
    {
        _stopping = stopping;
        _clock = clock;
    }

    /// <summary>Every WebSocket connection ever opened, in order.</summary>
    public IReadOnlyList<FakeConnection> Connections => _connections.All;

    /// <summary>The connections still open.</summary>
    public IReadOnlyList<FakeConnection> OpenConnections => _connections.Open;

    /// <summary>
    /// Like the real server, close a connection that has not sent <c>{"op":"ping"}</c> for this long
    /// (counted from its opening or its last ping; close status 1000, <see cref="FakeConnection.ClosedBy"/>
    /// <c>no ping</c>). Null: never. Pauses of the whole test process longer than 100 ms are not
    /// counted, so a CPU-starved test is not taken for a silent client.
    /// </summary>
    public TimeSpan? CloseIfNoPingFor
    {
        get { lock (_gate) { return _closeIfNoPingFor; } }
        set { lock (_gate) { _closeIfNoPingFor = value; } }
    }

    /// <summary>Waits until connection number <paramref name="ordinal"/> (1 = the first ever) is open; TimeoutException otherwise.</summary>
    public Task<FakeConnection> WaitForConnectionAsync(int ordinal, TimeSpan timeout) => _connections.WaitAsync(ordinal, timeout);

    /// <summary>
    /// Sends <c>{"topic":topic,"ts":&lt;now ms&gt;,"type":type,"data":dataJson}</c> (dataJson verbatim)
    /// to every open, non-silenced connection subscribed to the topic; returns how many got it.
    /// </summary>
    public async Task<int> PublishAsync(string topic, string dataJson, string type = "snapshot")
    {
        ArgumentNullException.ThrowIfNull(topic);
        ArgumentNullException.ThrowIfNull(dataJson);
        ArgumentNullException.ThrowIfNull(type);
        var frame = "{\"topic\":" + Json.Quote(topic) + ",\"ts\":" + Json.NowMs() + ",\"type\":" + Json.Quote(type)
            + ",\"data\":" + dataJson + "}";
        var targets = _connections.Open.Where(c => !c.Silenced && c.IsSubscribed(topic)).ToList();
        var sent = await Task.WhenAll(targets.Select(c => c.TrySendAsync(frame, respectSilence: true))).ConfigureAwait(false);
        return sent.Count(s => s);
    }

    /// <summary>When connection number <paramref name="ordinal"/> sent its <c>{"op":"ping"}</c> messages; empty if there is no such connection.</summary>
    public IReadOnlyList<DateTimeOffset> PingTimes(int ordinal) => _connections.Find(ordinal)?.PingTimes ?? [];

    internal void Housekeep(TimeSpan now)
    {
        var limit = CloseIfNoPingFor;
        if (limit is null)
        {
            return;
        }

        foreach (var connection in _connections.Open)
        {
            if (now - connection.LastPingOrOpenOnClock >= limit.Value)
            {
                _ = connection.InitiateCloseAsync("no ping", WebSocketCloseStatus.NormalClosure, "no ping");
            }
        }
    }

    internal void AbortAll(string closedBy) => _connections.AbortAll(closedBy);

    internal async Task HandleSpotAsync(HttpContext context)
    {
        if (!context.WebSockets.IsWebSocketRequest)
        {
            context.Response.StatusCode = StatusCodes.Status400BadRequest;
            return;
        }

        var accept = new WebSocketAcceptContext { KeepAliveInterval = TimeSpan.Zero };
        using var socket = await context.WebSockets.AcceptWebSocketAsync(accept).ConfigureAwait(false);
        var connection = _connections.Add(ordinal => new FakeConnection(ordinal, socket, context, [], keepAliveTimeoutEnabled: false, _clock));
        if (_stopping())
        {
            connection.AbortCore("shutdown");
        }

        await connection.RunAsync(OnMessageAsync).ConfigureAwait(false);
    }

    private static async Task OnMessageAsync(FakeConnection connection, string? text)
    {
        if (text is null)
        {
            return;
        }

        var reply = Reply(connection, text);
        await connection.TrySendAsync(reply, respectSilence: true).ConfigureAwait(false);
    }

    private static string Reply(FakeConnection connection, string text)
    {
        using var document = Json.TryParseObject(text);
        if (document is null)
        {
            return Answer(connection, op: "", requestId: null, success: false, "error:request not supported");
        }

        var root = document.RootElement;
        var requestId = root.TryGetProperty("req_id", out var id) ? id.Clone() : (JsonElement?)null;
        var op = root.TryGetProperty("op", out var opElement) && opElement.ValueKind == JsonValueKind.String
            ? opElement.GetString()!
            : "";
        switch (op)
        {
            case "ping":
                connection.RecordPing();
                return Answer(connection, op, requestId, success: true, "pong");
            case "subscribe":
            case "unsubscribe":
                var args = root.TryGetProperty("args", out var argsElement) ? Json.StringArray(argsElement) : null;
                if (args is null || args.Count == 0)
                {
                    return Answer(connection, op, requestId, success: false, "error:args empty or not a list of strings");
                }

                if (args.Count > MaxArgsPerRequest)
                {
                    return Answer(connection, op, requestId, success: false, $"args size >{MaxArgsPerRequest}");
                }

                if (op == "subscribe")
                {
                    connection.Subscribe(args);
                }
                else
                {
                    connection.Unsubscribe(args);
                }

                return Answer(connection, op, requestId, success: true, "");
            default:
                return Answer(connection, op, requestId, success: false, $"error:unsupported op: {op}");
        }
    }

    /// <summary>Bybit's reply shape; <c>req_id</c> is echoed (string or number as sent) only when the request had one.</summary>
    private static string Answer(FakeConnection connection, string op, JsonElement? requestId, bool success, string message) =>
        Json.Write(w =>
        {
            w.WriteStartObject();
            w.WriteBoolean("success", success);
            w.WriteString("ret_msg", message);
            w.WriteString("conn_id", connection.ConnectionId);
            if (requestId is { } id)
            {
                w.WritePropertyName("req_id");
                id.WriteTo(w);
            }

            w.WriteString("op", op);
            w.WriteEndObject();
        });
}
