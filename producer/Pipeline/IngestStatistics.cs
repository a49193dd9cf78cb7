using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Lambda.Core.Contracts;

namespace Lambda.Producer.Pipeline;

/// <summary>
/// What the producer saw and did, kept as totals for the statistics it prints and published as
/// System.Diagnostics.Metrics instruments of the meter <c>Lambda.Producer</c> (for dotnet-counters
/// or OpenTelemetry): frames, ignored, filtered, events per topic, dead letters per rule, alerts,
/// reconnects per connector and reason.
/// </summary>
public sealed class IngestStatistics : IDisposable
{
    public const string MeterName = "Lambda.Producer";

    private readonly Meter _meter;
    private readonly Counter<long> _framesCounter;
    private readonly Counter<long> _eventsCounter;
    private readonly Counter<long> _deadLettersCounter;
    private readonly Counter<long> _reconnectsCounter;
    private readonly Counter<long> _filteredCounter;
    private long _frames;
    private long _ignored;
    private long _filtered;

    public IngestStatistics(TimeProvider? clock = null, IMeterFactory? meters = null)
    {
        Clock = clock ?? TimeProvider.System;
        _meter = meters?.Create(MeterName) ?? new Meter(MeterName);
        _framesCounter = _meter.CreateCounter<long>("lambda.producer.frames", "{frame}", "Raw frames received");
        _eventsCounter = _meter.CreateCounter<long>("lambda.producer.events", "{event}", "Events published, by topic");
        _deadLettersCounter = _meter.CreateCounter<long>("lambda.producer.dead_letters", "{event}", "Input dead-lettered, by rule");
        _reconnectsCounter = _meter.CreateCounter<long>("lambda.producer.reconnects", "{reconnect}", "Reconnects, by connector and reason");
        _filteredCounter = _meter.CreateCounter<long>("lambda.producer.filtered", "{event}", "Tickers below the minimum quote volume");
    }

    public TimeProvider Clock { get; }

    public Meter Meter => _meter;

    public long Frames => Interlocked.Read(ref _frames);

    /// <summary>Frames recognised but not ours (order books, acknowledgements…).</summary>
    public long Ignored => Interlocked.Read(ref _ignored);

    /// <summary>Tickers below the minimum 24 h quote volume.</summary>
    public long Filtered => Interlocked.Read(ref _filtered);

    public ConcurrentDictionary<string, long> EventsByTopic { get; } = new(StringComparer.Ordinal);

    /// <summary>Per <c>{exchange}:{symbol}</c>: messages, last price, volume, change, rate.</summary>
    public ConcurrentDictionary<string, SymbolStatistics> Symbols { get; } = new(StringComparer.Ordinal);

    /// <summary>Dead letters by the rule they broke (<c>malformed</c> for input that did not parse).</summary>
    public ConcurrentDictionary<string, long> DeadLettersByRule { get; } = new(StringComparer.Ordinal);

    /// <summary>Reconnects by <c>connector: reason</c>.</summary>
    public ConcurrentDictionary<string, long> Reconnects { get; } = new(StringComparer.Ordinal);

    public long Events => EventsByTopic.Where(t => t.Key != Topics.DeadLetter).Sum(t => t.Value);

    public long DeadLetters => DeadLettersByRule.Values.Sum();

    public long ReconnectCount => Reconnects.Values.Sum();

    public void RecordFrame()
    {
        Interlocked.Increment(ref _frames);
        _framesCounter.Add(1);
    }

    public void RecordIgnored() => Interlocked.Increment(ref _ignored);

    public void RecordFiltered()
    {
        Interlocked.Increment(ref _filtered);
        _filteredCounter.Add(1);
    }

    public void RecordEvent(MarketEvent marketEvent)
    {
        EventsByTopic.AddOrUpdate(marketEvent.Topic, 1, static (_, n) => n + 1);
        _eventsCounter.Add(1, new KeyValuePair<string, object?>("topic", marketEvent.Topic));
        if (marketEvent is not (DeadLetter or AlertEvent))
        {
            Symbols.GetOrAdd(marketEvent.Key, static (_, clock) => new SymbolStatistics(clock), Clock).Record(marketEvent);
        }
    }

    public void RecordDeadLetter(string rule)
    {
        DeadLettersByRule.AddOrUpdate(rule, 1, static (_, n) => n + 1);
        _deadLettersCounter.Add(1, new KeyValuePair<string, object?>("rule", rule));
    }

    public void RecordReconnect(string connector, string reason)
    {
        Reconnects.AddOrUpdate($"{connector}: {reason}", 1, static (_, n) => n + 1);
        _reconnectsCounter.Add(1, new KeyValuePair<string, object?>("connector", connector), new KeyValuePair<string, object?>("reason", reason));
    }

    public void Dispose() => _meter.Dispose();
}

/// <summary>One symbol's running figures, as the statistics line shows them.</summary>
public sealed class SymbolStatistics(TimeProvider clock)
{
    private readonly Lock _gate = new();
    private readonly long _firstSeen = clock.GetTimestamp();

    public long Messages { get; private set; }

    public double LastPrice { get; private set; }

    /// <summary>The 24 h base volume of the last ticker, or the volume of the last candle.</summary>
    public double Volume { get; private set; }

    /// <summary>The 24 h change of the last ticker in percent (NaN until a ticker arrived).</summary>
    public double ChangePercent { get; private set; } = double.NaN;

    /// <summary>Messages a second since the first one.</summary>
    public double Rate
    {
        get
        {
            var seconds = clock.GetElapsedTime(_firstSeen).TotalSeconds;
            return seconds <= 0 ? 0 : Messages / seconds;
        }
    }

    public void Record(MarketEvent marketEvent)
    {
        lock (_gate)
        {
            Messages++;
            switch (marketEvent)
            {
                case TickerEvent t:
                    LastPrice = t.Price;
                    Volume = t.Volume;
                    ChangePercent = t.PriceChangePercent;
                    break;
                case KlineEvent k:
                    LastPrice = k.Close;
                    Volume = k.Volume;
                    break;
                case TradeEvent t:
                    LastPrice = t.Price;
                    break;
            }
        }
    }
}
