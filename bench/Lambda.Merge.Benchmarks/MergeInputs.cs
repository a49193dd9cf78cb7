using System.Globalization;
using Lambda.Core.Views;
using Lambda.Merge.Serving;

namespace Lambda.Merge.Benchmarks;

/// <summary>
/// The benchmark's views, generated once and cached (<c>~/.cache/lambda/bench-merge/&lt;batch&gt;-&lt;speed&gt;</c>):
/// a batch view of 200 series (2 exchanges × 100 symbols) of consecutive days, sorted, every 97th day
/// incomplete, with a horizon 1,000 days before each series' end; and one speed file whose rows cover
/// each series' last days and go beyond the batch, in file order by series. Values are functions of
/// the row index.
/// </summary>
internal sealed record MergeInputs(string DataDirectory, long BatchRows, long SpeedRows, DateOnly Horizon)
{
    private const int Series = 200;
    private static readonly DateOnly FirstDay = new(1800, 1, 1);

    public string BatchFile => Path.Combine(ViewLayout.Batch.Directory(DataDirectory), ViewLayout.Batch.CandlesFile);

    public string SpeedFile => Path.Combine(ViewLayout.Speed.Directory(DataDirectory), ViewLayout.Speed.CandlesFile);

    public const string BuildId = "bench-build";
    public const string SpeedLineage = "bench:speed";

    public static MergeInputs Prepare(long batchRows, long speedRows, TextWriter log)
    {
        var cache = Environment.GetEnvironmentVariable("LAMBDA_CACHE");
        if (string.IsNullOrEmpty(cache))
        {
            cache = Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache", "lambda");
        }

        var folder = Path.Combine(cache, "bench-merge", string.Create(CultureInfo.InvariantCulture, $"{batchRows}-{speedRows}"));
        var daysPerSeries = (int)(batchRows / Series);
        var inputs = new MergeInputs(folder, (long)daysPerSeries * Series, speedRows, FirstDay.AddDays(daysPerSeries - 1000));
        var stamp = Path.Combine(folder, ".complete");
        if (File.Exists(stamp))
        {
            log.WriteLine($"  inputs cached in {folder}");
            return inputs;
        }

        log.WriteLine($"  generating the inputs into {folder} (once)");
        var speedPerSeries = (int)(speedRows / Series);
        WriteView(inputs.BatchFile, new Dictionary<string, string>
        {
            [ViewLayout.Batch.BuildIdKey] = BuildId,
            [ViewLayout.Batch.HorizonKey] = inputs.Horizon.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            [ViewLayout.Batch.BuiltAtKey] = "2026-01-01T00:00:00Z",
        }, Rows(daysPerSeries, 0, daysPerSeries, "batch"));
        // speed: the last speedPerSeries/2 days of the batch and as many after it
        WriteView(inputs.SpeedFile, new Dictionary<string, string> { [ViewLayout.Speed.LineageKey] = SpeedLineage },
            Rows(daysPerSeries, daysPerSeries - speedPerSeries / 2, speedPerSeries, "speed"));
        File.WriteAllText(stamp, "");
        return inputs;
    }

    private static IEnumerable<DailyCandle> Rows(int daysPerSeries, int firstDay, int days, string source)
    {
        long i = 0;
        for (var s = 0; s < Series; s++)
        {
            var exchange = s < Series / 2 ? "binance" : "bybit";
            var symbol = string.Create(CultureInfo.InvariantCulture, $"SYM{s % (Series / 2):D3}USDT");
            for (var d = firstDay; d < firstDay + days; d++, i++)
            {
                var day = FirstDay.AddDays(d);
                var open = 100.0 + (i % 1000) * 0.25 + (source == "speed" ? 0.125 : 0);
                var start = new DateTimeOffset(day.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
                var complete = d % 97 != 0 && !(source == "speed" && d == firstDay + days - 1); // the live day is not over
                yield return new DailyCandle(exchange, symbol, day, open, open + 1.5, open - 1.25, open + 0.5, (i % 7919) * 0.001, (i % 7919) * 0.001 * open,
                    i * 3, source, complete, start.AddSeconds(i % 60), complete ? start.AddDays(1).AddTicks(-10) : start.AddHours(12));
            }
        }
    }

    private static void WriteView(string path, Dictionary<string, string> metadata, IEnumerable<DailyCandle> rows)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var options = new ParquetWriterOptions { Compression = ParquetCompression.Snappy };
        foreach (var (key, value) in metadata)
        {
            options.KeyValueMetadata[key] = value;
        }

        using var writer = ParquetFileWriter.Create(path, DailyCandleMap.Instance.Schema, options);
        foreach (var row in rows)
        {
            writer.Write(row, DailyCandleMap.Instance);
        }
    }
}
