using System.Diagnostics;

namespace Lambda.Testing;

/// <summary>Waiting for something to become true, with a deadline, instead of sleeping a fixed time.</summary>
public static class Deadline
{
    /// <summary>Polls <paramref name="holds"/> every <paramref name="poll"/> (20 ms) until it is true; throws naming <paramref name="what"/> after <paramref name="within"/>.</summary>
    public static Task WaitUntilAsync(Func<bool> holds, TimeSpan within, string what, TimeSpan? poll = null) =>
        WaitUntilAsync(() => Task.FromResult(holds()), within, what, poll);

    /// <summary>The same for a condition that has to ask something asynchronously (a browser, a server).</summary>
    public static async Task WaitUntilAsync(Func<Task<bool>> holds, TimeSpan within, string what, TimeSpan? poll = null)
    {
        var clock = Stopwatch.StartNew();
        while (!await holds().ConfigureAwait(false))
        {
            if (clock.Elapsed > within)
            {
                throw new TimeoutException($"waited {within.TotalSeconds:0.#} s for {what}");
            }

            await Task.Delay(poll ?? TimeSpan.FromMilliseconds(20)).ConfigureAwait(false);
        }
    }
}
