using Lambda.Core.Views;

namespace Lambda.Merge.Serving;

/// <summary>
/// The join key of the serving layer, <c>(exchange, symbol, day)</c>, and the order every view is
/// sorted in: exchange and symbol by ordinal comparison, then day.
/// </summary>
public readonly record struct CandleKey(string Exchange, string Symbol, DateOnly Day) : IComparable<CandleKey>
{
    public static CandleKey Of(DailyCandle candle) => new(candle.Exchange, candle.Symbol, candle.Day);

    public static int Compare(DailyCandle a, DailyCandle b)
    {
        var c = string.CompareOrdinal(a.Exchange, b.Exchange);
        if (c == 0)
        {
            c = string.CompareOrdinal(a.Symbol, b.Symbol);
        }

        return c != 0 ? c : a.Day.CompareTo(b.Day);
    }

    public int CompareTo(CandleKey other)
    {
        var c = string.CompareOrdinal(Exchange, other.Exchange);
        if (c == 0)
        {
            c = string.CompareOrdinal(Symbol, other.Symbol);
        }

        return c != 0 ? c : Day.CompareTo(other.Day);
    }

    public static bool operator <(CandleKey left, CandleKey right) => left.CompareTo(right) < 0;

    public static bool operator >(CandleKey left, CandleKey right) => left.CompareTo(right) > 0;

    public static bool operator <=(CandleKey left, CandleKey right) => left.CompareTo(right) <= 0;

    public static bool operator >=(CandleKey left, CandleKey right) => left.CompareTo(right) >= 0;

    public override string ToString() => $"{Exchange} {Symbol} {Day:yyyy-MM-dd}";
}
