using Lambda.Core.Views;
using Lambda.Core.Contracts;

namespace Lambda.Core.Windows;

/// <summary>How a measure of a window is computed from its events' values.</summary>
public enum WindowAggregate
{
    /// <summary>The value of the event first in the recipe's order (open).</summary>
    EarliestByOrder,

    /// <summary>The value of the event last in the recipe's order (close).</summary>
    LatestByOrder,

    Maximum,
    Minimum,
    Sum,
    Average,

    /// <summary>The number of events counted (after deduplication).</summary>
    Count,
}

/// <summary>How repeated deliveries of one event are recognised, so that they count once.</summary>
public enum WindowDeduplication
{
    /// <summary>Every event counts (tickers: each tick is an observation).</summary>
    None,

    /// <summary>One event per key; the first delivery wins (trades by trade id).</summary>
    FirstPerKey,

    /// <summary>
    /// Only final (closed) versions count, one per key, the earliest by event time: a kline is
    /// counted once however often it is delivered, and an open kline never adds to the sums.
    /// </summary>
    FinalPerKey,
}

/// <summary>When a window's row says <c>complete = true</c>.</summary>
public enum WindowCompleteness
{
    /// <summary>All the kline intervals of the window are there (6 of 6 4h klines in a day).</summary>
    AllIntervals,

    /// <summary>The event-time clock went past the window's end (closed by the watermark or the end of the input).</summary>
    PassedByEventTime,
}

/// <summary>One output column of a window: <paramref name="Aggregate"/> of the input <paramref name="Input"/>.</summary>
/// <param name="Input">An event field (snake_case), or for <see cref="WindowAggregate.Count"/> null.</param>
public sealed record WindowMeasure(string Column, WindowAggregate Aggregate, string? Input, string Type);

/// <summary>
/// The semantics of one speed view (DESIGN.md, views) written down once: which event time puts an
/// event in a window, how duplicates are recognised, which order decides open and close, how each
/// column is aggregated, and when a window is complete. The Spark engine builds its plan from this
/// description (speed-layer/Spark), and a conformance test checks that the embedded engine
/// (<see cref="CandleWindowEngine"/>) computes exactly what it says, so the engines cannot drift apart
/// without a test failing.
/// </summary>
public sealed record WindowRecipe(
    string Topic,
    string WindowTime,
    IReadOnlyList<string> OrderBy,
    WindowDeduplication Deduplication,
    IReadOnlyList<string> Key,
    string? FinalFlag,
    IReadOnlyList<WindowMeasure> Measures,
    WindowCompleteness Completeness,
    IReadOnlyList<string> OutputColumns);

/// <summary>The recipes of the speed layer's views.</summary>
public static class CandleSemantics
{
    /// <summary>The DailyCandle columns in the order of DESIGN.md (and of the Parquet views).</summary>
    public static IReadOnlyList<string> DailyCandleColumns { get; } =
    [
        "exchange", "symbol", "day", "open", "high", "low", "close", "volume", "quote_volume", "trades",
        "source", "complete", "first_event_time", "last_event_time",
    ];

    /// <summary>The ticker view's columns (<c>ticker_stats</c>), in file order.</summary>
    public static IReadOnlyList<string> TickerStatsColumns { get; } =
    [
        "exchange", "symbol", "day", "window_start", "window_end", "first_price", "last_price", "min_price", "max_price",
        "avg_price", "volume_24h", "quote_volume_24h", "ticks", "source", "complete", "first_event_time", "last_event_time",
    ];

    /// <summary>Daily candles from klines: exact (6 closed 4h klines give the 1d kline), each kline once.</summary>
    public static WindowRecipe Klines { get; } = new(
        Topics.Klines,
        WindowTime: "open_time",
        OrderBy: ["open_time"],
        WindowDeduplication.FinalPerKey,
        Key: ["exchange", "symbol", "interval", "open_time"],
        FinalFlag: "is_closed",
        Measures:
        [
            new("open", WindowAggregate.EarliestByOrder, "open", "double"),
            new("high", WindowAggregate.Maximum, "high", "double"),
            new("low", WindowAggregate.Minimum, "low", "double"),
            new("close", WindowAggregate.LatestByOrder, "close", "double"),
            new("volume", WindowAggregate.Sum, "volume", "double"),
            new("quote_volume", WindowAggregate.Sum, "quote_volume", "double"),
            new("trades", WindowAggregate.Sum, "trades", "bigint"),
        ],
        WindowCompleteness.AllIntervals,
        DailyCandleColumns);

    /// <summary>Daily candles from trades: each trade id once; open/close by trade time (then trade id).</summary>
    public static WindowRecipe Trades { get; } = new(
        Topics.Trades,
        WindowTime: "trade_time",
        OrderBy: ["trade_time", "trade_id"],
        WindowDeduplication.FirstPerKey,
        Key: ["exchange", "symbol", "trade_id"],
        FinalFlag: null,
        Measures:
        [
            new("open", WindowAggregate.EarliestByOrder, "price", "double"),
            new("high", WindowAggregate.Maximum, "price", "double"),
            new("low", WindowAggregate.Minimum, "price", "double"),
            new("close", WindowAggregate.LatestByOrder, "price", "double"),
            new("volume", WindowAggregate.Sum, "quantity", "double"),
            new("quote_volume", WindowAggregate.Sum, "price * quantity", "double"),
            new("trades", WindowAggregate.Count, null, "bigint"),
        ],
        WindowCompleteness.PassedByEventTime,
        DailyCandleColumns);

    /// <summary>The ticker view: first/last/min/max/avg price, the last 24 h volumes seen, the tick count.</summary>
    public static WindowRecipe Tickers { get; } = new(
        Topics.Prices,
        WindowTime: "event_time",
        OrderBy: ["event_time"],
        WindowDeduplication.None,
        Key: [],
        FinalFlag: null,
        Measures:
        [
            new("first_price", WindowAggregate.EarliestByOrder, "price", "double"),
            new("last_price", WindowAggregate.LatestByOrder, "price", "double"),
            new("min_price", WindowAggregate.Minimum, "price", "double"),
            new("max_price", WindowAggregate.Maximum, "price", "double"),
            new("avg_price", WindowAggregate.Average, "price", "double"),
            new("volume_24h", WindowAggregate.LatestByOrder, "volume", "double"),
            new("quote_volume_24h", WindowAggregate.LatestByOrder, "quote_volume", "double"),
            new("ticks", WindowAggregate.Count, null, "bigint"),
        ],
        WindowCompleteness.PassedByEventTime,
        TickerStatsColumns);

    public static WindowRecipe ForTopic(string topic) => topic switch
    {
        Topics.Klines => Klines,
        Topics.Trades => Trades,
        Topics.Prices => Tickers,
        _ => throw new ArgumentException($"no speed view is built from topic '{topic}'", nameof(topic)),
    };

    /// <summary>The JSON fields of each topic's events with their Spark SQL types (the event contracts).</summary>
    public static string EventSchema(string topic) => topic switch
    {
        Topics.Klines => "exchange STRING, symbol STRING, event_time BIGINT, source STRING, interval STRING, open_time BIGINT, close_time BIGINT, "
            + "open DOUBLE, high DOUBLE, low DOUBLE, close DOUBLE, volume DOUBLE, quote_volume DOUBLE, trades BIGINT, is_closed BOOLEAN",
        Topics.Trades => "exchange STRING, symbol STRING, event_time BIGINT, source STRING, trade_id BIGINT, price DOUBLE, quantity DOUBLE, "
            + "trade_time BIGINT, is_buyer_maker BOOLEAN",
        Topics.Prices => "exchange STRING, symbol STRING, event_time BIGINT, source STRING, price DOUBLE, open DOUBLE, high DOUBLE, low DOUBLE, "
            + "volume DOUBLE, quote_volume DOUBLE, number_trades BIGINT, price_change DOUBLE, price_change_percent DOUBLE, timestamp STRING",
        _ => throw new ArgumentException($"no event schema for topic '{topic}'", nameof(topic)),
    };
}
