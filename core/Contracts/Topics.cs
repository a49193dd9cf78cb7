namespace Lambda.Core.Contracts;

/// <summary>The event log's topics (DESIGN.md). The same names serve Kafka and the embedded log.</summary>
public static class Topics
{
    public const string Prices = "crypto-prices";
    public const string Klines = "crypto-klines";
    public const string Trades = "crypto-trades";
    public const string Alerts = "price-alerts";
    public const string DeadLetter = "crypto-deadletter";

    public static IReadOnlyList<string> All { get; } = [Prices, Klines, Trades, Alerts, DeadLetter];
}
