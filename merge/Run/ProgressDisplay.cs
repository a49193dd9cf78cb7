using System.Diagnostics;
using System.Globalization;
using Lambda.Merge.Serving;
using Spectre.Console;

namespace Lambda.Merge.Run;

/// <summary>
/// Shows a merge's progress: a Spectre.Console progress bar on a terminal, a line every few seconds
/// otherwise (redirected output, tests, CI logs).
/// </summary>
internal static class ProgressDisplay
{
    private static readonly TimeSpan LineEvery = TimeSpan.FromSeconds(3);

    public static async Task<T> RunAsync<T>(TextWriter output, Func<IProgress<MergeProgress>, Task<T>> work)
    {
        if (ReferenceEquals(output, Console.Out) && !Console.IsOutputRedirected && AnsiConsole.Profile.Capabilities.Interactive)
        {
            T result = default!;
            await AnsiConsole.Progress()
                .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn())
                .StartAsync(async context =>
                {
                    var task = context.AddTask("merging batch and speed views");
                    // The merge loop is synchronous: run it off this thread so the bar keeps drawing.
                    result = await Task.Run(() => work(new Progress(p =>
                    {
                        task.MaxValue = Math.Max(1, p.InputRows);
                        task.Value = p.Rows;
                    }))).ConfigureAwait(false);
                    task.Value = task.MaxValue;
                }).ConfigureAwait(false);
            return result;
        }

        var clock = Stopwatch.StartNew();
        var next = LineEvery;
        return await work(new Progress(p =>
        {
            if (clock.Elapsed < next)
            {
                return;
            }

            next = clock.Elapsed + LineEvery;
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  … {p.Rows:N0} serving rows written ({p.Rows / clock.Elapsed.TotalSeconds:N0}/s), of at most {p.InputRows:N0}"));
        })).ConfigureAwait(false);
    }

    private sealed class Progress(Action<MergeProgress> report) : IProgress<MergeProgress>
    {
        public MergeProgress Last { get; private set; }

        public void Report(MergeProgress value)
        {
            Last = value;
            report(value);
        }
    }
}
