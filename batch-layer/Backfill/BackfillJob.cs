using Lambda.BatchLayer.Master;
using Lambda.Core.Progress;
using Lambda.Core.Contracts;
using Lambda.Core.Klines;

namespace Lambda.BatchLayer.Backfill;

/// <summary>What to backfill: symbols, interval and the UTC days from <paramref name="From"/> to <paramref name="To"/>, both inclusive.</summary>
public sealed record BackfillRequest(IReadOnlyList<string> Symbols, string Interval, DateOnly From, DateOnly To);

/// <summary>
/// <c>batch-layer backfill</c>: for each symbol, pages of up to 1000 klines from Binance's REST API
/// into the master dataset (origin <c>backfill</c>), from where its checkpoint says it stopped (or
/// <c>--from</c>) to the end of <c>--to</c>. After each page is durably in the master dataset, the
/// checkpoint moves past it; so an interrupted run resumes at the next page, and the master's
/// idempotence covers the one page that may have been stored but not yet checkpointed. The still-open
/// current kline is never stored: the next run fetches it once it has closed.
/// </summary>
public sealed class BackfillJob(BinanceKlinesClient client, MasterDataset master, BackfillCheckpoint checkpoint, BackfillStatistics statistics, TimeProvider clock)
{
    /// <summary>Pages left to fetch over all symbols at 1000 klines a page, from their checkpoints (for the progress display).</summary>
    public long EstimatePages(BackfillRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var intervalMs = IntervalMs(request.Interval);
        var endMs = Math.Min(UnixMs(request.To.AddDays(1)) - 1, clock.GetUtcNow().ToUnixTimeMilliseconds());
        return request.Symbols.Sum(symbol =>
        {
            var start = StartOf(symbol, request).Start;
            return start > endMs ? 0L : (long)Math.Max(1, Math.Ceiling((endMs - start + 1.0) / intervalMs / BinanceKlinesClient.MaxLimit));
        });
    }

    /// <summary>Runs every symbol in turn; a symbol that fails (e.g. unknown to Binance) is reported and the others go on.</summary>
    /// <param name="progress">Counts stored pages as steps and stored klines as rows.</param>
    /// <exception cref="OperationCanceledException">Cancelled; every page stored so far is checkpointed.</exception>
    public async Task<IReadOnlyList<BackfillSymbolResult>> RunAsync(BackfillRequest request, WorkProgress progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(progress);
        var results = new List<BackfillSymbolResult>();
        foreach (var symbol in request.Symbols)
        {
            cancellationToken.ThrowIfCancellationRequested();
            BackfillSymbolResult result;
            try
            {
                result = await RunSymbolAsync(symbol, request, progress, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (e is BinanceApiException or HttpRequestException or ArgumentException
                || (e is OperationCanceledException && !cancellationToken.IsCancellationRequested))
            {
                // ArgumentException: the master dataset refused a kline (KlineRules); nothing of that page was stored.
                result = new BackfillSymbolResult(symbol, 0, 0, UpToDate: false, e.Message);
            }

            results.Add(result);
        }

        return results;
    }

    /// <summary>Where a symbol's next page starts, and the progress it continues.</summary>
    private (long Start, BackfillSymbolProgress Stored) StartOf(string symbol, BackfillRequest request)
    {
        var fromMs = UnixMs(request.From);
        var earlier = checkpoint.For(symbol);
        // Resume only when the requested start lies inside what is already stored without a gap.
        return earlier is not null && earlier.From <= fromMs && fromMs <= earlier.NextOpenTime
            ? (earlier.NextOpenTime, earlier)
            : (fromMs, new BackfillSymbolProgress(fromMs, fromMs, 0, 0, clock.GetUtcNow()));
    }

    private async Task<BackfillSymbolResult> RunSymbolAsync(string symbol, BackfillRequest request, WorkProgress progress, CancellationToken cancellationToken)
    {
        var endMs = UnixMs(request.To.AddDays(1)) - 1;
        var (start, stored) = StartOf(symbol, request);
        progress.Working(symbol);

        int pages = 0;
        long rows = 0;
        while (start <= endMs && start <= clock.GetUtcNow().ToUnixTimeMilliseconds())
        {
            var page = await client.FetchAsync(symbol, request.Interval, start, endMs, BinanceKlinesClient.MaxLimit, cancellationToken).ConfigureAwait(false);
            var serverNow = page.ServerTime.ToUnixTimeMilliseconds();
            var inRange = page.Rows.Where(k => k.OpenTime >= start && k.OpenTime <= endMs).OrderBy(k => k.OpenTime).ToList();
            if (inRange.Count != page.Rows.Count)
            {
                throw new BinanceApiException($"{symbol} {request.Interval}: {page.Rows.Count - inRange.Count} kline(s) outside the requested range [{start}, {endMs}]; stopping rather than guessing");
            }

            var closed = inRange.Where(k => k.CloseTime < serverNow).ToList();
            var openSkipped = inRange.Count - closed.Count;
            var written = closed.Count == 0
                ? MasterWriteResult.None
                : await master.AddAsync(Exchanges.Binance, symbol, request.Interval, closed, MasterOrigins.Backfill, cancellationToken).ConfigureAwait(false);

            var next = closed.Count == 0 ? start : NextOpenTime(closed[^1], request.Interval);
            stored = new BackfillSymbolProgress(stored.From, next, stored.Pages + 1, stored.Rows + closed.Count, clock.GetUtcNow());
            // The page is durable in the master dataset: record it even when cancellation arrives right now,
            // so that the next run does not fetch it again.
            await checkpoint.SaveAsync(symbol, stored, CancellationToken.None).ConfigureAwait(false);
            statistics.RecordPage(page.Rows.Count, openSkipped, written.Added, written.Unchanged, written.Conflicting);
            pages++;
            rows += closed.Count;
            progress.StepDone();
            progress.AddRows(closed.Count);

            // A short page is the end of the data; an open kline is the present.
            if (page.Rows.Count < BinanceKlinesClient.MaxLimit || openSkipped > 0)
            {
                break;
            }

            if (next <= start)
            {
                throw new BinanceApiException($"{symbol} {request.Interval}: a full page did not move past {start}; stopping rather than looping");
            }

            start = next;
        }

        return new BackfillSymbolResult(symbol, pages, rows, UpToDate: pages == 0, Error: null);
    }

    /// <summary>Where the page after a kline starts: its open time plus the interval (a calendar month for <c>1M</c>).</summary>
    internal static long NextOpenTime(Kline last, string interval) =>
        interval == "1M"
            ? DateTimeOffset.FromUnixTimeMilliseconds(last.OpenTime).AddMonths(1).ToUnixTimeMilliseconds()
            : last.OpenTime + IntervalMs(interval);

    private static long IntervalMs(string interval) =>
        KlineIntervals.TryGetLength(interval, out var length)
            ? (length == TimeSpan.Zero ? (long)TimeSpan.FromDays(31).TotalMilliseconds : (long)length.TotalMilliseconds)
            : throw new ArgumentException($"'{interval}' is not a kline interval", nameof(interval));

    private static long UnixMs(DateOnly day) => new DateTimeOffset(day.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero).ToUnixTimeMilliseconds();
}
