using System.Globalization;
using Lambda.Core.Transport;
using Lambda.Producer.Pipeline;
using Lambda.Producer.Sinks;

namespace Lambda.Producer.Hosting;

/// <summary>The producer's statistics as text: the periodic per-symbol table and the final summary.</summary>
public static class ProducerReport
{
    /// <summary>Per symbol: price, volume, 24 h change, messages, rate.</summary>
    public static void WriteSymbols(TextWriter output, IngestStatistics statistics)
    {
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{"symbol",-24} {"price",16} {"volume",16} {"change",9} {"messages",10} {"rate/s",8}"));
        foreach (var (key, symbol) in statistics.Symbols.OrderBy(s => s.Key, StringComparer.Ordinal))
        {
            var change = double.IsNaN(symbol.ChangePercent) ? "" : symbol.ChangePercent.ToString("+0.00;-0.00", CultureInfo.InvariantCulture) + "%";
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{key,-24} {symbol.LastPrice,16:0.########} {symbol.Volume,16:0.####} {change,9} {symbol.Messages,10} {symbol.Rate,8:0.0}"));
        }
    }

    /// <summary>The final statistics: input, output per topic, dead letters per rule, reconnects, delivery per sink, symbols.</summary>
    public static void WriteFinal(TextWriter output, IngestStatistics statistics, IReadOnlyList<(IEventSink Sink, FlushResult Flush)> sinks)
    {
        output.WriteLine();
        output.WriteLine("Final statistics");
        if (statistics.Frames > 0)
        {
            output.WriteLine($"  frames received  {statistics.Frames} (ignored {statistics.Ignored})");
        }

        output.WriteLine($"  events           {statistics.Events}");
        foreach (var (topic, count) in statistics.EventsByTopic.OrderBy(t => t.Key, StringComparer.Ordinal))
        {
            output.WriteLine($"    {topic,-20} {count,10}");
        }

        output.WriteLine($"  filtered         {statistics.Filtered} (tickers under the minimum quote volume)");
        output.WriteLine($"  dead-lettered    {statistics.DeadLetters}");
        foreach (var (rule, count) in statistics.DeadLettersByRule.OrderByDescending(r => r.Value))
        {
            output.WriteLine($"    {rule,-28} {count,6}");
        }

        output.WriteLine($"  reconnects       {statistics.ReconnectCount}");
        foreach (var (reason, count) in statistics.Reconnects.OrderBy(r => r.Key, StringComparer.Ordinal))
        {
            output.WriteLine($"    {reason,-40} {count,6}");
        }

        foreach (var (sink, flush) in sinks)
        {
            var s = sink.Statistics;
            output.WriteLine($"  {sink.Name,-16} sent {s.Sent}, acked {s.Acked}, failed {s.Failed}{(flush.Complete ? "" : $", {flush.Undelivered} NOT delivered at shutdown")}");
            (sink as RedisSink)?.WriteChannels(output);
        }

        if (!statistics.Symbols.IsEmpty)
        {
            WriteSymbols(output, statistics);
        }
    }
}
