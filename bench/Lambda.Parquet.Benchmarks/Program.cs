using System.Diagnostics;
using System.Globalization;
using Lambda.Core.Views;
using Lambda.Parquet.Benchmarks;
using Lambda.Testing;

// The Parquet benchmark: our Parquet.Net path (the views' row adapter) against
// DuckDB on the same candle-shaped rows, Snappy, in the same run. Usage: Lambda.Parquet.Benchmarks [--rows N] [--runs N] [--quick]
var rows = 10_000_000L;
var runs = 3;
var writerOptions = new ParquetWriterOptions { Compression = ParquetCompression.Snappy };
for (var i = 0; i < args.Length; i++)
{
    switch (args[i])
    {
        case "--rows": rows = long.Parse(args[++i], CultureInfo.InvariantCulture); break;
        case "--runs": runs = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
        case "--quick": rows = 1_000_000; runs = 1; break;
        default: Console.Error.WriteLine($"unknown argument {args[i]} (--rows N, --runs N, --quick)"); return 2;
    }
}

var folder = Directory.CreateTempSubdirectory("lambda-bench-parquet-").FullName;
var ours = Path.Combine(folder, "ours.parquet");
var duck = Path.Combine(folder, "duckdb.parquet");
Console.WriteLine($"Parquet benchmark: {rows:N0} candle-shaped rows (2 strings, a date, 6 doubles, an INT64, a boolean, 2 timestamps), Snappy, {runs} run(s), medians");
Console.WriteLine($"  machine {Environment.ProcessorCount} core(s), .NET {Environment.Version}; files in {folder}");

await using var duckDb = await DuckDb.StartAsync();
var version = (await duckDb.QueryAsync("SELECT version()")).Rows[0][0];
Console.WriteLine($"  DuckDB {version} (DuckDB.NET), in this process");
var build = Stopwatch.StartNew();
await duckDb.ExecuteAsync($"CREATE OR REPLACE TABLE candles AS {CandleRows.DuckDbSql(rows)}");
Console.WriteLine($"  DuckDB table built in {build.Elapsed.TotalSeconds:0.0} s (not measured)");

var results = new Dictionary<string, List<double>>();
void Record(string name, TimeSpan time) => (results.TryGetValue(name, out var list) ? list : results[name] = []).Add(time.TotalSeconds);

ScanTotals? oursTotals = null;
ScanTotals? duckTotals = null;
ThreeColumns? oursThree = null;
for (var run = 1; run <= runs; run++)
{
    var watch = Stopwatch.StartNew();
    using (var writer = ParquetFileWriter.Create(ours, CandleRows.Schema, writerOptions))
    {
        CandleRows.Write(writer, rows);
    }

    Record("ours write", watch.Elapsed);

    watch.Restart();
    using (var reader = ParquetFileReader.Open(ours))
    {
        oursTotals = ScanTotals.Read(reader);
    }

    Record("ours read (own file)", watch.Elapsed);

    watch.Restart();
    using (var reader = ParquetFileReader.Open(ours))
    {
        oursThree = ThreeColumns.Read(reader);
    }

    Record("ours read 3 columns", watch.Elapsed);

    foreach (var threads in new[] { 1, Environment.ProcessorCount })
    {
        await duckDb.ExecuteAsync($"SET threads = {threads}");
        watch.Restart();
        await duckDb.ExecuteAsync($"COPY candles TO '{duck}' (FORMAT parquet, COMPRESSION snappy)");
        Record($"DuckDB write, {threads} thread(s)", watch.Elapsed);

        watch.Restart();
        duckTotals = Totals(await duckDb.QueryAsync($"{ScanTotals.DuckDbSelect} FROM read_parquet('{duck}')"));
        Record($"DuckDB read (own file), {threads} thread(s)", watch.Elapsed);

        watch.Restart();
        var duckThree = ThreeColumns.Of(await duckDb.QueryAsync($"{ThreeColumns.DuckDbSelect} FROM read_parquet('{duck}')"));
        Record($"DuckDB read 3 columns, {threads} thread(s)", watch.Elapsed);
        if (duckThree != oursThree)
        {
            throw new InvalidOperationException($"DuckDB's 3-column scan disagrees: {duckThree} vs {oursThree}");
        }
    }

    watch.Restart();
    using (var reader = ParquetFileReader.Open(duck))
    {
        var fromDuck = ScanTotals.Read(reader);
        if (!fromDuck.Matches(oursTotals))
        {
            throw new InvalidOperationException($"our reader disagrees on DuckDB's file: {fromDuck} vs {oursTotals}");
        }
    }

    Record("ours read (DuckDB's file)", watch.Elapsed);
    await duckDb.ExecuteAsync("SET threads = 1");
    var duckOnOurs = Totals(await duckDb.QueryAsync($"{ScanTotals.DuckDbSelect} FROM read_parquet('{ours}')"));
    if (!duckOnOurs.Matches(oursTotals) || !duckTotals!.Matches(oursTotals))
    {
        throw new InvalidOperationException($"DuckDB disagrees on our file: {duckOnOurs} vs {oursTotals} (its own: {duckTotals})");
    }

    Console.WriteLine($"  … run {run}/{runs}: {string.Join(", ", results.Select(r => $"{r.Key} {r.Value[^1]:0.00} s"))}");
}

double Median(string name)
{
    var sorted = results[name].Order().ToList();
    return sorted[sorted.Count / 2];
}

Console.WriteLine();
Console.WriteLine($"{"case",-38} {"median s",9} {"rows/s",14}");
foreach (var name in results.Keys)
{
    Console.WriteLine($"{name,-38} {Median(name),9:0.000} {rows / Median(name),14:N0}");
}

var oursSize = new FileInfo(ours).Length;
var duckSize = new FileInfo(duck).Length;
Console.WriteLine();
Console.WriteLine($"file size: ours {oursSize:N0} B, DuckDB {duckSize:N0} B, ours/DuckDB {(double)oursSize / duckSize:0.000}");
var writeRatio = Median("ours write") / Median("DuckDB write, 1 thread(s)");
var readRatio = Median("ours read (own file)") / Median("DuckDB read (own file), 1 thread(s)");
var threeRatio = Median("ours read 3 columns") / Median("DuckDB read 3 columns, 1 thread(s)");
Console.WriteLine($"ratios against DuckDB on one thread: write {writeRatio:0.00}× (target ≤ 1.5×), full read {readRatio:0.00}× (target ≤ 3×), "
    + $"3-column read {threeRatio:0.00}×, size {(double)oursSize / duckSize:0.000} (target ≤ 1.10)");
Console.WriteLine($"ratios against DuckDB on {Environment.ProcessorCount} threads: write {Median("ours write") / Median($"DuckDB write, {Environment.ProcessorCount} thread(s)"):0.00}×, read {Median("ours read (own file)") / Median($"DuckDB read (own file), {Environment.ProcessorCount} thread(s)"):0.00}×");
Console.WriteLine("both readers agree on every file (counts exactly, float sums to 1e-9)");
Directory.Delete(folder, recursive: true);
return 0;

static ScanTotals Totals(DuckDbResult result)
{
    var r = result.Rows[0];
    long L(int i) => Convert.ToInt64(r[i], CultureInfo.InvariantCulture);
    double D(int i) => Convert.ToDouble(r[i], CultureInfo.InvariantCulture);
    return new ScanTotals(L(0), L(1), L(2), L(3), D(4), D(5), L(6), L(7), L(8));
}
