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
        // A free port can be taken between asking for it and binding it (test assemblies run side by side,
        // each starting servers): then another attempt on another port.
        for (var attempt = 1; ; attempt++)
        {
            var server = new RedisServer(FindBinary(), LocalPorts.Free());
            try
            {
                await server.RestartAsync(cancellationToken).ConfigureAwait(false);
                return server;
            }
            catch (PortTakenException) when (attempt < 5)
            {
                await server.DisposeAsync().ConfigureAwait(false);
            }
        }
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
        while (true)
        {
            var answering = await AnsweringProcessAsync(cancellationToken).ConfigureAwait(false);
            if (answering == _process.Id)
            {
                return;
            }

            // Another server on this port answers (ours could not bind it): its clients and ours would mix, and
            // its owner may kill it under us. The answering process id is what tells the two apart.
            if (answering is { } other)
            {
                await KillAsync().ConfigureAwait(false);
                throw new PortTakenException($"port {Port} is served by another redis-server (pid {other})");
            }

            if (_process.HasExited || deadline.Elapsed > StartDeadline)
            {
                throw new InvalidOperationException($"redis-server on port {Port} did not answer (exit code {(_process.HasExited ? _process.ExitCode : "none: still running")})");
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

    /// <summary>The process id of the redis-server answering on the port (its <c>INFO server</c>), or null when none answers yet.</summary>
    private async Task<int?> AnsweringProcessAsync(CancellationToken cancellationToken)
    {
        try
        {
            using var client = new TcpClient();
            using var attempt = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            attempt.CancelAfter(TimeSpan.FromSeconds(2));
            await client.ConnectAsync(IPAddress.Loopback, Port, attempt.Token).ConfigureAwait(false);
            var stream = client.GetStream();
            await stream.WriteAsync("INFO server\r\n"u8.ToArray(), attempt.Token).ConfigureAwait(false);
            const string key = "\r\nprocess_id:";
            var text = "";
            var buffer = new byte[4096];
            int start;
            while ((start = text.IndexOf(key, StringComparison.Ordinal)) < 0 || text.IndexOf('\r', start + key.Length) < 0)
            {
                var read = await stream.ReadAsync(buffer, attempt.Token).ConfigureAwait(false);
                if (read == 0 || (text += Encoding.ASCII.GetString(buffer, 0, read)).StartsWith('-'))
                {
                    return null; // closed, or an error such as LOADING: not ready yet
                }
            }

            start += key.Length;
            return int.Parse(text[start..text.IndexOf('\r', start)], CultureInfo.InvariantCulture);
        }
        catch (Exception e) when (e is SocketException or IOException or OperationCanceledException && !cancellationToken.IsCancellationRequested)
        {
            return null;
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
}

/// <summary>The port a <see cref="RedisServer"/> was given turned out to be another server's.</summary>
internal sealed class PortTakenException(string message) : Exception(message);
