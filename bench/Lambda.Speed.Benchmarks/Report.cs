using System.Runtime;
using System.Runtime.InteropServices;
using Lambda.Speed.Benchmarks.DataSet;
using Lambda.Speed.Benchmarks.Runs;
using Lambda.Speed.Benchmarks.Verification;

namespace Lambda.Speed.Benchmarks;

/// <summary>Prints the benchmark's findings as plain text.</summary>
public sealed class Report(TextWriter output)
{
    private const int DifferencesShown = 5;

    public void Line(string text = "") => output.WriteLine(text);

    public void Environment(BenchOptions options)
    {
        Line("Lambda speed-layer benchmark: daily candles from klines and trades" + (options.Quick ? " (--quick: smoke run, numbers not meaningful)" : ""));
        Line($"  machine  {System.Environment.ProcessorCount} usable core(s) (process affinity), of {File.ReadAllText("/sys/devices/system/cpu/online").Trim()} online; shared with other users");
        Line($"  runtime  {RuntimeInformation.FrameworkDescription}, {(GCSettings.IsServerGC ? "server" : "workstation")} GC");
        Line($"  runs     {options.Runs} per engine, medians reported");
    }

    public void DataSet(TopicFileDataSet data)
    {
        ArgumentNullException.ThrowIfNull(data);
        var m = data.Manifest;
        var days = (m.LastEventTime - m.FirstEventTime) / 86_400_000.0;
        Line($"  data     {m.Events:N0} events over {days:F1} days, {m.Pairs} pairs ({m.KlinePairs} with 1m klines): {m.KlineEvents:N0} kline updates ({m.KlineBytes / 1e6:N0} MB), {m.TradeEvents:N0} trades ({m.TradeBytes / 1e6:N0} MB)");
        Line($"           {data.Directory}/topics (EmbeddedTopicSink's JSON lines, one segment per day)");
    }

    public void RunLine(Case c, int run, int runs, string note)
    {
        ArgumentNullException.ThrowIfNull(c);
        var m = c.Runs[^1];
        var gc = m.Gc is { } g
            ? $", GC {g.Gen0:N0}/{g.Gen1:N0}/{g.Gen2:N0} collections (gen 0/1/2) pausing {g.Pause.TotalSeconds:F2} s, {(double)g.AllocatedBytes / m.Events:N0} B allocated per event"
            : "";
        Line($"  … {c.Name} run {run}/{runs}: {m.Elapsed.TotalSeconds:F2} s, {m.EventsPerSecond:N0} events/s, CPU {m.Cpu.TotalSeconds:F2} s{gc}; {note}");
    }

    public void Results(IReadOnlyList<Case> cases, DataSetManifest data)
    {
        ArgumentNullException.ThrowIfNull(cases);
        ArgumentNullException.ThrowIfNull(data);
        Line();
        Line($"Results: {data.Events:N0} events, median of the runs");
        var header = $"{"engine",-11} {"path",-44} {"median s",9} {"events/s",12} {"CPU s",7} {"events/CPU-s",13} {"MB/s",7}";
        Line(header);
        Line(new string('-', header.Length));
        var bytes = data.KlineBytes + data.TradeBytes;
        foreach (var c in cases)
        {
            var m = c.Median;
            Line($"{c.Name,-11} {c.What,-44} {m.Elapsed.TotalSeconds,9:F3} {m.EventsPerSecond,12:N0} {m.Cpu.TotalSeconds,7:F2} {c.MedianEventsPerCpuSecond,13:N0} {bytes / 1e6 / m.Elapsed.TotalSeconds,7:N0}");
        }

        Line("  events/s: wall clock; events/CPU-s: per core, from the CPU time of the process doing the work (ours: this");
        Line("  process, with librdkafka's threads and the mock brokers for kafka-mock; DuckDB: this process during its query). They agree");
        Line("  when the process is busy all the time on its core; a run that waits (or shares the core) shows more events/CPU-s.");
        Line();
    }

    public void Agreement(string what, CandleComparison? comparison)
    {
        if (comparison is null)
        {
            return;
        }

        Line($"{what}: {(comparison.Agree ? "AGREE" : "DISAGREE")} on {comparison.Left:N0} vs {comparison.Right:N0} candles, {comparison.Equal:N0} equal"
            + " (OHLC, trades, complete, first/last event time exactly; volumes to 1e-9 relative)");
        foreach (var difference in comparison.Differences.Take(DifferencesShown))
        {
            Line($"  {difference}");
        }

        if (comparison.Differences.Count > DifferencesShown)
        {
            Line($"  … and {comparison.Differences.Count - DifferencesShown:N0} more");
        }
    }

    public void Target(Case embedded, Case? duck)
    {
        ArgumentNullException.ThrowIfNull(embedded);
        if (duck is null)
        {
            Line("Target (embedded ≥ DuckDB): not checked (--no-duckdb)");
            return;
        }

        var ratio = embedded.Median.EventsPerSecond / duck.Median.EventsPerSecond;
        var perCore = embedded.MedianEventsPerCpuSecond / duck.MedianEventsPerCpuSecond;
        Line($"embedded / DuckDB: {ratio:F2}× events/s, {perCore:F2}× events per CPU second → target (embedded on the topic files ≥ DuckDB) {(ratio >= 1 ? "MET" : "NOT MET")}");
    }
}
