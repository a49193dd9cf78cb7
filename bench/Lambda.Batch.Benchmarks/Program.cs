using System.Diagnostics;
using System.Globalization;
using Lambda.Batch.Benchmarks;
using Lambda.BatchLayer.Build;
using Lambda.BatchLayer.Master;
using Lambda.Core.Progress;
using Lambda.Core.Views;
using Lambda.Testing;

// The batch layer benchmark: `batch-layer build` against DuckDB computing the same daily
// candles from the same Parquet files, in the same run.
// Usage: Lambda.Batch.Benchmarks [--symbols N] [--years N] [--runs N] [--quick]
var symbols = 100;
var years = 10;
var runs = 3;
for (var i = 0; i < args.Length; i++)
{
    switch (args[i])
    {
        case "--symbols": symbols = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
        case "--years": years = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
        case "--runs": runs = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
        case "--quick": symbols = 10; years = 2; runs = 1; break;
        default: Console.Error.WriteLine($"unknown argument {args[i]} (--symbols N, --years N, --runs N, --quick)"); return 2;
    }
}

var cache = Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache", "lambda", "bench-batch");
Console.WriteLine($"Batch layer benchmark: 1h klines of {symbols} symbols over {years} years, {runs} run(s), medians");
Console.WriteLine($"  machine {Environment.ProcessorCount} core(s) available to this process, .NET {Environment.Version}");
var data = await SyntheticKlines.EnsureAsync(cache, symbols, years, Console.Out);
var master = new MasterDataset(data);
var partitions = master.Partitions();
var rows = partitions.Sum(MasterDataset.CountRows);
Console.WriteLine($"  master dataset: {partitions.Count:N0} partition files, {rows:N0} klines, {Size(master.KlinesDirectory) / 1e6:F0} MB");

await using var duckDb = await DuckDb.StartAsync();
var version = (await duckDb.QueryAsync("SELECT version()")).Rows[0][0];
var defaultThreads = Convert.ToInt32((await duckDb.QueryAsync("SELECT current_setting('threads')")).Rows[0][0], CultureInfo.InvariantCulture);
Console.WriteLine($"  DuckDB {version} (DuckDB.NET, in process), default threads {defaultThreads}");
var duckFile = Path.Combine(data, "duckdb-daily-candles.parquet");
var sql = DailyCandlesOracle.Sql(master.KlinesDirectory);

var times = new Dictionary<string, List<double>>();
void Record(string name, TimeSpan time) => (times.TryGetValue(name, out var list) ? list : times[name] = []).Add(time.TotalSeconds);

BuildResult? built = null;
for (var run = 1; run <= runs; run++)
{
    var watch = Stopwatch.StartNew();
    var inputs = BatchViewBuilder.Inputs(new MasterDataset(data).Partitions(), null);
    built = await new BatchViewBuilder(data).BuildAsync(inputs, null, new WorkProgress("partitions", inputs.Count), CancellationToken.None);
    Record("batch-layer build (ours, 1 thread)", watch.Elapsed);
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  run {run}: ours {watch.Elapsed.TotalSeconds:F2} s ({built.Candles:N0} candles)"));

    foreach (var threads in new[] { 1, defaultThreads }.Distinct())
    {
        await duckDb.ExecuteAsync($"SET threads = {threads}");
        watch.Restart();
        await duckDb.ExecuteAsync($"COPY ({sql}) TO {DuckDb.Literal(duckFile)} (FORMAT parquet, COMPRESSION snappy)");
        Record($"DuckDB, {threads} thread(s)", watch.Elapsed);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  run {run}: DuckDB {threads} thread(s) {watch.Elapsed.TotalSeconds:F2} s"));
    }
}

// Both must produce the same candles: OHLC, trades, flags and times exactly, volumes to 1e-9 (DuckDB sums in its own order).
List<DailyCandle> ours, theirs;
using (var reader = ParquetFileReader.Open(built!.CandlesPath))
{
    ours = [.. reader.Read(DailyCandleMap.Instance)];
}

using (var reader = ParquetFileReader.Open(duckFile))
{
    theirs = [.. reader.Read(DailyCandleMap.Instance)];
}

var differences = ours.Count == theirs.Count ? ours.Zip(theirs).Count(p => !Same(p.First, p.Second)) : -1;
Console.WriteLine(differences == 0
    ? $"  check: both wrote the same {ours.Count:N0} daily candles"
    : $"  check FAILED: ours {ours.Count:N0} candles, DuckDB {theirs.Count:N0}, {differences} differ");

Console.WriteLine();
Console.WriteLine($"{"",-36} {"median s",10} {"rows/s",14} {"vs DuckDB 1 thread",20}");
var reference = Median(times["DuckDB, 1 thread(s)"]);
foreach (var (name, list) in times)
{
    var median = Median(list);
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{name,-36} {median,10:F2} {rows / median,14:N0} {median / reference,19:F2}x"));
}

var ratio = Median(times["batch-layer build (ours, 1 thread)"]) / reference;
Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"target: ours within 2 x DuckDB (1 thread): {ratio:F2} x, {(ratio <= 2 ? "met" : "NOT met")}"));
return differences == 0 ? 0 : 1;

static double Median(List<double> values)
{
    var sorted = values.Order().ToList();
    return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[sorted.Count / 2 - 1] + sorted[sorted.Count / 2]) / 2;
}

static bool Same(DailyCandle a, DailyCandle b) =>
    a == b with { Volume = a.Volume, QuoteVolume = a.QuoteVolume }
    && Math.Abs(a.Volume - b.Volume) <= 1e-9 * Math.Abs(a.Volume)
    && Math.Abs(a.QuoteVolume - b.QuoteVolume) <= 1e-9 * Math.Abs(a.QuoteVolume);

static long Size(string directory) => Directory.EnumerateFiles(directory, "*", SearchOption.AllDirectories).Sum(f => new FileInfo(f).Length);
