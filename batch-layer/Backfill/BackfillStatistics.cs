namespace Lambda.BatchLayer.Backfill;

/// <summary>
/// What a backfill did, for the progress display and the final report. Written by the one task that
/// runs the backfill, read by the progress display: counters are read and written atomically.
/// </summary>
public sealed class BackfillStatistics
{
    private long _requests;
    private long _weightCharged;
    private long _serverUsedWeight;
    private long _budgetWaits;
    private long _budgetWaitMs;
    private long _rateLimited;
    private long _banned;
    private long _refusalWaitMs;
    private long _retries;
    private long _pages;
    private long _rowsFetched;
    private long _added;
    private long _unchanged;
    private long _conflicting;
    private long _openSkipped;

    /// <summary>HTTP requests sent (refused and retried ones included).</summary>
    public long Requests => Interlocked.Read(ref _requests);

    /// <summary>The request weight we charged ourselves (2 per klines request).</summary>
    public long WeightCharged => Interlocked.Read(ref _weightCharged);

    /// <summary>The last <c>X-MBX-USED-WEIGHT-1M</c> the server reported.</summary>
    public long ServerUsedWeight => Interlocked.Read(ref _serverUsedWeight);

    /// <summary>Times we waited for the next weight window before sending.</summary>
    public long BudgetWaits => Interlocked.Read(ref _budgetWaits);

    public TimeSpan BudgetWaitTime => TimeSpan.FromMilliseconds(Interlocked.Read(ref _budgetWaitMs));

    /// <summary>429 answers waited out.</summary>
    public long RateLimited => Interlocked.Read(ref _rateLimited);

    /// <summary>418 answers waited out.</summary>
    public long Banned => Interlocked.Read(ref _banned);

    /// <summary>Time spent waiting as <c>Retry-After</c> said.</summary>
    public TimeSpan RefusalWaitTime => TimeSpan.FromMilliseconds(Interlocked.Read(ref _refusalWaitMs));

    /// <summary>Requests repeated after a network error, a timeout or a 5xx answer.</summary>
    public long Retries => Interlocked.Read(ref _retries);

    /// <summary>Pages fetched and stored.</summary>
    public long Pages => Interlocked.Read(ref _pages);

    public long RowsFetched => Interlocked.Read(ref _rowsFetched);

    /// <summary>Klines new to the master dataset.</summary>
    public long Added => Interlocked.Read(ref _added);

    /// <summary>Klines the master dataset already held with the same values.</summary>
    public long Unchanged => Interlocked.Read(ref _unchanged);

    /// <summary>Klines the master dataset holds with other values (the first write wins).</summary>
    public long Conflicting => Interlocked.Read(ref _conflicting);

    /// <summary>Still-open current klines that were not stored.</summary>
    public long OpenSkipped => Interlocked.Read(ref _openSkipped);

    internal void RecordRequest(int weight)
    {
        Interlocked.Increment(ref _requests);
        Interlocked.Add(ref _weightCharged, weight);
    }

    internal void RecordServerUsedWeight(int used) => Interlocked.Exchange(ref _serverUsedWeight, used);

    internal void RecordBudgetWait(TimeSpan wait)
    {
        Interlocked.Increment(ref _budgetWaits);
        Interlocked.Add(ref _budgetWaitMs, (long)wait.TotalMilliseconds);
    }

    internal void RecordRefusal(int status, TimeSpan wait)
    {
        Interlocked.Increment(ref status == Core.BinanceRest.BinanceRefusal.Banned ? ref _banned : ref _rateLimited);
        Interlocked.Add(ref _refusalWaitMs, (long)wait.TotalMilliseconds);
    }

    internal void RecordRetry() => Interlocked.Increment(ref _retries);

    internal void RecordPage(int rows, int openSkipped, long added, long unchanged, long conflicting)
    {
        Interlocked.Increment(ref _pages);
        Interlocked.Add(ref _rowsFetched, rows);
        Interlocked.Add(ref _openSkipped, openSkipped);
        Interlocked.Add(ref _added, added);
        Interlocked.Add(ref _unchanged, unchanged);
        Interlocked.Add(ref _conflicting, conflicting);
    }
}
