using System.CommandLine;
using System.Globalization;
using Lambda.BatchLayer.Master;
using Lambda.BatchLayer.Metrics;
using Lambda.Core.CommandLine;
using Lambda.Core.Progress;
using Lambda.Core.Views;

namespace Lambda.BatchLayer.Build;

/// <summary>The action of <c>batch-layer build [--until DAY]</c>: rebuild the batch views, print what was built.</summary>
internal static class BuildCommand
{
    public static async Task<int> RunAsync(ParseResult parseResult, CancellationToken cancellationToken)
    {
        var output = parseResult.InvocationConfiguration.Output;
        var error = parseResult.InvocationConfiguration.Error;
        var setup = CommandLineSetup.From(parseResult);
        using var metrics = new BatchMetrics("build");
        using var telemetry = setup.StartTelemetry("batch-layer");
        var until = parseResult.GetValue<DateOnly?>("--until");
        using var master = new MasterDataset(setup.DataDirectory);
        var inputs = BatchViewBuilder.Inputs(master.Partitions(), until);
        await output.WriteLineAsync($"Building the batch views from {inputs.Count} partition(s) of {master.KlinesDirectory}"
            + (until is { } u ? $" up to {u:yyyy-MM-dd}" : "")).ConfigureAwait(false);
        var progress = new WorkProgress("partitions", inputs.Count);
        BuildResult result;
        try
        {
            result = await ProgressDisplay.RunAsync(output, "build", progress,
                () => new BatchViewBuilder(setup.DataDirectory).BuildAsync(inputs, until, progress, cancellationToken, parseResult.GetValue<bool>("--allow-empty"))).ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ParquetException)
        {
            await error.WriteLineAsync($"build failed, the previous views stay: {e.Message}").ConfigureAwait(false);
            return 1;
        }

        metrics.Built(result.RowsRead, result.Candles, result.Metrics);
        var rate = result.Elapsed.TotalSeconds > 0 ? result.RowsRead / result.Elapsed.TotalSeconds : 0;
        var statistics = string.Create(CultureInfo.InvariantCulture,
            $"{result.PartitionsRead:N0} partition(s), {result.RowsRead:N0} klines read in {result.Elapsed.TotalSeconds:F2} s ({rate:N0} rows/s), {result.Symbols} symbol(s)");
        if (result.Interrupted)
        {
            await error.WriteLineAsync($"Interrupted after {statistics}: nothing written, the previous views stay.").ConfigureAwait(false);
            return 1;
        }

        if (result.KeptBecause is { } kept)
        {
            await error.WriteLineAsync($"build refused: {kept}").ConfigureAwait(false);
            return 1;
        }

        await output.WriteLineAsync(statistics).ConfigureAwait(false);
        foreach (var interval in result.SkippedIntervals)
        {
            await output.WriteLineAsync($"  interval {interval} is longer than a day: not used for daily candles").ConfigureAwait(false);
        }

        await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
            $"{result.Candles:N0} daily candle(s) ({result.CompleteCandles:N0} complete, {result.Candles - result.CompleteCandles:N0} incomplete) → {result.CandlesPath}")).ConfigureAwait(false);
        await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"{result.Metrics:N0} daily metric row(s) → {result.MetricsPath}")).ConfigureAwait(false);
        await output.WriteLineAsync($"build {result.BuildId}, horizon {(result.Horizon is { } h ? h.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) : "none")}").ConfigureAwait(false);
        return 0;
    }
}
