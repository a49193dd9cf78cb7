using Lambda.Core.Views;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using Lambda.Core.Progress;
using Lambda.Core.Storage;
using Lambda.Merge.Chart;
using Lambda.Merge.Reports;

namespace Lambda.Merge.Serving;

/// <summary>What one merge does.</summary>
/// <param name="Tolerance">Relative difference above which a shared day's field is reported as inconsistent.</param>
/// <param name="LastDays">Days per series shown in the console table.</param>
/// <param name="Chart">Write the chart (HTML, and a PNG when Chromium is installed).</param>
public sealed record MergeOptions(string DataDirectory, double Tolerance = 1e-9, int LastDays = 10, bool Chart = true)
{
    /// <summary>Days per series the chart holds (the newest): bounds its memory and the page's size.</summary>
    public const int ChartDays = 4000;
}

/// <summary>How far a merge got: rows written of (at most) the rows of both inputs.</summary>
/// <summary>The chart's outcome: the files written, or why not.</summary>
public sealed record ChartOutcome(string? HtmlPath, string? PngPath, string? Note);

/// <summary>What a merge read and wrote.</summary>
/// <param name="MergeTime">Reading the inputs, joining and writing the serving view (not the reports and the chart).</param>
public sealed record MergeResult(
    long Rows,
    IReadOnlyDictionary<MergeRule, long> Rules,
    string BatchLineage,
    DateOnly? Horizon,
    long BatchRows,
    SpeedViews Speed,
    ConsistencyResult Consistency,
    IReadOnlyList<SeriesCoverage> Coverage,
    IReadOnlyList<SeriesDays> LastDays,
    IReadOnlyList<string> Written,
    ChartOutcome Chart,
    TimeSpan MergeTime)
{
    public long FromBatch => Rules.Where(r => r.Key.BatchWins()).Sum(r => r.Value);

    public long FromSpeed => Rows - FromBatch;
}

/// <summary>
/// The serving layer: reads the batch view (streamed, sorted) and the speed views (in memory, one row
/// per key), joins them with <see cref="ServingJoin"/> into the serving view (Parquet and CSV,
/// written atomically by <see cref="ServingViewWriter"/>) while the reports accumulate, then writes
/// the reports and the chart under <c>reports/</c>.
/// </summary>
public sealed class MergeJob(MergeOptions options, WorkProgress? progress = null)
{
    public const string BatchViewPath = ViewLayout.Batch.RelativeCandlesPath;
    public const string SpeedViewsPath = ViewLayout.Speed.RelativeDirectory;
    private const int CheckEvery = 1 << 16;

    public static string ReportsDirectory(string dataDirectory) => Path.Combine(dataDirectory, "reports");

    /// <exception cref="MergeInputException">An input is missing or unreadable (nothing was replaced).</exception>
    /// <exception cref="OperationCanceledException">Cancelled: nothing was replaced.</exception>
    public async Task<MergeResult> RunAsync(CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        var data = options.DataDirectory;
        var speed = SpeedViews.Load(Path.Combine(data, SpeedViewsPath), cancellationToken);
        using var batch = BatchView.Open(Path.Combine(data, BatchViewPath), BatchViewPath);
        var tally = new Tally(options);
        var mergedAt = DateTimeOffset.UtcNow.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);

        var written = await WriteServingViewAsync(batch, speed, tally, mergedAt, cancellationToken).ConfigureAwait(false);
        var mergeTime = clock.Elapsed;
        var rules = Enum.GetValues<MergeRule>().ToDictionary(r => r, r => tally.Counts[(int)r]);
        var consistency = tally.Consistency.Result();
        var series = tally.Coverage.Result();
        var reports = ReportsDirectory(data);
        written.AddRange(await WriteReportsAsync(reports, consistency, series, cancellationToken).ConfigureAwait(false));

        var chart = options.Chart
            ? await ServingChart.WriteAsync(reports, tally.ChartDays.Result(), new ChartCaption(mergedAt, batch.BuildId, batch.Horizon), cancellationToken).ConfigureAwait(false)
            : new ChartOutcome(null, null, "chart not drawn (--no-chart)");
        return new MergeResult(rules.Values.Sum(), rules, batch.Lineage, batch.Horizon, batch.RowCount, speed, consistency, series, tally.Table.Result(), written, chart, mergeTime);
    }

    /// <summary>Joins the views into the serving view, row by row into its writer and the tally, and commits it with its metadata; returns the files written.</summary>
    private async Task<List<string>> WriteServingViewAsync(BatchView batch, SpeedViews speed, Tally tally, string mergedAt, CancellationToken cancellationToken)
    {
        var inputRows = batch.RowCount + speed.Rows.Count;
        using var writer = new ServingViewWriter(ViewLayout.Serving.Directory(options.DataDirectory));
        // Synchronous on purpose: the reader and writer are, and one row costs well under a microsecond.
        foreach (var day in ServingJoin.Join(batch.Read(), batch.Lineage, batch.Horizon, speed))
        {
            writer.Write(day.Served);
            tally.Add(day);
            if (writer.Rows % CheckEvery == 0)
            {
                cancellationToken.ThrowIfCancellationRequested();
                ReportProgress(progress, writer.Rows, inputRows);
            }
        }

        var fromBatch = Enum.GetValues<MergeRule>().Where(r => r.BatchWins()).Sum(r => tally.Counts[(int)r]);
        var metadata = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            [ViewLayout.LayerKey] = ViewLayout.Serving.Layer,
            [ViewLayout.Serving.MergedAtKey] = mergedAt,
            [ViewLayout.Serving.BatchBuildIdKey] = batch.BuildId ?? "",
            [ViewLayout.Serving.BatchHorizonKey] = batch.Horizon?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) ?? "",
            [ViewLayout.Serving.BatchBuiltAtKey] = batch.BuiltAt ?? "",
            [ViewLayout.Serving.InputsKey] = string.Join(',', [BatchViewPath, .. speed.Files.Where(f => f.SkippedBecause is null).Select(f => $"{SpeedViewsPath}/{f.RelativePath}")]),
            [ViewLayout.Serving.RowsFromBatchKey] = fromBatch.ToString(CultureInfo.InvariantCulture),
            [ViewLayout.Serving.RowsFromSpeedKey] = (writer.Rows - fromBatch).ToString(CultureInfo.InvariantCulture),
        };
        await writer.CommitAsync(metadata, cancellationToken).ConfigureAwait(false);
        ReportProgress(progress, writer.Rows, inputRows);
        return [writer.ParquetPath, writer.CsvPath, writer.ManifestPath];
    }

    /// <summary>The consistency and coverage reports under <c>reports/</c>, each written atomically.</summary>
    private static async Task<List<string>> WriteReportsAsync(string reports, ConsistencyResult consistency, IReadOnlyList<SeriesCoverage> series, CancellationToken cancellationToken)
    {
        var written = new List<string>();
        foreach (var (file, content) in new (string, byte[])[]
                 {
                     (ConsistencyReport.JsonFile, ConsistencyReport.Json(consistency)),
                     (ConsistencyReport.MarkdownFile, Encoding.UTF8.GetBytes(ConsistencyReport.Markdown(consistency))),
                     (CoverageReport.CoverageFile, Encoding.UTF8.GetBytes(CoverageReport.Coverage(series))),
                     (CoverageReport.GapsFile, Encoding.UTF8.GetBytes(CoverageReport.Gaps(series))),
                 })
        {
            var path = Path.Combine(reports, file);
            await AtomicFile.WriteAsync(path, content, cancellationToken).ConfigureAwait(false);
            written.Add(path);
        }

        return written;
    }

    /// <summary>Serving rows written so far, against the input rows (an upper bound of what will be written).</summary>
    private static void ReportProgress(WorkProgress? progress, long rows, long inputRows)
    {
        if (progress is null)
        {
            return;
        }

        progress.Set(rows, inputRows);
        progress.AddRows(rows - progress.Rows);
    }

    /// <summary>What the reports gather from the joined rows as they pass: rows per rule, consistency, coverage, the last days.</summary>
    private sealed class Tally(MergeOptions options)
    {
        public long[] Counts { get; } = new long[Enum.GetValues<MergeRule>().Length];

        public ConsistencyCheck Consistency { get; } = new(options.Tolerance);

        public CoverageTracker Coverage { get; } = new();

        public LastDays Table { get; } = new(options.LastDays);

        public LastDays ChartDays { get; } = new(options.Chart ? MergeOptions.ChartDays : 0);

        public void Add(JoinedDay day)
        {
            Counts[(int)day.Rule]++;
            if (day.Batch is not null && day.Speed is not null)
            {
                Consistency.Add(day.Batch, day.Speed);
            }

            Coverage.Add(day.Served);
            Table.Add(day.Served);
            ChartDays.Add(day.Served);
        }
    }
}
