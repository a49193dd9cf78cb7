using Lambda.Core.Views;

namespace Lambda.Core.Windows;

/// <summary>What an engine did with one event.</summary>
public enum WindowEventStatus
{
    /// <summary>The event changed its window.</summary>
    Merged,

    /// <summary>Nothing changed: the same update or trade again, an older update, or an update of a closed (final) kline.</summary>
    Duplicate,

    /// <summary>Its window was already closed: not merged, to be dead-lettered with <see cref="WindowEventResult.Reason"/>.</summary>
    Late,

    /// <summary>Not for this engine: a kline of another interval.</summary>
    Ignored,
}

/// <summary>The outcome of one event; <see cref="Reason"/> is set for late events only.</summary>
public readonly record struct WindowEventResult(WindowEventStatus Status, string? Reason = null)
{
    public static WindowEventResult Merged => new(WindowEventStatus.Merged);
    public static WindowEventResult Duplicate => new(WindowEventStatus.Duplicate);
    public static WindowEventResult Ignored => new(WindowEventStatus.Ignored);
}

/// <summary>Running counts of event outcomes over the engine's life (restored with its state).</summary>
public readonly record struct WindowCounters(long Merged, long Duplicates, long Late, long Ignored);

/// <summary>A candle with the exact window it covers ([start, end), UTC); <c>Candle.Day</c> is the start's date.</summary>
public sealed record WindowCandle(DateTimeOffset WindowStart, DateTimeOffset WindowEnd, DailyCandle Candle);

/// <summary>
/// The ticker-only view (the original price-stream job's behaviour) of one (exchange, symbol, window): first/last price by
/// event time, min/max/average price, the last 24 h volume seen, and the tick count.
/// </summary>
public sealed record TickerDayStats(
    string Exchange,
    string Symbol,
    DateOnly Day,
    DateTimeOffset WindowStart,
    DateTimeOffset WindowEnd,
    double FirstPrice,
    double LastPrice,
    double MinPrice,
    double MaxPrice,
    double AvgPrice,
    double Volume24h,
    double QuoteVolume24h,
    long Ticks,
    string Source,
    bool Complete,
    DateTimeOffset FirstEventTime,
    DateTimeOffset LastEventTime);

/// <summary>
/// Windows handed out together (closed, flushed or live), each list ordered by (window start,
/// exchange, symbol) with ordinal string order.
/// </summary>
public sealed record WindowEmission(
    IReadOnlyList<WindowCandle> KlineCandles,
    IReadOnlyList<WindowCandle> TradeCandles,
    IReadOnlyList<TickerDayStats> TickerStats)
{
    public static WindowEmission Empty { get; } = new([], [], []);

    public bool IsEmpty => KlineCandles.Count == 0 && TradeCandles.Count == 0 && TickerStats.Count == 0;
}
