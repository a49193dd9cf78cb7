using System.CommandLine;
using System.Globalization;
using Lambda.Core.CommandLine;
using Lambda.Core.Configuration;
using Lambda.Core.Parquet;
using Lambda.Core.Transport;

namespace Lambda.SpeedLayer.Stream;

/// <summary>The action of <c>speed-layer stream</c>: run a <see cref="SpeedStreamJob"/> until Ctrl+C, then print statistics.</summary>
internal static class StreamCommand
{
    public static async Task<int> RunAsync(ParseResult parseResult, CancellationToken cancellationToken)
    {
        var output = parseResult.InvocationConfiguration.Output;
        var error = parseResult.InvocationConfiguration.Error;
        var (configuration, kafka, dataDirectory) = CommandLineSetup.From(parseResult);
        var options = new SpeedStreamOptions(
            [.. Core.CommandLine.CommonOptions.SplitList(parseResult.GetRequiredValue<string>("--topics")).Distinct(StringComparer.Ordinal)],
            parseResult.GetRequiredValue<TimeSpan>("--window"),
            parseResult.GetRequiredValue<TimeSpan>("--lateness"),
            parseResult.GetRequiredValue<string>("--group"),
            parseResult.GetRequiredValue<TimeSpan>("--refresh"),
            parseResult.GetRequiredValue<int>("--checkpoint-every"));
        if (options.Topics.Count == 0)
        {
            await error.WriteLineAsync("--topics: name at least one topic").ConfigureAwait(false);
            return 1;
        }

        using var loggers = LambdaLogging.Create(configuration);
        await output.WriteLineAsync($"Streaming {string.Join(", ", options.Topics)} from the {EventLog.Describe(kafka, dataDirectory)} (group {options.Group}); "
            + $"closed windows → {SpeedStreamJob.ClosedPath(dataDirectory)}, checkpoint → {SpeedStreamCheckpoint.PathOf(dataDirectory, options.Group)}. Ctrl+C stops.").ConfigureAwait(false);
        SpeedStreamResult result;
        try
        {
            result = await new SpeedStreamJob(options, kafka, dataDirectory, loggers).RunAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is ArgumentException or IOException or UnauthorizedAccessException or InvalidOperationException or ParquetException or Confluent.Kafka.KafkaException)
        {
            await error.WriteLineAsync($"speed-layer stream failed: {e.Message}").ConfigureAwait(false);
            return 1;
        }

        var rate = result.Elapsed.TotalSeconds > 0 ? result.EventsThisRun / result.Elapsed.TotalSeconds : 0;
        var c = result.Counters;
        await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
            $"events read      {result.EventsThisRun} this run in {result.Elapsed.TotalSeconds:F2} s ({rate:F0} events/s), {result.EventsRead} since the first checkpoint{(result.Resumed ? " (resumed)" : "")}")).ConfigureAwait(false);
        await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
            $"windows closed   {result.WindowsClosed} in {result.NextPart} part(s); merged {c.Merged}, late {c.Late}, duplicates {c.Duplicates}, ignored {c.Ignored}, undeserializable {result.Undeserializable}")).ConfigureAwait(false);
        return 0;
    }
}
