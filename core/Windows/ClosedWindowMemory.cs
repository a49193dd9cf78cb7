namespace Lambda.Core.Windows;

/// <summary>The fingerprints of the events kept by one closed window (sorted, for equal snapshots).</summary>
public sealed record ClosedWindowEvents(long Start, IReadOnlyList<ulong> Fingerprints);

/// <summary>
/// What the closed windows had merged, as 64-bit fingerprints per window start: an event that arrives
/// after its window closed is a duplicate (not late) when it is exactly an event the window already
/// had, e.g. a capture or CSV replayed twice. Fingerprints are FNV-1a over the event's fields, stable
/// across processes, so a restored engine classifies like the one that wrote the snapshot.
/// </summary>
/// <remarks>
/// Bounded: at most <see cref="Capacity"/> fingerprints; the windows that closed first are forgotten
/// first, and an exact copy of an event of a forgotten window counts as late again.
/// </remarks>
internal sealed class ClosedWindowMemory
{
    public const int Capacity = 250_000;

    private readonly SortedDictionary<long, HashSet<ulong>> _windows = [];
    private int _count;

    public void Remember(long start, IEnumerable<ulong> fingerprints)
    {
        if (!_windows.TryGetValue(start, out var set))
        {
            _windows[start] = set = [];
        }

        foreach (var fingerprint in fingerprints)
        {
            if (set.Add(fingerprint))
            {
                _count++;
            }
        }

        while (_count > Capacity && _windows.Count > 1)
        {
            var oldest = _windows.First();
            _count -= oldest.Value.Count;
            _windows.Remove(oldest.Key);
        }
    }

    public bool Contains(long start, ulong fingerprint) => _windows.TryGetValue(start, out var set) && set.Contains(fingerprint);

    public IReadOnlyList<ClosedWindowEvents> Snapshot() =>
        [.. _windows.Select(w => new ClosedWindowEvents(w.Key, [.. w.Value.Order()]))];

    public void Restore(IEnumerable<ClosedWindowEvents> windows)
    {
        foreach (var window in windows)
        {
            Remember(window.Start, window.Fingerprints);
        }
    }

    public static ulong Of(string exchange, string symbol, in KlineSlot slot)
    {
        var hash = Start(exchange, symbol);
        hash = Mix(hash, slot.OpenTime);
        hash = Mix(hash, slot.EventTime);
        hash = Mix(hash, BitConverter.DoubleToInt64Bits(slot.Open));
        hash = Mix(hash, BitConverter.DoubleToInt64Bits(slot.High));
        hash = Mix(hash, BitConverter.DoubleToInt64Bits(slot.Low));
        hash = Mix(hash, BitConverter.DoubleToInt64Bits(slot.Close));
        hash = Mix(hash, BitConverter.DoubleToInt64Bits(slot.Volume));
        hash = Mix(hash, BitConverter.DoubleToInt64Bits(slot.QuoteVolume));
        hash = Mix(hash, slot.Trades);
        return Mix(hash, slot.IsClosed ? 1 : 0);
    }

    /// <summary>A trade is known by its id within its exchange and symbol.</summary>
    public static ulong OfTrade(string exchange, string symbol, long tradeId) => Mix(Start(exchange, symbol), tradeId);

    private const ulong Prime = 1_099_511_628_211;

    private static ulong Start(string exchange, string symbol)
    {
        var hash = 14_695_981_039_346_656_037;
        foreach (var c in exchange)
        {
            hash = (hash ^ c) * Prime;
        }

        hash = (hash ^ '|') * Prime;
        foreach (var c in symbol)
        {
            hash = (hash ^ c) * Prime;
        }

        return hash;
    }

    private static ulong Mix(ulong hash, long value)
    {
        for (var i = 0; i < 8; i++)
        {
            hash = (hash ^ (byte)(value >> (8 * i))) * Prime;
        }

        return hash;
    }
}
