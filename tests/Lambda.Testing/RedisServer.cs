using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Lambda.Testing;

/// <summary>
/// A real <c>redis-server</c> (Debian's package; <c>LAMBDA_REDIS_SERVER</c> names another binary) on
/// 127.0.0.1 and a free port, without persistence, for tests. It can be killed (SIGKILL, as a crash)
/// and started again on the same port, which is what a client must survive.
/// </summary>
public sealed class RedisServer : IAsyncDisposable
{
    public const string EnvironmentVariable = "LAMBDA_REDIS_SERVER";

    private static readonly TimeSpan StartDeadline = TimeSpan.FromSeconds(30);

    private readonly string _binary;
    private Process? _process;

    private RedisServer(string binary, int port)
    {
        _binary = binary;
        Port = port;
    }

    public int Port { get; }

    /// <summary><c>127.0.0.1:PORT</c>, as <c>--redis</c> takes it.</summary>
    public string Endpoint => string.Create(CultureInfo.InvariantCulture, $"127.0.0.1:{Port}");

    public bool IsRunning => _process is { HasExited: false };

    public static async Task<RedisServer> StartAsync(CancellationToken cancellationToken = default)
    {
        var server = new RedisServer(FindBinary(), FreePort());
        await server.RestartAsync(cancellationToken).ConfigureAwait(false);
        return server;
    }

    /// <summary>Starts the server (again) on the same port and returns once it answers PING.</summary>
    public async Task RestartAsync(CancellationToken cancellationToken = default)
    {
        if (IsRunning)
        {
            throw new InvalidOperationException("redis-server is running already");
        }

        var start = new ProcessStartInfo(_binary)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in (string[])["--port", Port.ToString(CultureInfo.InvariantCulture), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
                     "--daemonize", "no", "--protected-mode", "yes", "--dir", Path.GetTempPath(), "--loglevel", "warning"])
        {
            start.ArgumentList.Add(argument);
        }

        _process = Process.Start(start) ?? throw new InvalidOperationException($"{_binary} did not start");
        // Drained so a chatty server never blocks on a full pipe.
        _process.OutputDataReceived += (_, _) => { };
        _process.ErrorDataReceived += (_, _) => { };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();

        var deadline = Stopwatch.StartNew();
        while (!await AnswersPingAsync(cancellationToken).ConfigureAwait(false))
        {
            if (_process.HasExited || deadline.Elapsed > StartDeadline)
            {
                throw new InvalidOperationException($"redis-server on port {Port} did not answer PING (exit code {(_process.HasExited ? _process.ExitCode : "none: still running")})");
            }

            await Task.Delay(TimeSpan.FromMilliseconds(20), cancellationToken).ConfigureAwait(false); // poll interval, the deadline bounds it
        }
    }

    /// <summary>SIGKILL, as a crash: connected clients see their connection drop.</summary>
    public async Task KillAsync()
    {
        if (_process is { } process && !process.HasExited)
        {
            process.Kill();
            await process.WaitForExitAsync().ConfigureAwait(false);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await KillAsync().ConfigureAwait(false);
        _process?.Dispose();
    }

    private async Task<bool> AnswersPingAsync(CancellationToken cancellationToken)
    {
        try
        {
            using var client = new TcpClient();
            using var attempt = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            attempt.CancelAfter(TimeSpan.FromSeconds(2));
            await client.ConnectAsync(IPAddress.Loopback, Port, attempt.Token).ConfigureAwait(false);
            var stream = client.GetStream();
            await stream.WriteAsync("PING\r\n"u8.ToArray(), attempt.Token).ConfigureAwait(false);
            var buffer = new byte[16];
            var read = await stream.ReadAsync(buffer, attempt.Token).ConfigureAwait(false);
            return Encoding.ASCII.GetString(buffer, 0, read).StartsWith("+PONG", StringComparison.Ordinal);
        }
        catch (Exception e) when (e is SocketException or IOException or OperationCanceledException && !cancellationToken.IsCancellationRequested)
        {
            return false;
        }
    }

    private static string FindBinary()
    {
        var configured = Environment.GetEnvironmentVariable(EnvironmentVariable);
        if (!string.IsNullOrWhiteSpace(configured))
        {
            return configured;
        }

        var path = Environment.GetEnvironmentVariable("PATH") ?? "";
        return path.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
                   .Select(folder => Path.Combine(folder, "redis-server"))
                   .Concat(["/usr/bin/redis-server", "/usr/sbin/redis-server"])
                   .FirstOrDefault(File.Exists)
               ?? throw new InvalidOperationException("redis-server is not installed: run scripts/setup-system.sh (apt-get install -y redis-server)");
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
