using System.Diagnostics;
using System.Text;

namespace Lambda.Cli.Tests;

/// <summary>One of our executables (<c>speed-layer</c> unless told) in a child process, so that tests can signal it, SIGKILL it or run several.</summary>
internal sealed class LambdaProcess : IDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();

    private LambdaProcess(Process process) => _process = process;

    public static LambdaProcess Start(IEnumerable<string> arguments, IReadOnlyDictionary<string, string>? environment = null, string executable = "speed-layer")
    {
        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, executable + ".dll"));
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[key] = value;
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException(executable + " did not start");
        var child = new LambdaProcess(process);
        process.OutputDataReceived += (_, e) => child.Append(e.Data);
        process.ErrorDataReceived += (_, e) => child.Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return child;
    }

    public bool HasExited => _process.HasExited;

    public int ExitCode => _process.ExitCode;

    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    /// <summary>
    /// Waits (up to <paramref name="startTimeout"/>) until the job runs (its <c>Streaming</c> line), then lets it run for
    /// <paramref name="budget"/> or until it exits: a moment counted from the job's start, so that a slow start on a busy
    /// machine still leaves the job its time.
    /// </summary>
    public async Task RunJobForAsync(TimeSpan budget, TimeSpan startTimeout)
    {
        var started = Stopwatch.StartNew();
        while (!Output.Contains("Streaming", StringComparison.Ordinal) && !HasExited)
        {
            started.Elapsed.Should().BeLessThan(startTimeout);
            await Task.Delay(20);
        }

        var until = Stopwatch.StartNew();
        while (until.Elapsed < budget && !HasExited)
        {
            await Task.Delay(20);
        }
    }

    /// <summary>SIGSTOP: the process stops where it is (no heartbeat, no write) until <see cref="ThawAsync"/>.</summary>
    public Task FreezeAsync() => SignalAsync("STOP");

    /// <summary>SIGCONT: a frozen process carries on where it stopped.</summary>
    public Task ThawAsync() => SignalAsync("CONT");

    private async Task SignalAsync(string signal)
    {
        using var kill = Process.Start(new ProcessStartInfo("kill", $"-{signal} {_process.Id}") { UseShellExecute = false })!;
        await kill.WaitForExitAsync();
        kill.ExitCode.Should().Be(0, "kill -{0} {1}", signal, _process.Id);
    }

    /// <summary>SIGKILL: no chance to write anything more.</summary>
    public async Task KillAsync()
    {
        _process.Kill();
        await _process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(30));
    }

    /// <summary>Waits for the process to end by itself.</summary>
    public async Task<int> WaitForExitAsync(TimeSpan timeout)
    {
        await _process.WaitForExitAsync().WaitAsync(timeout);
        return _process.ExitCode;
    }

    /// <summary>SIGINT, as Ctrl+C: the process checkpoints, leaves its group and exits.</summary>
    public async Task<int> InterruptAsync(TimeSpan timeout)
    {
        using (var kill = Process.Start(new ProcessStartInfo("kill", $"-INT {_process.Id}") { UseShellExecute = false })!)
        {
            await kill.WaitForExitAsync();
        }

        await _process.WaitForExitAsync().WaitAsync(timeout);
        return _process.ExitCode;
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill();
            _process.WaitForExit();
        }

        _process.Dispose();
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_output)
        {
            _output.AppendLine(line);
        }
    }
}
