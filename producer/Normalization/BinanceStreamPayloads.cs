using System.Text.Json.Serialization;

namespace Lambda.Producer.Normalization;

// The `data` objects of Binance spot streams, only the fields we map. Every property is nullable so that a
// missing field is told apart from a zero and can be named; FirstMissingField names the first one absent.
// Binance keys differ only by case (e/E, c/C, q/Q, t/T), which is why the JSON context stays case-sensitive.

/// <summary><c>&lt;symbol&gt;@ticker</c>, event <c>24hrTicker</c>.</summary>
internal sealed record BinanceTickerPayload
{
    [JsonPropertyName("E")] public long? EventTime { get; init; }
    [JsonPropertyName("s")] public string? Symbol { get; init; }
    [JsonPropertyName("c")] public double? LastPrice { get; init; }
    [JsonPropertyName("o")] public double? OpenPrice { get; init; }
    [JsonPropertyName("h")] public double? HighPrice { get; init; }
    [JsonPropertyName("l")] public double? LowPrice { get; init; }
    [JsonPropertyName("v")] public double? Volume { get; init; }
    [JsonPropertyName("q")] public double? QuoteVolume { get; init; }
    [JsonPropertyName("n")] public long? NumberTrades { get; init; }
    [JsonPropertyName("p")] public double? PriceChange { get; init; }
    [JsonPropertyName("P")] public double? PriceChangePercent { get; init; }

    public string? FirstMissingField() =>
        EventTime is null ? "E"
        : Symbol is null ? "s"
        : LastPrice is null ? "c"
        : OpenPrice is null ? "o"
        : HighPrice is null ? "h"
        : LowPrice is null ? "l"
        : Volume is null ? "v"
        : QuoteVolume is null ? "q"
        : NumberTrades is null ? "n"
        : PriceChange is null ? "p"
        : PriceChangePercent is null ? "P"
        : null;
}

/// <summary><c>&lt;symbol&gt;@kline_&lt;interval&gt;</c>, event <c>kline</c>.</summary>
internal sealed record BinanceKlinePayload
{
    [JsonPropertyName("E")] public long? EventTime { get; init; }
    [JsonPropertyName("s")] public string? Symbol { get; init; }
    [JsonPropertyName("k")] public BinanceKlineBody? Kline { get; init; }

    public string? FirstMissingField() =>
        EventTime is null ? "E"
        : Symbol is null ? "s"
        : Kline is null ? "k"
        : Kline.FirstMissingField() is { } field ? "k." + field
        : null;
}

/// <summary>The candle inside a kline event (<c>k</c>).</summary>
internal sealed record BinanceKlineBody
{
    [JsonPropertyName("t")] public long? OpenTime { get; init; }
    [JsonPropertyName("T")] public long? CloseTime { get; init; }
    [JsonPropertyName("i")] public string? Interval { get; init; }
    [JsonPropertyName("o")] public double? Open { get; init; }
    [JsonPropertyName("c")] public double? Close { get; init; }
    [JsonPropertyName("h")] public double? High { get; init; }
    [JsonPropertyName("l")] public double? Low { get; init; }
    [JsonPropertyName("v")] public double? Volume { get; init; }
    [JsonPropertyName("n")] public long? Trades { get; init; }
    [JsonPropertyName("x")] public bool? IsClosed { get; init; }
    [JsonPropertyName("q")] public double? QuoteVolume { get; init; }

    public string? FirstMissingField() =>
        OpenTime is null ? "t"
        : CloseTime is null ? "T"
        : Interval is null ? "i"
        : Open is null ? "o"
        : Close is null ? "c"
        : High is null ? "h"
        : Low is null ? "l"
        : Volume is null ? "v"
        : Trades is null ? "n"
        : IsClosed is null ? "x"
        : QuoteVolume is null ? "q"
        : null;
}

/// <summary><c>&lt;symbol&gt;@trade</c>, event <c>trade</c>: one raw trade.</summary>
internal sealed record BinanceTradePayload
{
    [JsonPropertyName("E")] public long? EventTime { get; init; }
    [JsonPropertyName("s")] public string? Symbol { get; init; }
    [JsonPropertyName("t")] public long? TradeId { get; init; }
    [JsonPropertyName("p")] public double? Price { get; init; }
    [JsonPropertyName("q")] public double? Quantity { get; init; }
    [JsonPropertyName("T")] public long? TradeTime { get; init; }
    [JsonPropertyName("m")] public bool? IsBuyerMaker { get; init; }

    public string? FirstMissingField() =>
        EventTime is null ? "E"
        : Symbol is null ? "s"
        : TradeId is null ? "t"
        : Price is null ? "p"
        : Quantity is null ? "q"
        : TradeTime is null ? "T"
        : IsBuyerMaker is null ? "m"
        : null;
}

/// <summary>
/// <c>&lt;symbol&gt;@aggTrade</c>, event <c>aggTrade</c>: the fills of one taker order at one price. Its id is
/// <c>a</c>; in a raw trade <c>a</c> was once the seller's order id, hence a record of its own.
/// </summary>
internal sealed record BinanceAggTradePayload
{
    [JsonPropertyName("E")] public long? EventTime { get; init; }
    [JsonPropertyName("s")] public string? Symbol { get; init; }
    [JsonPropertyName("a")] public long? AggregateTradeId { get; init; }
    [JsonPropertyName("p")] public double? Price { get; init; }
    [JsonPropertyName("q")] public double? Quantity { get; init; }
    [JsonPropertyName("T")] public long? TradeTime { get; init; }
    [JsonPropertyName("m")] public bool? IsBuyerMaker { get; init; }

    public string? FirstMissingField() =>
        EventTime is null ? "E"
        : Symbol is null ? "s"
        : AggregateTradeId is null ? "a"
        : Price is null ? "p"
        : Quantity is null ? "q"
        : TradeTime is null ? "T"
        : IsBuyerMaker is null ? "m"
        : null;
}
