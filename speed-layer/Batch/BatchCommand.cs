using System.CommandLine;
using System.Globalization;
using Lambda.Core.CommandLine;
using Lambda.Core.Configuration;
using Lambda.Core.Telemetry;
using Lambda.Core.Transport;
using Lambda.Core.Views;
using Lambda.Core.Windows;
using Lambda.SpeedLayer.Metrics;

namespace Lambda.SpeedLayer.Batch;

/// <summary>The action of <c>speed-layer batch</c>: run a <see cref="SpeedBatchJob"/>, print the view and the statistics.</summary>
internal static class BatchCommand
{
    public const int DaysShown = 20;

    public static async Task<int> RunAsync(ParseResult parseResult, CancellationToken cancellationToken)
    {
        if (Spark.SparkSpeedCommand.Selected(parseResult))
        {
            return await Spark.SparkSpeedCommand.RunAsync(parseResult, streaming: false, cancellationToken).ConfigureAwait(false);
        }

        var output = parseResult.InvocationConfiguration.Output;
        var error = parseResult.InvocationConfiguration.Error;
        var (configuration, kafka, dataDirectory) = CommandLineSetup.From(parseResult);
        var options = new SpeedBatchOptions(
            [.. Core.CommandLine.CommonOptions.SplitList(parseResult.GetRequiredValue<string>("--topics")).Distinct(StringComparer.Ordinal)],
            parseResult.GetRequiredValue<TimeSpan>("--window"),
            parseResult.GetRequiredValue<TimeSpan>("--lateness"),
            parseResult.GetRequiredValue<string>("--group"),
            parseResult.GetValue<DateOnly?>("--from"),
            parseResult.GetValue<string?>("--interval"),
            parseResult.GetValue<bool>("--dead-letter-late"));
        if (options.Topics.Count == 0)
        {
            await error.WriteLineAsync("--topics: name at least one topic").ConfigureAwait(false);
            return 1;
        }

        // The metrics outlive the telemetry, whose last export at exit reads their final figures.
        using var metrics = new SpeedMetrics("batch");
        using var telemetry = LambdaTelemetry.Start(configuration, "speed-layer");
        var loggers = telemetry.Loggers;
        await output.WriteLineAsync($"Reading {string.Join(", ", options.Topics)} from the {EventLog.Describe(kafka, dataDirectory)} up to its current end"
            + (options.From is { } from ? $", from {from:yyyy-MM-dd}" : "")).ConfigureAwait(false);
        SpeedBatchResult result;
        try
        {
            result = await new SpeedBatchJob(options, kafka, dataDirectory, loggers, output, metrics).RunAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            await error.WriteLineAsync("Interrupted: nothing written.").ConfigureAwait(false);
            return 1;
        }
        catch (Exception e) when (e is ArgumentException or IOException or UnauthorizedAccessException or InvalidOperationException or ParquetException or EventLogException)
        {
            await error.WriteLineAsync($"speed-layer batch failed: {e.Message}").ConfigureAwait(false);
            return 1;
        }

        await WriteTableAsync(output, result, options.Window).ConfigureAwait(false);
        await WriteStatisticsAsync(output, result).ConfigureAwait(false);
        return 0;
    }

    private static async Task WriteTableAsync(TextWriter output, SpeedBatchResult result, TimeSpan window)
    {
        if (result.Candles.Count == 0)
        {
            await output.WriteLineAsync(result.Counters.Ignored > 0
                ? string.Create(CultureInfo.InvariantCulture,
                    $"No candles: the log's {result.Counters.Ignored} event(s) of these topics were all ignored (klines of another interval than {result.KlineInterval ?? "the first kline's"}: pass the log's --interval). An empty view was written.")
                : "No candles: the log holds no events of these topics (after --from). An empty view was written.").ConfigureAwait(false);
            return;
        }

        var daily = window == TimeSpan.FromDays(1);
        await output.WriteLineAsync().ConfigureAwait(false);
        await output.WriteLineAsync(Row("exchange", "symbol", daily ? "day" : "window start", "open", "high", "low", "close", "volume", "trades", "complete", daily)).ConfigureAwait(false);
        foreach (var group in result.Candles.GroupBy(c => (c.Candle.Exchange, c.Candle.Symbol)))
        {
            var rows = group.ToList();
            if (rows.Count > DaysShown)
            {
                await output.WriteLineAsync($"  … {rows.Count - DaysShown} earlier window(s) of {group.Key.Exchange} {group.Key.Symbol} not shown").ConfigureAwait(false);
            }

            foreach (var c in rows.Skip(Math.Max(0, rows.Count - DaysShown)))
            {
                var d = c.Candle;
                var when = daily ? d.Day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) : c.WindowStart.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture);
                await output.WriteLineAsync(Row(d.Exchange, d.Symbol, when, Number(d.Open), Number(d.High), Number(d.Low), Number(d.Close),
                    d.Volume.ToString("F4", CultureInfo.InvariantCulture), d.Trades.ToString(CultureInfo.InvariantCulture), d.Complete ? "yes" : "no", daily)).ConfigureAwait(false);
            }
        }
    }

    private static string Number(double value) => value.ToString("0.########", CultureInfo.InvariantCulture);

    private static string Row(string exchange, string symbol, string day, string open, string high, string low, string close, string volume, string trades, string complete, bool daily) =>
        string.Create(CultureInfo.InvariantCulture,
            $"{exchange,-9} {symbol,-10} {day.PadRight(daily ? 10 : 16)} {open,12} {high,12} {low,12} {close,12} {volume,16} {trades,10} {complete,8}");

    private static async Task WriteStatisticsAsync(TextWriter output, SpeedBatchResult result)
    {
        var rate = result.Elapsed.TotalSeconds > 0 ? result.EventsRead / result.Elapsed.TotalSeconds : 0;
        var counters = result.Counters;
        await output.WriteLineAsync().ConfigureAwait(false);
        await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
            $"events read      {result.EventsRead} in {result.Elapsed.TotalSeconds:F2} s ({rate:F0} events/s)")).ConfigureAwait(false);
        await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
            $"merged {counters.Merged}, late {counters.Late}, duplicates {counters.Duplicates}, ignored {counters.Ignored}, undeserializable {result.Undeserializable}, before --from {result.BeforeFrom}")).ConfigureAwait(false);
        await output.WriteLineAsync(result.DeadLetterTarget is { } target
            ? string.Create(CultureInfo.InvariantCulture, $"dead letters     {result.DeadLettersSent} late event(s) → {target}")
            : string.Create(CultureInfo.InvariantCulture, $"dead letters     none sent ({counters.Late} late event(s) counted; --dead-letter-late sends them)")).ConfigureAwait(false);
        foreach (var example in result.UndeserializableExamples)
        {
            await output.WriteLineAsync($"  undeserializable: {example}").ConfigureAwait(false);
        }

        var complete = result.Candles.Count(c => c.Candle.Complete);
        await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
            $"windows written  {result.Candles.Count} candle(s) ({complete} complete, {result.Candles.Count - complete} incomplete), kline interval {result.KlineInterval ?? "-"} → {result.CandlesPath}"))
            .ConfigureAwait(false);
        if (result.TickerStatsPath is not null)
        {
            await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                $"                 {result.TickerStats.Count} ticker stat(s) → {result.TickerStatsPath}")).ConfigureAwait(false);
        }
    }
}
