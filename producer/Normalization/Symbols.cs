namespace Lambda.Producer.Normalization;

/// <summary>Symbols as our contract spells them: upper case.</summary>
internal static class Symbols
{
    /// <summary>Upper-cases only when needed: exchanges already send <c>BTCUSDT</c>, so this rarely allocates.</summary>
    public static string ToContract(string symbol) =>
        symbol.AsSpan().ContainsAnyInRange('a', 'z') ? symbol.ToUpperInvariant() : symbol;
}
