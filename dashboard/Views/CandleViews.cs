using Lambda.Core.Contracts;
using Lambda.Core.Views;
using Lambda.Dashboard.Board;
using Lambda.Merge.Serving;

namespace Lambda.Dashboard.Views;

/// <summary>The daily candles the views hold, per symbol key, and what was read.</summary>
public sealed record ViewCandles(IReadOnlyDictionary<string, IReadOnlyList<Bar>> Bars, string Description);

/// <summary>
/// The one place the dashboard reads Parquet: the serving view (<c>views/serving/daily_candles.parquet</c>,
/// through the merge's own record map) and the speed views (<c>views/speed/</c>, through the merge's
/// <see cref="SpeedViews"/>, which keeps the latest row per day). A day the serving view has stays
/// served from it, unless it is incomplete and the speed layer saw it later (the day goes on after
/// the last merge); days only the speed layer has come after.
/// </summary>
public static class CandleViews
{
    public static ViewCandles Load(string dataDirectory, CancellationToken cancellationToken)
    {
        var days = new Dictionary<string, SortedDictionary<DateOnly, DailyCandle>>(StringComparer.Ordinal);
        var servingPath = Path.Combine(ViewLayout.Serving.Directory(dataDirectory), ViewLayout.Serving.ParquetFile);
        var servingRows = 0L;
        if (File.Exists(servingPath))
        {
            using var reader = ParquetFileReader.Open(servingPath);
            foreach (var row in reader.Read(ServingCandleMap.Instance))
            {
                cancellationToken.ThrowIfCancellationRequested();
                DaysOf(days, row.Candle)[row.Candle.Day] = row.Candle;
                servingRows++;
            }
        }

        var speed = SpeedViews.Load(ViewLayout.Speed.Directory(dataDirectory), cancellationToken);
        foreach (var row in speed.Rows)
        {
            var candle = row.Candle;
            var series = DaysOf(days, candle);
            if (!series.TryGetValue(candle.Day, out var served) || (!served.Complete && candle.LastEventTime > served.LastEventTime))
            {
                series[candle.Day] = candle;
            }
        }

        var bars = days.ToDictionary(
            d => d.Key,
            d => (IReadOnlyList<Bar>)[.. d.Value.Values.Select(c => new Bar(
                new DateTimeOffset(c.Day.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero).ToUnixTimeSeconds(), c.Open, c.High, c.Low, c.Close, c.Source, c.Complete))],
            StringComparer.Ordinal);
        return new ViewCandles(bars, $"serving view {servingRows} rows, speed views {speed.Rows.Count} rows");
    }

    /// <summary>Changes whenever a view file is replaced: cheap enough to ask every few seconds.</summary>
    public static string Fingerprint(string dataDirectory)
    {
        var folders = new[] { ViewLayout.Serving.Directory(dataDirectory), ViewLayout.Speed.Directory(dataDirectory) };
        var files = folders.Where(Directory.Exists)
            .SelectMany(f => Directory.EnumerateFiles(f, "*.parquet", SearchOption.AllDirectories))
            .Where(p => !Path.GetFileName(p).StartsWith('.'))
            .Select(p => new FileInfo(p))
            .OrderBy(f => f.FullName, StringComparer.Ordinal)
            .Select(f => $"{f.FullName}:{f.Length}:{f.LastWriteTimeUtc.Ticks}");
        return string.Join('|', files);
    }

    private static SortedDictionary<DateOnly, DailyCandle> DaysOf(Dictionary<string, SortedDictionary<DateOnly, DailyCandle>> days, DailyCandle candle)
    {
        var key = EventKey.For(candle.Exchange, candle.Symbol);
        if (!days.TryGetValue(key, out var series))
        {
            days[key] = series = [];
        }

        return series;
    }
}
