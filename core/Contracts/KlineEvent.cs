namespace Lambda.Core.Contracts;

/// <summary>
/// One update of a candle (kline) on <c>crypto-klines</c>. An open kline (<see cref="IsClosed"/>
/// false) is superseded by later updates of the same <see cref="OpenTime"/>; consumers replace,
/// never add.
/// </summary>
public sealed record KlineEvent : MarketEvent
{
    /// <summary>Binance interval notation: <c>1m</c>, <c>4h</c>, <c>1d</c>…</summary>
    public required string Interval { get; init; }

    /// <summary>Start of the candle, Unix ms (inclusive).</summary>
    public required long OpenTime { get; init; }

    /// <summary>End of the candle, Unix ms (inclusive, Binance style: open + length − 1).</summary>
    public required long CloseTime { get; init; }

    public required double Open { get; init; }
    public required double High { get; init; }
    public required double Low { get; init; }
    public required double Close { get; init; }
    public required double Volume { get; init; }
    public required double QuoteVolume { get; init; }
    public required long Trades { get; init; }
    public required bool IsClosed { get; init; }

    protected override string ContractTopic => Topics.Klines;
}
