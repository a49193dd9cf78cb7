using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Lambda.BatchLayer.Master;
using Lambda.Core.Progress;
using Lambda.Core.Storage;
using Lambda.Core.Views;

namespace Lambda.BatchLayer.Build;

/// <summary>What one build read and wrote.</summary>
/// <param name="SkippedIntervals">Intervals longer than a day (3d, 1w, 1M) found in the master dataset: they cannot make daily candles.</param>
/// <param name="Interrupted">Ctrl+C stopped the build before it wrote anything: the previous views stay.</param>
/// <param name="KeptBecause">Why nothing was written and the previous views stay (an empty build over non-empty views), or null.</param>
public sealed record BuildResult(
    string BuildId,
    DateOnly? Horizon,
    int PartitionsRead,
    long RowsRead,
    int Symbols,
    int Candles,
    int CompleteCandles,
    int Metrics,
    IReadOnlyList<string> SkippedIntervals,
    TimeSpan Elapsed,
    string CandlesPath,
    string MetricsPath,
    bool Interrupted,
    string? KeptBecause = null);

/// <summary>
/// Recomputes the batch views from the master dataset: <c>views/batch/daily_candles.parquet</c> and
/// <c>views/batch/daily_metrics.parquet</c>. One exchange/symbol at a time, each interval's month
/// partitions streamed in order (only the kline columns are read), so memory holds one symbol's days.
/// Each file is replaced atomically at the end, with the build id, horizon and inputs in its metadata.
/// </summary>
/// <param name="clock">When a build happens (its build id and built-at time); the system clock by default.</param>
public sealed class BatchViewBuilder(string dataDirectory, TimeProvider? clock = null)
{
    private readonly TimeProvider _clock = clock ?? TimeProvider.System;



    /// <summary>The partitions a build up to <paramref name="until"/> reads: none of a month after the horizon.</summary>
    public static List<MasterPartition> Inputs(IEnumerable<MasterPartition> partitions, DateOnly? until)
    {
        var lastMonth = until?.ToString("yyyy-MM", CultureInfo.InvariantCulture);
        return [.. partitions.Where(p => lastMonth is null || string.CompareOrdinal(p.Month, lastMonth) <= 0)];
    }

    /// <param name="allowEmpty">
    /// Publish an empty view even over a non-empty one. Without it an empty build (a horizon before all
    /// data, a missing master dataset) keeps the previous views: silently serving nothing is worse.
    /// </param>
    public async Task<BuildResult> BuildAsync(IReadOnlyList<MasterPartition> inputs, DateOnly? until, WorkProgress progress, CancellationToken cancellationToken, bool allowEmpty = false)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        ArgumentNullException.ThrowIfNull(progress);
        var watch = Stopwatch.StartNew();
        var builtAt = _clock.GetUtcNow();
        var lastDay = until is { } horizon ? horizon.DayNumber - new DateOnly(1970, 1, 1).DayNumber : long.MaxValue;
        var candleOptions = WriterOptions();
        var metricOptions = WriterOptions();
        using var candleStream = new MemoryStream();
        using var metricStream = new MemoryStream();
        using var candleWriter = new ParquetFileWriter(candleStream, DailyCandleMap.Instance.Schema, candleOptions);
        using var metricWriter = new ParquetFileWriter(metricStream, DailyMetricMap.Instance.Schema, metricOptions);

        var rowCounts = new long[inputs.Count];
        var skipped = new SortedSet<string>(StringComparer.Ordinal);
        long rowsRead = 0;
        int symbols = 0, candles = 0, complete = 0, metrics = 0;
        var index = 0;
        while (index < inputs.Count)
        {
            if (cancellationToken.IsCancellationRequested)
            {
                return new BuildResult("", until, index, rowsRead, symbols, candles, complete, metrics, [.. skipped], watch.Elapsed, "", "", Interrupted: true);
            }

            var (exchange, symbol) = (inputs[index].Exchange, inputs[index].Symbol);
            progress.Working($"{exchange} {symbol}");
            var intervals = FoldSymbol(inputs, ref index, lastDay, rowCounts, skipped, progress, out var read);
            rowsRead += read;
            var written = WriteSymbol(exchange, symbol, intervals.Values, candleWriter, metricWriter);
            candles += written.Candles;
            complete += written.Complete;
            metrics += written.Metrics;
            symbols++;
        }

        var buildId = BuildId(builtAt, inputs, rowCounts, until);
        var metadata = Metadata(buildId, builtAt, inputs, rowCounts, until);
        foreach (var (key, value) in metadata)
        {
            candleOptions.KeyValueMetadata[key] = value;
            metricOptions.KeyValueMetadata[key] = value;
        }

        candleWriter.Close();
        metricWriter.Close();
        var directory = ViewLayout.Batch.Directory(dataDirectory);
        var candlesPath = Path.Combine(directory, ViewLayout.Batch.CandlesFile);
        var metricsPath = Path.Combine(directory, ViewLayout.Batch.MetricsFile);
        if (candles == 0 && !allowEmpty && PublishedRows(candlesPath) is > 0 and var published)
        {
            var why = inputs.Count == 0 ? "the master dataset holds no klines" : "no kline of the master dataset makes a daily candle";
            var upTo = until is { } u ? string.Create(CultureInfo.InvariantCulture, $" up to --until {u:yyyy-MM-dd}") : "";
            return new BuildResult(buildId, until, inputs.Count, rowsRead, symbols, candles, complete, metrics, [.. skipped], watch.Elapsed, candlesPath, metricsPath, Interrupted: false,
                KeptBecause: string.Create(CultureInfo.InvariantCulture,
                    $"{why}{upTo}: the build is empty, and {candlesPath} holds {published:N0} candle(s); it stays. Pass --allow-empty to publish an empty batch view anyway."));
        }

        // From here on the build finishes even on Ctrl+C: two renames, so both files carry the same build.
        await AtomicFile.WriteAsync(candlesPath, candleStream.GetBuffer().AsMemory(0, (int)candleStream.Length), CancellationToken.None).ConfigureAwait(false);
        await AtomicFile.WriteAsync(metricsPath, metricStream.GetBuffer().AsMemory(0, (int)metricStream.Length), CancellationToken.None).ConfigureAwait(false);
        return new BuildResult(buildId, until, inputs.Count, rowsRead, symbols, candles, complete, metrics, [.. skipped], watch.Elapsed, candlesPath, metricsPath, Interrupted: false);
    }

    /// <summary>
    /// Folds the partitions of the symbol at <paramref name="index"/> into days, per interval, and moves the index
    /// past them (partitions are ordered by exchange, symbol, interval, month: one symbol's are contiguous).
    /// Intervals that do not make days (longer than one, or not dividing it) are noted as skipped.
    /// </summary>
    private static Dictionary<string, IntervalDays> FoldSymbol(IReadOnlyList<MasterPartition> inputs, ref int index, long lastDay, long[] rowCounts,
        SortedSet<string> skipped, WorkProgress progress, out long rowsRead)
    {
        var (exchange, symbol) = (inputs[index].Exchange, inputs[index].Symbol);
        var intervals = new Dictionary<string, IntervalDays>(StringComparer.Ordinal);
        rowsRead = 0;
        for (; index < inputs.Count && inputs[index].Exchange == exchange && inputs[index].Symbol == symbol; index++)
        {
            var partition = inputs[index];
            if (!intervals.TryGetValue(partition.Interval, out var days))
            {
                intervals[partition.Interval] = days = new IntervalDays(partition.Interval);
            }

            if (days.MakesDays)
            {
                rowCounts[index] = days.Add(partition, lastDay);
                rowsRead += rowCounts[index];
                progress.AddRows(rowCounts[index]);
            }
            else
            {
                skipped.Add(partition.Interval);
            }

            progress.StepDone();
        }

        return intervals;
    }

    /// <summary>One symbol's daily candles and their metrics, appended to the two views.</summary>
    private static (int Candles, int Complete, int Metrics) WriteSymbol(string exchange, string symbol, IEnumerable<IntervalDays> intervals,
        ParquetFileWriter candleWriter, ParquetFileWriter metricWriter)
    {
        var symbolCandles = DailyCandleAssembler.Assemble(exchange, symbol, intervals);
        var complete = 0;
        foreach (var candle in symbolCandles)
        {
            candleWriter.Write(candle, DailyCandleMap.Instance);
            complete += candle.Complete ? 1 : 0;
        }

        var metrics = 0;
        foreach (var metric in DailyMetricsCalculator.Compute(symbolCandles))
        {
            metricWriter.Write(metric, DailyMetricMap.Instance);
            metrics++;
        }

        return (symbolCandles.Count, complete, metrics);
    }

    /// <summary>Rows of the published view, or 0 when there is none (or it cannot be read: then nothing good is lost).</summary>
    private static long PublishedRows(string path)
    {
        if (!File.Exists(path))
        {
            return 0;
        }

        try
        {
            using var reader = ParquetFileReader.Open(path);
            return reader.RowCount;
        }
        catch (Exception e) when (e is ParquetException or IOException or UnauthorizedAccessException)
        {
            return 0;
        }
    }

    private static ParquetWriterOptions WriterOptions() => new() { Compression = ParquetCompression.Snappy };

    /// <summary><c>build-yyyyMMddTHHmmssZ-</c> and 8 hex digits of a hash of the inputs (partitions, their rows and sizes, the horizon).</summary>
    private static string BuildId(DateTimeOffset builtAt, IReadOnlyList<MasterPartition> inputs, long[] rowCounts, DateOnly? until)
    {
        var text = new StringBuilder();
        for (var i = 0; i < inputs.Count; i++)
        {
            var p = inputs[i];
            text.Append(CultureInfo.InvariantCulture, $"{p.Exchange}/{p.Symbol}/{p.Interval}/{p.Month}:{rowCounts[i]}:{new FileInfo(p.Path).Length}\n");
        }

        text.Append(CultureInfo.InvariantCulture, $"until={until:yyyy-MM-dd}");
        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString())))[..8];
        return string.Create(CultureInfo.InvariantCulture, $"build-{builtAt:yyyyMMdd'T'HHmmss'Z'}-{hash}");
    }

    private static Dictionary<string, string> Metadata(string buildId, DateTimeOffset builtAt, IReadOnlyList<MasterPartition> inputs, long[] rowCounts, DateOnly? until) => new(StringComparer.Ordinal)
    {
        [ViewLayout.LayerKey] = ViewLayout.Batch.Layer,
        [ViewLayout.Batch.BuildIdKey] = buildId,
        [ViewLayout.Batch.HorizonKey] = until?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) ?? "",
        [ViewLayout.Batch.InputsKey] = DescribeInputs(inputs, rowCounts),
        [ViewLayout.Batch.BuiltAtKey] = builtAt.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture),
    };

    /// <summary>
    /// One entry per exchange/symbol/interval: <c>binance/BTCUSDT/1d 2021-01..2026-08 68 files 2051 rows</c>, joined
    /// with <c>; </c> (rows read up to the horizon; 0 for intervals that cannot make days).
    /// </summary>
    public static string DescribeInputs(IReadOnlyList<MasterPartition> inputs, IReadOnlyList<long> rowCounts)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        ArgumentNullException.ThrowIfNull(rowCounts);
        return string.Join("; ", inputs
            .Select((p, i) => (p, Rows: rowCounts[i]))
            .GroupBy(x => $"{x.p.Exchange}/{x.p.Symbol}/{x.p.Interval}", StringComparer.Ordinal)
            .Select(g => string.Create(CultureInfo.InvariantCulture,
                $"{g.Key} {g.First().p.Month}..{g.Last().p.Month} {g.Count()} files {g.Sum(x => x.Rows)} rows")));
    }
}
