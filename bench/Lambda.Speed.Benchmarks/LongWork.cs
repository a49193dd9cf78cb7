using System.Diagnostics;
using System.Globalization;
using Spectre.Console;

namespace Lambda.Speed.Benchmarks;

/// <summary>
/// Shows the progress of untimed preparation (generating the data set, loading Kafka): a Spectre.Console
/// progress bar on a terminal, a log line every few seconds otherwise.
/// </summary>
public static class LongWork
{
    private static readonly TimeSpan LineEvery = TimeSpan.FromSeconds(5);

    /// <param name="work">Does the work, calling its argument with how many of <paramref name="total"/> are done.</param>
    public static async Task RunAsync(string description, long total, Func<Action<long>, Task> work)
    {
        if (AnsiConsole.Profile.Capabilities.Interactive && !Console.IsOutputRedirected)
        {
            await AnsiConsole.Progress()
                .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn(), new RemainingTimeColumn())
                .StartAsync(async context =>
                {
                    var task = context.AddTask(Markup.Escape(description), maxValue: total);
                    await work(done => task.Value = done).ConfigureAwait(false);
                    task.Value = total;
                }).ConfigureAwait(false);
            return;
        }

        var clock = Stopwatch.StartNew();
        var next = LineEvery;
        await work(done =>
        {
            if (clock.Elapsed < next)
            {
                return;
            }

            next = clock.Elapsed + LineEvery;
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  … {description}: {done:N0} of {total:N0} ({100.0 * done / total:F0} %), {clock.Elapsed.TotalSeconds:F0} s"));
        }).ConfigureAwait(false);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  … {description}: done in {clock.Elapsed.TotalSeconds:F1} s"));
    }
}
