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
    public static string For(string exchange, string? symbol) =>
        string.IsNullOrEmpty(symbol) ? exchange : string.Concat(exchange, ":", symbol);
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
