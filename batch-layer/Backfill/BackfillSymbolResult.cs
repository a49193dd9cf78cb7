namespace Lambda.BatchLayer.Backfill;

/// <summary>How one symbol's backfill ended: pages and closed klines stored this run, or why it failed.</summary>
/// <param name="UpToDate">Nothing was left to fetch: the checkpoint already covered the requested days.</param>
public sealed record BackfillSymbolResult(string Symbol, int Pages, long Rows, bool UpToDate, string? Error)
{
    public bool Failed => Error is not null;
}
