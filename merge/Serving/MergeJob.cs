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
    public const string BatchViewPath = "views/batch/daily_candles.parquet";
    public const string SpeedViewsPath = "views/speed";
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
        var consistency = new ConsistencyCheck(options.Tolerance);
        var coverage = new CoverageTracker();
        var table = new LastDays(options.LastDays);
        var chartDays = new LastDays(options.Chart ? MergeOptions.ChartDays : 0);
        var rules = Enum.GetValues<MergeRule>().ToDictionary(r => r, _ => 0L);
        var counts = new long[rules.Count];
        var inputRows = batch.RowCount + speed.Rows.Count;
        var mergedAt = DateTimeOffset.UtcNow.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);

        var written = new List<string>();
        TimeSpan mergeTime;
        using (var writer = new ServingViewWriter(ViewLayout.Serving.Directory(data)))
        {
            // Synchronous on purpose: the reader and writer are, and one row costs well under a microsecond.
            foreach (var day in ServingJoin.Join(batch.Read(), batch.Lineage, batch.Horizon, speed))
            {
                writer.Write(day.Served);
                counts[(int)day.Rule]++;
                if (day.Batch is not null && day.Speed is not null)
                {
                    consistency.Add(day.Batch, day.Speed);
                }

                coverage.Add(day.Served);
                table.Add(day.Served);
                chartDays.Add(day.Served);
                if (writer.Rows % CheckEvery == 0)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    ReportProgress(progress, writer.Rows, inputRows);
                }
            }

            foreach (var rule in rules.Keys)
            {
                rules[rule] = counts[(int)rule];
            }

            var fromBatch = rules.Where(r => r.Key.BatchWins()).Sum(r => r.Value);
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
            mergeTime = clock.Elapsed;
            ReportProgress(progress, writer.Rows, inputRows);
            written.AddRange([writer.ParquetPath, writer.CsvPath, writer.ManifestPath]);
        }

        var rows = rules.Values.Sum();
        var consistencyResult = consistency.Result();
        var series = coverage.Result();
        var reports = ReportsDirectory(data);
        foreach (var (file, content) in new (string, byte[])[]
                 {
                     (ConsistencyReport.JsonFile, ConsistencyReport.Json(consistencyResult)),
                     (ConsistencyReport.MarkdownFile, Encoding.UTF8.GetBytes(ConsistencyReport.Markdown(consistencyResult))),
                     (CoverageReport.CoverageFile, Encoding.UTF8.GetBytes(CoverageReport.Coverage(series))),
                     (CoverageReport.GapsFile, Encoding.UTF8.GetBytes(CoverageReport.Gaps(series))),
                 })
        {
            var path = Path.Combine(reports, file);
            await AtomicFile.WriteAsync(path, content, cancellationToken).ConfigureAwait(false);
            written.Add(path);
        }

        var chart = options.Chart
            ? await ServingChart.WriteAsync(reports, chartDays.Result(), new ChartCaption(mergedAt, batch.BuildId, batch.Horizon), cancellationToken).ConfigureAwait(false)
            : new ChartOutcome(null, null, "chart not drawn (--no-chart)");
        return new MergeResult(rows, rules, batch.Lineage, batch.Horizon, batch.RowCount, speed, consistencyResult, series, table.Result(), written, chart, mergeTime);
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
}
