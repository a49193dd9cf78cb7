namespace Lambda.Core.Contracts;

/// <summary>One trade (or aggregated trade) on <c>crypto-trades</c>.</summary>
public sealed record TradeEvent : MarketEvent
{
    public required long TradeId { get; init; }
    public required double Price { get; init; }
    public required double Quantity { get; init; }

    /// <summary>When the trade happened, Unix ms.</summary>
    public required long TradeTime { get; init; }

    public required bool IsBuyerMaker { get; init; }

    protected override string ContractTopic => Topics.Trades;
}
