namespace Lambda.Core.Contracts;

/// <summary>A price move of at least <see cref="ThresholdPercent"/> since the symbol's last alert.</summary>
public sealed record AlertEvent : MarketEvent
{
    public required double PreviousPrice { get; init; }
    public required double Price { get; init; }
    public required double ChangePercent { get; init; }
    public required double ThresholdPercent { get; init; }

    protected override string ContractTopic => Topics.Alerts;
}
