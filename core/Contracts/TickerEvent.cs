namespace Lambda.Core.Contracts;

/// <summary>
/// 24 h rolling statistics of one symbol, on <c>crypto-prices</c>. The field set is that of the
/// original Python price producer, so views built on it keep working.
/// </summary>
public sealed record TickerEvent : MarketEvent
{
    public required double Price { get; init; }
    public required double Open { get; init; }
    public required double High { get; init; }
    public required double Low { get; init; }
    public required double Volume { get; init; }
    public required double QuoteVolume { get; init; }
    public required long NumberTrades { get; init; }
    public required double PriceChange { get; init; }
    public required double PriceChangePercent { get; init; }

    /// <summary>Processing time (when we built the event), ISO 8601 UTC.</summary>
    public required DateTimeOffset Timestamp { get; init; }

    protected override string ContractTopic => Topics.Prices;
}
