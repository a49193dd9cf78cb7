using System.Collections.Concurrent;
using System.Text;
using System.Text.Json.Serialization;

namespace Lambda.Core.Contracts;

/// <summary>
/// What every event on the log carries (DESIGN.md, event contracts). Records are immutable so an
/// event can be handed to several sinks without copying.
/// </summary>
public abstract record MarketEvent
{
    /// <summary>Exchange in lower case: <c>binance</c>, <c>bybit</c>.</summary>
    [JsonPropertyOrder(-4)]
    public required string Exchange { get; init; }

    /// <summary>Symbol in upper case, e.g. <c>BTCUSDT</c>.</summary>
    [JsonPropertyOrder(-3)]
    public required string Symbol { get; init; }

    /// <summary>The exchange's event time, Unix milliseconds. Decides the window, not arrival.</summary>
    [JsonPropertyOrder(-2)]
    public required long EventTime { get; init; }

    /// <summary><c>websocket</c>, <c>rest</c> or <c>replay</c>: see <see cref="EventSources"/>.</summary>
    [JsonPropertyOrder(-1)]
    public required string Source { get; init; }

    /// <summary>The topic this kind of event lives on.</summary>
    [JsonIgnore]
    public string Topic => ContractTopic;

    /// <summary>The Kafka key that keeps one symbol's events ordered in one partition.</summary>
    [JsonIgnore]
    public string Key => EventKey.For(Exchange, Symbol);

    /// <summary>Each contract names its topic; protected so that it is never serialized.</summary>
    protected abstract string ContractTopic { get; }
}

/// <summary>The message key of DESIGN.md: <c>{exchange}:{symbol}</c>.</summary>
public static class EventKey
{
    // A handful of symbols make millions of events: build each key (and its UTF-8 bytes) once.
    private static readonly ConcurrentDictionary<(string Exchange, string Symbol), (string Text, byte[] Utf8)> Keys = new();

    public static string For(string exchange, string? symbol) => Cached(exchange, symbol).Text;

    /// <summary>The key as UTF-8 bytes, shared: callers must not modify it.</summary>
    public static byte[] Utf8For(string exchange, string? symbol) => Cached(exchange, symbol).Utf8;

    private static (string Text, byte[] Utf8) Cached(string exchange, string? symbol) =>
        Keys.GetOrAdd((exchange, symbol ?? ""), static pair =>
        {
            var text = pair.Symbol.Length == 0 ? pair.Exchange : string.Concat(pair.Exchange, ":", pair.Symbol);
            return (text, Encoding.UTF8.GetBytes(text));
        });
}

/// <summary>Where an event entered the system.</summary>
public static class EventSources
{
    public const string WebSocket = "websocket";
    public const string Rest = "rest";
    public const string Replay = "replay";
}

/// <summary>The exchanges the connectors speak to.</summary>
public static class Exchanges
{
    public const string Binance = "binance";
    public const string Bybit = "bybit";

    public static IReadOnlyList<string> All { get; } = [Binance, Bybit];
}
