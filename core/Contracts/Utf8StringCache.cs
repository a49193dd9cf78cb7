using System.Text;

namespace Lambda.Core.Contracts;

/// <summary>
/// Shares the string of a short, often repeated JSON string value (an exchange, a symbol, a source, an interval):
/// millions of events carry a handful of distinct values, so reading one should not allocate a new string each time.
/// A direct-mapped table of immutable entries: thread-safe without locks (an entry is replaced as a whole), and a
/// value that collides with another is still read correctly, only not shared.
/// </summary>
internal static class Utf8StringCache
{
    /// <summary>Longer values are not worth keeping.</summary>
    public const int MaxLength = 32;

    private const int Slots = 1024;

    private static readonly Entry?[] Table = new Entry?[Slots];

    /// <summary>The string of <paramref name="utf8"/>, which the caller has checked is valid UTF-8 (an unescaped JSON string's bytes).</summary>
    public static string Get(ReadOnlySpan<byte> utf8)
    {
        if (utf8.Length > MaxLength)
        {
            return Encoding.UTF8.GetString(utf8);
        }

        var slot = Hash(utf8) & (Slots - 1);
        var entry = Table[slot];
        if (entry is not null && utf8.SequenceEqual(entry.Utf8))
        {
            return entry.Text;
        }

        var text = Encoding.UTF8.GetString(utf8);
        Table[slot] = new Entry(utf8.ToArray(), text);
        return text;
    }

    /// <summary>FNV-1a: values are a few bytes long.</summary>
    private static int Hash(ReadOnlySpan<byte> utf8)
    {
        var hash = 2166136261u;
        foreach (var b in utf8)
        {
            hash = (hash ^ b) * 16777619u;
        }

        return (int)(hash ^ (hash >> 15));
    }

    private sealed record Entry(byte[] Utf8, string Text);
}
