using System.Runtime.InteropServices;

namespace Lambda.Core.Windows;

/// <summary>Dictionary key of one window: struct, ordinal string equality.</summary>
internal readonly struct WindowKey(string exchange, string symbol, long start) : IEquatable<WindowKey>
{
    public string Exchange { get; } = exchange;
    public string Symbol { get; } = symbol;
    public long Start { get; } = start;

    public bool Equals(WindowKey other) =>
        Start == other.Start && string.Equals(Exchange, other.Exchange, StringComparison.Ordinal) && string.Equals(Symbol, other.Symbol, StringComparison.Ordinal);

    public override bool Equals(object? obj) => obj is WindowKey other && Equals(other);

    public override int GetHashCode() => HashCode.Combine(Exchange, Symbol, Start);

    /// <summary>Output order: window start, exchange, symbol (ordinal).</summary>
    public static int Compare(string e1, string s1, long t1, string e2, string s2, long t2)
    {
        var c = t1.CompareTo(t2);
        if (c != 0)
        {
            return c;
        }

        c = string.CompareOrdinal(e1, e2);
        return c != 0 ? c : string.CompareOrdinal(s1, s2);
    }
}

internal abstract class WindowBase(string exchange, string symbol, long start)
{
    public string Exchange { get; } = exchange;
    public string Symbol { get; } = symbol;
    public long Start { get; } = start;
    public long FirstEventTime { get; protected set; } = long.MaxValue;
    public long LastEventTime { get; protected set; } = long.MinValue;

    protected void NoteEventTime(long eventTime)
    {
        if (eventTime < FirstEventTime)
        {
            FirstEventTime = eventTime;
        }

        if (eventTime > LastEventTime)
        {
            LastEventTime = eventTime;
        }
    }
}

/// <summary>The kept (latest) update per kline open time, in open-time order.</summary>
internal sealed class KlineWindow(string exchange, string symbol, long start) : WindowBase(exchange, symbol, start)
{
    private readonly List<KlineSlot> _slots = [];

    public List<KlineSlot> Slots => _slots;

    public static KlineWindow From(KlineWindowState state)
    {
        var window = new KlineWindow(state.Exchange, state.Symbol, state.Start)
        {
            FirstEventTime = state.FirstEventTime,
            LastEventTime = state.LastEventTime,
        };
        window._slots.AddRange(state.Slots);
        return window;
    }

    public KlineWindowState ToState() => new(Exchange, Symbol, Start, FirstEventTime, LastEventTime, _slots.ToArray());

    /// <summary>Replaces the update of the same open time unless that one is closed (final) or newer.</summary>
    public bool Merge(in KlineSlot slot)
    {
        var n = _slots.Count;
        if (n == 0 || _slots[n - 1].OpenTime < slot.OpenTime)
        {
            _slots.Add(slot);
            NoteEventTime(slot.EventTime);
            return true;
        }

        var span = CollectionsMarshal.AsSpan(_slots);
        var index = span[n - 1].OpenTime == slot.OpenTime ? n - 1 : Find(span, slot.OpenTime);
        if (index < 0)
        {
            _slots.Insert(~index, slot);
            NoteEventTime(slot.EventTime);
            return true;
        }

        ref readonly var kept = ref span[index];
        if (kept.IsClosed || slot.EventTime < kept.EventTime || kept == slot)
        {
            return false;
        }

        span[index] = slot;
        NoteEventTime(slot.EventTime);
        return true;
    }

    private static int Find(ReadOnlySpan<KlineSlot> slots, long openTime)
    {
        int lo = 0, hi = slots.Length - 1;
        while (lo <= hi)
        {
            var mid = lo + ((hi - lo) >> 1);
            var t = slots[mid].OpenTime;
            if (t == openTime)
            {
                return mid;
            }

            if (t < openTime)
            {
                lo = mid + 1;
            }
            else
            {
                hi = mid - 1;
            }
        }

        return ~lo;
    }
}

internal sealed class TradeWindow(string exchange, string symbol, long start) : WindowBase(exchange, symbol, start)
{
    private readonly HashSet<long> _ids = [];

    public long OpenTradeTime { get; private set; } = long.MaxValue;
    public long OpenTradeId { get; private set; } = long.MaxValue;
    public double OpenPrice { get; private set; }
    public long CloseTradeTime { get; private set; } = long.MinValue;
    public long CloseTradeId { get; private set; } = long.MinValue;
    public double ClosePrice { get; private set; }
    public double High { get; private set; } = double.MinValue;
    public double Low { get; private set; } = double.MaxValue;
    public double Volume { get; private set; }
    public double QuoteVolume { get; private set; }
    public long Count => _ids.Count;

    public IEnumerable<long> TradeIds => _ids;

    public static TradeWindow From(TradeWindowState s)
    {
        var window = new TradeWindow(s.Exchange, s.Symbol, s.Start)
        {
            OpenTradeTime = s.OpenTradeTime,
            OpenTradeId = s.OpenTradeId,
            OpenPrice = s.OpenPrice,
            CloseTradeTime = s.CloseTradeTime,
            CloseTradeId = s.CloseTradeId,
            ClosePrice = s.ClosePrice,
            High = s.High,
            Low = s.Low,
            Volume = s.Volume,
            QuoteVolume = s.QuoteVolume,
            FirstEventTime = s.FirstEventTime,
            LastEventTime = s.LastEventTime,
        };
        window._ids.EnsureCapacity(s.TradeIds.Count);
        foreach (var id in s.TradeIds)
        {
            window._ids.Add(id);
        }

        return window;
    }

    public TradeWindowState ToState()
    {
        var ids = new long[_ids.Count];
        _ids.CopyTo(ids);
        Array.Sort(ids);
        return new(Exchange, Symbol, Start, OpenTradeTime, OpenTradeId, OpenPrice, CloseTradeTime, CloseTradeId, ClosePrice,
            High, Low, Volume, QuoteVolume, FirstEventTime, LastEventTime, ids);
    }

    /// <summary>False when the trade id was already counted.</summary>
    public bool Add(long tradeId, long tradeTime, double price, double quantity, long eventTime)
    {
        if (!_ids.Add(tradeId))
        {
            return false;
        }

        if (tradeTime < OpenTradeTime || (tradeTime == OpenTradeTime && tradeId < OpenTradeId))
        {
            OpenTradeTime = tradeTime;
            OpenTradeId = tradeId;
            OpenPrice = price;
        }

        if (tradeTime > CloseTradeTime || (tradeTime == CloseTradeTime && tradeId > CloseTradeId))
        {
            CloseTradeTime = tradeTime;
            CloseTradeId = tradeId;
            ClosePrice = price;
        }

        if (price > High)
        {
            High = price;
        }

        if (price < Low)
        {
            Low = price;
        }

        Volume += quantity;
        QuoteVolume += price * quantity;
        NoteEventTime(eventTime);
        return true;
    }
}

internal sealed class TickerWindow(string exchange, string symbol, long start) : WindowBase(exchange, symbol, start)
{
    public double FirstPrice { get; private set; }
    public double LastPrice { get; private set; }
    public double MinPrice { get; private set; } = double.MaxValue;
    public double MaxPrice { get; private set; } = double.MinValue;
    public double PriceSum { get; private set; }
    public double Volume24h { get; private set; }
    public double QuoteVolume24h { get; private set; }
    public long Ticks { get; private set; }

    public static TickerWindow From(TickerWindowState s) => new(s.Exchange, s.Symbol, s.Start)
    {
        FirstEventTime = s.FirstEventTime,
        FirstPrice = s.FirstPrice,
        LastEventTime = s.LastEventTime,
        LastPrice = s.LastPrice,
        MinPrice = s.MinPrice,
        MaxPrice = s.MaxPrice,
        PriceSum = s.PriceSum,
        Volume24h = s.Volume24h,
        QuoteVolume24h = s.QuoteVolume24h,
        Ticks = s.Ticks,
    };

    public TickerWindowState ToState() => new(Exchange, Symbol, Start, FirstEventTime, FirstPrice, LastEventTime, LastPrice,
        MinPrice, MaxPrice, PriceSum, Volume24h, QuoteVolume24h, Ticks);

    /// <summary>First = smallest event time (earliest arrival on a tie), last = largest (latest arrival on a tie).</summary>
    public void Add(long eventTime, double price, double volume24h, double quoteVolume24h)
    {
        if (eventTime < FirstEventTime)
        {
            FirstEventTime = eventTime;
            FirstPrice = price;
        }

        if (eventTime >= LastEventTime)
        {
            LastEventTime = eventTime;
            LastPrice = price;
            Volume24h = volume24h;
            QuoteVolume24h = quoteVolume24h;
        }

        if (price < MinPrice)
        {
            MinPrice = price;
        }

        if (price > MaxPrice)
        {
            MaxPrice = price;
        }

        PriceSum += price;
        Ticks++;
    }
}
