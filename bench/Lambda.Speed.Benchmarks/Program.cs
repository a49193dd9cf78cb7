using System.Globalization;
using Lambda.Core.Transport.Kafka;
using Lambda.Speed.Benchmarks;
using Lambda.Speed.Benchmarks.DataSet;
using Lambda.Speed.Benchmarks.Runs;
using Lambda.Speed.Benchmarks.Verification;
using Lambda.Testing;

// The speed-layer benchmark. scripts/bench-speed.sh builds it in Release, pins it to one core and runs it.
var options = BenchOptions.Parse(args, Console.Out, Console.Error);
if (options is null)
{
    return args.Contains("--help") || args.Contains("-h") ? 0 : 2;
}

CultureInfo.DefaultThreadCurrentCulture = CultureInfo.InvariantCulture;
CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;
using var cancel = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    cancel.Cancel();
};

var report = new Report(Console.Out);
report.Environment(options);
var workDirectory = Directory.CreateTempSubdirectory("lambda-bench-speed-").FullName;
try
{
    var data = await TopicFileDataSet.OpenOrCreateAsync(options.CacheDirectory, options.Events, cancel.Token);
    report.DataSet(data);
    var jobOptions = SpeedJobRun.Options(data.Manifest);
    report.Line($"  job: SpeedBatchJob, topics {string.Join(", ", jobOptions.Topics)}, window {jobOptions.Window:c}, kline interval {jobOptions.KlineInterval}, lateness {jobOptions.Lateness.TotalMinutes:F0} min (the default)");
    report.Line();

    // The embedded run reads the cached topic files through a data directory of its own, so the view it writes
    // does not land in the cache.
    var embeddedDirectory = Path.Combine(workDirectory, "embedded");
    Directory.CreateDirectory(embeddedDirectory);
    Directory.CreateSymbolicLink(Path.Combine(embeddedDirectory, "topics"), Path.Combine(data.Directory, "topics"));

    var embedded = new Case("embedded", "SpeedBatchJob ← topic files");
    var kafka = new Case("kafka-mock", "SpeedBatchJob ← Kafka (mock cluster)");
    var duck = new Case("duckdb", "DuckDB read_ndjson + GROUP BY, threads = 1");
    var cases = new List<Case> { embedded };

    // Everything is prepared before the first measurement; then each round runs every engine once, so that all
    // of them meet the same conditions on a machine whose load changes.
    using var log = options.Kafka ? await MockKafkaLog.LoadAsync(data, cancel.Token) : null;
    if (log is not null)
    {
        cases.Add(kafka);
        Directory.CreateDirectory(Path.Combine(workDirectory, "kafka"));
        report.Line($"  mock cluster {log.BootstrapServers}: {string.Join(", ", log.Partitions.Select(p => $"{p.Key} {p.Value} partitions"))}"
            + (options.ConsumerSettings.Count > 0 ? $"; consumer settings {string.Join(", ", options.ConsumerSettings.Select(s => $"{s.Name}={s.Value}"))}" : "; our consumer defaults"));
    }

    await using var duckDb = options.DuckDb ? await DuckDb.StartAsync(cancel.Token) : null;
    var sql = DuckDbCandles.Sql(data);
    if (duckDb is not null)
    {
        cases.Add(duck);
        duckDb.RequestTimeout = TimeSpan.FromHours(1);
        await duckDb.ExecuteAsync("SET threads = 1", cancel.Token);
        report.Line($"  DuckDB {(await duckDb.QueryAsync("SELECT version()", cancel.Token)).Scalar()} (DuckDB.NET, in this process), SET threads = 1");
    }

    List<BenchCandle>? ours = null;
    long late = 0;
    CandleComparison? kafkaAgreement = null;
    CandleComparison? duckAgreement = null;
    for (var run = 1; run <= options.Runs; run++)
    {
        var (result, measurement) = await SpeedJobRun.RunAsync(jobOptions, new KafkaOptions(), embeddedDirectory, cancel.Token);
        Expect(result.EventsRead, data.Manifest.Events, "embedded run");
        embedded.Runs.Add(measurement);
        ours = [.. result.Candles.Select(BenchCandle.From)];
        report.RunLine(embedded, run, options.Runs, $"{ours.Count:N0} candles, late {result.Counters.Late:N0}, duplicates {result.Counters.Duplicates:N0}");
        late += result.Counters.Late;

        if (log is not null)
        {
            (result, measurement) = await SpeedJobRun.RunAsync(jobOptions, log.Options(options.ConsumerSettings), Path.Combine(workDirectory, "kafka"), cancel.Token);
            Expect(result.EventsRead, data.Manifest.Events, "Kafka run");
            kafka.Runs.Add(measurement);
            kafkaAgreement = CandleComparison.Compare("embedded", ours, "kafka", [.. result.Candles.Select(BenchCandle.From)]);
            report.RunLine(kafka, run, options.Runs, (kafkaAgreement.Agree ? "candles equal the embedded run's" : "candles DIFFER from the embedded run's")
                + $", late {result.Counters.Late:N0}");
            late += result.Counters.Late;
        }

        if (duckDb is not null)
        {
            var (candles, duckMeasurement) = await DuckDbCandles.RunAsync(duckDb, sql, data.Manifest.Events, cancel.Token);
            duck.Runs.Add(duckMeasurement);
            duckAgreement = CandleComparison.Compare("ours", ours, "duckdb", candles);
            report.RunLine(duck, run, options.Runs, $"{candles.Count:N0} candles, {(duckAgreement.Agree ? "equal to ours" : "DIFFERENT from ours")}");
        }
    }

    report.Results(cases, data.Manifest);
    report.Agreement("Kafka vs embedded", kafkaAgreement);
    report.Agreement("DuckDB vs ours", duckAgreement);
    report.Target(embedded, duckDb is not null ? duck : null);
    report.Line(late == 0 ? "Late events: 0 in every run (in-order data, per-input watermarks)" : $"Late events: {late:N0} over the runs, expected 0 on in-order data");

    const int readerMessages = 200_000;
    var readers = ReaderComparison.Run(readerMessages, passes: 5);
    report.Line();
    report.Line($"Reading our own klines ({readerMessages:N0} serialized messages, median of 5 passes, this thread):");
    foreach (var reader in readers)
    {
        report.Line($"  {reader.Path,-72} {reader.NanosecondsPerMessage,7:N0} ns  {reader.BytesPerMessage,5:N0} B allocated per message");
    }

    report.Line($"  the serializer takes {readers[1].NanosecondsPerMessage / readers[0].NanosecondsPerMessage:F1}× the time and {readers[1].BytesPerMessage / readers[0].BytesPerMessage:F1}× the memory");
    return (kafkaAgreement?.Agree ?? true) && (duckAgreement?.Agree ?? true) && late == 0 ? 0 : 1;
}
catch (OperationCanceledException) when (cancel.IsCancellationRequested)
{
    Console.Error.WriteLine("Interrupted: no results (a data set being generated is regenerated next time).");
    return 130;
}
finally
{
    // The symbolic link to the cached topics is removed, not followed.
    Directory.Delete(workDirectory, recursive: true);
}

static void Expect(long read, long expected, string what)
{
    if (read != expected)
    {
        throw new InvalidOperationException($"{what} read {read:N0} events, the data set has {expected:N0}");
    }
}
