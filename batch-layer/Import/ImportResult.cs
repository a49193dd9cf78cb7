using Lambda.BatchLayer.Master;

namespace Lambda.BatchLayer.Import;

/// <summary>What <c>batch-layer import</c> takes from its command line.</summary>
/// <param name="Exchange">Exchange of every file (files do not say).</param>
/// <param name="Symbol">Symbol of files whose name does not say.</param>
/// <param name="Interval">Interval of files whose name does not say; inferred from the timestamps when null.</param>
/// <param name="ChunkRows">Klines handed to the master dataset at once: bounds the memory a huge file needs.</param>
public sealed record ImportOptions(string Exchange, string? Symbol, string? Interval, int ChunkRows = 100_000);

/// <summary>One input (a CSV file, or one CSV entry of a zip archive) and what became of it.</summary>
/// <param name="Name">The file, or <c>archive.zip!entry.csv</c>.</param>
/// <param name="Rows">Data rows read (header excluded).</param>
/// <param name="BadRows">Rows rejected as unreadable or breaking <see cref="KlineRules"/>.</param>
/// <param name="Error">Why nothing of the input could be imported, or null.</param>
/// <param name="Note">Something the user should know (an option overruled by the file name).</param>
public sealed record ImportedFile(string Name, string? Symbol, string? Interval, long Rows, MasterWriteResult Written, long BadRows, string? Error, string? Note);

/// <summary>A rejected row: where it is and why.</summary>
public sealed record BadRow(string File, int Line, string Reason, string Raw);

/// <summary>What an import did.</summary>
/// <param name="Missing">PATH arguments that named no file.</param>
/// <param name="BadRowExamples">The first rejected rows (all of them are in <see cref="BadRowsReport"/>).</param>
/// <param name="BadRowsReport">A CSV of every rejected row (file, line, reason, raw), or null when there was none.</param>
/// <param name="Interrupted">Ctrl+C stopped the import; what was added before it is stored.</param>
public sealed record ImportResult(
    IReadOnlyList<ImportedFile> Files,
    IReadOnlyList<string> Missing,
    IReadOnlyList<BadRow> BadRowExamples,
    long BadRows,
    string? BadRowsReport,
    MasterWriteResult Written,
    long Rows,
    TimeSpan Elapsed,
    bool Interrupted)
{
    /// <summary>Rows that did not make it into the master dataset as given: unreadable, invalid or conflicting.</summary>
    public long Rejected => BadRows + Written.Conflicting;

    /// <summary>Inputs that failed as a whole (unreadable, unknown symbol or interval) or were not found.</summary>
    public int FailedInputs => Missing.Count + Files.Count(f => f.Error is not null);
}
