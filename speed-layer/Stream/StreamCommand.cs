using System.CommandLine;
using System.Globalization;
using Lambda.Core.CommandLine;
using Lambda.Core.Configuration;
using Lambda.Core.Telemetry;
using Lambda.Core.Transport;
using Lambda.Core.Views;
using Lambda.SpeedLayer.DeadLetters;
using Lambda.SpeedLayer.Metrics;

namespace Lambda.SpeedLayer.Stream;

/// <summary>The action of <c>speed-layer stream</c>: run a <see cref="SpeedStreamJob"/> until Ctrl+C, then print statistics.</summary>
internal static class StreamCommand
{
    public static async Task<int> RunAsync(ParseResult parseResult, CancellationToken cancellationToken)
    {
        if (Spark.SparkSpeedCommand.Selected(parseResult))
        {
            return await Spark.SparkSpeedCommand.RunAsync(parseResult, streaming: true, cancellationToken).ConfigureAwait(false);
        }

        var output = parseResult.InvocationConfiguration.Output;
        var error = parseResult.InvocationConfiguration.Error;
        var (configuration, kafka, dataDirectory) = CommandLineSetup.From(parseResult);
        var options = new SpeedStreamOptions(
            [.. Core.CommandLine.CommonOptions.SplitList(parseResult.GetRequiredValue<string>("--topics")).Distinct(StringComparer.Ordinal)],
            parseResult.GetRequiredValue<TimeSpan>("--window"),
            parseResult.GetRequiredValue<TimeSpan>("--lateness"),
            parseResult.GetRequiredValue<string>("--group"),
            parseResult.GetRequiredValue<TimeSpan>("--refresh"),
            parseResult.GetRequiredValue<int>("--checkpoint-every"),
            parseResult.GetValue<string?>("--interval"),
            parseResult.GetValue<bool>("--dead-letter-late"))
        {
            IdleTimeout = parseResult.GetRequiredValue<TimeSpan>("--idle-timeout"),
        };
        if (options.Topics.Count == 0)
        {
            await error.WriteLineAsync("--topics: name at least one topic").ConfigureAwait(false);
            return 1;
        }

        // The metrics outlive the telemetry, whose last export at exit reads their final figures.
        using var metrics = new SpeedMetrics("stream");
        using var telemetry = LambdaTelemetry.Start(configuration, "speed-layer");
        var loggers = telemetry.Loggers;
        var job = new SpeedStreamJob(options, kafka, dataDirectory, loggers, metrics);
        var deadLetters = options.DeadLetterLate
            ? "late events → " + DeadLetterOutbox.Describe(kafka, dataDirectory, "stream-" + options.Group)
            : "late events counted, not dead-lettered";
        await output.WriteLineAsync($"Streaming {string.Join(", ", options.Topics)} from the {EventLog.Describe(kafka, dataDirectory)} (group {options.Group}); "
            + $"closed windows → {job.Layout.ClosedDirectory}, live view → {job.Layout.LiveDirectory}, checkpoints → {job.Layout.CheckpointDirectory}; {deadLetters}. Ctrl+C stops.")
            .ConfigureAwait(false);
        SpeedStreamResult result;
        try
        {
            result = await job.RunAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is ArgumentException or IOException or UnauthorizedAccessException or InvalidOperationException or ParquetException or EventLogException)
        {
            await error.WriteLineAsync($"speed-layer stream failed: {e.Message}").ConfigureAwait(false);
            return 1;
        }

        var rate = result.Elapsed.TotalSeconds > 0 ? result.EventsThisRun / result.Elapsed.TotalSeconds : 0;
        var c = result.Counters;
        await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
            $"events read      {result.EventsThisRun} this run in {result.Elapsed.TotalSeconds:F2} s ({rate:F0} events/s), {result.EventsRead} since the first checkpoint{(result.Resumed ? " (resumed)" : "")}"))
            .ConfigureAwait(false);
        await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
            $"this run         {result.WindowsThisRun} window(s) closed in {result.PartsThisRun} part(s), {result.LateThisRun} late, {result.DeadLettersThisRun} dead-lettered"))
            .ConfigureAwait(false);
        await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
            $"windows closed   {result.WindowsClosed} in {result.Parts} part(s); merged {c.Merged}, late {c.Late}, duplicates {c.Duplicates}, ignored {c.Ignored}, undeserializable {result.Undeserializable}"))
            .ConfigureAwait(false);
        await output.WriteLineAsync($"shards held      {(result.ShardsHeld.Count == 0 ? "none" : string.Join(", ", result.ShardsHeld))} (totals above are theirs, since their first checkpoint)")
            .ConfigureAwait(false);
        return 0;
    }
}
