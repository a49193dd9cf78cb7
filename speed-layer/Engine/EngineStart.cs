using Lambda.Core.Contracts;
using Lambda.Core.Windows;

namespace Lambda.SpeedLayer.Engine;

/// <summary>
/// Starts the windowing engine, which needs the kline interval it folds. When that interval is known
/// (configured, or no klines are read at all) the engine starts at once; otherwise the first kline read
/// names it. Events read before that kline wait here in read order, with their raw message for a dead
/// letter, and reach the engine right after it starts, as if nothing had waited. Batch and stream mode
/// both start their engines here.
/// </summary>
/// <typeparam name="TInput">What the feeder needs to know of an event's input (its topic, its partition).</typeparam>
internal sealed class EngineStart<TInput>
{
    /// <summary>The interval of a read that holds no kline: trades and tickers do not depend on it.</summary>
    public const string DefaultInterval = "1m";

    private readonly Func<string, CandleWindowEngine> _create;
    private readonly Feeder _feed;
    private readonly bool _keepRaw;
    private readonly List<(MarketEvent Event, byte[] Raw, TInput Input)> _waiting = [];

    /// <param name="interval">The interval when known, null to take the first kline's.</param>
    /// <param name="create">Makes the engine for an interval.</param>
    /// <param name="feed">Adds one event to the started engine.</param>
    /// <param name="keepRaw">Keep the raw message of a waiting event (for its dead letter); without it the feeder gets an empty span.</param>
    public EngineStart(string? interval, Func<string, CandleWindowEngine> create, Feeder feed, bool keepRaw)
    {
        Interval = interval;
        _create = create;
        _feed = feed;
        _keepRaw = keepRaw;
    }

    public delegate void Feeder(CandleWindowEngine engine, MarketEvent marketEvent, ReadOnlySpan<byte> raw, TInput input);

    /// <summary>The kline interval of a run: the configured one, or null when the first kline decides and there are klines to read.</summary>
    public static string? IntervalFor(string? configured, IReadOnlyCollection<string> topics) =>
        configured ?? (topics.Contains(Topics.Klines) ? null : DefaultInterval);

    public string? Interval { get; private set; }

    public CandleWindowEngine? Engine { get; private set; }

    /// <summary>Feeds one event, starting the engine at the first kline; false when the event waits for it.</summary>
    public bool Feed(MarketEvent marketEvent, ReadOnlySpan<byte> raw, TInput input)
    {
        if (Engine is null)
        {
            if (Interval is null)
            {
                if (marketEvent is not KlineEvent first)
                {
                    _waiting.Add((marketEvent, _keepRaw ? raw.ToArray() : [], input));
                    return false;
                }

                Interval = first.Interval;
            }

            Start();
        }

        _feed(Engine!, marketEvent, raw, input);
        return true;
    }

    /// <summary>Starts the engine now, with the default interval when no kline named one, and feeds it what waited.</summary>
    public CandleWindowEngine Start()
    {
        if (Engine is not null)
        {
            return Engine;
        }

        Interval ??= DefaultInterval;
        var engine = _create(Interval);
        Engine = engine;
        foreach (var (earlier, raw, input) in _waiting)
        {
            _feed(engine, earlier, raw, input);
        }

        _waiting.Clear();
        return engine;
    }

    /// <summary>Goes on with an engine restored from a checkpoint.</summary>
    public void Resume(CandleWindowEngine engine, string? interval)
    {
        Engine = engine;
        Interval = interval;
    }
}
