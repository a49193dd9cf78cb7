namespace Lambda.BatchLayer.Master;

/// <summary>One month of one exchange/symbol/interval in the master dataset: one Parquet file.</summary>
/// <param name="Month"><c>yyyy-MM</c>, the UTC month of the klines' open times.</param>
/// <param name="Path">The partition's Parquet file.</param>
public sealed record MasterPartition(string Exchange, string Symbol, string Interval, string Month, string Path);
