using Lambda.Core.Views;
using System.Globalization;
using Lambda.SpeedLayer.Batch;

namespace Lambda.SpeedLayer.Stream;

/// <summary>
/// Where <c>speed-layer stream</c> keeps its files. State is sharded by partition number (Kafka) — the
/// embedded log is one shard, <c>0</c> — and every shard has its own files, so members of one group
/// never write the same file:
/// <c>views/speed/closed/shard-&lt;n&gt;/part-&lt;seq&gt;.parquet</c> (closed windows),
/// <c>views/speed/live/shard-&lt;n&gt;.parquet</c> (the open windows), and
/// <c>checkpoints/speed-layer-&lt;group&gt;/shard-&lt;n&gt;.json</c> (with its fence, <c>.epoch</c> and <c>.lock</c>).
/// </summary>
public sealed class SpeedStreamLayout(string dataDirectory, string group)
{
    public string Group { get; } = group;

    public string ClosedDirectory => ViewLayout.Speed.ClosedDirectory(dataDirectory);

    public string LiveDirectory => ViewLayout.Speed.LiveDirectory(dataDirectory);

    public string CheckpointDirectory => Path.Combine(dataDirectory, "checkpoints", $"speed-layer-{Group}");

    /// <summary>The single checkpoint file of the layout before sharding, which is refused.</summary>
    public string UnshardedCheckpoint => Path.Combine(dataDirectory, "checkpoints", $"speed-layer-{Group}.json");

    public string ShardClosedDirectory(int shard) => Path.Combine(ClosedDirectory, Shard(shard));

    public string PartPath(int shard, long sequence) => Path.Combine(ShardClosedDirectory(shard), string.Create(CultureInfo.InvariantCulture, $"part-{sequence:D8}.parquet"));

    /// <summary>The ticker stats (crypto-prices) closed together with <see cref="PartPath"/>; another schema than the candles.</summary>
    public string TickerPartPath(int shard, long sequence) =>
        Path.Combine(ShardClosedDirectory(shard), string.Create(CultureInfo.InvariantCulture, $"ticker-part-{sequence:D8}.parquet"));

    public string LivePath(int shard) => Path.Combine(LiveDirectory, Shard(shard) + ".parquet");

    public string LiveTickersPath(int shard) => Path.Combine(LiveDirectory, "ticker-" + Shard(shard) + ".parquet");

    public string CheckpointPath(int shard) => Path.Combine(CheckpointDirectory, Shard(shard) + ".json");

    /// <summary>The shard's epoch counter (<see cref="ShardFence"/>).</summary>
    public string EpochPath(int shard) => Path.Combine(CheckpointDirectory, Shard(shard) + ".epoch");

    /// <summary>The lock every write of the shard's output and every taking of its epoch holds (<see cref="ShardFence"/>).</summary>
    public string FenceLockPath(int shard) => Path.Combine(CheckpointDirectory, Shard(shard) + ".lock");

    /// <summary>The lineage of a part: <c>stream:&lt;group&gt;:shard-&lt;n&gt;:part-&lt;seq&gt;</c> (deterministic, so parts are byte-identical across runs).</summary>
    public string PartLineage(int shard, long sequence) => string.Create(CultureInfo.InvariantCulture, $"stream:{Group}:{Shard(shard)}:part-{sequence:D8}");

    /// <summary>The lineage of a live file: <c>stream:&lt;group&gt;:shard-&lt;n&gt;:live@&lt;checkpoint time&gt;</c>.</summary>
    public string LiveLineage(int shard, DateTimeOffset checkpointTime) =>
        string.Create(CultureInfo.InvariantCulture, $"stream:{Group}:{Shard(shard)}:live@{checkpointTime.UtcDateTime:yyyy-MM-dd'T'HH:mm:ss.fff'Z'}");

    /// <summary>The sequence of a part or ticker part file name, or null for other files.</summary>
    public static long? SequenceOf(string path)
    {
        var name = Path.GetFileNameWithoutExtension(path);
        var at = name.IndexOf("part-", StringComparison.Ordinal);
        return at >= 0 && long.TryParse(name.AsSpan(at + "part-".Length), NumberStyles.None, CultureInfo.InvariantCulture, out var sequence) ? sequence : null;
    }

    private static string Shard(int shard) => string.Create(CultureInfo.InvariantCulture, $"shard-{shard}");
}
