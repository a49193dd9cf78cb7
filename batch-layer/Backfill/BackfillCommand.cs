using System.CommandLine;
using System.Globalization;
using Lambda.BatchLayer.Master;
using Lambda.BatchLayer.Metrics;
using Lambda.Core.CommandLine;
using Lambda.Core.Configuration;
using Lambda.Core.Contracts;
using Lambda.Core.Progress;
using Lambda.Core.Telemetry;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;

namespace Lambda.BatchLayer.Backfill;

/// <summary>The action of <c>batch-layer backfill</c>: validate, run a <see cref="BackfillJob"/> with a progress display, print the statistics.</summary>
internal static class BackfillCommand
{
    public static async Task<int> RunAsync(ParseResult parseResult, CancellationToken cancellationToken)
    {
        var output = parseResult.InvocationConfiguration.Output;
        var error = parseResult.InvocationConfiguration.Error;
        var (configuration, _, dataDirectory) = CommandLineSetup.From(parseResult);
        var settings = configuration.GetSection(BinanceBackfillSettings.Section).Get<BinanceBackfillSettings>() ?? new BinanceBackfillSettings();
        var problems = settings.Validate().ToList();
        var request = Request(parseResult, problems);
        if (problems.Count > 0 || request is null)
        {
            foreach (var problem in problems)
            {
                await error.WriteLineAsync(problem).ConfigureAwait(false);
            }

            return 1;
        }

        using var metrics = new BatchMetrics("backfill");
        using var telemetry = LambdaTelemetry.Start(configuration, "batch-layer");
        var loggers = telemetry.Loggers;
        BackfillCheckpoint checkpoint;
        try
        {
            checkpoint = BackfillCheckpoint.Load(dataDirectory, request.Interval);
        }
        catch (InvalidDataException e)
        {
            await error.WriteLineAsync(e.Message).ConfigureAwait(false);
            return 1;
        }

        await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
            $"Backfilling {string.Join(", ", request.Symbols)} {request.Interval} klines {request.From:yyyy-MM-dd} – {request.To:yyyy-MM-dd} from {settings.RestBaseUrl} "
            + $"into {Path.Combine(dataDirectory, "master")} (checkpoint {checkpoint.Path}). Ctrl+C stops after the current page.")).ConfigureAwait(false);

        var statistics = new BackfillStatistics();
        using var http = new HttpClient { Timeout = Timeout.InfiniteTimeSpan };
        var client = new BinanceKlinesClient(http, settings, statistics, TimeProvider.System, loggers.CreateLogger<BinanceKlinesClient>());
        using var master = new MasterDataset(dataDirectory);
        var job = new BackfillJob(client, master, checkpoint, statistics, TimeProvider.System);
        var progress = new WorkProgress("pages", job.EstimatePages(request));
        var started = TimeProvider.System.GetTimestamp();
        IReadOnlyList<BackfillSymbolResult> results;
        try
        {
            results = await ProgressDisplay.RunAsync(output, "backfill", progress, () => job.RunAsync(request, progress, cancellationToken)).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            await output.WriteLineAsync($"Interrupted: every page stored so far is checkpointed in {checkpoint.Path}; run the same command again to continue.").ConfigureAwait(false);
            await WriteStatisticsAsync(output, statistics, metrics, TimeProvider.System.GetElapsedTime(started)).ConfigureAwait(false);
            return 130;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            await error.WriteLineAsync($"batch-layer backfill failed: {e.Message}").ConfigureAwait(false);
            await WriteStatisticsAsync(output, statistics, metrics, TimeProvider.System.GetElapsedTime(started)).ConfigureAwait(false);
            return 1;
        }

        await WriteStatisticsAsync(output, statistics, metrics, TimeProvider.System.GetElapsedTime(started)).ConfigureAwait(false);
        foreach (var result in results)
        {
            await (result.Failed ? error : output).WriteLineAsync(result switch
            {
                { Failed: true } => $"{result.Symbol}: FAILED: {result.Error}",
                { UpToDate: true } => $"{result.Symbol}: already backfilled over these days (checkpoint)",
                _ => string.Create(CultureInfo.InvariantCulture, $"{result.Symbol}: {result.Pages} page(s), {result.Rows} closed kline(s) fetched this run"),
            }).ConfigureAwait(false);
        }

        return results.Any(r => r.Failed) ? 1 : 0;
    }

    /// <summary>The request from the options; null (with the problems added) when they do not make one.</summary>
    private static BackfillRequest? Request(ParseResult parseResult, List<string> problems)
    {
        var symbols = CommonOptions.SplitList(parseResult.GetRequiredValue<string>("--symbols")).Distinct(StringComparer.Ordinal).ToList();
        var interval = parseResult.GetRequiredValue<string>("--interval");
        var from = parseResult.GetValue<DateOnly?>("--from");
        var today = DateOnly.FromDateTime(DateTime.UtcNow);
        var to = parseResult.GetValue<DateOnly?>("--to") ?? today;
        if (symbols.Count == 0)
        {
            problems.Add("--symbols: name at least one symbol");
        }

        problems.AddRange(symbols.Where(s => !SymbolFormat.IsValid(s)).Select(s => $"--symbols: '{s}' is not a Binance symbol (upper-case letters and digits, e.g. BTCUSDT)"));
        if (from is null)
        {
            problems.Add("--from: say the first UTC day to fetch (yyyy-MM-dd)");
        }
        else if (from > to)
        {
            problems.Add($"--from {from:yyyy-MM-dd} is after --to {to:yyyy-MM-dd}");
        }

        return problems.Count == 0 ? new BackfillRequest(symbols, interval, from!.Value, to) : null;
    }

    /// <summary>The run's statistics, printed and recorded as metrics: once per run, however it ended.</summary>
    private static async Task WriteStatisticsAsync(TextWriter output, BackfillStatistics s, BatchMetrics metrics, TimeSpan elapsed)
    {
        metrics.Stored(s.RowsFetched, new MasterWriteResult(s.Added, s.Unchanged, s.Conflicting), refused: 0);
        await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
            $"requests         {s.Requests} in {elapsed.TotalSeconds:F1} s, weight charged {s.WeightCharged}, last X-MBX-USED-WEIGHT-1M {s.ServerUsedWeight}")).ConfigureAwait(false);
        await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
            $"waits            {s.BudgetWaits} for the weight budget ({s.BudgetWaitTime.TotalSeconds:F1} s), {s.RateLimited} for 429, {s.Banned} for 418 ({s.RefusalWaitTime.TotalSeconds:F1} s), {s.Retries} retries after errors")).ConfigureAwait(false);
        await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
            $"rows             {s.RowsFetched} fetched in {s.Pages} page(s): {s.Added} added, {s.Unchanged} already stored, {s.Conflicting} conflicting (kept the stored), {s.OpenSkipped} still open (not stored)")).ConfigureAwait(false);
    }
}
