using Lambda.Core.Views;
using Lambda.Merge.Serving;

namespace Lambda.Merge.Reports;

/// <summary>Days missing from a series: <paramref name="From"/> to <paramref name="To"/>, both included.</summary>
public sealed record DayGap(DateOnly From, DateOnly To)
{
    public int Days => To.DayNumber - From.DayNumber + 1;
}

/// <summary>Where one series' (exchange, symbol) serving days came from, and which days between its first and last are missing.</summary>
public sealed record SeriesCoverage(
    string Exchange,
    string Symbol,
    DateOnly FirstDay,
    DateOnly LastDay,
    long Days,
    long FromBatch,
    long FromSpeed,
    long Incomplete,
    IReadOnlyList<DayGap> Gaps)
{
    public long Missing => Gaps.Sum(g => (long)g.Days);
}

/// <summary>
/// Builds the <see cref="SeriesCoverage"/> of every series from the serving rows as they are written
/// (sorted by exchange, symbol, day): one series is open at a time, so memory is one record per series
/// plus its gaps.
/// </summary>
public sealed class CoverageTracker
{
    private readonly List<SeriesCoverage> _done = [];
    private readonly List<DayGap> _gaps = [];
    private string? _exchange;
    private string? _symbol;
    private DateOnly _first;
    private DateOnly _last;
    private long _days;
    private long _batch;
    private long _speed;
    private long _incomplete;

    public void Add(ServingCandle row)
    {
        var c = row.Candle;
        if (!string.Equals(c.Exchange, _exchange, StringComparison.Ordinal) || !string.Equals(c.Symbol, _symbol, StringComparison.Ordinal))
        {
            Close();
            (_exchange, _symbol, _first) = (c.Exchange, c.Symbol, c.Day);
        }
        else if (c.Day.DayNumber > _last.DayNumber + 1)
        {
            _gaps.Add(new DayGap(_last.AddDays(1), c.Day.AddDays(-1)));
        }

        _last = c.Day;
        _days++;
        if (string.Equals(c.Source, ViewLayout.Sources.Batch, StringComparison.Ordinal))
        {
            _batch++;
        }
        else
        {
            _speed++;
        }

        if (!c.Complete)
        {
            _incomplete++;
        }
    }

    public IReadOnlyList<SeriesCoverage> Result()
    {
        Close();
        return _done;
    }

    private void Close()
    {
        if (_exchange is null || _symbol is null)
        {
            return;
        }

        _done.Add(new SeriesCoverage(_exchange, _symbol, _first, _last, _days, _batch, _speed, _incomplete, [.. _gaps]));
        _gaps.Clear();
        (_exchange, _symbol, _days, _batch, _speed, _incomplete) = (null, null, 0, 0, 0, 0);
    }
}
