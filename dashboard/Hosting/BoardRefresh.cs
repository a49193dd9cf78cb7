using Lambda.Core.Views;
using Lambda.Dashboard.Board;
using Lambda.Dashboard.Views;
using Lambda.Merge.Serving;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Lambda.Dashboard.Hosting;

/// <summary>
/// Every <see cref="DashboardSettings.ViewsRefresh"/> reads the views again when their files changed
/// (the merge and the speed layer replace them atomically), and every second asks the pages to
/// refresh their status line: the last event's age moves even when nothing arrives.
/// </summary>
public sealed partial class BoardRefresh(DashboardSettings settings, MarketBoard board, TimeProvider clock, ILogger<BoardRefresh> logger) : BackgroundService
{
    private static readonly TimeSpan StatusEvery = TimeSpan.FromSeconds(1);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var fingerprint = "";
        var lastViews = long.MinValue;
        using var ticks = new PeriodicTimer(StatusEvery, clock);
        try
        {
            do
            {
                if (lastViews == long.MinValue || clock.GetElapsedTime(lastViews) >= settings.ViewsRefresh)
                {
                    lastViews = clock.GetTimestamp();
                    fingerprint = await RefreshViewsAsync(fingerprint, stoppingToken).ConfigureAwait(false);
                }

                board.MarkStatusChanged();
            }
            while (await ticks.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false));
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // stopping
        }
    }

    private async Task<string> RefreshViewsAsync(string previous, CancellationToken cancellationToken)
    {
        var fingerprint = CandleViews.Fingerprint(settings.DataDirectory);
        if (fingerprint == previous)
        {
            return previous;
        }

        try
        {
            // Reading Parquet is synchronous work: off the timer's thread.
            var views = await Task.Run(() => CandleViews.Load(settings.DataDirectory, cancellationToken), cancellationToken).ConfigureAwait(false);
            board.SetViews(views.Bars, views.Description);
            return fingerprint;
        }
        catch (Exception e) when (e is ParquetException or MergeInputException or IOException or UnauthorizedAccessException)
        {
            // A file replaced while it was read, or damaged: keep what is shown and try again next time.
            LogUnreadable(e);
            return previous;
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "The views could not be read; the page keeps the candles it has")]
    private partial void LogUnreadable(Exception exception);
}
