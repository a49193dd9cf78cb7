using System.Globalization;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace Lambda.FakeExchange;

/// <summary>
/// Binance spot, as far as the producer uses it: the combined-stream WebSocket
/// (<c>/stream?streams=a/b/c</c>) and the REST endpoints <c>/api/v3/ticker/24hr</c> and
/// <c>/api/v3/klines</c>, with Binance's limits and the faults a test asks for.
/// </summary>
/// <remarks>
/// Stream names, symbols and topics are matched exactly (ordinal): Binance wants stream names in
/// lower case and symbols in upper case, and a connector that gets this wrong should see nothing.
/// The request-weight minute starts with the first request after the previous minute ended (not at
/// the wall-clock minute), so tests that count weight are not at the mercy of the clock.
/// </remarks>
public sealed class FakeBinance
{
    private static readonly HashSet<string> Intervals = new(StringComparer.Ordinal)
    {
        "1s", "1m", "3m", "5m", "15m", "30m", "1h", "2h", "4h", "6h", "8h", "12h", "1d", "3d", "1w", "1M",
    };

    private readonly ConnectionRegistry _connections = new();
    private readonly Func<bool> _stopping;
    private readonly StallTolerantClock _clock;
    private readonly Lock _gate = new();
    private readonly Dictionary<string, string> _tickers = new(StringComparer.Ordinal);
    private readonly List<string> _tickerOrder = [];
    private readonly Dictionary<(string Symbol, string Interval), KlineRow[]> _klines = [];
    private readonly HashSet<string> _klineSymbols = new(StringComparer.Ordinal);
    private readonly List<FakeRequest> _requests = [];
    private TimeSpan? _maxConnectionLifetime;
    private int _maxIncomingPerSecond = 5;
    private TimeSpan? _pingInterval;
    private TimeSpan _pongTimeout = TimeSpan.FromMinutes(1);
    private TimeSpan _serverShutdownGrace = TimeSpan.FromSeconds(1);
    private int _weightLimitPerMinute = 6000;
    private TimeSpan _weightWindow = TimeSpan.FromMinutes(1);
    private bool _weightWindowAlignedToClock;
    private int _usedWeight;
    private readonly WireFrames _wire;
    private DateTimeOffset? _weightWindowStart;
    private int _failRemaining;
    private int _failStatus;
    private int _failRetryAfterSeconds;

    internal FakeBinance(Func<bool> stopping, StallTolerantClock clock, WireFrames wire)
    {
        _stopping = stopping;
        _clock = clock;
        _wire = wire;
    }

    /// <summary>Every WebSocket connection ever opened, in order.</summary>
    public IReadOnlyList<FakeConnection> Connections => _connections.All;

    /// <summary>The connections still open.</summary>
    public IReadOnlyList<FakeConnection> OpenConnections => _connections.Open;

    /// <summary>
    /// The server closes a connection this old, like Binance's 24 h limit (close status 1000,
    /// <see cref="FakeConnection.ClosedBy"/> <c>lifetime</c>). Null: no limit. Pauses of the whole test
    /// process longer than 100 ms are not counted.
    /// </summary>
    public TimeSpan? MaxConnectionLifetime
    {
        get { lock (_gate) { return _maxConnectionLifetime; } }
        set { lock (_gate) { _maxConnectionLifetime = value; } }
    }

    /// <summary>
    /// More client text or binary messages than this in any one second close the connection with
    /// 1008 PolicyViolation (<see cref="FakeConnection.ClosedBy"/> <c>1008 too many messages</c>).
    /// Pongs do not count here.
    /// </summary>
    public int MaxIncomingPerSecond
    {
        get => Volatile.Read(ref _maxIncomingPerSecond);
        set => Volatile.Write(ref _maxIncomingPerSecond, value);
    }

    /// <summary>
    /// The server sends a WebSocket ping every interval to connections opened from now on (Binance:
    /// 20 s). Null: no pings. A client that does not pong within <see cref="PongTimeout"/> is aborted
    /// (<see cref="FakeConnection.ClosedBy"/> <c>pong missing</c>).
    /// </summary>
    public TimeSpan? PingInterval
    {
        get { lock (_gate) { return _pingInterval; } }
        set { lock (_gate) { _pingInterval = value; } }
    }

    /// <summary>How long a ping may stay unanswered (default 1 min, as Binance); zero or less: forever.</summary>
    public TimeSpan PongTimeout
    {
        get { lock (_gate) { return _pongTimeout; } }
        set { lock (_gate) { _pongTimeout = value; } }
    }

    /// <summary>The <see cref="FakeConnection.ServerShutdownGrace"/> new connections start with (default 1 s).</summary>
    public TimeSpan ServerShutdownGrace
    {
        get { lock (_gate) { return _serverShutdownGrace; } }
        set
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(value, TimeSpan.Zero);
            lock (_gate)
            {
                _serverShutdownGrace = value;
            }
        }
    }

    /// <summary>REST request weight allowed per minute; a request that would exceed it gets 429 with Retry-After.</summary>
    public int WeightLimitPerMinute
    {
        get { lock (_gate) { return _weightLimitPerMinute; } }
        set { lock (_gate) { _weightLimitPerMinute = value; } }
    }

    /// <summary>
    /// The length of the request-weight "minute" (default one minute); shorter lets a test cross
    /// several windows in seconds.
    /// </summary>
    public TimeSpan WeightWindow
    {
        get { lock (_gate) { return _weightWindow; } }
        set
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(value, TimeSpan.FromMilliseconds(1));
            lock (_gate)
            {
                _weightWindow = value;
                _weightWindowStart = null;
            }
        }
    }

    /// <summary>
    /// Windows start at multiples of <see cref="WeightWindow"/> since the Unix epoch, like Binance's
    /// wall-clock minute, instead of at the first request after the previous window (the default).
    /// </summary>
    public bool WeightWindowAlignedToClock
    {
        get { lock (_gate) { return _weightWindowAlignedToClock; } }
        set
        {
            lock (_gate)
            {
                _weightWindowAlignedToClock = value;
                _weightWindowStart = null;
            }
        }
    }

    /// <summary>The REST weight used in the current minute (what <c>X-MBX-USED-WEIGHT-1M</c> would say).</summary>
    public int UsedWeight
    {
        get
        {
            lock (_gate)
            {
                RollWeightWindow(DateTimeOffset.UtcNow);
                return _usedWeight;
            }
        }
    }

    /// <summary>Every REST request answered, in order.</summary>
    public IReadOnlyList<FakeRequest> Requests
    {
        get { lock (_gate) { return [.. _requests]; } }
    }

    /// <summary>Waits until connection number <paramref name="ordinal"/> (1 = the first ever) is open; TimeoutException otherwise.</summary>
    public Task<FakeConnection> WaitForConnectionAsync(int ordinal, TimeSpan timeout) => _connections.WaitAsync(ordinal, timeout);

    /// <summary>
    /// Sends <c>{"stream":stream,"data":dataJson}</c> (dataJson verbatim, valid or not) to every open,
    /// non-silenced connection subscribed to the stream; returns how many got it.
    /// </summary>
    public async Task<int> PublishAsync(string stream, string dataJson)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(dataJson);
        var frame = "{\"stream\":" + Json.Quote(stream) + ",\"data\":" + dataJson + "}";
        var targets = _connections.Open.Where(c => !c.Silenced && c.IsSubscribed(stream)).ToList();
        var sent = await Task.WhenAll(targets.Select(c => c.TrySendAsync(frame, respectSilence: true))).ConfigureAwait(false);
        return sent.Count(s => s);
    }

    /// <summary>What <c>/api/v3/ticker/24hr</c> returns for the symbol: the JSON verbatim, valid or not.</summary>
    public void SetTicker(string symbol, string tickerObjectJson)
    {
        ArgumentException.ThrowIfNullOrEmpty(symbol);
        ArgumentNullException.ThrowIfNull(tickerObjectJson);
        lock (_gate)
        {
            if (!_tickers.ContainsKey(symbol))
            {
                _tickerOrder.Add(symbol);
            }

            _tickers[symbol] = tickerObjectJson;
        }
    }

    /// <summary>
    /// The klines <c>/api/v3/klines</c> serves for this symbol and interval, in Binance's 12-column
    /// array form (open time, open, high, low, close, volume, close time, quote volume, trades, taker
    /// buy base, taker buy quote, ignore). Replaces what was set before; sorted by open time. Open
    /// time, close time and trades go out as JSON numbers, the other columns as strings.
    /// </summary>
    public void SetKlines(string symbol, string interval, IEnumerable<string[]> rows)
    {
        ArgumentException.ThrowIfNullOrEmpty(symbol);
        ArgumentNullException.ThrowIfNull(rows);
        if (!Intervals.Contains(interval))
        {
            throw new ArgumentException($"'{interval}' is not a Binance kline interval.", nameof(interval));
        }

        var parsed = new List<KlineRow>();
        foreach (var row in rows)
        {
            if (row is null || row.Length == 0 ||
                !long.TryParse(row[0], NumberStyles.Integer, CultureInfo.InvariantCulture, out var openTime))
            {
                throw new ArgumentException("Every kline row needs its open time (Unix ms) in the first column.", nameof(rows));
            }

            parsed.Add(new KlineRow(openTime, KlineRowJson(row)));
        }

        var sorted = parsed.OrderBy(r => r.OpenTime).ToArray();
        lock (_gate)
        {
            _klines[(symbol, interval)] = sorted;
            _klineSymbols.Add(symbol);
        }
    }

    /// <summary>
    /// The next <paramref name="count"/> REST requests are answered with this status (429 "slow down",
    /// 418 "banned", or any other error status) and a <c>Retry-After</c> header (omitted when
    /// <paramref name="retryAfterSeconds"/> is negative), without charging weight.
    /// </summary>
    public void FailNextRequests(int statusCode, int count, int retryAfterSeconds)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(statusCode, 400);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(statusCode, 599);
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        lock (_gate)
        {
            _failStatus = statusCode;
            _failRemaining = count;
            _failRetryAfterSeconds = retryAfterSeconds;
        }
    }

    internal void Housekeep(TimeSpan now)
    {
        var lifetime = MaxConnectionLifetime;
        if (lifetime is null)
        {
            return;
        }

        foreach (var connection in _connections.Open)
        {
            if (now - connection.OpenedOnClock >= lifetime.Value)
            {
                _ = connection.InitiateCloseAsync("lifetime", WebSocketCloseStatus.NormalClosure, "lifetime");
            }
        }
    }

    internal void AbortAll(string closedBy) => _connections.AbortAll(closedBy);

    internal async Task HandleStreamAsync(HttpContext context)
    {
        if (!context.WebSockets.IsWebSocketRequest)
        {
            context.Response.StatusCode = StatusCodes.Status400BadRequest;
            return;
        }

        var streams = context.Request.Query["streams"].ToString()
            .Split('/', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var accept = new WebSocketAcceptContext();
        bool keepAliveTimeout;
        TimeSpan grace;
        lock (_gate)
        {
            keepAliveTimeout = _pingInterval is { } interval && interval > TimeSpan.Zero;
            // A keep-alive timeout makes ASP.NET Core send real pings (without one it sends unsolicited pongs).
            accept.KeepAliveInterval = keepAliveTimeout ? _pingInterval!.Value : TimeSpan.Zero;
            if (keepAliveTimeout)
            {
                accept.KeepAliveTimeout = _pongTimeout > TimeSpan.Zero ? _pongTimeout : TimeSpan.FromDays(1);
            }

            grace = _serverShutdownGrace;
        }

        using var socket = await context.WebSockets.AcceptWebSocketAsync(accept).ConfigureAwait(false);
        var connection = _connections.Add(ordinal =>
            new FakeConnection(ordinal, socket, context, streams.Distinct(StringComparer.Ordinal), keepAliveTimeout, _clock)
            {
                ServerShutdownGrace = grace,
                Wire = _wire.Of(context.Connection.Id),
            });
        if (_stopping())
        {
            connection.AbortCore("shutdown");
        }

        await connection.RunAsync(OnMessageAsync).ConfigureAwait(false);
    }

    internal Task HandleTickerAsync(HttpContext context) =>
        HandleRestAsync(context, TickerWeight(context.Request.Query), AnswerTicker);

    internal Task HandleKlinesAsync(HttpContext context) => HandleRestAsync(context, 2, AnswerKlines);

    private async Task OnMessageAsync(FakeConnection connection, string? text)
    {
        if (connection.CountIncomingInLastSecond() > MaxIncomingPerSecond)
        {
            await connection.InitiateCloseAsync("1008 too many messages", WebSocketCloseStatus.PolicyViolation, "too many messages")
                .ConfigureAwait(false);
            return;
        }

        if (text is null)
        {
            return; // Binary messages mean nothing to Binance; they only count against the rate.
        }

        var reply = Reply(connection, text);
        await connection.TrySendAsync(reply, respectSilence: true).ConfigureAwait(false);
    }

    /// <summary>The answer to one client request (SUBSCRIBE, UNSUBSCRIBE, LIST_SUBSCRIPTIONS), or Binance's error for it.</summary>
    private static string Reply(FakeConnection connection, string text)
    {
        using var document = Json.TryParseObject(text);
        if (document is null)
        {
            return """{"code":3,"msg":"Invalid JSON: expected value at line 1 column 1"}""";
        }

        var root = document.RootElement;
        var id = root.TryGetProperty("id", out var idElement) ? idElement.GetRawText() : "null";
        if (!root.TryGetProperty("method", out var methodElement) || methodElement.ValueKind != JsonValueKind.String)
        {
            return Error(2, "Invalid request: missing field `method`", id);
        }

        var method = methodElement.GetString();
        List<string>? parameters = null;
        if (method is "SUBSCRIBE" or "UNSUBSCRIBE")
        {
            parameters = root.TryGetProperty("params", out var p) ? Json.StringArray(p) : null;
            if (parameters is null)
            {
                return Error(2, "Invalid request: missing field `params`", id);
            }
        }

        switch (method)
        {
            case "SUBSCRIBE":
                connection.Subscribe(parameters!);
                return "{\"result\":null,\"id\":" + id + "}";
            case "UNSUBSCRIBE":
                connection.Unsubscribe(parameters!);
                return "{\"result\":null,\"id\":" + id + "}";
            case "LIST_SUBSCRIPTIONS":
                return "{\"result\":" + Json.Write(w =>
                {
                    w.WriteStartArray();
                    foreach (var stream in connection.Streams)
                    {
                        w.WriteStringValue(stream);
                    }

                    w.WriteEndArray();
                }) + ",\"id\":" + id + "}";
            default:
                return Error(2, $"Invalid request: unknown variant `{method}`, expected one of `SUBSCRIBE`, `UNSUBSCRIBE`, `LIST_SUBSCRIPTIONS`", id);
        }

        static string Error(int code, string message, string id) =>
            "{\"code\":" + code.ToString(CultureInfo.InvariantCulture) + ",\"msg\":" + Json.Quote(message) + ",\"id\":" + id + "}";
    }

    private async Task HandleRestAsync(HttpContext context, int weight, Func<IQueryCollection, (int Status, string Body)> answer)
    {
        var receivedAt = DateTimeOffset.UtcNow;
        int status;
        var body = "";
        var charged = 0;
        int used;
        int? retryAfter = null;
        lock (_gate)
        {
            RollWeightWindow(receivedAt);
            if (_failRemaining > 0)
            {
                _failRemaining--;
                status = _failStatus;
                retryAfter = _failRetryAfterSeconds >= 0 ? _failRetryAfterSeconds : null;
                body = FailureBody(status, receivedAt.AddSeconds(Math.Max(0, _failRetryAfterSeconds)));
            }
            else if (_usedWeight + weight > _weightLimitPerMinute)
            {
                status = StatusCodes.Status429TooManyRequests;
                var windowEnd = _weightWindowStart!.Value + _weightWindow;
                retryAfter = Math.Max(1, (int)Math.Ceiling((windowEnd - receivedAt).TotalSeconds));
                body = FailureBody(status, windowEnd);
            }
            else
            {
                _usedWeight += weight;
                charged = weight;
                status = 0;
            }

            used = _usedWeight;
        }

        if (status == 0)
        {
            (status, body) = answer(context.Request.Query);
        }

        var response = context.Response;
        response.StatusCode = status;
        response.ContentType = "application/json;charset=UTF-8";
        response.Headers["X-MBX-USED-WEIGHT-1M"] = used.ToString(CultureInfo.InvariantCulture);
        if (retryAfter is { } seconds)
        {
            response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
        }

        var pathAndQuery = context.Request.Path.Value + context.Request.QueryString.Value;
        lock (_gate)
        {
            _requests.Add(new FakeRequest(receivedAt, pathAndQuery, status, charged));
        }

        await response.WriteAsync(body, Encoding.UTF8).ConfigureAwait(false);
    }

    private string FailureBody(int status, DateTimeOffset until) => status switch
    {
        StatusCodes.Status429TooManyRequests => Error(-1003,
            $"Too much request weight used; current limit is {_weightLimitPerMinute} request weight per 1 MINUTE. "
            + "Please use WebSocket Streams for live updates to avoid polling the API."),
        StatusCodes.Status418ImATeapot => Error(-1003,
            $"Way too much request weight used; IP banned until {until.ToUnixTimeMilliseconds()}. "
            + "Please use WebSocket Streams for live updates to avoid bans."),
        _ => Error(-1000, "An unknown error occurred while processing the request."),
    };

    private void RollWeightWindow(DateTimeOffset now)
    {
        if (_weightWindowStart is null || now - _weightWindowStart.Value >= _weightWindow)
        {
            _weightWindowStart = _weightWindowAlignedToClock
                ? DateTimeOffset.FromUnixTimeMilliseconds(now.ToUnixTimeMilliseconds() / (long)_weightWindow.TotalMilliseconds * (long)_weightWindow.TotalMilliseconds)
                : now;
            _usedWeight = 0;
        }
    }

    /// <summary>Binance's weights for /api/v3/ticker/24hr: 2 for one symbol or 1-20, 40 for 21-100, 80 for more or all.</summary>
    private static int TickerWeight(IQueryCollection query)
    {
        if (query.ContainsKey("symbol"))
        {
            return 2;
        }

        if (query.TryGetValue("symbols", out var symbols))
        {
            var count = ParseSymbols(symbols.ToString())?.Count ?? 1;
            return count <= 20 ? 2 : count <= 100 ? 40 : 80;
        }

        return 80;
    }

    private (int Status, string Body) AnswerTicker(IQueryCollection query)
    {
        var hasSymbol = query.TryGetValue("symbol", out var symbolValue);
        var hasSymbols = query.TryGetValue("symbols", out var symbolsValue);
        if (hasSymbol && hasSymbols)
        {
            return (400, Error(-1101, "Combination of optional parameters invalid."));
        }

        lock (_gate)
        {
            if (hasSymbol)
            {
                return _tickers.TryGetValue(symbolValue.ToString(), out var ticker) ? (200, ticker) : InvalidSymbol();
            }

            List<string> symbols;
            if (hasSymbols)
            {
                var requested = ParseSymbols(symbolsValue.ToString());
                if (requested is null || requested.Count == 0)
                {
                    return (400, Error(-1100, "Illegal characters found in parameter 'symbols'; legal range is a JSON array of symbols."));
                }

                symbols = requested;
            }
            else
            {
                symbols = _tickerOrder;
            }

            var body = new StringBuilder("[");
            foreach (var symbol in symbols)
            {
                if (!_tickers.TryGetValue(symbol, out var ticker))
                {
                    return InvalidSymbol();
                }

                if (body.Length > 1)
                {
                    body.Append(',');
                }

                body.Append(ticker);
            }

            return (200, body.Append(']').ToString());
        }
    }

    private (int Status, string Body) AnswerKlines(IQueryCollection query)
    {
        var symbol = query["symbol"].ToString();
        var interval = query["interval"].ToString();
        if (symbol.Length == 0)
        {
            return MissingParameter("symbol");
        }

        if (interval.Length == 0)
        {
            return MissingParameter("interval");
        }

        if (!Intervals.Contains(interval))
        {
            return (400, Error(-1120, "Invalid interval."));
        }

        if (!TryParseLong(query, "startTime", out var startTime) || !TryParseLong(query, "endTime", out var endTime))
        {
            return (400, Error(-1100, "Illegal characters found in a parameter; legal range is '^[0-9]{1,20}$'."));
        }

        var limit = 500;
        if (query.TryGetValue("limit", out var limitValue) &&
            (!int.TryParse(limitValue.ToString(), NumberStyles.Integer, CultureInfo.InvariantCulture, out limit) || limit < 1 || limit > 1000))
        {
            return (400, Error(-1130, "Invalid data sent for a parameter."));
        }

        KlineRow[] rows;
        lock (_gate)
        {
            if (!_klineSymbols.Contains(symbol) && !_tickers.ContainsKey(symbol))
            {
                return InvalidSymbol();
            }

            rows = _klines.TryGetValue((symbol, interval), out var stored) ? stored : [];
        }

        var matching = rows.Where(r => (startTime is null || r.OpenTime >= startTime) && (endTime is null || r.OpenTime <= endTime));
        // From startTime forwards; without it, the most recent rows (up to endTime).
        var page = startTime is not null ? matching.Take(limit) : matching.TakeLast(limit);
        return (200, "[" + string.Join(',', page.Select(r => r.Json)) + "]");
    }

    private static bool TryParseLong(IQueryCollection query, string name, out long? value)
    {
        value = null;
        if (!query.TryGetValue(name, out var text))
        {
            return true;
        }

        if (long.TryParse(text.ToString(), NumberStyles.None, CultureInfo.InvariantCulture, out var parsed))
        {
            value = parsed;
            return true;
        }

        return false;
    }

    private static List<string>? ParseSymbols(string text)
    {
        try
        {
            using var document = JsonDocument.Parse(text);
            return Json.StringArray(document.RootElement);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static string KlineRowJson(string[] row) => Json.Write(w =>
    {
        w.WriteStartArray();
        for (var i = 0; i < row.Length; i++)
        {
            // Binance sends open time, close time and the trade count as numbers, prices and volumes as strings.
            if (i is 0 or 6 or 8 && long.TryParse(row[i], NumberStyles.Integer, CultureInfo.InvariantCulture, out var number))
            {
                w.WriteNumberValue(number);
            }
            else
            {
                w.WriteStringValue(row[i]);
            }
        }

        w.WriteEndArray();
    });

    private static (int, string) InvalidSymbol() => (400, Error(-1121, "Invalid symbol."));

    private static (int, string) MissingParameter(string name) =>
        (400, Error(-1102, $"Mandatory parameter '{name}' was not sent, was empty/null, or malformed."));

    private static string Error(int code, string message) =>
        "{\"code\":" + code.ToString(CultureInfo.InvariantCulture) + ",\"msg\":" + Json.Quote(message) + "}";

    private readonly record struct KlineRow(long OpenTime, string Json);
}
