using System.Globalization;
using Spectre.Console;

namespace Lambda.BatchLayer.Backfill;

/// <summary>On a terminal: one Spectre.Console progress bar per symbol, counting pages.</summary>
internal sealed class ProgressBarBackfillProgress(ProgressContext context) : IBackfillProgress
{
    private readonly Dictionary<string, ProgressTask> _tasks = new(StringComparer.Ordinal);

    public void SymbolStarted(string symbol, int estimatedPages)
    {
        var task = context.AddTask(Markup.Escape(symbol), maxValue: Math.Max(1, estimatedPages));
        _tasks[symbol] = task;
    }

    public void PageStored(string symbol, BackfillPageResult page)
    {
        var task = _tasks[symbol];
        // The estimate assumes no gaps; a symbol listed later than --from needs fewer pages, never more.
        task.MaxValue = Math.Max(task.MaxValue, task.Value + 1);
        task.Increment(1);
        task.Description = Markup.Escape(string.Create(CultureInfo.InvariantCulture, $"{symbol} → {Day(page.NextOpenTime)}"));
    }

    public void SymbolFinished(string symbol, BackfillSymbolResult result)
    {
        if (!_tasks.TryGetValue(symbol, out var task))
        {
            task = context.AddTask(Markup.Escape(symbol));
        }

        task.Description = Markup.Escape(result.Failed ? $"{symbol} failed" : result.UpToDate ? $"{symbol} up to date" : $"{symbol} done");
        task.Value = task.MaxValue;
        task.StopTask();
    }

    internal static string Day(long unixMs) =>
        DateTimeOffset.FromUnixTimeMilliseconds(unixMs).ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture);
}

/// <summary>Without a terminal: a line when a symbol starts and ends, and at most one line every few seconds in between.</summary>
internal sealed class LogLineBackfillProgress(TextWriter output, BackfillStatistics statistics, TimeProvider clock, TimeSpan every) : IBackfillProgress
{
    private DateTimeOffset _nextLine = DateTimeOffset.MinValue;
    private int _pages;
    private int _estimatedPages;

    public void SymbolStarted(string symbol, int estimatedPages)
    {
        _pages = 0;
        _estimatedPages = estimatedPages;
        _nextLine = clock.GetUtcNow() + every;
        output.WriteLine(estimatedPages == 0
            ? $"{symbol}: already backfilled over the requested days"
            : string.Create(CultureInfo.InvariantCulture, $"{symbol}: about {estimatedPages} page(s) to fetch"));
    }

    public void PageStored(string symbol, BackfillPageResult page)
    {
        _pages++;
        var now = clock.GetUtcNow();
        if (now < _nextLine)
        {
            return;
        }

        _nextLine = now + every;
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  … {symbol}: page {_pages}/~{Math.Max(_pages, _estimatedPages)}, next from {ProgressBarBackfillProgress.Day(page.NextOpenTime)}; {statistics.Requests} requests, {statistics.RowsFetched} rows, weight used {statistics.ServerUsedWeight}"));
    }

    public void SymbolFinished(string symbol, BackfillSymbolResult result) =>
        output.WriteLine(result.Failed
            ? $"{symbol}: FAILED: {result.Error}"
            : string.Create(CultureInfo.InvariantCulture, $"{symbol}: {result.Pages} page(s), {result.Rows} closed kline(s) stored this run"));
}
