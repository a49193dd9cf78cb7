using Lambda.Core.Transport;
using Lambda.Producer.Pipeline;

namespace Lambda.Producer.Commands;

/// <summary>The final statistics a producer prints: what came in, what went out, what was rejected.</summary>
internal static class ReplayReport
{
    public static void Write(TextWriter output, IngestStatistics ingest, SinkStatistics sink, FlushResult flush)
    {
        output.WriteLine($"Frames {ingest.Frames} (ignored {ingest.Ignored}), events {ingest.Events}, dead letters {ingest.DeadLetters}");
        foreach (var (topic, count) in ingest.EventsByTopic.OrderBy(t => t.Key, StringComparer.Ordinal))
        {
            output.WriteLine($"  {topic,-20} {count,10}");
        }

        foreach (var (rule, count) in ingest.DeadLettersByRule.OrderByDescending(r => r.Value))
        {
            output.WriteLine($"  dead letter: {rule,-28} {count,6}");
        }

        foreach (var (key, count) in ingest.EventsBySymbol.OrderBy(s => s.Key, StringComparer.Ordinal))
        {
            output.WriteLine($"  {key,-24} {count,10} events");
        }

        output.WriteLine($"Delivery: {sink}{(flush.Complete ? "" : $", {flush.Undelivered} NOT delivered at shutdown")}");
    }
}
