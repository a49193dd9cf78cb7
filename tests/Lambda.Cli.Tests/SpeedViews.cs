using Lambda.Core.Views;

namespace Lambda.Cli.Tests;

/// <summary>Reads what <c>speed-layer stream</c> wrote under <c>views/speed/</c>: parts per shard, live files per shard.</summary>
internal static partial class SpeedViews
{
    /// <summary>
    /// A shard checkpoint's JSON without its <c>epoch</c> (the fence: it counts the holders the shard had, so it is the
    /// one field a run with restarts or several members does not share with a single uninterrupted run).
    /// </summary>
    public static string WithoutEpoch(string checkpointJson) => EpochField().Replace(checkpointJson, "");

    [System.Text.RegularExpressions.GeneratedRegex(@"\s*""epoch"": \d+,?")]
    private static partial System.Text.RegularExpressions.Regex EpochField();

    public static string Closed(string dataDir) => Path.Combine(dataDir, "views", "speed", "closed");

    /// <summary>Every candle part, as (path relative to closed/, bytes), in (shard, sequence) order.</summary>
    public static List<(string Name, byte[] Bytes)> PartFiles(string dataDir)
    {
        var closed = Closed(dataDir);
        if (!Directory.Exists(closed))
        {
            return [];
        }

        return [.. Directory.GetFiles(closed, "part-*.parquet", SearchOption.AllDirectories)
            .Select(p => Path.GetRelativePath(closed, p)).Order(StringComparer.Ordinal)
            .Select(name => (Name: name, Bytes: ReadIfPresent(Path.Combine(closed, name))))
            .Where(f => f.Bytes is not null).Select(f => (f.Name, f.Bytes!))];
    }

    /// <summary>The candles of every part, in (shard, sequence) order.</summary>
    public static List<DailyCandle> Parts(string dataDir)
    {
        var rows = new List<DailyCandle>();
        foreach (var (_, bytes) in PartFiles(dataDir))
        {
            using var reader = new ParquetFileReader(new MemoryStream(bytes), "part");
            rows.AddRange(reader.Read(DailyCandleMap.Instance));
        }

        return rows;
    }

    public static (List<DailyCandle> Rows, IReadOnlyDictionary<string, string> Metadata) Live(string dataDir, int shard = 0)
    {
        using var reader = ParquetFileReader.Open(Path.Combine(dataDir, "views", "speed", "live", $"shard-{shard}.parquet"));
        return ([.. reader.Read(DailyCandleMap.Instance)], reader.KeyValueMetadata);
    }

    public static IReadOnlyDictionary<string, string> Metadata(string dataDir, string partName)
    {
        using var reader = ParquetFileReader.Open(Path.Combine(Closed(dataDir), partName));
        return reader.KeyValueMetadata;
    }

    /// <summary>A restart deletes parts written after its checkpoint: one may vanish between listing and reading.</summary>
    private static byte[]? ReadIfPresent(string path)
    {
        try
        {
            return File.ReadAllBytes(path);
        }
        catch (FileNotFoundException)
        {
            return null;
        }
    }
}
