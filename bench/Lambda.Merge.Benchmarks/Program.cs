using Lambda.Core.Views;
using System.Diagnostics;
using System.Globalization;
using Lambda.Merge.Benchmarks;
using Lambda.Merge.Serving;
using Lambda.Testing;

// The merge benchmark: the `merge` executable (serving view as Parquet and CSV, reports,
// no chart) on 10 million batch rows and 1 million speed rows, against DuckDB doing the same join
// (Lambda.Testing.ServingJoinSql) and writing the same files, in the same run.
// Usage: Lambda.Merge.Benchmarks [--batch-rows N] [--speed-rows N] [--runs N] [--quick]
var batchRows = 10_000_000L;
var speedRows = 1_000_000L;
var runs = 3;
for (var i = 0; i < args.Length; i++)
{
    switch (args[i])
    {
        case "--batch-rows": batchRows = long.Parse(args[++i], CultureInfo.InvariantCulture); break;
        case "--speed-rows": speedRows = long.Parse(args[++i], CultureInfo.InvariantCulture); break;
        case "--runs": runs = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
        case "--quick": batchRows = 1_000_000; speedRows = 100_000; runs = 1; break;
        default: Console.Error.WriteLine($"unknown argument {args[i]} (--batch-rows N, --speed-rows N, --runs N, --quick)"); return 2;
    }
}

Console.WriteLine($"Merge benchmark: {batchRows:N0} batch rows + {speedRows:N0} speed rows → serving view (Parquet + CSV), {runs} run(s), medians");
Console.WriteLine($"  machine {Environment.ProcessorCount} core(s), .NET {Environment.Version}");
var inputs = MergeInputs.Prepare(batchRows, speedRows, Console.Out);
var merge = Path.Combine(AppContext.BaseDirectory, "merge.dll");
var outputs = Directory.CreateTempSubdirectory("lambda-bench-merge-").FullName;
var duckParquet = Path.Combine(outputs, "duckdb.parquet");
var duckCsv = Path.Combine(outputs, "duckdb.csv");
var ours = Path.Combine(ViewLayout.Serving.Directory(inputs.DataDirectory), ViewLayout.Serving.ParquetFile);

await using var duckDb = await DuckDb.StartAsync();
duckDb.RequestTimeout = TimeSpan.FromMinutes(10);
Console.WriteLine($"  DuckDB {duckDb.Version} (DuckDB.NET), in this benchmark process; its peak memory is this process's high-water mark");
var join = ServingJoinSql.Select(inputs.BatchFile, $"batch:{MergeInputs.BuildId}", inputs.Horizon, [(inputs.SpeedFile, $"speed:{MergeInputs.SpeedLineage}")]);

var results = new Dictionary<string, List<double>>();
var peaks = new Dictionary<string, long>();
void Record(string name, double seconds) => (results.TryGetValue(name, out var list) ? list : results[name] = []).Add(seconds);
double Median(string name) => results[name].Order().ElementAt(results[name].Count / 2);

long servingRows = 0;
for (var run = 1; run <= runs; run++)
{
    var child = await PeakMemory.RunAsync("dotnet", [merge, "--data-dir", inputs.DataDirectory, "--no-chart", "--last", "0"]);
    if (child.ExitCode != 0)
    {
        Console.Error.WriteLine($"merge failed ({child.ExitCode}): {child.Error}{child.Output}");
        return 1;
    }

    Record("ours: merge process (Parquet + CSV + reports)", child.Elapsed.TotalSeconds);
    var line = child.Output.Split('\n').First(l => l.StartsWith("serving view", StringComparison.Ordinal));
    var seconds = line.IndexOf(" s (", StringComparison.Ordinal);
    Record("ours: merge itself, as it reports", double.Parse(line[(line.LastIndexOf(" in ", seconds, StringComparison.Ordinal) + 4)..seconds], CultureInfo.InvariantCulture));
    peaks["ours"] = Math.Max(peaks.GetValueOrDefault("ours"), child.PeakBytes);
    servingRows = long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[2], NumberStyles.AllowThousands, CultureInfo.InvariantCulture);

    foreach (var threads in new[] { 1, Environment.ProcessorCount })
    {
        await duckDb.ExecuteAsync($"SET threads = {threads}");
        var watch = Stopwatch.StartNew();
        await duckDb.ExecuteAsync($"COPY ({join}) TO {DuckDb.Literal(duckParquet)} (FORMAT parquet, COMPRESSION snappy)");
        Record($"DuckDB {threads} thread(s): join → Parquet", watch.Elapsed.TotalSeconds);
        watch.Restart();
        await duckDb.ExecuteAsync($"COPY ({join}) TO {DuckDb.Literal(duckCsv)} (FORMAT csv, HEADER)");
        Record($"DuckDB {threads} thread(s): join → CSV", watch.Elapsed.TotalSeconds);
        peaks[$"DuckDB {threads} thread(s)"] = PeakMemory.Of(Environment.ProcessId);
    }

    Console.WriteLine($"  … run {run}/{runs}: {string.Join(", ", results.Select(r => $"{r.Key} {r.Value[^1]:0.00} s"))}");
}

// Both outputs hold the same rows: counts, and a hash of every column of every row summed.
const string Digest = "SELECT count(*), sum(hash(exchange, symbol, day, open, high, low, close, volume, quote_volume, trades, source, complete, first_event_time, last_event_time, lineage)::HUGEINT)";
await duckDb.ExecuteAsync($"SET threads = {Environment.ProcessorCount}");
var oursDigest = (await duckDb.QueryAsync($"{Digest} FROM read_parquet({DuckDb.Literal(ours)})")).Rows[0];
var duckDigest = (await duckDb.QueryAsync($"{Digest} FROM read_parquet({DuckDb.Literal(duckParquet)})")).Rows[0];
if (!oursDigest.SequenceEqual(duckDigest))
{
    Console.Error.WriteLine($"the serving views differ: ours {string.Join(' ', oursDigest)}, DuckDB's {string.Join(' ', duckDigest)}");
    return 1;
}

var inputRows = inputs.BatchRows + inputs.SpeedRows;
Console.WriteLine();
Console.WriteLine($"{"case",-48} {"median s",9} {"input rows/s",14}");
foreach (var name in results.Keys)
{
    Console.WriteLine($"{name,-48} {Median(name),9:0.000} {inputRows / Median(name),14:N0}");
}

Console.WriteLine();
foreach (var threads in new[] { 1, Environment.ProcessorCount })
{
    var duck = Median($"DuckDB {threads} thread(s): join → Parquet") + Median($"DuckDB {threads} thread(s): join → CSV");
    Console.WriteLine($"DuckDB, {threads} thread(s), Parquet + CSV: {duck:0.000} s; ours (process) / DuckDB {Median("ours: merge process (Parquet + CSV + reports)") / duck:0.00}×, ours (merge itself) / DuckDB {Median("ours: merge itself, as it reports") / duck:0.00}× (target ≤ 2×)");
}

Console.WriteLine($"peak resident memory: ours {peaks["ours"] / 1048576.0:N0} MiB (the whole merge process); " +
    string.Join(", ", peaks.Where(p => p.Key != "ours").Select(p => $"{p.Key} {p.Value / 1048576.0:N0} MiB (this process with DuckDB in it, peak since it started)")));
Console.WriteLine($"input {inputs.BatchRows:N0} batch + {inputs.SpeedRows:N0} speed rows ({new FileInfo(inputs.BatchFile).Length / 1048576.0:N0} + {new FileInfo(inputs.SpeedFile).Length / 1048576.0:N0} MiB), {servingRows:N0} serving rows; " +
    $"both serving views agree (count {oursDigest[0]}, row hash sum equal)");
Directory.Delete(outputs, recursive: true);
return 0;
