using Lambda.Core.Contracts;

namespace Lambda.Dashboard.Board;

/// <summary>
/// What the page shows, kept up to date by the live feed and the views: a tile per symbol, the last
/// alerts, the daily candles (the serving and speed views, with the days seen live grown from live
/// events), and the status. Changes are not pushed to browsers here: each connected page
/// (<see cref="PageConnection"/>) is only marked with what changed and takes the latest state when
/// it is ready, so a slow or gone browser costs the feed nothing and its backlog cannot grow.
/// </summary>
public sealed class MarketBoard(TimeProvider clock)
{
    /// <summary>Alerts the page lists (newest first) and a page just connecting receives.</summary>
    public const int AlertsKept = 50;

    /// <summary>Days of live candles kept per symbol: the live chart needs the current day and the few before it.</summary>
    private const int LiveDaysKept = 7;

    private const long DayMs = 86_400_000;
    private const long SampleMs = 60_000;

    private readonly Lock _gate = new();
    private readonly Dictionary<string, SymbolState> _symbols = new(StringComparer.Ordinal);
    private readonly LinkedList<AlertItem> _alerts = new();
    private readonly List<PageConnection> _pages = [];
    private IReadOnlyDictionary<string, IReadOnlyList<Bar>> _views = new Dictionary<string, IReadOnlyList<Bar>>();
    private string _viewsDescription = "no views read yet";
    private long _lastEventTimestamp;
    private long _events;
    private long _deadLetters;
    private long _unreadable;

    /// <summary>The live source as the status line names it, and whether it is connected.</summary>
    public string Source { get; set; } = "none";

    public bool Connected { get; set; }

    public long Events => Interlocked.Read(ref _events);

    /// <summary>Applies one live event (any thread).</summary>
    public void Apply(MarketEvent marketEvent)
    {
        lock (_gate)
        {
            _events++;
            _lastEventTimestamp = clock.GetTimestamp();
            switch (marketEvent)
            {
                case DeadLetter:
                    _deadLetters++;
                    return;
                case AlertEvent alert:
                    AddAlert(alert);
                    return;
            }

            if (PriceOf(marketEvent) is not { } price || !double.IsFinite(price) || price <= 0)
            {
                _unreadable++;
                return;
            }

            var key = EventKey.For(marketEvent.Exchange, marketEvent.Symbol);
            if (!_symbols.TryGetValue(key, out var state))
            {
                _symbols[key] = state = new SymbolState(marketEvent.Exchange, marketEvent.Symbol, clock);
            }

            state.Observe(marketEvent, price);
            var day = state.GrowLiveCandle(marketEvent, price);
            foreach (var page in _pages)
            {
                page.MarkChanged(key, day);
            }
        }
    }

    /// <summary>A message that could not be read as its contract (counted on the status line).</summary>
    public void RecordUnreadable()
    {
        lock (_gate)
        {
            _unreadable++;
        }
    }

    /// <summary>Replaces the candles read from the views (per symbol key, oldest first).</summary>
    public void SetViews(IReadOnlyDictionary<string, IReadOnlyList<Bar>> views, string description)
    {
        lock (_gate)
        {
            _views = views;
            _viewsDescription = description;
            foreach (var page in _pages)
            {
                page.MarkAllSeriesChanged();
            }
        }
    }

    public PageConnection Connect()
    {
        var page = new PageConnection(this);
        lock (_gate)
        {
            _pages.Add(page);
        }

        return page;
    }

    internal void Disconnect(PageConnection page)
    {
        lock (_gate)
        {
            _pages.Remove(page);
        }
    }

    /// <summary>Asks every page to refresh its status line (the last event's age moves on its own).</summary>
    public void MarkStatusChanged()
    {
        lock (_gate)
        {
            foreach (var page in _pages)
            {
                page.MarkStatusChanged();
            }
        }
    }

    public int Pages
    {
        get
        {
            lock (_gate)
            {
                return _pages.Count;
            }
        }
    }

    public Snapshot Snapshot()
    {
        lock (_gate)
        {
            var keys = _symbols.Keys.Union(_views.Keys).Order(StringComparer.Ordinal);
            return new Snapshot(StatusNow(), [.. _symbols.Values.OrderBy(s => s.Key, StringComparer.Ordinal).Select(s => s.Tile())], [.. _alerts],
                [.. keys.Select(SeriesOf)]);
        }
    }

    internal Status StatusNow()
    {
        lock (_gate)
        {
            long? age = _lastEventTimestamp == 0 ? null : (long)clock.GetElapsedTime(_lastEventTimestamp).TotalMilliseconds;
            return new Status(Source, Connected, age, _deadLetters, _events, _unreadable, _viewsDescription);
        }
    }

    internal Tile? TileOf(string key)
    {
        lock (_gate)
        {
            return _symbols.TryGetValue(key, out var state) ? state.Tile() : null;
        }
    }

    /// <summary>The candle of <paramref name="day"/> as the chart shows it: the live one merged with the views' row of that day.</summary>
    internal CandleUpdate? CandleOf(string key, long day)
    {
        lock (_gate)
        {
            if (!_symbols.TryGetValue(key, out var state) || !state.LiveDays.TryGetValue(day, out var live))
            {
                return null;
            }

            var view = _views.TryGetValue(key, out var bars) ? bars.LastOrDefault(b => b.Time == day / 1000) : null;
            return new CandleUpdate(key, Combine(view, live));
        }
    }

    internal Series SeriesOf(string key)
    {
        lock (_gate)
        {
            var byDay = new SortedDictionary<long, Bar>();
            if (_views.TryGetValue(key, out var bars))
            {
                foreach (var bar in bars)
                {
                    byDay[bar.Time] = bar;
                }
            }

            if (_symbols.TryGetValue(key, out var state))
            {
                foreach (var (day, live) in state.LiveDays)
                {
                    byDay[day / 1000] = Combine(byDay.GetValueOrDefault(day / 1000), live);
                }
            }

            return new Series(key, [.. byDay.Values]);
        }
    }

    internal IReadOnlyList<string> SeriesKeys()
    {
        lock (_gate)
        {
            return [.. _symbols.Keys.Union(_views.Keys)];
        }
    }

    /// <summary>Alerts newer than <paramref name="seen"/> (a sequence number), oldest first.</summary>
    internal IReadOnlyList<AlertItem> AlertsAfter(long seen, out long latest)
    {
        lock (_gate)
        {
            latest = _alertSequence;
            var count = (int)Math.Min(latest - seen, _alerts.Count);
            return [.. _alerts.Take(count).Reverse()];
        }
    }

    private long _alertSequence;

    internal long AlertSequence
    {
        get
        {
            lock (_gate)
            {
                return _alertSequence;
            }
        }
    }

    private void AddAlert(AlertEvent alert)
    {
        if (!double.IsFinite(alert.Price) || !double.IsFinite(alert.PreviousPrice) || !double.IsFinite(alert.ChangePercent) || !double.IsFinite(alert.ThresholdPercent))
        {
            _unreadable++;
            return;
        }

        _alerts.AddFirst(new AlertItem(EventKey.For(alert.Exchange, alert.Symbol), alert.Exchange, alert.Symbol, alert.PreviousPrice, alert.Price,
            alert.ChangePercent, alert.ThresholdPercent, alert.EventTime));
        if (_alerts.Count > AlertsKept)
        {
            _alerts.RemoveLast();
        }

        _alertSequence++;
        foreach (var page in _pages)
        {
            page.MarkAlertsChanged();
        }
    }

    /// <summary>
    /// A day seen live over the views' row of that day: a complete view row stands (the day is over and
    /// settled); otherwise the extremes of both, the open of the earlier and the close of the later.
    /// </summary>
    private static Bar Combine(Bar? view, LiveCandle live)
    {
        if (view is null)
        {
            return live.Bar();
        }

        if (view.Complete)
        {
            return view;
        }

        return new Bar(view.Time, live.FirstTime < view.Time * 1000 ? live.Open : view.Open, Math.Max(view.High, live.High), Math.Min(view.Low, live.Low),
            live.Close, LiveCandle.Source, false);
    }

    private static double? PriceOf(MarketEvent marketEvent) => marketEvent switch
    {
        TickerEvent t => t.Price,
        TradeEvent t => t.Price,
        KlineEvent k => k.Close,
        _ => null,
    };

    /// <summary>One symbol: its last price, the prices of the last 24 h of event time, its arrival rate, its live candles.</summary>
    private sealed class SymbolState(string exchange, string symbol, TimeProvider clock)
    {
        // Prices sampled a minute apart: the reference 24 h back is found in at most 1,441 entries at any event rate.
        private readonly LinkedList<(long Time, double Price)> _lastDay = new();
        private readonly RateMeter _rate = new(clock);
        private double _price;
        private double? _tickerChange;
        private long _events;
        private long _lastEventTime;

        public string Key { get; } = EventKey.For(exchange, symbol);

        public SortedDictionary<long, LiveCandle> LiveDays { get; } = [];

        public void Observe(MarketEvent marketEvent, double price)
        {
            _events++;
            _rate.Record();
            if (marketEvent.EventTime < _lastEventTime)
            {
                return; // an older event (another stream's lag) does not move the last price back
            }

            _lastEventTime = marketEvent.EventTime;
            _price = price;
            _tickerChange = marketEvent is TickerEvent ticker && double.IsFinite(ticker.PriceChangePercent) ? ticker.PriceChangePercent : _tickerChange;
            if (_lastDay.Last is not { } last || marketEvent.EventTime - last.Value.Time >= SampleMs)
            {
                _lastDay.AddLast((marketEvent.EventTime, price));
            }

            // Keep one price at or before 24 h ago: the reference of the change.
            while (_lastDay.First!.Next is { } next && next.Value.Time <= marketEvent.EventTime - DayMs)
            {
                _lastDay.RemoveFirst();
            }
        }

        public Tile Tile()
        {
            var (referenceTime, reference) = _lastDay.First?.Value ?? (0, 0);
            double? change = _tickerChange ?? (_lastDay.Count > 0 && referenceTime <= _lastEventTime - DayMs ? (_price / reference - 1) * 100 : null);
            return new Tile(Key, exchange, symbol, _price, change, _rate.PerSecond(), _events, _lastEventTime);
        }

        /// <summary>Grows the candle of the event's UTC day (by event time); returns the day (Unix ms of its start).</summary>
        public long GrowLiveCandle(MarketEvent marketEvent, double price)
        {
            var (time, open, high, low, close) = marketEvent is KlineEvent k
                ? (k.OpenTime, k.Open, k.High, k.Low, k.Close)
                : (marketEvent.EventTime, price, price, price, price);
            var day = time - ((time % DayMs) + DayMs) % DayMs;
            if (!LiveDays.TryGetValue(day, out var candle))
            {
                LiveDays[day] = candle = new LiveCandle(day);
                while (LiveDays.Count > LiveDaysKept)
                {
                    LiveDays.Remove(LiveDays.Keys.First());
                }
            }

            candle.Add(time, open, high, low, close);
            return day;
        }
    }
}

/// <summary>A day's candle grown from live events: open of the earliest, close of the latest, extremes of all.</summary>
internal sealed class LiveCandle(long day)
{
    public const string Source = "live";

    public long FirstTime { get; private set; } = long.MaxValue;

    public long LastTime { get; private set; } = long.MinValue;

    public double Open { get; private set; }

    public double High { get; private set; } = double.MinValue;

    public double Low { get; private set; } = double.MaxValue;

    public double Close { get; private set; }

    public void Add(long time, double open, double high, double low, double close)
    {
        if (time < FirstTime)
        {
            FirstTime = time;
            Open = open;
        }

        // ≥: a later update of the same kline (same open time) replaces its close.
        if (time >= LastTime)
        {
            LastTime = time;
            Close = close;
        }

        High = Math.Max(High, high);
        Low = Math.Min(Low, low);
    }

    public Bar Bar() => new(day / 1000, Open, High, Low, Close, Source, false);
}

/// <summary>Events a second over the last ten seconds of arrival, in one-second buckets (constant memory at any rate).</summary>
internal sealed class RateMeter(TimeProvider clock)
{
    private const int Seconds = 10;
    private readonly long[] _counts = new long[Seconds];
    private readonly long[] _stamps = new long[Seconds];
    private readonly long _start = clock.GetTimestamp();

    public void Record()
    {
        var second = Now();
        var slot = (int)(second % Seconds);
        if (_stamps[slot] != second)
        {
            _stamps[slot] = second;
            _counts[slot] = 0;
        }

        _counts[slot]++;
    }

    public double PerSecond()
    {
        var now = Now();
        long total = 0;
        for (var i = 0; i < Seconds; i++)
        {
            if (now - _stamps[i] < Seconds)
            {
                total += _counts[i];
            }
        }

        // Before ten seconds have passed, divide by the time there was.
        var span = Math.Clamp(clock.GetElapsedTime(_start).TotalSeconds, 1, Seconds);
        return total / span;
    }

    private long Now() => (long)clock.GetElapsedTime(_start).TotalSeconds + 1;
}
