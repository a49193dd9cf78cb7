using Lambda.Testing;
using Lambda.Core.Views;
using Lambda.Merge;
using Lambda.Merge.Serving;

namespace Lambda.Merge.Tests;

/// <summary>
/// A temporary data directory with crafted views: the batch view with its build metadata, speed
/// files anywhere under views/speed with or without lineage; and the merge run on it.
/// </summary>
internal sealed class DataDirectory : IDisposable
{
    public string Root { get; } = Directory.CreateTempSubdirectory("lambda-merge-").FullName;

    public string ServingParquet => Path.Combine(Root, "views", "serving", ViewLayout.Serving.ParquetFile);

    public string ServingCsv => Path.Combine(Root, "views", "serving", ViewLayout.Serving.CsvFile);

    public string Report(string name) => Path.Combine(Root, "reports", name);

    public void Dispose() => Directory.Delete(Root, recursive: true);

    public void WriteBatch(IEnumerable<DailyCandle> candles, string? buildId = "build-1", string? horizon = null, string builtAt = "2026-08-02T00:10:00Z")
    {
        var metadata = new Dictionary<string, string> { [ViewLayout.Batch.BuiltAtKey] = builtAt };
        if (buildId is not null)
        {
            metadata[ViewLayout.Batch.BuildIdKey] = buildId;
        }

        if (horizon is not null)
        {
            metadata[ViewLayout.Batch.HorizonKey] = horizon;
        }

        Write(Path.Combine(Root, "views", "batch", "daily_candles.parquet"), candles, DailyCandleMap.Instance, metadata);
    }

    public void WriteSpeed(string relativePath, IEnumerable<DailyCandle> candles, string? lineage = null, string? window = null)
    {
        var metadata = new Dictionary<string, string>();
        if (lineage is not null)
        {
            metadata[ViewLayout.Speed.LineageKey] = lineage;
        }

        if (window is not null)
        {
            metadata[ViewLayout.Speed.WindowKey] = window;
        }

        Write(Path.Combine(Root, "views", "speed", relativePath), candles, DailyCandleMap.Instance, metadata);
    }

    public static void Write<T>(string path, IEnumerable<T> rows, IParquetRecordMap<T> map, IReadOnlyDictionary<string, string> metadata)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var options = new ParquetWriterOptions();
        foreach (var (key, value) in metadata)
        {
            options.KeyValueMetadata[key] = value;
        }

        using var writer = ParquetFileWriter.Create(path, map.Schema, options);
        foreach (var row in rows)
        {
            writer.Write(row, map);
        }
    }

    public Task<CommandRun> MergeAsync(params string[] extra) =>
        CommandRun.InvokeAsync(MergeCommand.Build(), ["--data-dir", Root, "--no-chart", .. extra]);

    public async Task<CommandRun> MergeOkAsync(params string[] extra)
    {
        var run = await MergeAsync(extra);
        run.ExitCode.Should().Be(0, run.Error + run.Output);
        return run;
    }

    public List<ServingCandle> Serving()
    {
        using var reader = ParquetFileReader.Open(ServingParquet);
        return [.. reader.Read(ServingCandleMap.Instance)];
    }

    public IReadOnlyDictionary<string, string> ServingMetadata()
    {
        using var reader = ParquetFileReader.Open(ServingParquet);
        return reader.KeyValueMetadata;
    }
}

/// <summary>Crafted daily candles: every value a function of the day unless told otherwise.</summary>
internal static class Candles
{
    public static DateOnly Day(string day) => DateOnly.ParseExact(day, "yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);

    public static DailyCandle Of(string symbol, string day, string source, bool complete = true, double open = 0, string exchange = "binance", DateTimeOffset? lastEvent = null, long trades = 0)
    {
        var d = Day(day);
        var start = new DateTimeOffset(d.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
        var o = open != 0 ? open : 100 + d.DayNumber % 50;
        return new DailyCandle(exchange, symbol, d, o, o + 5, o - 3, o + 1, 10 + d.DayNumber % 7, (10 + d.DayNumber % 7) * o, trades != 0 ? trades : 1000 + d.DayNumber % 13,
            source, complete, start, lastEvent ?? (complete ? start.AddDays(1).AddTicks(-10) : start.AddHours(12)));
    }

    /// <summary>One candle per day from <paramref name="first"/> to <paramref name="last"/>, both included.</summary>
    public static IEnumerable<DailyCandle> Range(string symbol, string first, string last, string source, string exchange = "binance")
    {
        for (var d = Day(first); d <= Day(last); d = d.AddDays(1))
        {
            yield return Of(symbol, d.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture), source, exchange: exchange);
        }
    }
}
