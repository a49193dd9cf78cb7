using System.Runtime;
using System.Runtime.InteropServices;

namespace Lambda.Producer.Benchmarks;

/// <summary>What the Kafka comparison found, for the report.</summary>
public sealed record KafkaSummary(
    int Events, long MessageBytes, string Topics, string KcatVersion, TimeSpan KcatEmpty,
    double OursWaits, TimeSpan OursWaitTime, double BareQueueFull, Case? Kcat, Case Ours, Case Bare,
    IReadOnlyList<(string Name, string Value)> Settings, string KcatCommand);

/// <summary>Prints the benchmark's findings as plain-text tables.</summary>
public sealed class Report(TextWriter output)
{
    public const double NullSinkTarget = 300_000;
    public const double KafkaRatioTarget = 2.0;

    public void Line(string text = "") => output.WriteLine(text);

    public void Progress(string text) => Console.Error.WriteLine("  … " + text);

    public void Environment(BenchOptions options)
    {
        Line("Lambda producer benchmark" + (options.Quick ? " (--quick: smoke run, numbers not meaningful)" : ""));
        Line($"  machine   {CpuModel()}, {System.Environment.ProcessorCount} usable core(s) of {ProcFile("/sys/devices/system/cpu/online")}, affinity {Affinity()}");
        Line($"  runtime   {RuntimeInformation.FrameworkDescription}, {Configuration()}, {(GCSettings.IsServerGC ? "server" : "workstation")} GC, latency mode {GCSettings.LatencyMode}");
        Line($"  librdkafka {Confluent.Kafka.Library.VersionString} (Confluent.Kafka, and the mock cluster)");
        Line($"  runs      {options.Runs} a case, medians reported; warm-up runs first");
        Line();
    }

    public void Results(IReadOnlyList<Case> cases)
    {
        Line("Results (median of the runs; events/s range = slowest–fastest run)");
        var header = $"{"input",-38} {"path",-40} {"events/run",11} {"median s",9} {"events/s",11} {"range events/s",21} {"frames/s",11} {"alloc B/ev",10} {"GCs 0/1/2",12}";
        Line(header);
        Line(new string('-', header.Length));
        foreach (var c in cases)
        {
            var alloc = c.AllocationScope == "-" ? "n/a" : $"{c.AllocatedPerEvent:N0}" + (c.AllocationScope == "process" ? "*" : "");
            Line($"{c.Input,-38} {c.Path,-40} {c.Events,11:N0} {c.MedianElapsed.TotalSeconds,9:F3} {c.EventsPerSecond,11:N0} {$"{c.SlowestEventsPerSecond:N0}–{c.FastestEventsPerSecond:N0}",21} {(c.Frames > 0 ? $"{c.FramesPerSecond:N0}" : "-"),11} {alloc,10} {c.Collections,12}");
        }

        Line("  alloc B/ev: bytes allocated per event by the measuring thread; * = by the whole process (librdkafka's");
        Line("  delivery reports are handled on Confluent.Kafka's poll thread). The real capture's frames are mostly depth and");
        if (cases.FirstOrDefault(c => c.Input.StartsWith("(1)", StringComparison.Ordinal)) is { } real)
        {
            Line($"  bookTicker, which are parsed and ignored: {real.AllocatedPerFrame:N0} B allocated a frame.");
        }

        Line();
    }

    public void Breakdown(IReadOnlyList<StageBreakdown.Stage> stages, Case pipeline)
    {
        var perEventPipeline = 1e9 / pipeline.EventsPerSecond;
        var parts = stages.Where(s => s.PartOfPipeline).ToList();
        Line("Where an event's time goes (dense capture, each stage alone over chunks of 16,384 events, one pass after a warm-up)");
        var header = $"{"stage",-18} {"ns/event",9} {"share",6} {"B/event",8}  what";
        Line(header);
        Line(new string('-', 120));
        var count = (double)stages[0].Events;
        var sum = parts.Sum(s => s.Time.TotalNanoseconds / count);
        foreach (var stage in stages)
        {
            var ns = stage.Time.TotalNanoseconds / count;
            var share = stage.PartOfPipeline ? $"{ns / sum:P0}" : "";
            Line($"{stage.Name,-18} {ns,9:F0} {share,6} {(double)stage.Allocated / count,8:F0}  {stage.What}{(stage.PartOfPipeline ? "" : " [not summed]")}");
        }

        Line($"{"sum of stages",-18} {sum,9:F0} {"",6} {parts.Sum(s => (double)s.Allocated) / count,8:F0}");
        Line($"{"whole pipeline",-18} {perEventPipeline,9:F0} {"",6} {pipeline.AllocatedPerEvent,8:F0}  measured above; the difference is IngestPipeline's own cost (async calls, list, loops)");
        Line();
    }

    public void Kafka(KafkaSummary kafka, BenchOptions options)
    {
        Line($"Kafka: librdkafka mock cluster in this process, {KafkaBench.Brokers} brokers, topics with {KafkaBench.Partitions} partitions and replication factor {KafkaBench.ReplicationFactor}, a fresh cluster each run");
        Line($"  messages  {kafka.Events:N0} ({kafka.Topics}), {kafka.MessageBytes / 1e6:F0} MB of JSON values, key {{exchange}}:{{symbol}}");
        Line($"  settings  {string.Join(", ", kafka.Settings.Select(s => $"{s.Name}={s.Value}"))} for all three (KafkaEventSink's defaults{(options.KafkaSettings.Count > 0 ? " and -X" : "")});");
        Line("            other settings are librdkafka's defaults (batch.size, queue.buffering.max.messages=100000, …)");
        Line("  ours      frames → normalize → validate → serialize → KafkaEventSink.PublishAsync, timed from the sink's creation to the end of FlushAsync");
        Line($"            back-pressure: {kafka.OursWaits:N0} publishes a run waited for librdkafka's full queue (50 ms back-off each), {kafka.OursWaitTime.TotalSeconds:F2} s a run (medians)");
        Line($"            of the median {kafka.Ours.MedianElapsed.TotalSeconds:F2} s, {kafka.Ours.MedianFlush.TotalSeconds:F2} s is the final flush (the rest: producing, while librdkafka sends)");
        Line($"  bare      the same serialized messages through Confluent.Kafka's IProducer.Produce + Flush; {kafka.BareQueueFull:N0} queue-full retries (1 ms sleep) a run;");
        Line($"            final flush {kafka.Bare.MedianFlush.TotalSeconds:F2} s of {kafka.Bare.MedianElapsed.TotalSeconds:F2} s");
        if (kafka.Kcat is { } kcat)
        {
            Line($"  kcat      {kafka.KcatVersion}; per topic, from process start to exit:");
            Line($"            {kafka.KcatCommand}");
            Line($"            one kcat process with nothing to send (start, connect, exit) takes {kafka.KcatEmpty.TotalMilliseconds:F0} ms; 3 are summed per run");
            Line($"  ratio     ours/kcat {kafka.Ours.MedianElapsed / kcat.MedianElapsed:F2}, bare/kcat {kafka.Bare.MedianElapsed / kcat.MedianElapsed:F2}, ours/bare {kafka.Ours.MedianElapsed / kafka.Bare.MedianElapsed:F2} (median wall times)");
        }
        else
        {
            Line($"  kcat      not found ('{options.Kcat}'): no reference. scripts/bench-producer.sh installs it (Debian package kcat).");
        }

        Line();
    }

    public void Targets(Case dense, KafkaSummary? kafka, bool quick)
    {
        Line("Targets" + (quick ? " (--quick: too short to warm up; a smoke run, not a measurement)" : ""));
        var nullSink = dense.EventsPerSecond;
        var cores = System.Environment.ProcessorCount == 1 ? "one core" : $"{System.Environment.ProcessorCount} cores available, not pinned";
        Line($"  null sink, dense capture, {cores}: {nullSink:N0} events/s, target ≥ {NullSinkTarget:N0} → {(nullSink >= NullSinkTarget ? "MET" : "NOT MET")}");
        if (kafka?.Kcat is { } kcat)
        {
            var ratio = kafka.Ours.MedianElapsed / kcat.MedianElapsed;
            Line($"  Kafka, ours vs kcat -P: {ratio:F2}× kcat's time, target ≤ {KafkaRatioTarget:F1}× → {(ratio <= KafkaRatioTarget ? "MET" : "NOT MET")}");
        }
        else
        {
            Line("  Kafka, ours vs kcat -P: not measured");
        }

        Line();
    }

    private static string Configuration() =>
#if DEBUG
        "DEBUG build (numbers not meaningful)";
#else
        "Release build";
#endif

    private static string CpuModel() =>
        File.Exists("/proc/cpuinfo")
            ? File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal))?.Split(':', 2)[1].Trim() ?? "unknown CPU"
            : RuntimeInformation.ProcessArchitecture.ToString();

    private static string Affinity() =>
        File.Exists("/proc/self/status")
            ? "CPU " + (File.ReadLines("/proc/self/status").FirstOrDefault(l => l.StartsWith("Cpus_allowed_list", StringComparison.Ordinal))?.Split(':', 2)[1].Trim() ?? "?")
            : "unknown";

    private static string ProcFile(string path) => File.Exists(path) ? "CPUs " + File.ReadAllText(path).Trim() : "?";
}
