namespace Lambda.Producer.Replay;

/// <summary>What <c>producer replay</c> was asked to do.</summary>
/// <param name="Speed">Speed-up over recorded time, or as fast as possible.</param>
/// <param name="Exchange">Exchange of captures and CSVs that do not say.</param>
/// <param name="Symbol">Symbol of CSVs whose name does not say.</param>
/// <param name="Interval">Candle interval of CSVs that do not say; inferred when null.</param>
/// <param name="From">Skip input before this UTC day.</param>
public sealed record ReplayOptions(
    IReadOnlyList<FileInfo> Files,
    ReplaySpeed Speed,
    string Exchange,
    string? Symbol,
    string? Interval,
    DateOnly? From);
