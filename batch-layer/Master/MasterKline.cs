using Lambda.Core.Klines;

namespace Lambda.BatchLayer.Master;

/// <summary>One row of the master dataset: a finished kline, where it came from and when it was first stored.</summary>
/// <param name="Origin">How the kline entered the master dataset: <see cref="MasterOrigins"/>.</param>
/// <param name="IngestedAt">When this row was first written; later writes of the same kline leave it as it is.</param>
public sealed record MasterKline(Kline Kline, string Origin, DateTimeOffset IngestedAt);

/// <summary>The values of <see cref="MasterKline.Origin"/>.</summary>
public static class MasterOrigins
{
    /// <summary><c>batch-layer import</c>: history files.</summary>
    public const string Import = "import";

    /// <summary><c>batch-layer backfill</c>: the exchange's REST API.</summary>
    public const string Backfill = "backfill";

    /// <summary><c>batch-layer archive</c>: closed klines of the event log.</summary>
    public const string Archive = "archive";

    public static IReadOnlyList<string> All { get; } = [Import, Backfill, Archive];
}
