using System.Text.Json;

namespace Lambda.Dashboard.Board;

/// <summary>One message for the page: an SSE event name and its JSON.</summary>
public readonly record struct PageMessage(string Event, string Json);

/// <summary>
/// One connected page. The board only marks what changed (which tiles, which candles, that alerts or
/// the status moved): sets bounded by the number of symbols and days, whatever the event rate. The
/// page's writer takes the marks when it is ready and sends the latest state for each, so a page
/// that reads slowly gets fewer, fresher updates and never holds up the feed or other pages.
/// </summary>
public sealed class PageConnection : IDisposable
{
    private readonly MarketBoard _board;
    private readonly Lock _gate = new();
    private readonly SemaphoreSlim _signal = new(0, 1);
    private HashSet<string> _tiles = new(StringComparer.Ordinal);
    private HashSet<(string Key, long Day)> _candles = [];
    private bool _allSeries;
    private bool _status;
    private bool _alerts;
    private long _alertsSeen;
    private int _signalled;

    internal PageConnection(MarketBoard board)
    {
        _board = board;
        _alertsSeen = board.AlertSequence;
    }

    /// <summary>Waits for changes, then returns the latest state of everything that changed.</summary>
    public async Task<IReadOnlyList<PageMessage>> NextAsync(CancellationToken cancellationToken)
    {
        await _signal.WaitAsync(cancellationToken).ConfigureAwait(false);
        Volatile.Write(ref _signalled, 0);
        HashSet<string> tiles;
        HashSet<(string Key, long Day)> candles;
        bool allSeries, status, alerts;
        lock (_gate)
        {
            (tiles, _tiles) = (_tiles, new HashSet<string>(StringComparer.Ordinal));
            (candles, _candles) = (_candles, []);
            (allSeries, status, alerts) = (_allSeries, _status, _alerts);
            (_allSeries, _status, _alerts) = (false, false, false);
        }

        var messages = new List<PageMessage>();
        if (alerts)
        {
            foreach (var alert in _board.AlertsAfter(_alertsSeen, out _alertsSeen))
            {
                messages.Add(new("alert", JsonSerializer.Serialize(alert, BoardJsonContext.Default.AlertItem)));
            }
        }

        foreach (var key in tiles)
        {
            if (_board.TileOf(key) is { } tile)
            {
                messages.Add(new("tile", JsonSerializer.Serialize(tile, BoardJsonContext.Default.Tile)));
            }
        }

        if (allSeries)
        {
            foreach (var key in _board.SeriesKeys())
            {
                messages.Add(new("series", JsonSerializer.Serialize(_board.SeriesOf(key), BoardJsonContext.Default.Series)));
            }
        }
        else
        {
            foreach (var (key, day) in candles)
            {
                if (_board.CandleOf(key, day) is { } candle)
                {
                    messages.Add(new("candle", JsonSerializer.Serialize(candle, BoardJsonContext.Default.CandleUpdate)));
                }
            }
        }

        if (status || messages.Count > 0)
        {
            messages.Add(new("status", JsonSerializer.Serialize(_board.StatusNow(), BoardJsonContext.Default.Status)));
        }

        return messages;
    }

    public void Dispose()
    {
        _board.Disconnect(this);
        _signal.Dispose();
    }

    internal void MarkChanged(string key, long day)
    {
        lock (_gate)
        {
            _tiles.Add(key);
            _candles.Add((key, day));
        }

        Signal();
    }

    internal void MarkAlertsChanged()
    {
        lock (_gate)
        {
            _alerts = true;
        }

        Signal();
    }

    internal void MarkAllSeriesChanged()
    {
        lock (_gate)
        {
            _allSeries = true;
        }

        Signal();
    }

    internal void MarkStatusChanged()
    {
        lock (_gate)
        {
            _status = true;
        }

        Signal();
    }

    private void Signal()
    {
        if (Interlocked.Exchange(ref _signalled, 1) == 0)
        {
            try
            {
                _signal.Release();
            }
            catch (ObjectDisposedException)
            {
                // the page went away between the mark and the signal
            }
        }
    }
}
