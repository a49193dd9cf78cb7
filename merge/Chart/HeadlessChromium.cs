using System.Diagnostics;
using System.Globalization;

namespace Lambda.Merge.Chart;

/// <summary>What a headless Chromium run gave: its exit code, what it printed, and whether it ran out of time.</summary>
public sealed record ChromiumRun(int ExitCode, string Output, string Error, bool TimedOut)
{
    public bool Succeeded => ExitCode == 0 && !TimedOut;
}

/// <summary>
/// Headless Chromium (the Debian package <c>chromium</c>; <c>LAMBDA_CHROMIUM</c> names another
/// binary): renders a local page to a PNG, or prints its DOM after its scripts ran. A throwaway
/// profile per run, so runs do not share state or lock each other out; no sandbox, because CI runs
/// as root, where Chromium's sandbox refuses to start (the page is our own local file); and no
/// network (every host name resolves to nothing): the page must draw offline.
/// </summary>
public static class HeadlessChromium
{
    public const string EnvironmentVariable = "LAMBDA_CHROMIUM";
    public const string HowToInstall = "install Chromium (apt-get install -y chromium, or scripts/setup-system.sh) for the PNG";

    private static readonly string[] Names = ["chromium", "chromium-browser", "google-chrome", "google-chrome-stable"];

    /// <summary>The browser's path, or null when none is installed.</summary>
    public static string? Find()
    {
        var configured = Environment.GetEnvironmentVariable(EnvironmentVariable);
        if (!string.IsNullOrWhiteSpace(configured))
        {
            return File.Exists(configured) ? configured : null;
        }

        var path = Environment.GetEnvironmentVariable("PATH") ?? "";
        return path.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .SelectMany(folder => Names.Select(name => Path.Combine(folder, name)))
            .FirstOrDefault(File.Exists);
    }

    public static Task<ChromiumRun> ScreenshotAsync(string chromium, string htmlPath, string pngPath, int width, int height, TimeSpan timeout, CancellationToken cancellationToken) =>
        RunAsync(chromium, [$"--screenshot={Path.GetFullPath(pngPath)}", string.Create(CultureInfo.InvariantCulture, $"--window-size={width},{height}")], htmlPath, timeout, cancellationToken);

    public static Task<ChromiumRun> DumpDomAsync(string chromium, string htmlPath, TimeSpan timeout, CancellationToken cancellationToken) =>
        RunAsync(chromium, ["--dump-dom", "--window-size=1400,800"], htmlPath, timeout, cancellationToken);

    private static async Task<ChromiumRun> RunAsync(string chromium, IEnumerable<string> arguments, string htmlPath, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var profile = Directory.CreateTempSubdirectory("lambda-chromium-").FullName;
        try
        {
            var start = new ProcessStartInfo(chromium)
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            foreach (var argument in (string[])["--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars", "--no-first-run", "--no-default-browser-check",
                         "--disable-extensions", "--disable-dev-shm-usage", "--host-resolver-rules=MAP * ~NOTFOUND", "--virtual-time-budget=10000", $"--user-data-dir={profile}", .. arguments,
                         new Uri(Path.GetFullPath(htmlPath)).AbsoluteUri])
            {
                start.ArgumentList.Add(argument);
            }

            using var process = Process.Start(start) ?? throw new InvalidOperationException($"{chromium} did not start");
            var output = process.StandardOutput.ReadToEndAsync(cancellationToken);
            var error = process.StandardError.ReadToEndAsync(cancellationToken);
            using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            deadline.CancelAfter(timeout);
            var timedOut = false;
            try
            {
                await process.WaitForExitAsync(deadline.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                // our own child: end it and its helper processes, then report (or pass on Ctrl+C)
                process.Kill(entireProcessTree: true);
                await process.WaitForExitAsync(CancellationToken.None).ConfigureAwait(false);
                cancellationToken.ThrowIfCancellationRequested();
                timedOut = true;
            }

            return new ChromiumRun(process.ExitCode, await output.ConfigureAwait(false), Tail(await error.ConfigureAwait(false)), timedOut);
        }
        finally
        {
            try
            {
                Directory.Delete(profile, recursive: true);
            }
            catch (IOException)
            {
                // a helper process may still hold a file for a moment: a temporary folder left behind is harmless
            }
        }
    }

    private static string Tail(string text)
    {
        var lines = text.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        return string.Join('\n', lines.Skip(Math.Max(0, lines.Length - 5)));
    }

    internal static string Describe(ChromiumRun run) =>
        run.TimedOut ? "timed out" : string.Create(CultureInfo.InvariantCulture, $"exit code {run.ExitCode}: {run.Error}");
}
