using System.Buffers.Binary;
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

    /// <summary>The string read before from these bytes, or null.</summary>
    public static string? Find(ReadOnlySpan<byte> utf8)
    {
        if (utf8.Length > MaxLength)
        {
            return null;
        }

        var entry = Table[Slot(utf8)];
        return entry is not null && utf8.SequenceEqual(entry.Utf8) ? entry.Text : null;
    }

    /// <summary>The string of <paramref name="utf8"/>, which the caller has checked is valid UTF-8 (an unescaped JSON string's bytes), kept for <see cref="Find"/>.</summary>
    public static string Add(ReadOnlySpan<byte> utf8)
    {
        var text = Encoding.UTF8.GetString(utf8);
        if (utf8.Length <= MaxLength)
        {
            Table[Slot(utf8)] = new Entry(utf8.ToArray(), text);
        }

        return text;
    }

    /// <summary>Mixes the length and the first and last (up to) four bytes: enough to tell symbols and exchanges apart.</summary>
    private static int Slot(ReadOnlySpan<byte> utf8)
    {
        uint head = 0, tail = 0;
        if (utf8.Length >= 4)
        {
            head = BinaryPrimitives.ReadUInt32LittleEndian(utf8);
            tail = BinaryPrimitives.ReadUInt32LittleEndian(utf8[^4..]);
        }
        else
        {
            foreach (var b in utf8)
            {
                head = (head << 8) | b;
            }
        }

        var hash = ((head * 0x9E3779B1u) ^ (tail * 0x85EBCA6Bu) ^ (uint)utf8.Length) * 0xC2B2AE35u;
        return (int)(hash >> 22);
    }

    private sealed record Entry(byte[] Utf8, string Text);
}
