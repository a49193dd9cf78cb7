using System.Globalization;
using Lambda.Core.Views;

namespace Lambda.Merge.Serving;

/// <summary>
/// The batch view <c>views/batch/daily_candles.parquet</c>: its build metadata, and its rows read one
/// at a time in the file's order, which must be <c>(exchange, symbol, day)</c> ascending without
/// duplicates (the batch layer's contract; checked as the rows stream by).
/// </summary>
public sealed class BatchView : IDisposable
{

    private readonly ParquetFileReader _reader;

    private BatchView(ParquetFileReader reader, string relativePath)
    {
        _reader = reader;
        RelativePath = relativePath;
        var metadata = reader.KeyValueMetadata;
        BuildId = metadata.TryGetValue(ViewLayout.Batch.BuildIdKey, out var id) && id.Length > 0 ? id : null;
        BuiltAt = metadata.TryGetValue(ViewLayout.Batch.BuiltAtKey, out var at) && at.Length > 0 ? at : null;
        if (metadata.TryGetValue(ViewLayout.Batch.HorizonKey, out var horizon) && horizon.Length > 0)
        {
            Horizon = DateOnly.TryParseExact(horizon, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day)
                ? day
                : throw new MergeInputException(MergeInputProblem.Unreadable, $"{reader.Name}: {ViewLayout.Batch.HorizonKey} '{horizon}' is not a day in the form yyyy-MM-dd");
        }
    }

    /// <summary>The path below the data directory, as lineage and metadata name it.</summary>
    public string RelativePath { get; }

    public string? BuildId { get; }

    /// <summary>The last day the batch is authoritative for; null: every day it has.</summary>
    public DateOnly? Horizon { get; }

    public string? BuiltAt { get; }

    public long RowCount => _reader.RowCount;

    /// <summary>The lineage of every batch row: <c>batch:&lt;build id&gt;</c>, or the file's path when the build has no id.</summary>
    public string Lineage => $"batch:{BuildId ?? RelativePath}";

    /// <exception cref="MergeInputException">The file is missing, damaged or has another schema.</exception>
    public static BatchView Open(string path, string relativePath)
    {
        if (!File.Exists(path))
        {
            throw new MergeInputException(MergeInputProblem.Missing, $"the batch view {path} does not exist (build it with: batch-layer build)");
        }

        ParquetFileReader reader;
        try
        {
            reader = ParquetFileReader.Open(path);
        }
        catch (Exception e) when (e is ParquetException or IOException or UnauthorizedAccessException)
        {
            throw new MergeInputException(MergeInputProblem.Unreadable, $"the batch view cannot be read: {e.Message}", e);
        }

        try
        {
            if (DailyCandleSchema.Mismatch(reader.Schema) is { } mismatch)
            {
                throw new MergeInputException(MergeInputProblem.Unreadable, $"{path} is not a daily candle view: {mismatch}");
            }

            return new BatchView(reader, relativePath);
        }
        catch
        {
            reader.Dispose();
            throw;
        }
    }

    /// <summary>The rows in file order, checked to ascend strictly by <c>(exchange, symbol, day)</c>.</summary>
    /// <exception cref="MergeInputException">The rows are out of order, or a page is damaged.</exception>
    public IEnumerable<DailyCandle> Read()
    {
        DailyCandle? previous = null;
        long row = 0;
        using var rows = Rows().GetEnumerator();
        while (true)
        {
            try
            {
                if (!rows.MoveNext())
                {
                    yield break;
                }
            }
            catch (ParquetException e)
            {
                throw new MergeInputException(MergeInputProblem.Unreadable, $"the batch view cannot be read: {e.Message}", e);
            }

            var candle = rows.Current;
            if (previous is not null && CandleKey.Compare(previous, candle) >= 0)
            {
                throw new MergeInputException(MergeInputProblem.Unreadable,
                    $"{_reader.Name} is not sorted by (exchange, symbol, day) without duplicates: row {row} ({CandleKey.Of(candle)}) follows {CandleKey.Of(previous)}");
            }

            previous = candle;
            row++;
            yield return candle;
        }
    }

    private IEnumerable<DailyCandle> Rows() => _reader.Read(DailyCandleMap.Instance);

    public void Dispose() => _reader.Dispose();
}
