namespace Lambda.Producer.Normalization;

/// <summary>
/// Trade ids as our contract wants them: non-negative longs. Bybit sends its ids as strings, numeric for spot but
/// UUIDs for derivatives; a non-numeric id becomes a stable hash so the same trade always gets the same id.
/// </summary>
internal static class TradeIds
{
    private const ulong FnvOffsetBasis = 14695981039346656037;
    private const ulong FnvPrime = 1099511628211;

    /// <summary>The id itself when it is a run of digits that fits a long, otherwise <see cref="Hash"/>.</summary>
    public static long FromText(ReadOnlySpan<byte> utf8)
    {
        if (!utf8.IsEmpty && utf8.IndexOfAnyExceptInRange((byte)'0', (byte)'9') < 0
            && System.Buffers.Text.Utf8Parser.TryParse(utf8, out long id, out var consumed) && consumed == utf8.Length)
        {
            return id;
        }

        return Hash(utf8);
    }

    /// <summary>64-bit FNV-1a of the bytes with the sign bit cleared: stable across runs, machines and versions.</summary>
    public static long Hash(ReadOnlySpan<byte> utf8)
    {
        var hash = FnvOffsetBasis;
        foreach (var b in utf8)
        {
            hash ^= b;
            hash *= FnvPrime;
        }

        return (long)(hash & long.MaxValue);
    }
}
