using System.Collections.Concurrent;
using Lambda.Core.Contracts;

namespace Lambda.Producer.Pipeline;

/// <summary>What the pipeline saw: frames, events per topic and symbol, frames ignored, dead letters per rule.</summary>
public sealed class IngestStatistics
{
    private long _frames;
    private long _ignored;

    public long Frames => Interlocked.Read(ref _frames);

    /// <summary>Frames recognised but not ours (order books, acknowledgements…).</summary>
    public long Ignored => Interlocked.Read(ref _ignored);

    public ConcurrentDictionary<string, long> EventsByTopic { get; } = new(StringComparer.Ordinal);

    public ConcurrentDictionary<string, long> EventsBySymbol { get; } = new(StringComparer.Ordinal);

    /// <summary>Dead letters by the rule they broke (<c>malformed</c> for frames that did not parse).</summary>
    public ConcurrentDictionary<string, long> DeadLettersByRule { get; } = new(StringComparer.Ordinal);

    public long Events => EventsByTopic.Where(t => t.Key != Topics.DeadLetter).Sum(t => t.Value);

    public long DeadLetters => DeadLettersByRule.Values.Sum();

    public void RecordFrame() => Interlocked.Increment(ref _frames);

    public void RecordIgnored() => Interlocked.Increment(ref _ignored);

    public void RecordEvent(MarketEvent marketEvent)
    {
        EventsByTopic.AddOrUpdate(marketEvent.Topic, 1, (_, n) => n + 1);
        if (marketEvent is not DeadLetter)
        {
            EventsBySymbol.AddOrUpdate(marketEvent.Key, 1, (_, n) => n + 1);
        }
    }

    public void RecordDeadLetter(string rule) => DeadLettersByRule.AddOrUpdate(rule, 1, (_, n) => n + 1);
}
