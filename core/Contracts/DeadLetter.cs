namespace Lambda.Core.Contracts;

/// <summary>
/// Input we could not accept, kept with the reason so that nothing is lost silently. The symbol is
/// empty when the frame was too broken to name one; the event time is then the receive time.
/// </summary>
public sealed record DeadLetter : MarketEvent
{
    /// <summary>The rule broken or the parse error, e.g. <c>price.positive: price is -1</c>.</summary>
    public required string Reason { get; init; }

    /// <summary>The frame exactly as received.</summary>
    public required string Raw { get; init; }

    public required DateTimeOffset ReceivedAt { get; init; }

    protected override string ContractTopic => Topics.DeadLetter;
}
