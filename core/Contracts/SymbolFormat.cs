namespace Lambda.Core.Contracts;

/// <summary>What a symbol looks like on our log: upper-case letters and digits, e.g. <c>BTCUSDT</c>.</summary>
public static class SymbolFormat
{
    public static bool IsValid(string symbol) =>
        symbol.Length is > 0 and <= 32 && symbol.All(c => char.IsAsciiLetterUpper(c) || char.IsAsciiDigit(c));
}
