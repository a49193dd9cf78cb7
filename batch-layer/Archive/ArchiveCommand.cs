using System.CommandLine;
using System.Globalization;
using Lambda.BatchLayer.Master;
using Lambda.BatchLayer.Metrics;
using Lambda.Core.CommandLine;
using Lambda.Core.Configuration;
using Lambda.Core.Contracts;
using Lambda.Core.Progress;
using Lambda.Core.Telemetry;
using Lambda.Core.Transport;
using Microsoft.Extensions.Configuration;

namespace Lambda.BatchLayer.Archive;

/// <summary>The action of <c>batch-layer archive</c>: run an <see cref="ArchiveJob"/> over the event log, print the statistics.</summary>
internal static class ArchiveCommand
{
    /// <summary>The consumer group / embedded checkpoint name when neither <c>--group</c> nor <c>Batch:Archive:Group</c> says.</summary>
    public const string GroupSetting = "Batch:Archive:Group";

    public static async Task<int> RunAsync(ParseResult parseResult, CancellationToken cancellationToken)
    {
        var output = parseResult.InvocationConfiguration.Output;
        var error = parseResult.InvocationConfiguration.Error;
        var (configuration, kafka, dataDirectory) = CommandLineSetup.From(parseResult);
        var group = parseResult.GetValue<string?>("--group") ?? configuration[GroupSetting] ?? ArchiveJob.DefaultConsumer;
        var batchSize = parseResult.GetRequiredValue<int>("--batch-size");
        using var metrics = new BatchMetrics("archive");
        using var telemetry = LambdaTelemetry.Start(configuration, "batch-layer");
        var loggers = telemetry.Loggers;
        await output.WriteLineAsync($"Archiving closed klines of {Topics.Klines} from the {EventLog.Describe(kafka, dataDirectory)} (group {group}) up to its current end "
            + $"into {Path.Combine(dataDirectory, "master")}. Ctrl+C stores and commits what was read, then stops.").ConfigureAwait(false);
        ArchiveResult result;
        try
        {
            using var master = new MasterDataset(dataDirectory);
            await using var source = EventLog.CreateSource(kafka, dataDirectory, group, [Topics.Klines], stopAtEnd: true, loggers);
            var progress = new WorkProgress("batches", 0);
            var job = new ArchiveJob(source, master, batchSize);
            metrics.ObserveLag(source);
            try
            {
                result = await ProgressDisplay.RunAsync(output, "archive", progress, () => job.RunAsync(progress, cancellationToken)).ConfigureAwait(false);
            }
            finally
            {
                metrics.ObserveLag(null);
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidOperationException or ArgumentException or EventLogException)
        {
            await error.WriteLineAsync($"batch-layer archive failed (nothing more was committed): {e.Message}").ConfigureAwait(false);
            return 1;
        }

        metrics.Stored(result.MessagesRead, result.Written, result.Undeserializable + result.Rejected);
        var w = result.Written;
        var rate = result.Elapsed.TotalSeconds > 0 ? result.MessagesRead / result.Elapsed.TotalSeconds : 0;
        await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
            $"messages read    {result.MessagesRead} in {result.Elapsed.TotalSeconds:F2} s ({rate:F0}/s){(result.Interrupted ? ", interrupted by Ctrl+C" : "")}")).ConfigureAwait(false);
        await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
            $"klines           {result.Closed} closed: {w.Added} added, {w.Unchanged} already stored, {w.Conflicting} conflicting (kept the stored); {result.OpenSkipped} open updates skipped")).ConfigureAwait(false);
        await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
            $"bad messages     {result.Undeserializable} undeserializable, {result.Rejected} rejected; positions committed {result.Commits} time(s)")).ConfigureAwait(false);
        foreach (var example in result.Examples)
        {
            await output.WriteLineAsync($"  {example}").ConfigureAwait(false);
        }

        return result.Interrupted ? 130 : 0;
    }
}
