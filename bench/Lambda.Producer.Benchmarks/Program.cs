using System.Diagnostics;
using System.Globalization;
using Lambda.Producer.Benchmarks;

// The producer benchmark (issue: "replay the capture at maximum speed…"). scripts/bench-producer.sh builds it in
// Release, pins it to one core and runs it; `--help` lists the options.
if (args.Contains("--help") || args.Contains("-h"))
{
    Console.WriteLine(BenchOptions.Usage);
    return 0;
}

var options = BenchOptions.Parse(args, Console.Out, Console.Error);
if (options is null)
{
    return 2;
}

CultureInfo.DefaultThreadCurrentCulture = CultureInfo.InvariantCulture;
CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;
var total = Stopwatch.StartNew();
var report = new Report(Console.Out);
report.Environment(options);

// Inputs, in memory before anything is measured.
var started = Stopwatch.GetTimestamp();
var real = Inputs.RealCapture(options.DataDirectory);
var dense = Inputs.DenseCapture(options.DataDirectory, options.DenseEvents);
var realFrames = real.ToArray();
var denseFrames = dense.ToArray();
report.Line($"inputs ready in {Stopwatch.GetElapsedTime(started).TotalSeconds:F1} s:");
report.Line($"  (1) {real.Description}: {real.Count} frames, {real.Events} events ({real.Bytes:N0} bytes), replayed ×{options.CaptureRepeats:N0} per run");
report.Line($"  (2) {dense.Description}: {dense.Events:N0} events, {dense.Bytes / 1e6:F0} MB, {(double)dense.Bytes / dense.Count:F0} bytes a frame");
report.Line("  frames are held in memory: reading and splitting the capture file is not measured");
report.Line();

// Warm-up: let the JIT reach its optimised tier on both inputs before the measured runs.
await NullSinkBench.RunAsync(realFrames, Math.Max(1, options.CaptureRepeats / 10), real.Events * Math.Max(1, options.CaptureRepeats / 10));
var warmFrames = denseFrames[..Math.Min(denseFrames.Length, 200_000)];
await NullSinkBench.RunAsync(warmFrames, 1, warmFrames.Length);

var realCase = new Case($"(1) real capture ×{options.CaptureRepeats:N0}", "pipeline → null sink",
    real.Count * (long)options.CaptureRepeats, real.Events * options.CaptureRepeats, "thread");
var denseCase = new Case($"(2) dense capture", "pipeline → null sink", dense.Count, dense.Events, "thread");
for (var run = 0; run < options.Runs; run++)
{
    realCase.Runs.Add(await NullSinkBench.RunAsync(realFrames, options.CaptureRepeats, realCase.Events));
    denseCase.Runs.Add(await NullSinkBench.RunAsync(denseFrames, 1, denseCase.Events));
    report.Progress($"null sink run {run + 1}/{options.Runs}: real {realCase.Runs[^1].Elapsed.TotalSeconds:F2} s, dense {denseCase.Runs[^1].Elapsed.TotalSeconds:F2} s");
}

IReadOnlyList<StageBreakdown.Stage>? stages = null;
if (options.Breakdown)
{
    var sample = denseFrames[..Math.Min(denseFrames.Length, 250_000)];
    StageBreakdown.Measure(sample);
    stages = StageBreakdown.Measure(sample);
    report.Progress($"stage breakdown over {sample.Length:N0} events done");
}

var kafkaCases = new List<Case>();
KafkaSummary? kafkaSummary = null;
if (options.Kafka)
{
    var kcatVersion = await KafkaBench.KcatVersionAsync(options.Kcat);
    using var kafka = await KafkaBench.PrepareAsync(denseFrames[..options.KafkaEvents], options.Kcat, options.KafkaSettings);
    var input = $"(2) dense, first {kafka.Events:N0}";
    var ours = new Case(input, "pipeline → KafkaEventSink, incl. flush", kafka.Events, kafka.Events, "process");
    var bare = new Case(input + ", pre-serialized", "bare Confluent.Kafka producer + flush", 0, kafka.Events, "process");
    var kcat = new Case(input + ", pre-serialized", "kcat -P, a process a topic, in turn", 0, kafka.Events, "-");
    var kcatEmpty = TimeSpan.Zero;
    var waits = new List<long>();
    var waitTimes = new List<long>();
    var queueFull = new List<long>();

    // Warm-up of the .NET paths, on a throwaway cluster, long enough for the JIT's optimised tier.
    using (var cluster = KafkaBench.NewCluster())
    {
        await kafka.OursAsync(cluster, limit: 100_000);
        kafka.Bare(cluster, limit: 100_000);
        if (kcatVersion.Length > 0)
        {
            kcatEmpty = await kafka.KcatEmptyAsync(cluster);
        }
    }

    for (var run = 0; run < options.Runs; run++)
    {
        // A fresh cluster each run (the mock keeps every message in memory); the order of the three rotates.
        using var cluster = KafkaBench.NewCluster();
        for (var step = 0; step < 3; step++)
        {
            switch ((run + step) % 3)
            {
                case 0:
                    var (oursRun, oursWaits, oursWaitTime) = await kafka.OursAsync(cluster);
                    ours.Runs.Add(oursRun);
                    waits.Add(oursWaits);
                    waitTimes.Add(oursWaitTime.Ticks);
                    break;
                case 1:
                    var (bareRun, bareQueueFull) = kafka.Bare(cluster);
                    bare.Runs.Add(bareRun);
                    queueFull.Add(bareQueueFull);
                    break;
                case 2 when kcatVersion.Length > 0:
                    kcat.Runs.Add(await kafka.KcatAsync(cluster));
                    break;
            }
        }

        report.Progress($"kafka run {run + 1}/{options.Runs}: ours {ours.Runs[^1].Elapsed.TotalSeconds:F2} s, bare {bare.Runs[^1].Elapsed.TotalSeconds:F2} s"
            + (kcat.Runs.Count > 0 ? $", kcat {kcat.Runs[^1].Elapsed.TotalSeconds:F2} s" : ""));
    }

    kafkaCases.Add(ours);
    kafkaCases.Add(bare);
    if (kcat.Runs.Count > 0)
    {
        kafkaCases.Add(kcat);
    }

    kafkaSummary = new KafkaSummary(kafka.Events, kafka.MessageBytes, kafka.TopicSummary, kcatVersion, kcatEmpty,
        Case.Median(waits), TimeSpan.FromTicks((long)Case.Median(waitTimes)), Case.Median(queueFull),
        kcat.Runs.Count > 0 ? kcat : null, ours, bare, kafka.Settings, "kcat " + kafka.KcatCommand("<bootstrap>", "<topic>", "<topic>.tsv"));
}

report.Results([realCase, denseCase, .. kafkaCases]);
if (stages is not null)
{
    report.Breakdown(stages, denseCase);
}

if (kafkaSummary is not null)
{
    report.Kafka(kafkaSummary, options);
}

report.Targets(denseCase, kafkaSummary, options.Quick);
report.Line($"total time {total.Elapsed.TotalSeconds:F0} s");
return 0;
