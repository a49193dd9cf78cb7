using System.Text.Json;
using System.Text.Json.Serialization;

namespace Lambda.Core.Windows;

/// <summary>One kept kline update of a window (the latest of its open time).</summary>
public readonly record struct KlineSlot(
    long OpenTime,
    long EventTime,
    double Open,
    double High,
    double Low,
    double Close,
    double Volume,
    double QuoteVolume,
    long Trades,
    bool IsClosed);

/// <summary>An open klines window: its kept updates in open-time order.</summary>
public sealed record KlineWindowState(
    string Exchange,
    string Symbol,
    long Start,
    long FirstEventTime,
    long LastEventTime,
    IReadOnlyList<KlineSlot> Slots);

/// <summary>An open trades window: running aggregates and the trade ids seen (ascending).</summary>
public sealed record TradeWindowState(
    string Exchange,
    string Symbol,
    long Start,
    long OpenTradeTime,
    long OpenTradeId,
    double OpenPrice,
    long CloseTradeTime,
    long CloseTradeId,
    double ClosePrice,
    double High,
    double Low,
    double Volume,
    double QuoteVolume,
    long FirstEventTime,
    long LastEventTime,
    IReadOnlyList<long> TradeIds);

/// <summary>An open tickers window: running aggregates.</summary>
public sealed record TickerWindowState(
    string Exchange,
    string Symbol,
    long Start,
    long FirstEventTime,
    double FirstPrice,
    long LastEventTime,
    double LastPrice,
    double MinPrice,
    double MaxPrice,
    double PriceSum,
    double Volume24h,
    double QuoteVolume24h,
    long Ticks);

/// <summary>One input of a <see cref="CandleWindowEngine"/>: the largest event time it delivered (Unix ms, <see cref="long.MinValue"/> before any) and whether it is idle.</summary>
public sealed record InputWatermarkState(string Name, long MaxEventTime, bool Idle);

/// <summary>
/// The whole state of a <see cref="CandleWindowEngine"/>: enough to rebuild an identical engine
/// (<see cref="CandleWindowEngine.Restore"/>). Lists are sorted, so equal engines give equal JSON.
/// </summary>
/// <param name="MaxEventTime">Largest event time seen, Unix ms (<see cref="long.MinValue"/> before any).</param>
/// <param name="ClosedBefore">Windows ending at or before this (Unix ms) are closed: the watermark, or later after a flush.</param>
/// <param name="Pending">Closed windows not yet taken with <see cref="CandleWindowEngine.TakeClosed"/>.</param>
/// <param name="Inputs">Per input, its largest event time and whether it is idle (sorted by name); null in version 1, which kept none.</param>
public sealed record CandleWindowState(
    int Version,
    CandleWindowOptions Options,
    long MaxEventTime,
    long ClosedBefore,
    WindowCounters Counters,
    IReadOnlyList<KlineWindowState> Klines,
    IReadOnlyList<TradeWindowState> Trades,
    IReadOnlyList<TickerWindowState> Tickers,
    WindowEmission Pending,
    IReadOnlyList<InputWatermarkState>? Inputs = null)
{
    /// <summary>2: per-input watermarks (<see cref="Inputs"/>).</summary>
    public const int CurrentVersion = 2;

    /// <summary>
    /// What the closed windows had merged, so that exact copies arriving later count as duplicates, not
    /// late. Not a constructor parameter: snapshots written before it existed still load (with none).
    /// </summary>
    public IReadOnlyList<ClosedWindowEvents> ClosedEvents { get; init; } = [];

    public string ToJson() => JsonSerializer.Serialize(this, WindowJsonContext.Default.CandleWindowState);

    public static CandleWindowState FromJson(string json) =>
        JsonSerializer.Deserialize(json, WindowJsonContext.Default.CandleWindowState)
        ?? throw new JsonException("a window state must not be null");
}

/// <summary>Source-generated JSON for the window engine's state and outputs.</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    DefaultIgnoreCondition = JsonIgnoreCondition.Never,
    RespectRequiredConstructorParameters = true)]
[JsonSerializable(typeof(CandleWindowState))]
public sealed partial class WindowJsonContext : JsonSerializerContext;
