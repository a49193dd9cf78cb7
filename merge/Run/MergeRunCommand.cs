using System.CommandLine;
using System.Globalization;
using Lambda.Core.CommandLine;
using Lambda.Core.Configuration;
using Lambda.Core.Progress;
using Lambda.Core.Telemetry;
using Lambda.Core.Views;
using Lambda.Merge.Metrics;
using Lambda.Merge.Reports;
using Lambda.Merge.Serving;
using Spectre.Console;

namespace Lambda.Merge.Run;

/// <summary>The action of <c>merge</c>: run a <see cref="MergeJob"/>, print the table and the summary, choose the exit code.</summary>
internal static class MergeRunCommand
{
    public static Option<double> Tolerance()
    {
        return new Option<double>("--tolerance")
        {
            Description = "Relative difference above which a field of a day both layers have is reported as inconsistent",
            DefaultValueFactory = _ => 1e-9,
        }.Accepts(value => value is >= 0 and < double.PositiveInfinity, "a finite number, zero or more (e.g. 1e-9)");
    }

    public static Option<int> Last()
    {
        return new Option<int>("--last") { Description = "Days per symbol shown in the table", DefaultValueFactory = _ => 10 }
            .Accepts(value => value >= 0, "a whole number, zero or more");
    }

    public static Option<bool> NoChart() => new("--no-chart") { Description = "Do not write reports/serving-chart.html and .png" };

    public static async Task<int> RunAsync(ParseResult parseResult, CancellationToken cancellationToken)
    {
        var output = parseResult.InvocationConfiguration.Output;
        var error = parseResult.InvocationConfiguration.Error;
        var options = new MergeOptions(
            parseResult.GetRequiredValue<DirectoryInfo>("--data-dir").FullName,
            parseResult.GetRequiredValue<double>("--tolerance"),
            parseResult.GetRequiredValue<int>("--last"),
            !parseResult.GetValue<bool>("--no-chart"));
        using var metrics = new MergeMetrics();
        using var telemetry = LambdaTelemetry.Start(LambdaConfiguration.Build([LambdaTelemetry.CommandLineOverride(parseResult.GetValue<string?>("--metrics"))]), "merge");
        await output.WriteLineAsync($"Merging {MergeJob.BatchViewPath} and {MergeJob.SpeedViewsPath}/**/*.parquet under {options.DataDirectory}").ConfigureAwait(false);
        MergeResult result;
        try
        {
            var progress = new WorkProgress("input rows at most", 0);
            result = await ProgressDisplay.RunAsync(output, "merging batch and speed views", progress, () => new MergeJob(options, progress).RunAsync(cancellationToken)).ConfigureAwait(false);
        }
        catch (MergeInputException e)
        {
            await error.WriteLineAsync($"merge: {e.Message}").ConfigureAwait(false);
            return e.Problem == MergeInputProblem.Missing ? MergeExitCodes.InputMissing : MergeExitCodes.InputUnreadable;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            await error.WriteLineAsync("Interrupted: the serving view was not replaced (its previous version, if any, is intact).").ConfigureAwait(false);
            return MergeExitCodes.Failed;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ParquetException)
        {
            await error.WriteLineAsync($"merge failed: {e.Message}").ConfigureAwait(false);
            return MergeExitCodes.Failed;
        }

        metrics.Merged(result);
        var console = Console(output);
        LastDaysTable.Write(console, result.LastDays);
        await WriteSummaryAsync(output, options, result).ConfigureAwait(false);
        return MergeExitCodes.Ok;
    }

    private static IAnsiConsole Console(TextWriter output)
    {
        var terminal = ReferenceEquals(output, System.Console.Out) && !System.Console.IsOutputRedirected;
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(output),
            Ansi = terminal ? AnsiSupport.Detect : AnsiSupport.No,
            ColorSystem = terminal ? ColorSystemSupport.Detect : ColorSystemSupport.NoColors,
        });
        if (!terminal)
        {
            console.Profile.Width = 160;
        }

        return console;
    }

    private static async Task WriteSummaryAsync(TextWriter output, MergeOptions options, MergeResult result)
    {
        string Line(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
        var speed = result.Speed;
        var lines = new List<string>
        {
            "",
            Line($"serving view    {result.Rows:N0} day(s) in {result.Coverage.Count} series: {result.FromBatch:N0} from batch, {result.FromSpeed:N0} from speed in {result.MergeTime.TotalSeconds:F2} s ({result.Rows / Math.Max(result.MergeTime.TotalSeconds, 1e-9):N0} rows/s)"),
            Line($"rules           {string.Join(", ", result.Rules.Select(r => $"{r.Key} {r.Value:N0}"))}"),
            Line($"batch           {result.BatchRows:N0} row(s), {result.BatchLineage}, horizon {result.Horizon?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) ?? "none (covers every day it has)"}"),
            Line($"speed           {speed.RowsRead:N0} row(s) in {speed.Files.Count(f => f.SkippedBecause is null)} file(s), {speed.Superseded:N0} superseded by a later row of the same day"),
        };
        lines.AddRange(speed.Files.Where(f => f.SkippedBecause is not null).Select(f => $"                skipped {f.RelativePath}: {f.SkippedBecause}"));
        if (speed.Files.Count == 0)
        {
            lines.Add("                no speed views: the serving view is the batch view");
        }

        var incomplete = result.Coverage.Sum(c => c.Incomplete);
        var missing = result.Coverage.Sum(c => c.Missing);
        var notCompared = result.Consistency.NotCompared > 0 ? Line($" ({result.Consistency.NotCompared} shared incomplete day(s) not compared)") : "";
        lines.Add($"consistency     {result.Consistency.Verdict}{notCompared}");
        lines.Add(Line($"coverage        {incomplete} incomplete day(s), {missing} missing day(s) between first and last days"));
        lines.Add($"written         {string.Join(", ", result.Written.Select(p => Path.GetRelativePath(options.DataDirectory, p)))}");
        if (result.Chart.HtmlPath is { } html)
        {
            lines.Add($"chart           {Path.GetRelativePath(options.DataDirectory, html)}" + (result.Chart.PngPath is { } png ? $", {Path.GetRelativePath(options.DataDirectory, png)}" : ""));
        }

        if (result.Chart.Note is { } note)
        {
            lines.Add($"chart           {note}");
        }

        foreach (var line in lines)
        {
            await output.WriteLineAsync(line).ConfigureAwait(false);
        }
    }
}
