using Lambda.Merge.Serving;

namespace Lambda.Merge.Reports;

/// <summary>The last days of one series, oldest first.</summary>
public sealed record SeriesDays(string Exchange, string Symbol, IReadOnlyList<ServingCandle> Rows);

/// <summary>
/// Keeps the last <c>count</c> serving rows of every series (exchange, symbol) from the rows as they
/// are written (sorted): what the console table and the chart show. Memory: count rows per series.
/// </summary>
public sealed class LastDays(int count)
{
    private readonly List<SeriesDays> _done = [];
    private readonly Queue<ServingCandle> _current = new();
    private string? _exchange;
    private string? _symbol;

    public int Count { get; } = count;

    public void Add(ServingCandle row)
    {
        if (Count == 0)
        {
            return;
        }

        var c = row.Candle;
        if (!string.Equals(c.Exchange, _exchange, StringComparison.Ordinal) || !string.Equals(c.Symbol, _symbol, StringComparison.Ordinal))
        {
            Close();
            (_exchange, _symbol) = (c.Exchange, c.Symbol);
        }

        if (_current.Count == Count)
        {
            _current.Dequeue();
        }

        _current.Enqueue(row);
    }

    public IReadOnlyList<SeriesDays> Result()
    {
        Close();
        return _done;
    }

    private void Close()
    {
        if (_exchange is not null && _symbol is not null)
        {
            _done.Add(new SeriesDays(_exchange, _symbol, [.. _current]));
        }

        _current.Clear();
        (_exchange, _symbol) = (null, null);
    }
}
