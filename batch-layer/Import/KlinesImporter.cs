using System.Diagnostics;
using System.IO.Compression;
using Lambda.BatchLayer.Master;
using Lambda.Core.Progress;
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
        if (nameSymbol is null && options.Symbol is null)
        {
            return Failed(display, "cannot tell the symbol: name the file SYMBOL-INTERVAL….csv (as Binance does) or pass --symbol");
        }

        var (symbol, symbolRefusal) = KlineLabels.Symbol(nameSymbol, options.Symbol);
        if (symbol is null)
        {
            return Failed(display, symbolRefusal!);
        }

        // The interval is settled once the first rows are read: the name or --interval declares it, the timestamps must agree.
        var declared = options.Interval ?? nameInterval;
        string? interval = null;
        // Bad rows before the first good one are held back: when no row of the file is a kline (empty,
        // binary, a missing column) that is one error about the file, not one per row.
        var heldBack = new List<BadRow>();
        var goodRows = 0L;
        var pending = new List<KlineRow>();
        var chunk = new List<Kline>(Math.Min(options.ChunkRows, 16_384));
        var written = MasterWriteResult.None;
        long rows = 0, badRows = 0;

        void Reject(KlineRow row, string reason)
        {
            badRows++;
            var badRow = new BadRow(display, row.Line, reason, row.Raw);
            if (goodRows == 0)
            {
                heldBack.Add(badRow);
            }
            else
            {
                bad.Add(badRow);
            }
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

        string? Settle()
        {
            var (settled, refusal) = KlineLabels.Interval(nameInterval, options.Interval, [.. pending.Select(r => r.Kline!)]);
            interval = settled;
            return refusal;
        }

        foreach (var row in KlinesCsvReader.Read(reader, declared))
        {
            rows++;
            progress.AddRows(1);
            if (row.Kline is null)
            {
                Reject(row, row.Error ?? "unreadable");
                continue;
            }

            if (goodRows++ == 0)
            {
                heldBack.ForEach(bad.Add);
                heldBack.Clear();
            }

            if (interval is null)
            {
                pending.Add(row);
                if (pending.Count < KlineLabels.InferenceRows)
                {
                    continue;
                }

                if (Settle() is { } refusal)
                {
                    return Failed(display, refusal, rows, badRows);
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

        if (goodRows == 0)
        {
            return Failed(display, rows == 0
                ? "the file holds no rows"
                : $"no row of the file is a kline (first problem, line {heldBack[0].Line}: {heldBack[0].Reason})", rows, badRows);
        }

        if (pending.Count > 0)
        {
            if (Settle() is { } refusal)
            {
                return Failed(display, refusal, rows, badRows);
            }

            pending.ForEach(Take);
        }

        if (chunk.Count > 0)
        {
            // A whole chunk is written even on Ctrl+C: it is quick, and its counts stay true.
            written += await master.AddAsync(options.Exchange, symbol, interval!, chunk, MasterOrigins.Import, CancellationToken.None).ConfigureAwait(false);
        }

        return new ImportedFile(display, symbol.ToUpperInvariant(), interval, rows, written, badRows, null, null);
    }

    private static ImportedFile Failed(string name, string error, long rows = 0, long badRows = 0) =>
        new(name, null, null, rows, MasterWriteResult.None, badRows, error, null);
}
