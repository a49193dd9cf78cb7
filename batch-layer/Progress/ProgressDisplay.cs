using System.Diagnostics;
using System.Globalization;
using Spectre.Console;

namespace Lambda.BatchLayer.Progress;

/// <summary>
/// Shows a <see cref="WorkProgress"/> while its work runs: a Spectre.Console progress bar when the
/// output is an interactive terminal, otherwise a line every few seconds (logs, pipes, tests).
/// </summary>
public static class ProgressDisplay
{
    public static readonly TimeSpan LineEvery = TimeSpan.FromSeconds(3);

    public static async Task<T> RunAsync<T>(TextWriter output, string title, WorkProgress progress, Func<Task<T>> work)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(progress);
        ArgumentNullException.ThrowIfNull(work);
        var interactive = ReferenceEquals(output, Console.Out) && !Console.IsOutputRedirected && AnsiConsole.Profile.Capabilities.Interactive;
        var running = Task.Run(work);
        if (interactive)
        {
            await ShowBarAsync(title, progress, running).ConfigureAwait(false);
        }
        else
        {
            await ShowLinesAsync(output, title, progress, running).ConfigureAwait(false);
        }

        return await running.ConfigureAwait(false);
    }

    private static Task ShowBarAsync(string title, WorkProgress progress, Task running) =>
        AnsiConsole.Progress()
            .AutoClear(false)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn(), new SpinnerColumn())
            .StartAsync(async context =>
            {
                var bar = context.AddTask(title, maxValue: Math.Max(1, progress.TotalSteps));
                var clock = Stopwatch.StartNew();
                while (true)
                {
                    var finished = await Task.WhenAny(running, Task.Delay(200)).ConfigureAwait(false) == running;
                    bar.Value = progress.Steps;
                    bar.Description = Markup.Escape(Describe(title, progress, clock.Elapsed));
                    if (finished)
                    {
                        return;
                    }
                }
            });

    private static async Task ShowLinesAsync(TextWriter output, string title, WorkProgress progress, Task running)
    {
        var clock = Stopwatch.StartNew();
        while (await Task.WhenAny(running, Task.Delay(LineEvery)).ConfigureAwait(false) != running)
        {
            await output.WriteLineAsync($"  … {Describe(title, progress, clock.Elapsed)}").ConfigureAwait(false);
        }
    }

    private static string Describe(string title, WorkProgress progress, TimeSpan elapsed)
    {
        var rate = elapsed.TotalSeconds > 0 ? progress.Rows / elapsed.TotalSeconds : 0;
        return string.Create(CultureInfo.InvariantCulture,
            $"{title}: {progress.Steps:N0}/{progress.TotalSteps:N0} {progress.StepName}, {progress.Rows:N0} rows ({rate:N0}/s) {progress.Current}");
    }
}
