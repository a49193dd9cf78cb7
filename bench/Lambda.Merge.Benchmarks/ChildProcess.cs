using System.Diagnostics;
using System.Globalization;

namespace Lambda.Merge.Benchmarks;

/// <summary>A finished child process: its wall time, its peak resident memory, what it printed.</summary>
internal sealed record ChildRun(int ExitCode, TimeSpan Elapsed, long PeakBytes, string Output, string Error);

/// <summary>Peak resident memory (VmHWM) of a running process, read from /proc.</summary>
internal static class PeakMemory
{
    public static long Of(int pid)
    {
        try
        {
            foreach (var line in File.ReadLines($"/proc/{pid}/status"))
            {
                if (line.StartsWith("VmHWM:", StringComparison.Ordinal))
                {
                    return long.Parse(line[6..].Trim().Split(' ')[0], CultureInfo.InvariantCulture) * 1024;
                }
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // the process has just exited
        }

        return 0;
    }

    /// <summary>Runs a program to its end, reading its VmHWM every 10 ms (the last reading before it exits is its peak, give or take the last 10 ms).</summary>
    public static async Task<ChildRun> RunAsync(string program, IEnumerable<string> arguments)
    {
        var start = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        var clock = Stopwatch.StartNew();
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        long peak = 0;
        while (!process.HasExited)
        {
            peak = Math.Max(peak, Of(process.Id));
            await Task.Delay(10);
        }

        clock.Stop();
        await process.WaitForExitAsync();
        return new ChildRun(process.ExitCode, clock.Elapsed, peak, await output, await error);
    }
}
