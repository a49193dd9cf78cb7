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

        var file = new FileRows(display, nameInterval, options, bad);
        foreach (var row in KlinesCsvReader.Read(reader, options.Interval ?? nameInterval))
        {
            progress.AddRows(1);
            if (file.Accept(row) is { } refusal)
            {
                return Failed(display, refusal, file.Rows, file.BadRows);
            }

            if (file.Chunk.Count >= options.ChunkRows)
            {
                await WriteChunkAsync(symbol, file).ConfigureAwait(false);
                if (cancellationToken.IsCancellationRequested)
                {
                    return new ImportedFile(display, symbol, file.Interval, file.Rows, file.Written, file.BadRows, null, "interrupted before the end of the file");
                }
            }
        }

        if (file.Finish() is { } problem)
        {
            return Failed(display, problem, file.Rows, file.BadRows);
        }

        if (file.Chunk.Count > 0)
        {
            // A whole chunk is written even on Ctrl+C: it is quick, and its counts stay true.
            await WriteChunkAsync(symbol, file).ConfigureAwait(false);
        }

        return new ImportedFile(display, symbol.ToUpperInvariant(), file.Interval, file.Rows, file.Written, file.BadRows, null, null);
    }

    /// <summary>Writes the file's chunk into the master dataset (never cut short: its counts must stay true) and empties it.</summary>
    private async Task WriteChunkAsync(string symbol, FileRows file)
    {
        file.Written += await master.AddAsync(options.Exchange, symbol, file.Interval!, file.Chunk, MasterOrigins.Import, CancellationToken.None).ConfigureAwait(false);
        file.Chunk.Clear();
    }

    private static ImportedFile Failed(string name, string error, long rows = 0, long badRows = 0) =>
        new(name, null, null, rows, MasterWriteResult.None, badRows, error, null);

    /// <summary>
    /// One file's rows as they are read: the interval settled from the first rows (the name or <c>--interval</c>
    /// declares it, the timestamps must agree), the valid klines gathered into the next chunk, the bad rows
    /// reported, and the counts.
    /// </summary>
    /// <remarks>
    /// Bad rows before the first good one are held back: when no row of the file is a kline (empty, binary, a
    /// missing column) that is one error about the file, not one per row.
    /// </remarks>
    private sealed class FileRows(string display, string? nameInterval, ImportOptions options, BadRowsReport bad)
    {
        private readonly List<BadRow> _heldBack = [];
        private readonly List<KlineRow> _pending = [];
        private long _goodRows;

        public string? Interval { get; private set; }

        public List<Kline> Chunk { get; } = new(Math.Min(options.ChunkRows, 16_384));

        public MasterWriteResult Written { get; set; } = MasterWriteResult.None;

        public long Rows { get; private set; }

        public long BadRows { get; private set; }

        /// <summary>Takes one row; returns why the whole file is refused (its klines contradict its labels), or null.</summary>
        public string? Accept(KlineRow row)
        {
            Rows++;
            if (row.Kline is null)
            {
                Reject(row, row.Error ?? "unreadable");
                return null;
            }

            if (_goodRows++ == 0)
            {
                _heldBack.ForEach(bad.Add);
                _heldBack.Clear();
            }

            if (Interval is not null)
            {
                Take(row);
                return null;
            }

            _pending.Add(row);
            return _pending.Count < KlineLabels.InferenceRows ? null : Settle();
        }

        /// <summary>At the end of the file: why it is refused (no kline in it, or its few klines contradict its labels), or null.</summary>
        public string? Finish()
        {
            if (_goodRows == 0)
            {
                return Rows == 0
                    ? "the file holds no rows"
                    : $"no row of the file is a kline (first problem, line {_heldBack[0].Line}: {_heldBack[0].Reason})";
            }

            return _pending.Count > 0 ? Settle() : null;
        }

        private string? Settle()
        {
            var (settled, refusal) = KlineLabels.Interval(nameInterval, options.Interval, [.. _pending.Select(r => r.Kline!)]);
            Interval = settled;
            if (refusal is not null)
            {
                return refusal;
            }

            _pending.ForEach(Take);
            _pending.Clear();
            return null;
        }

        private void Take(KlineRow row)
        {
            if (KlineRules.Problem(row.Kline!, Interval!) is { } problem)
            {
                Reject(row, problem);
            }
            else
            {
                Chunk.Add(row.Kline!);
            }
        }

        private void Reject(KlineRow row, string reason)
        {
            BadRows++;
            var badRow = new BadRow(display, row.Line, reason, row.Raw);
            if (_goodRows == 0)
            {
                _heldBack.Add(badRow);
            }
            else
            {
                bad.Add(badRow);
            }
        }
    }
}
