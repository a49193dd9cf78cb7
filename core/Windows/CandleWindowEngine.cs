using System.Globalization;
using System.Runtime.InteropServices;
using Lambda.Core.Contracts;
using Lambda.Core.Views;

namespace Lambda.Core.Windows;

/// <summary>
/// The speed layer's windowing engine (DESIGN.md, views): tumbling event-time windows aligned to the
/// Unix epoch in UTC, closed by a watermark (the smallest of the active inputs' largest event times −
/// allowed lateness). Klines and
/// trades become <see cref="DailyCandle"/>s (source <c>speed</c>), tickers <see cref="TickerDayStats"/>.
/// Pure and deterministic: no clock, no I/O; the same events in the same order give the same output,
/// also across <see cref="Snapshot"/> / <see cref="Restore"/>. Not thread-safe.
/// </summary>
/// <remarks>
/// Window assignment: a kline by its open time, a trade by its trade time, a ticker by its event time.
/// Inputs (a topic-partition, a file topic) are declared with <see cref="DeclareInput"/>; each keeps the
/// largest event time it delivered, and the watermark follows the minimum over the inputs that are not
/// idle (Spark's default multiple-watermark policy), so an input read ahead of another cannot make the
/// other's events late. An input with no event yet holds the watermark until it is marked idle
/// (<see cref="SetIdle"/>; an event makes it active again); when all are idle, the furthest counts. Without declared inputs every event counts
/// for one input. The watermark never goes back, and it advances with every event that is not ignored
/// (late ones included). Closed windows are queued once and handed out by <see cref="TakeClosed"/> (or <see cref="Flush"/>).
/// An event for a closed window is late, unless it is exactly a kline or trade that window had merged:
/// then it is a duplicate (<see cref="ClosedWindowMemory"/>), as it would have been before the close.
/// </remarks>
public sealed class CandleWindowEngine
{

    private readonly long _windowMs;
    private readonly long _latenessMs;
    private readonly long _intervalMs;
    private readonly int _slotsPerWindow;
    private readonly Dictionary<WindowKey, KlineWindow> _klines = [];
    private readonly Dictionary<WindowKey, TradeWindow> _trades = [];
    private readonly Dictionary<WindowKey, TickerWindow> _tickers = [];
    private readonly List<WindowCandle> _closedKlines = [];
    private readonly List<WindowCandle> _closedTrades = [];
    private readonly List<TickerDayStats> _closedTickers = [];
    private readonly ClosedWindowMemory _closedEvents = new();
    private readonly List<InputClock> _inputs = [];
    private readonly Dictionary<string, int> _inputIndex = new(StringComparer.Ordinal);

    private long _maxEventTime = long.MinValue;
    private long _closedBefore = long.MinValue;
    private long _nextEnd = long.MaxValue;

    // What the watermark trails: the minimum of the active inputs' largest event times (see MinOfActiveInputs).
    private long _inputsMin = long.MaxValue;
    private long _merged;
    private long _duplicates;
    private long _late;
    private long _ignored;

    // One-entry caches: consecutive events mostly hit the same window.
    private KlineWindow? _lastKline;
    private TradeWindow? _lastTrade;
    private TickerWindow? _lastTicker;

    public CandleWindowEngine(CandleWindowOptions? options = null)
    {
        Options = options ?? new CandleWindowOptions();
        (_windowMs, _latenessMs, _intervalMs) = Options.Validate();
        _slotsPerWindow = checked((int)(_windowMs / _intervalMs));
    }

    /// <summary>Rebuilds the engine a <see cref="Snapshot"/> described.</summary>
    public CandleWindowEngine(CandleWindowState state)
        : this((state ?? throw new ArgumentNullException(nameof(state))).Options)
    {
        if (state.Version is not (1 or CandleWindowState.CurrentVersion))
        {
            throw new ArgumentException($"window state version {state.Version} is not 1 or {CandleWindowState.CurrentVersion}", nameof(state));
        }

        _maxEventTime = state.MaxEventTime;
        _closedBefore = state.ClosedBefore;

        // Version 1 kept no inputs: the inputs declared after the restore start afresh (the watermark never goes back).
        foreach (var input in state.Inputs ?? [])
        {
            _inputIndex.Add(input.Name, _inputs.Count);
            _inputs.Add(new InputClock(input.Name) { MaxEventTime = input.MaxEventTime, Idle = input.Idle });
        }

        _inputsMin = MinOfActiveInputs();
        (_merged, _duplicates, _late, _ignored) = state.Counters;
        foreach (var w in state.Klines)
        {
            _klines.Add(new(w.Exchange, w.Symbol, w.Start), KlineWindow.From(w));
            NoteOpen(w.Start);
        }

        foreach (var w in state.Trades)
        {
            _trades.Add(new(w.Exchange, w.Symbol, w.Start), TradeWindow.From(w));
            NoteOpen(w.Start);
        }

        foreach (var w in state.Tickers)
        {
            _tickers.Add(new(w.Exchange, w.Symbol, w.Start), TickerWindow.From(w));
            NoteOpen(w.Start);
        }

        _closedEvents.Restore(state.ClosedEvents);
        _closedKlines.AddRange(state.Pending.KlineCandles);
        _closedTrades.AddRange(state.Pending.TradeCandles);
        _closedTickers.AddRange(state.Pending.TickerStats);
    }

    public static CandleWindowEngine Restore(CandleWindowState state) => new(state);

    public CandleWindowOptions Options { get; }

    /// <summary>Largest event time seen; null before the first event.</summary>
    public DateTimeOffset? MaxEventTime => _maxEventTime == long.MinValue ? null : DateTimeOffset.FromUnixTimeMilliseconds(_maxEventTime);

    /// <summary>Windows ending at or before this are closed (the watermark; after a flush, the end of the flushed windows).</summary>
    public DateTimeOffset? Watermark => _closedBefore == long.MinValue ? null : DateTimeOffset.FromUnixTimeMilliseconds(_closedBefore);

    public WindowCounters Counters => new(_merged, _duplicates, _late, _ignored);

    /// <summary>The declared inputs and their state, sorted by name.</summary>
    public IReadOnlyList<InputWatermarkState> Inputs =>
        [.. _inputs.Select(static i => new InputWatermarkState(i.Name, i.MaxEventTime, i.Idle)).OrderBy(static i => i.Name, StringComparer.Ordinal)];

    /// <summary>
    /// The index of the input named <paramref name="name"/>, declared now (active, no event yet: it holds
    /// the watermark until its first event or until it is marked idle) unless it exists already.
    /// </summary>
    public int DeclareInput(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (_inputIndex.TryGetValue(name, out var index))
        {
            return index;
        }

        index = _inputs.Count;
        _inputIndex.Add(name, index);
        _inputs.Add(new InputClock(name));
        _inputsMin = long.MinValue;
        return index;
    }

    /// <summary>Whether the input is idle (left out of the watermark).</summary>
    public bool IsIdle(int input) => _inputs[input].Idle;

    /// <summary>
    /// Leaves an input out of the watermark (idle) or takes it back in; returns whether that changed
    /// anything. Leaving out the slowest input may close windows (see <see cref="TakeClosed"/>). When
    /// every input is idle the watermark follows the furthest one.
    /// </summary>
    public bool SetIdle(int input, bool idle)
    {
        var clock = _inputs[input];
        if (clock.Idle == idle)
        {
            return false;
        }

        clock.Idle = idle;
        AdvanceWatermark();
        return true;
    }

    /// <summary>Windows open now (the live view's size).</summary>
    public int OpenWindows => _klines.Count + _trades.Count + _tickers.Count;

    /// <summary>
    /// The open window of (exchange, symbol, start), created when new; the last one used is checked
    /// first because consecutive events mostly land in the same window.
    /// </summary>
    private TWindow WindowFor<TWindow>(Dictionary<WindowKey, TWindow> windows, ref TWindow? last, string exchange, string symbol, long start, Func<string, string, long, TWindow> create)
        where TWindow : WindowBase
    {
        if (last is not null && last.Start == start && Same(last.Exchange, exchange) && Same(last.Symbol, symbol))
        {
            return last;
        }

        var key = new WindowKey(exchange, symbol, start);
        if (!windows.TryGetValue(key, out var window))
        {
            window = create(exchange, symbol, start);
            windows.Add(key, window);
            NoteOpen(start);
        }

        last = window;
        return window;
    }

    /// <summary>Start (Unix ms) of the epoch-aligned window holding <paramref name="time"/>.</summary>
    public long WindowStartOf(long time)
    {
        var rem = time % _windowMs;
        return rem < 0 ? time - rem - _windowMs : time - rem;
    }

    public WindowEventResult Add(KlineEvent kline) => Add(kline, DefaultInput());

    /// <summary>Adds a kline delivered by <paramref name="input"/> (see <see cref="DeclareInput"/>).</summary>
    public WindowEventResult Add(KlineEvent kline, int input)
    {
        ArgumentNullException.ThrowIfNull(kline);
        if (!string.Equals(kline.Interval, Options.KlineInterval, StringComparison.Ordinal))
        {
            _ignored++;
            return WindowEventResult.Ignored;
        }

        var start = WindowStartOf(kline.OpenTime);
        var slot = new KlineSlot(kline.OpenTime, kline.EventTime, kline.Open, kline.High, kline.Low, kline.Close,
            kline.Volume, kline.QuoteVolume, kline.Trades, kline.IsClosed);
        WindowEventResult result;
        if (start + _windowMs <= _closedBefore)
        {
            result = _closedEvents.Contains(start, ClosedWindowMemory.Of(kline.Exchange, kline.Symbol, slot))
                ? Count(merged: false)
                : Late("open_time", kline.OpenTime, start);
        }
        else
        {
            var window = WindowFor(_klines, ref _lastKline, kline.Exchange, kline.Symbol, start, static (e, s, t) => new KlineWindow(e, s, t));
            result = Count(window.Merge(slot));
        }

        Advance(kline.EventTime, input);
        return result;
    }

    public WindowEventResult Add(TradeEvent trade) => Add(trade, DefaultInput());

    /// <summary>Adds a trade delivered by <paramref name="input"/> (see <see cref="DeclareInput"/>).</summary>
    public WindowEventResult Add(TradeEvent trade, int input)
    {
        ArgumentNullException.ThrowIfNull(trade);
        var start = WindowStartOf(trade.TradeTime);
        WindowEventResult result;
        if (start + _windowMs <= _closedBefore)
        {
            result = _closedEvents.Contains(start, ClosedWindowMemory.OfTrade(trade.Exchange, trade.Symbol, trade.TradeId))
                ? Count(merged: false)
                : Late("trade_time", trade.TradeTime, start);
        }
        else
        {
            var window = WindowFor(_trades, ref _lastTrade, trade.Exchange, trade.Symbol, start, static (e, s, t) => new TradeWindow(e, s, t));

            result = Count(window.Add(trade.TradeId, trade.TradeTime, trade.Price, trade.Quantity, trade.EventTime));
        }

        Advance(trade.EventTime, input);
        return result;
    }

    public WindowEventResult Add(TickerEvent ticker) => Add(ticker, DefaultInput());

    /// <summary>Adds a ticker delivered by <paramref name="input"/> (see <see cref="DeclareInput"/>).</summary>
    public WindowEventResult Add(TickerEvent ticker, int input)
    {
        ArgumentNullException.ThrowIfNull(ticker);
        var start = WindowStartOf(ticker.EventTime);
        WindowEventResult result;
        if (start + _windowMs <= _closedBefore)
        {
            result = Late("event_time", ticker.EventTime, start);
        }
        else
        {
            var window = WindowFor(_tickers, ref _lastTicker, ticker.Exchange, ticker.Symbol, start, static (e, s, t) => new TickerWindow(e, s, t));

            window.Add(ticker.EventTime, ticker.Price, ticker.Volume, ticker.QuoteVolume);
            result = Count(true);
        }

        Advance(ticker.EventTime, input);
        return result;
    }

    /// <summary>Dispatches on the event's type; other events are ignored.</summary>
    public WindowEventResult Add(MarketEvent marketEvent) => Add(marketEvent, DefaultInput());

    /// <summary>Dispatches on the event's type, the event delivered by <paramref name="input"/>; other events are ignored.</summary>
    public WindowEventResult Add(MarketEvent marketEvent, int input) => marketEvent switch
    {
        KlineEvent k => Add(k, input),
        TradeEvent t => Add(t, input),
        TickerEvent t => Add(t, input),
        _ => IgnoreOther(),
    };

    /// <summary>Windows the watermark closed since the last call, each handed out exactly once.</summary>
    public WindowEmission TakeClosed()
    {
        if (_closedKlines.Count == 0 && _closedTrades.Count == 0 && _closedTickers.Count == 0)
        {
            return WindowEmission.Empty;
        }

        var emission = new WindowEmission(_closedKlines.ToArray(), _closedTrades.ToArray(), _closedTickers.ToArray());
        _closedKlines.Clear();
        _closedTrades.Clear();
        _closedTickers.Clear();
        return emission;
    }

    /// <summary>
    /// The live view: every open window's current candle (not removed). Kline candles are complete
    /// only when all their intervals are closed; trade and ticker windows are not complete yet.
    /// </summary>
    public WindowEmission LiveView()
    {
        var klines = new List<WindowCandle>(_klines.Count);
        foreach (var w in _klines.Values)
        {
            klines.Add(KlineCandle(w));
        }

        var trades = new List<WindowCandle>(_trades.Count);
        foreach (var w in _trades.Values)
        {
            trades.Add(TradeCandle(w, complete: false));
        }

        var tickers = new List<TickerDayStats>(_tickers.Count);
        foreach (var w in _tickers.Values)
        {
            tickers.Add(TickerStats(w, complete: false));
        }

        Sort(klines, trades, tickers);
        return new(klines, trades, tickers);
    }

    /// <summary>
    /// End of input (batch mode): closes every window and returns them with those still pending.
    /// Later events for these windows are late. Trade and ticker windows count as complete when the
    /// input went past their end; kline windows when all their intervals are closed.
    /// </summary>
    public WindowEmission Flush()
    {
        var flushedEnd = Close(long.MaxValue, flush: true);
        if (flushedEnd > _closedBefore)
        {
            _closedBefore = flushedEnd;
        }

        return TakeClosed();
    }

    /// <summary>The whole state, sorted: equal engines give equal snapshots (and JSON).</summary>
    public CandleWindowState Snapshot()
    {
        var klines = new List<KlineWindowState>(_klines.Count);
        foreach (var w in _klines.Values)
        {
            klines.Add(w.ToState());
        }

        var trades = new List<TradeWindowState>(_trades.Count);
        foreach (var w in _trades.Values)
        {
            trades.Add(w.ToState());
        }

        var tickers = new List<TickerWindowState>(_tickers.Count);
        foreach (var w in _tickers.Values)
        {
            tickers.Add(w.ToState());
        }

        klines.Sort(static (a, b) => WindowKey.Compare(a.Exchange, a.Symbol, a.Start, b.Exchange, b.Symbol, b.Start));
        trades.Sort(static (a, b) => WindowKey.Compare(a.Exchange, a.Symbol, a.Start, b.Exchange, b.Symbol, b.Start));
        tickers.Sort(static (a, b) => WindowKey.Compare(a.Exchange, a.Symbol, a.Start, b.Exchange, b.Symbol, b.Start));
        var pending = new WindowEmission(_closedKlines.ToArray(), _closedTrades.ToArray(), _closedTickers.ToArray());
        return new(CandleWindowState.CurrentVersion, Options, _maxEventTime, _closedBefore, Counters, klines, trades, tickers, pending, Inputs)
        {
            ClosedEvents = _closedEvents.Snapshot(),
        };
    }

    private static bool Same(string a, string b) => ReferenceEquals(a, b) || string.Equals(a, b, StringComparison.Ordinal);

    private WindowEventResult IgnoreOther()
    {
        _ignored++;
        return WindowEventResult.Ignored;
    }

    private WindowEventResult Count(bool merged)
    {
        if (merged)
        {
            _merged++;
            return WindowEventResult.Merged;
        }

        _duplicates++;
        return WindowEventResult.Duplicate;
    }

    private WindowEventResult Late(string field, long time, long start)
    {
        _late++;
        var reason = string.Create(CultureInfo.InvariantCulture,
            $"late: {field} {Iso(time)} is in window {WindowLabel(start)} closed at watermark {Iso(_closedBefore)}");
        return new(WindowEventStatus.Late, reason);
    }

    private string WindowLabel(long start) =>
        _windowMs % 86_400_000 == 0 && start % 86_400_000 == 0
            ? DateTimeOffset.FromUnixTimeMilliseconds(start).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)
            : string.Concat(Iso(start), "/", Iso(start + _windowMs));

    private static string Iso(long ms) =>
        DateTimeOffset.FromUnixTimeMilliseconds(ms).ToString("yyyy-MM-dd'T'HH:mm:ss.FFF'Z'", CultureInfo.InvariantCulture);

    private void NoteOpen(long start)
    {
        var end = start + _windowMs;
        if (end < _nextEnd)
        {
            _nextEnd = end;
        }
    }

    /// <summary>The input of events added without one: declared with the first of them.</summary>
    private int DefaultInput() => _inputs.Count == 1 ? 0 : DeclareInput("");

    private void Advance(long eventTime, int input)
    {
        if (eventTime > _maxEventTime)
        {
            _maxEventTime = eventTime;
        }

        var clock = _inputs[input];
        if (clock.Idle)
        {
            // An event brings an idle input back; its watermark counts again from now on.
            clock.Idle = false;
            clock.MaxEventTime = Math.Max(clock.MaxEventTime, eventTime);
            AdvanceWatermark();
            return;
        }

        var before = clock.MaxEventTime;
        if (eventTime <= before)
        {
            return;
        }

        clock.MaxEventTime = eventTime;

        // Only the slowest input moves the minimum (the hot path with one input: it is always the slowest).
        if (before <= _inputsMin)
        {
            AdvanceWatermark();
        }
    }

    /// <summary>
    /// The minimum of the active inputs' largest event times; when every input is idle, the maximum over
    /// all of them (as Flink's watermark valve does): nothing is arriving, so nothing can be late to the
    /// furthest input's progress. long.MaxValue without inputs.
    /// </summary>
    private long MinOfActiveInputs()
    {
        var min = long.MaxValue;
        var max = long.MinValue;
        foreach (var clock in _inputs)
        {
            max = Math.Max(max, clock.MaxEventTime);
            if (!clock.Idle && clock.MaxEventTime < min)
            {
                min = clock.MaxEventTime;
            }
        }

        return min == long.MaxValue && _inputs.Count > 0 ? max : min;
    }

    private void AdvanceWatermark()
    {
        _inputsMin = MinOfActiveInputs();
        if (_inputsMin is long.MinValue or long.MaxValue)
        {
            // An active input has delivered nothing yet (or no input has): the watermark holds.
            return;
        }

        var watermark = _inputsMin - _latenessMs;
        if (watermark <= _closedBefore)
        {
            return;
        }

        _closedBefore = watermark;
        if (watermark >= _nextEnd)
        {
            Close(watermark, flush: false);
        }
    }

    /// <summary>Moves windows ending at or before <paramref name="limit"/> to the pending output; returns the largest end closed.</summary>
    private long Close(long limit, bool flush)
    {
        var klines = new List<WindowCandle>();
        var trades = new List<WindowCandle>();
        var tickers = new List<TickerDayStats>();
        var remainingEnd = long.MaxValue;
        var closedEnd = long.MinValue;
        var completeAtFlush = (long windowStart) => !flush || windowStart + _windowMs <= _maxEventTime;
        TakeClosing(_klines, klines, limit, ref remainingEnd, ref closedEnd, (key, w) =>
        {
            _closedEvents.Remember(key.Start, w.Slots.Select(s => ClosedWindowMemory.Of(w.Exchange, w.Symbol, s)));
            return KlineCandle(w);
        });
        TakeClosing(_trades, trades, limit, ref remainingEnd, ref closedEnd, (key, w) =>
        {
            _closedEvents.Remember(key.Start, w.TradeIds.Select(id => ClosedWindowMemory.OfTrade(w.Exchange, w.Symbol, id)));
            return TradeCandle(w, complete: completeAtFlush(key.Start));
        });
        TakeClosing(_tickers, tickers, limit, ref remainingEnd, ref closedEnd, (key, w) => TickerStats(w, complete: completeAtFlush(key.Start)));
        _nextEnd = remainingEnd;
        _lastKline = null;
        _lastTrade = null;
        _lastTicker = null;
        Sort(klines, trades, tickers);
        _closedKlines.AddRange(klines);
        _closedTrades.AddRange(trades);
        _closedTickers.AddRange(tickers);
        return closedEnd;
    }

    /// <summary>Removes the windows that <paramref name="limit"/> closes from <paramref name="windows"/>, emitting each into <paramref name="closed"/>.</summary>
    private void TakeClosing<TWindow, TOut>(Dictionary<WindowKey, TWindow> windows, List<TOut> closed, long limit, ref long remainingEnd, ref long closedEnd, Func<WindowKey, TWindow, TOut> emit)
    {
        List<WindowKey>? keys = null;
        foreach (var (key, window) in windows)
        {
            if (Closes(key.Start, limit, ref remainingEnd, ref closedEnd))
            {
                closed.Add(emit(key, window));
                (keys ??= []).Add(key);
            }
        }

        foreach (var key in keys ?? [])
        {
            windows.Remove(key);
        }
    }

    private bool Closes(long start, long limit, ref long remainingEnd, ref long closedEnd)
    {
        var end = start + _windowMs;
        if (end <= limit || limit == long.MaxValue)
        {
            closedEnd = Math.Max(closedEnd, end);
            return true;
        }

        remainingEnd = Math.Min(remainingEnd, end);
        return false;
    }

    private static void Sort(List<WindowCandle> klines, List<WindowCandle> trades, List<TickerDayStats> tickers)
    {
        klines.Sort(CompareCandles);
        trades.Sort(CompareCandles);
        tickers.Sort(static (a, b) => WindowKey.Compare(a.Exchange, a.Symbol, a.WindowStart.ToUnixTimeMilliseconds(), b.Exchange, b.Symbol, b.WindowStart.ToUnixTimeMilliseconds()));
    }

    private static int CompareCandles(WindowCandle a, WindowCandle b) =>
        WindowKey.Compare(a.Candle.Exchange, a.Candle.Symbol, a.WindowStart.ToUnixTimeMilliseconds(), b.Candle.Exchange, b.Candle.Symbol, b.WindowStart.ToUnixTimeMilliseconds());

    private WindowCandle KlineCandle(KlineWindow w)
    {
        var fold = default(KlineFold);
        foreach (ref readonly var s in CollectionsMarshal.AsSpan(w.Slots))
        {
            fold.Add(s.Open, s.High, s.Low, s.Close, s.Volume, s.QuoteVolume, s.Trades, final: s.IsClosed);
        }

        var complete = fold.Summed == _slotsPerWindow;
        return Candle(w, fold.Open, fold.High, fold.Low, fold.Close, fold.Volume, fold.QuoteVolume, fold.Trades, complete);
    }

    private WindowCandle TradeCandle(TradeWindow w, bool complete) =>
        Candle(w, w.OpenPrice, w.High, w.Low, w.ClosePrice, w.Volume, w.QuoteVolume, w.Count, complete);

    private WindowCandle Candle(WindowBase w, double open, double high, double low, double close, double volume, double quoteVolume, long trades, bool complete)
    {
        var start = DateTimeOffset.FromUnixTimeMilliseconds(w.Start);
        var candle = new DailyCandle(w.Exchange, w.Symbol, DateOnly.FromDateTime(start.UtcDateTime), open, high, low, close, volume, quoteVolume,
            trades, ViewLayout.Sources.Speed, complete, DateTimeOffset.FromUnixTimeMilliseconds(w.FirstEventTime), DateTimeOffset.FromUnixTimeMilliseconds(w.LastEventTime));
        return new(start, DateTimeOffset.FromUnixTimeMilliseconds(w.Start + _windowMs), candle);
    }

    private TickerDayStats TickerStats(TickerWindow w, bool complete)
    {
        var start = DateTimeOffset.FromUnixTimeMilliseconds(w.Start);
        return new(w.Exchange, w.Symbol, DateOnly.FromDateTime(start.UtcDateTime), start, DateTimeOffset.FromUnixTimeMilliseconds(w.Start + _windowMs),
            w.FirstPrice, w.LastPrice, w.MinPrice, w.MaxPrice, w.PriceSum / w.Ticks, w.Volume24h, w.QuoteVolume24h, w.Ticks, ViewLayout.Sources.Speed, complete,
            DateTimeOffset.FromUnixTimeMilliseconds(w.FirstEventTime), DateTimeOffset.FromUnixTimeMilliseconds(w.LastEventTime));
    }
}

/// <summary>One input's clock: the largest event time it delivered, and whether it is left out as idle.</summary>
internal sealed class InputClock(string name)
{
    public string Name { get; } = name;

    public long MaxEventTime { get; set; } = long.MinValue;

    public bool Idle { get; set; }
}
