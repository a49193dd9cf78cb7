using System.Globalization;
using Lambda.Core.CommandLine;
using Lambda.Core.Views;

namespace Lambda.Merge.Serving;

/// <summary>A speed row and the lineage of the file it came from (an index into <see cref="SpeedViews.Lineages"/>).</summary>
public readonly record struct SpeedCandle(DailyCandle Candle, int LineageIndex);

/// <summary>A speed file the merge read, or skipped and why.</summary>
public sealed record SpeedFile(string RelativePath, string Lineage, long Rows, string? SkippedBecause);

/// <summary>
/// Every daily candle of the speed layer: each <c>.parquet</c> file under <c>views/speed/</c>
/// (recursively: the batch-mode view, stream-mode closed parts, live files) whose schema is the
/// DailyCandle schema and whose windows are UTC days; other files (ticker statistics, 12 h windows) are skipped and listed. The rows
/// are held in memory (the speed layer covers the days after the batch horizon: far fewer than the
/// batch), one per key, sorted like the batch view.
/// </summary>
/// <remarks>
/// Several rows for one <c>(exchange, symbol, day)</c> (a live file and a closed part, a re-run's
/// part): the one with the latest <c>last_event_time</c> wins; on a tie a complete row beats an
/// incomplete one; then the greater lineage in ordinal order (the later part). Each file's lineage is
/// its <c>lambda.speed.lineage</c> metadata, or <c>speed:&lt;path below views/speed&gt;</c>.
/// </remarks>
public sealed class SpeedViews
{
    private SpeedViews(IReadOnlyList<SpeedCandle> rows, IReadOnlyList<string> lineages, IReadOnlyList<SpeedFile> files, long rowsRead)
    {
        Rows = rows;
        Lineages = lineages;
        Files = files;
        RowsRead = rowsRead;
    }

    /// <summary>One row per key, sorted by <c>(exchange, symbol, day)</c>.</summary>
    public IReadOnlyList<SpeedCandle> Rows { get; }

    /// <summary>Serving lineages (<c>speed:…</c>) of the files read, indexed by <see cref="SpeedCandle.LineageIndex"/>.</summary>
    public IReadOnlyList<string> Lineages { get; }

    public IReadOnlyList<SpeedFile> Files { get; }

    /// <summary>Rows in the files read, before keeping one per key.</summary>
    public long RowsRead { get; }

    /// <summary>Rows that lost to another row of the same key.</summary>
    public long Superseded => RowsRead - Rows.Count;

    public string LineageOf(SpeedCandle candle) => Lineages[candle.LineageIndex];

    /// <param name="directory">The speed views' folder (<c>views/speed</c>); absent means no speed rows.</param>
    /// <exception cref="MergeInputException">A file cannot be read (damaged, truncated).</exception>
    public static SpeedViews Load(string directory, CancellationToken cancellationToken)
    {
        var files = new List<SpeedFile>();
        var lineages = new List<string>();
        var rows = new List<SpeedCandle>();
        var paths = Directory.Exists(directory)
            ? Directory.EnumerateFiles(directory, "*.parquet", SearchOption.AllDirectories)
                .Where(p => !Path.GetFileName(p).StartsWith('.'))
                .Order(StringComparer.Ordinal)
                .ToList()
            : [];
        foreach (var path in paths)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var relative = Path.GetRelativePath(directory, path).Replace(Path.DirectorySeparatorChar, '/');
            try
            {
                using var reader = ParquetFileReader.Open(path);
                var lineage = "speed:" + (reader.KeyValueMetadata.TryGetValue(ViewLayout.Speed.LineageKey, out var l) && l.Length > 0 ? l : relative);
                if (DailyCandleSchema.Mismatch(reader.Schema) is { } mismatch)
                {
                    files.Add(new SpeedFile(relative, lineage, reader.RowCount, $"not a daily candle view ({mismatch})"));
                    continue;
                }

                if (NotDaily(reader.KeyValueMetadata) is { } window)
                {
                    files.Add(new SpeedFile(relative, lineage, reader.RowCount, $"its windows are {window} long, not UTC days: the serving view joins daily candles only"));
                    continue;
                }

                var index = lineages.Count;
                lineages.Add(lineage);
                foreach (var candle in reader.Read(DailyCandleMap.Instance))
                {
                    rows.Add(new SpeedCandle(candle, index));
                }

                files.Add(new SpeedFile(relative, lineage, reader.RowCount, null));
            }
            catch (Exception e) when (e is ParquetException or IOException or UnauthorizedAccessException)
            {
                throw new MergeInputException(MergeInputProblem.Unreadable, $"the speed view {path} cannot be read: {e.Message}", e);
            }
        }

        var read = rows.Count;
        return new SpeedViews(KeepLatest(rows, lineages), lineages, files, read);
    }

    /// <summary>
    /// The window of a speed view cut in windows other than UTC days (<c>--window 12h</c>), as written in
    /// its <see cref="ViewLayout.Speed.WindowKey"/> metadata, or null for a daily view (or a file that does not say).
    /// Such rows carry a <c>day</c> too, but they are parts of days: served as days they would be wrong.
    /// </summary>
    private static string? NotDaily(IReadOnlyDictionary<string, string> metadata) =>
        metadata.TryGetValue(ViewLayout.Speed.WindowKey, out var text) && !(TimeSpan.TryParse(text, CultureInfo.InvariantCulture, out var window) && window == TimeSpan.FromDays(1))
            ? (TimeSpan.TryParse(text, CultureInfo.InvariantCulture, out window) ? DurationText.Format(window) : text)
            : null;

    /// <summary>Sorts by key, the winner of each key first, and keeps the first row of each key.</summary>
    private static List<SpeedCandle> KeepLatest(List<SpeedCandle> rows, List<string> lineages)
    {
        rows.Sort((a, b) =>
        {
            var c = CandleKey.Compare(a.Candle, b.Candle);
            if (c != 0)
            {
                return c;
            }

            c = b.Candle.LastEventTime.CompareTo(a.Candle.LastEventTime);
            if (c != 0)
            {
                return c;
            }

            c = b.Candle.Complete.CompareTo(a.Candle.Complete);
            return c != 0 ? c : string.CompareOrdinal(lineages[b.LineageIndex], lineages[a.LineageIndex]);
        });
        var kept = 0;
        for (var i = 0; i < rows.Count; i++)
        {
            if (kept == 0 || CandleKey.Compare(rows[kept - 1].Candle, rows[i].Candle) != 0)
            {
                rows[kept++] = rows[i];
            }
        }

        rows.RemoveRange(kept, rows.Count - kept);
        return rows;
    }
}
