using System.Diagnostics;
using System.Globalization;
using Spectre.Console;

namespace Lambda.Core.Progress;

/// <summary>
/// Shows how far a long piece of work is: a live progress bar when the output is an interactive
/// terminal, otherwise a line every <see cref="LineEvery"/> (logs and CI keep a readable record).
/// <see cref="Report"/> is cheap enough to call for every item; drawing happens on its own schedule.
/// </summary>
public sealed class ProgressDisplay : IAsyncDisposable
{
    /// <summary>How often a non-interactive output gets a progress line.</summary>
    public static readonly TimeSpan LineEvery = TimeSpan.FromSeconds(3);

    private readonly string _description;
    private readonly string _unit;
    private readonly string _itemUnit;
    private readonly TextWriter? _lines;
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _drawing;
    private long _done;
    private long _total;
    private long _items;
    private string? _detail;

    private ProgressDisplay(string description, long total, string unit, string itemUnit, TextWriter output, bool interactive)
    {
        _description = description;
        _unit = unit;
        _itemUnit = itemUnit;
        _total = total;
        _lines = interactive ? null : output;
        _drawing = interactive ? DrawBarAsync(_stop.Token) : WriteLinesAsync(_stop.Token);
    }

    /// <summary>Starts showing progress on <paramref name="output"/>.</summary>
    /// <param name="total">The amount of work in <paramref name="unit"/>s; 0 when not known yet (<see cref="SetTotal"/>).</param>
    /// <param name="unit">What <see cref="Report"/>'s amounts count: bytes, rows, files.</param>
    /// <param name="itemUnit">What <see cref="Report"/>'s items are: events, rows, pages.</param>
    public static ProgressDisplay Start(string description, long total, string unit, TextWriter output, string itemUnit = "items") =>
        new(description, total, unit, itemUnit, output, IsInteractive(output));

    /// <summary>
    /// Runs <paramref name="work"/> off the caller's thread and shows the <paramref name="progress"/> it
    /// reports (steps against their total, rows, the current thing) until it ends.
    /// </summary>
    public static async Task<T> RunAsync<T>(TextWriter output, string title, WorkProgress progress, Func<Task<T>> work)
    {
        ArgumentNullException.ThrowIfNull(progress);
        var display = Start(title, progress.TotalSteps, progress.StepName, output, "rows");
        await using (display.ConfigureAwait(false))
        {
            var running = Task.Run(work);
            while (await Task.WhenAny(running, Task.Delay(TimeSpan.FromMilliseconds(100))).ConfigureAwait(false) != running)
            {
                Show(display, progress);
            }

            Show(display, progress);
            return await running.ConfigureAwait(false);
        }
    }

    private static void Show(ProgressDisplay display, WorkProgress progress)
    {
        display.SetTotal(progress.TotalSteps);
        display.Report(progress.Steps, progress.Rows, progress.Current);
    }

    /// <summary>True when <paramref name="output"/> is the console of a terminal a bar can be drawn on.</summary>
    public static bool IsInteractive(TextWriter output) =>
        ReferenceEquals(output, Console.Out) && !Console.IsOutputRedirected && AnsiConsole.Profile.Capabilities.Interactive;

    public long Done => Interlocked.Read(ref _done);

    public long Total => Interlocked.Read(ref _total);

    public void SetTotal(long total) => Interlocked.Exchange(ref _total, total);

    /// <summary>Records how far the work is: <paramref name="done"/> of the total, <paramref name="items"/> things handled so far.</summary>
    /// <param name="detail">A short note shown beside the figures (the current file, say).</param>
    public void Report(long done, long items, string? detail = null)
    {
        Interlocked.Exchange(ref _done, done);
        Interlocked.Exchange(ref _items, items);
        if (!string.IsNullOrEmpty(detail))
        {
            Volatile.Write(ref _detail, detail);
        }
    }

    /// <summary>Stops drawing; a non-interactive output gets a last line.</summary>
    public async ValueTask DisposeAsync()
    {
        if (_stop.IsCancellationRequested)
        {
            return;
        }

        await _stop.CancelAsync().ConfigureAwait(false);
        try
        {
            await _drawing.ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // The drawing loop ends by cancellation.
        }

        if (_lines is not null)
        {
            await _lines.WriteLineAsync(Line()).ConfigureAwait(false);
        }

        _stop.Dispose();
    }

    /// <summary>The text of one progress line: percentage (when the total is known), amounts, rate, detail.</summary>
    public string Line()
    {
        var done = Done;
        var total = Total;
        var items = Interlocked.Read(ref _items);
        var seconds = Math.Max(_clock.Elapsed.TotalSeconds, 1e-3);
        var share = total > 0 ? string.Create(CultureInfo.InvariantCulture, $"{Math.Min(100.0, 100.0 * done / total),5:F1} % ") : "";
        var amounts = total > 0
            ? string.Create(CultureInfo.InvariantCulture, $"{done:N0} of {total:N0} {_unit}")
            : string.Create(CultureInfo.InvariantCulture, $"{done:N0} {_unit}");
        var detail = Volatile.Read(ref _detail);
        return string.Create(CultureInfo.InvariantCulture,
            $"  … {_description}: {share}{amounts}, {items:N0} {_itemUnit} in {seconds:F1} s ({items / seconds:N0}/s){(detail is null ? "" : ", " + detail)}");
    }

    private async Task WriteLinesAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            await Task.Delay(LineEvery, cancellationToken).ConfigureAwait(false);
            await _lines!.WriteLineAsync(Line()).ConfigureAwait(false);
        }
    }

    private Task DrawBarAsync(CancellationToken cancellationToken) =>
        AnsiConsole.Progress()
            .AutoClear(false)
            .HideCompleted(false)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn(), new RemainingTimeColumn())
            .StartAsync(async context =>
            {
                var task = context.AddTask(Markup.Escape(_description), maxValue: Math.Max(1, Total));
                try
                {
                    while (!cancellationToken.IsCancellationRequested)
                    {
                        Update(task);
                        await Task.Delay(TimeSpan.FromMilliseconds(100), cancellationToken).ConfigureAwait(false);
                    }
                }
                catch (OperationCanceledException)
                {
                    // Finished: draw the final state below.
                }

                Update(task);
                task.StopTask();
            });

    private void Update(ProgressTask task)
    {
        var total = Total;
        if (total > 0)
        {
            task.MaxValue = total;
        }

        task.Value = Math.Min(Done, task.MaxValue);
        var detail = Volatile.Read(ref _detail);
        task.Description = Markup.Escape(string.Create(CultureInfo.InvariantCulture, $"{_description} ({Interlocked.Read(ref _items):N0} {_itemUnit}{(detail is null ? "" : ", " + detail)})"));
    }
}
