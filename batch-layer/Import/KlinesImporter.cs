using System.Diagnostics;
using System.IO.Compression;
using Lambda.BatchLayer.Master;
using Lambda.BatchLayer.Progress;
using Lambda.Core.Contracts;
using Lambda.Core.Klines;

namespace Lambda.BatchLayer.Import;

/// <summary>
/// Reads klines files (Binance dumps as CSV or zip, simple OHLCV CSVs) into the master dataset.
/// Rows that cannot be read or break <see cref="KlineRules"/> are reported and counted; the rest of
/// the file is still imported. The master dataset makes a second import of the same data a no-op.
/// </summary>
public sealed class KlinesImporter(MasterDataset master, ImportOptions options, WorkProgress progress, string reportsDirectory)
{
    /// <summary>Rows read before the interval of a file that does not name it is inferred.</summary>
    private const int InferenceRows = 3;

    public async Task<ImportResult> ImportAsync(ImportInputs inputs, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        var clock = Stopwatch.StartNew();
        var files = new List<ImportedFile>();
        using var bad = new BadRowsReport(reportsDirectory, DateTimeOffset.UtcNow);
        var interrupted = false;
        foreach (var file in inputs.Files)
        {
            if (cancellationToken.IsCancellationRequested)
            {
                interrupted = true;
                break;
            }

            progress.Working(Path.GetFileName(file));
            try
            {
                if (Path.GetExtension(file).Equals(".zip", StringComparison.OrdinalIgnoreCase))
                {
                    files.AddRange(await ImportZipAsync(file, bad, cancellationToken).ConfigureAwait(false));
                }
                else
                {
                    using var reader = new StreamReader(file);
                    files.Add(await ImportTextAsync(file, Path.GetFileName(file), reader, bad, cancellationToken).ConfigureAwait(false));
                }
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidDataException && e is not MasterDatasetLockedException)
            {
                files.Add(Failed(file, $"cannot be read: {e.Message}"));
            }

            progress.StepDone();
        }

        interrupted |= cancellationToken.IsCancellationRequested;
        var written = files.Aggregate(MasterWriteResult.None, (sum, f) => sum + f.Written);
        return new ImportResult(files, inputs.Missing, bad.Examples, bad.Count, bad.Path, written, files.Sum(f => f.Rows), clock.Elapsed, interrupted);
    }

    private async Task<List<ImportedFile>> ImportZipAsync(string file, BadRowsReport bad, CancellationToken cancellationToken)
    {
        using var archive = ZipFile.OpenRead(file);
        var entries = archive.Entries.Where(e => e.FullName.EndsWith(".csv", StringComparison.OrdinalIgnoreCase)).ToList();
        if (entries.Count == 0)
        {
            return [Failed(file, "the zip archive holds no .csv file")];
        }

        var results = new List<ImportedFile>();
        foreach (var entry in entries)
        {
            using var reader = new StreamReader(entry.Open());
            // Binance names the CSV inside like the archive; when an entry does not say, the archive may.
            var name = KlinesCsvReader.NameParts(entry.Name).Symbol is null ? Path.GetFileName(file) : entry.Name;
            results.Add(await ImportTextAsync($"{file}!{entry.FullName}", name, reader, bad, cancellationToken).ConfigureAwait(false));
        }

        return results;
    }

    private async Task<ImportedFile> ImportTextAsync(string display, string nameForParts, TextReader reader, BadRowsReport bad, CancellationToken cancellationToken)
    {
        var (nameSymbol, nameInterval) = KlinesCsvReader.NameParts(nameForParts);
        var symbol = nameSymbol ?? options.Symbol;
        if (symbol is null)
        {
            return Failed(display, "cannot tell the symbol: name the file SYMBOL-INTERVAL….csv (as Binance does) or pass --symbol");
        }

        string? note = null;
        if (nameSymbol is not null && options.Symbol is not null && !nameSymbol.Equals(options.Symbol, StringComparison.OrdinalIgnoreCase))
        {
            note = $"the file name says {nameSymbol}, which wins over --symbol {options.Symbol}";
        }

        if (nameInterval is not null && options.Interval is not null && nameInterval != options.Interval)
        {
            note = $"the file name says {nameInterval}, which wins over --interval {options.Interval}";
        }

        var interval = nameInterval ?? options.Interval;
        var pending = new List<KlineRow>();
        var chunk = new List<Kline>(Math.Min(options.ChunkRows, 16_384));
        var written = MasterWriteResult.None;
        long rows = 0, badRows = 0;

        void Reject(KlineRow row, string reason)
        {
            badRows++;
            bad.Add(new BadRow(display, row.Line, reason, row.Raw));
        }

        void Take(KlineRow row)
        {
            if (KlineRules.Problem(row.Kline!, interval!) is { } problem)
            {
                Reject(row, problem);
            }
            else
            {
                chunk.Add(row.Kline!);
            }
        }

        foreach (var row in KlinesCsvReader.Read(reader, interval))
        {
            rows++;
            progress.AddRows(1);
            if (row.Kline is null)
            {
                Reject(row, row.Error ?? "unreadable");
                continue;
            }

            if (interval is null)
            {
                pending.Add(row);
                if (pending.Count < InferenceRows)
                {
                    continue;
                }

                interval = InferInterval(pending);
                if (interval is null)
                {
                    return Failed(display, "cannot tell the interval from the timestamps: pass --interval", rows, badRows);
                }

                pending.ForEach(Take);
                pending.Clear();
                continue;
            }

            Take(row);
            if (chunk.Count >= options.ChunkRows)
            {
                written += await master.AddAsync(options.Exchange, symbol, interval, chunk, MasterOrigins.Import, CancellationToken.None).ConfigureAwait(false);
                chunk.Clear();
                if (cancellationToken.IsCancellationRequested)
                {
                    return new ImportedFile(display, symbol, interval, rows, written, badRows, null, "interrupted before the end of the file");
                }
            }
        }

        if (pending.Count > 0)
        {
            interval = InferInterval(pending);
            if (interval is null)
            {
                return Failed(display, "cannot tell the interval from the timestamps: pass --interval", rows, badRows);
            }

            pending.ForEach(Take);
        }

        if (chunk.Count > 0)
        {
            // A whole chunk is written even on Ctrl+C: it is quick, and its counts stay true.
            written += await master.AddAsync(options.Exchange, symbol, interval!, chunk, MasterOrigins.Import, CancellationToken.None).ConfigureAwait(false);
        }

        return new ImportedFile(display, symbol.ToUpperInvariant(), interval, rows, written, badRows, null, note);
    }

    /// <summary>
    /// The interval of klines from a file that does not name it: the smallest gap between their open
    /// times (a missing kline only widens one gap), or one kline's span when they all start together.
    /// </summary>
    private static string? InferInterval(List<KlineRow> rows)
    {
        var opens = rows.Select(r => r.Kline!.OpenTime).Distinct().Order().ToList();
        var gaps = opens.Zip(opens.Skip(1), (a, b) => b - a).ToList();
        var length = gaps.Count > 0 ? gaps.Min() : rows[0].Kline!.CloseTime - rows[0].Kline!.OpenTime + 1;
        return KlineIntervals.All.FirstOrDefault(name =>
            KlineIntervals.TryGetLength(name, out var span) && span > TimeSpan.Zero && (long)span.TotalMilliseconds == length);
    }

    private static ImportedFile Failed(string name, string error, long rows = 0, long badRows = 0) =>
        new(name, null, null, rows, MasterWriteResult.None, badRows, error, null);
}
