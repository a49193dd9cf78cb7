namespace Lambda.BatchLayer.Backfill;

/// <summary>What a backfill tells its display (a progress bar on a terminal, log lines otherwise).</summary>
public interface IBackfillProgress
{
    /// <summary>A symbol starts; <paramref name="estimatedPages"/> is what remains of its range at 1000 klines a page.</summary>
    void SymbolStarted(string symbol, int estimatedPages);

    /// <summary>A page is durably stored and checkpointed.</summary>
    void PageStored(string symbol, BackfillPageResult page);

    /// <summary>A symbol is finished: fully fetched, already up to date, or failed.</summary>
    void SymbolFinished(string symbol, BackfillSymbolResult result);
}

/// <summary>One stored page: how many rows came, what the master dataset did with them, where the next page starts.</summary>
public sealed record BackfillPageResult(int Rows, int OpenSkipped, long Added, long Unchanged, long Conflicting, long NextOpenTime);

/// <summary>How a symbol's backfill ended; <paramref name="Error"/> says why it failed.</summary>
public sealed record BackfillSymbolResult(string Symbol, int Pages, long Rows, bool UpToDate, string? Error)
{
    public bool Failed => Error is not null;
}
