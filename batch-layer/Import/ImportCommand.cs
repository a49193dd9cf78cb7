using System.CommandLine;
using System.Globalization;
using Lambda.BatchLayer.Master;
using Lambda.BatchLayer.Metrics;
using Lambda.Core.CommandLine;
using Lambda.Core.Progress;

namespace Lambda.BatchLayer.Import;

/// <summary>The action of <c>batch-layer import PATH…</c>: expand the paths, import, print what happened.</summary>
internal static class ImportCommand
{
    /// <summary>Exit code when rows were rejected (bad or conflicting) and --allow-bad-rows was not given.</summary>
    public const int RejectedRowsExitCode = 2;

    public static async Task<int> RunAsync(ParseResult parseResult, CancellationToken cancellationToken)
    {
        var output = parseResult.InvocationConfiguration.Output;
        var error = parseResult.InvocationConfiguration.Error;
        var setup = CommandLineSetup.From(parseResult);
        using var metrics = new BatchMetrics("import");
        using var telemetry = setup.StartTelemetry("batch-layer");
        var options = new ImportOptions(
            parseResult.GetRequiredValue<string>("--exchange").Trim().ToLowerInvariant(),
            parseResult.GetValue<string?>("--symbol")?.Trim().ToUpperInvariant(),
            parseResult.GetValue<string?>("--interval"));
        var inputs = ImportInputs.Expand(parseResult.GetRequiredValue<string[]>("PATH"));
        foreach (var missing in inputs.Missing)
        {
            await error.WriteLineAsync($"import: '{missing}' names no file, folder or matching glob").ConfigureAwait(false);
        }

        ImportResult result;
        using (var master = new MasterDataset(setup.DataDirectory))
        {
            await output.WriteLineAsync($"Importing {inputs.Files.Count} file(s) into {master.KlinesDirectory}").ConfigureAwait(false);
            var progress = new WorkProgress("files", inputs.Files.Count);
            var importer = new KlinesImporter(master, options, progress, Path.Combine(setup.DataDirectory, "reports"));
            try
            {
                result = await ProgressDisplay.RunAsync(output, "import", progress, () => importer.ImportAsync(inputs, cancellationToken)).ConfigureAwait(false);
            }
            catch (MasterDatasetLockedException e)
            {
                await error.WriteLineAsync($"import: {e.Message}").ConfigureAwait(false);
                return 1;
            }
        }

        metrics.Stored(result.Rows, result.Written, result.BadRows);
        await ReportAsync(output, error, result).ConfigureAwait(false);
        if (result.Interrupted || result.FailedInputs > 0)
        {
            return 1;
        }

        return result.Rejected > 0 && !parseResult.GetValue<bool>("--allow-bad-rows") ? RejectedRowsExitCode : 0;
    }

    private static async Task ReportAsync(TextWriter output, TextWriter error, ImportResult result)
    {
        foreach (var file in result.Files)
        {
            if (file.Error is not null)
            {
                await error.WriteLineAsync($"import: {file.Name}: {file.Error}").ConfigureAwait(false);
                continue;
            }

            var w = file.Written;
            await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                $"{file.Name}: {file.Symbol} {file.Interval}, {file.Rows:N0} rows: {w.Added:N0} added, {w.Unchanged:N0} unchanged, {w.Conflicting:N0} conflicting, {file.BadRows:N0} bad")).ConfigureAwait(false);
            if (file.Note is not null)
            {
                await output.WriteLineAsync($"  note: {file.Note}").ConfigureAwait(false);
            }
        }

        foreach (var bad in result.BadRowExamples)
        {
            await error.WriteLineAsync($"bad row {bad.File}:{bad.Line}: {bad.Reason}").ConfigureAwait(false);
        }

        if (result.BadRows > result.BadRowExamples.Count)
        {
            await error.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"… {result.BadRows - result.BadRowExamples.Count:N0} more bad row(s)")).ConfigureAwait(false);
        }

        if (result.BadRowsReport is not null)
        {
            await error.WriteLineAsync($"every bad row: {result.BadRowsReport}").ConfigureAwait(false);
        }

        if (result.Written.Conflicting > 0)
        {
            await error.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                $"{result.Written.Conflicting:N0} row(s) conflict with different values already stored for their open time: not written (the first write wins)")).ConfigureAwait(false);
        }

        var rate = result.Elapsed.TotalSeconds > 0 ? result.Rows / result.Elapsed.TotalSeconds : 0;
        await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
            $"{(result.Interrupted ? "Interrupted: " : "")}{result.Files.Count} input(s), {result.Rows:N0} rows in {result.Elapsed.TotalSeconds:F2} s ({rate:N0} rows/s): {result.Written.Added:N0} added, {result.Written.Unchanged:N0} unchanged, {result.Written.Conflicting:N0} conflicting, {result.BadRows:N0} bad, {result.FailedInputs} input(s) failed"))
            .ConfigureAwait(false);
    }
}
