using System.Buffers;
using System.Collections.Concurrent;
using System.ComponentModel;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Lambda.Testing;

/// <summary>
/// DuckDB as a test oracle (Parquet, JSON lines, SQL): an in-memory DuckDB in a long-lived
/// <c>node</c> child process (the npm package <c>@duckdb/node-api</c>, installed by
/// <c>scripts/setup-duckdb.sh</c>), driven over a line protocol on stdin/stdout
/// (<c>duckdb-server.mjs</c>, embedded in this assembly).
/// </summary>
/// <remarks>
/// <para>Values come back as CLR values without loss: BOOLEAN <see cref="bool"/>, INTEGER <see cref="int"/>,
/// BIGINT <see cref="long"/>, FLOAT <see cref="float"/>, DOUBLE <see cref="double"/> (NaN, ±Infinity and -0.0
/// included), VARCHAR <see cref="string"/>, DATE <see cref="DateOnly"/>, TIMESTAMP, TIMESTAMP WITH TIME ZONE,
/// TIMESTAMP_S, TIMESTAMP_MS and TIMESTAMP_NS <see cref="DateTimeOffset"/> in UTC, NULL <see langword="null"/>.
/// Every other type (HUGEINT, DECIMAL, SMALLINT, BLOB, LIST, STRUCT…) comes back as DuckDB's text form.
/// A date or timestamp that .NET cannot hold exactly (outside the years 1 to 9999, ±infinity, or a
/// TIMESTAMP_NS with digits below 100 ns) also comes back as DuckDB's text form, never rounded.</para>
/// <para>Requests run one at a time, in order, on one connection; the database lives as long as the process.
/// Every request has a timeout (<see cref="RequestTimeout"/>); a request that times out or is cancelled is
/// interrupted in DuckDB. Disposing kills the process.</para>
/// </remarks>
public sealed class DuckDb : IAsyncDisposable
{
    /// <summary>The environment variable naming the node_modules folder that holds @duckdb/node-api.</summary>
    public const string NodeModulesVariable = "LAMBDA_DUCKDB_NODE_MODULES";

    private const string ServerResource = "Lambda.Testing.duckdb-server.mjs";
    private const int StderrKept = 8192;

    private readonly Process _process;
    private readonly ConcurrentDictionary<long, TaskCompletionSource<JsonDocument>> _pending = new();
    private readonly TaskCompletionSource<JsonDocument> _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly SemaphoreSlim _writeLock = new(1, 1);
    private readonly StringBuilder _stderr = new();
    private readonly Task _readLoop;
    private readonly Task _stderrLoop;
    private long _nextId;
    private volatile Exception? _failure;
    private int _disposed;

    private DuckDb(Process process)
    {
        _process = process;
        _readLoop = Task.Run(ReadLoopAsync);
        _stderrLoop = Task.Run(StderrLoopAsync);
    }

    /// <summary>How long one request may take before it is interrupted and fails with a <see cref="TimeoutException"/>.</summary>
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>The node process's id.</summary>
    public int ProcessId => _process.Id;

    /// <summary>DuckDB's version, e.g. <c>v1.5.6</c>.</summary>
    public string Version { get; private set; } = "";

    /// <summary>
    /// Where @duckdb/node-api is installed: <c>$LAMBDA_DUCKDB_NODE_MODULES</c>, else
    /// <c>${LAMBDA_CACHE:-$HOME/.cache/lambda}/duckdb-node/node_modules</c>.
    /// </summary>
    public static string NodeModulesFolder
    {
        get
        {
            var configured = Environment.GetEnvironmentVariable(NodeModulesVariable);
            if (!string.IsNullOrEmpty(configured))
            {
                return Path.GetFullPath(configured);
            }

            var cache = Environment.GetEnvironmentVariable("LAMBDA_CACHE");
            if (string.IsNullOrEmpty(cache))
            {
                cache = Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache", "lambda");
            }

            return Path.Combine(cache, "duckdb-node", "node_modules");
        }
    }

    /// <summary>Whether <see cref="NodeModulesFolder"/> holds @duckdb/node-api (tests can skip themselves when not).</summary>
    public static bool IsInstalled => File.Exists(Path.Combine(NodeModulesFolder, "@duckdb", "node-api", "package.json"));

    /// <summary>Starts node with an in-memory DuckDB and waits until it answers.</summary>
    /// <exception cref="InvalidOperationException">node or @duckdb/node-api is missing, or DuckDB did not start.</exception>
    public static Task<DuckDb> StartAsync(CancellationToken ct = default) => StartAsync(NodeModulesFolder, ct);

    /// <summary>Starts node with an in-memory DuckDB from the @duckdb/node-api in this node_modules folder.</summary>
    /// <exception cref="InvalidOperationException">node or @duckdb/node-api is missing, or DuckDB did not start.</exception>
    public static async Task<DuckDb> StartAsync(string nodeModules, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(nodeModules);
        nodeModules = Path.GetFullPath(nodeModules);
        if (!File.Exists(Path.Combine(nodeModules, "@duckdb", "node-api", "package.json")))
        {
            throw new InvalidOperationException(
                $"DuckDB for the tests (@duckdb/node-api) is not installed in {nodeModules}. " +
                $"Run scripts/setup-duckdb.sh, which installs it and prints the folder, or point {NodeModulesVariable} at a node_modules folder that holds it.");
        }

        var start = new ProcessStartInfo("node")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            StandardOutputEncoding = new UTF8Encoding(false),
            StandardErrorEncoding = new UTF8Encoding(false),
            StandardInputEncoding = new UTF8Encoding(false),
        };
        start.ArgumentList.Add("--input-type=module");
        start.ArgumentList.Add("--eval");
        start.ArgumentList.Add(ServerScript());
        start.Environment[NodeModulesVariable] = nodeModules;

        Process process;
        try
        {
            process = Process.Start(start) ?? throw new InvalidOperationException("node did not start");
        }
        catch (Win32Exception e)
        {
            throw new InvalidOperationException(
                "node (Node.js 18 or later) is needed to run DuckDB for the tests, and it is not on the PATH: " +
                "install it (apt-get install -y nodejs npm), then run scripts/setup-duckdb.sh.", e);
        }

        var db = new DuckDb(process);
        try
        {
            using var ready = await db._ready.Task.WaitAsync(db.RequestTimeout, ct).ConfigureAwait(false);
            db.Version = ready.RootElement.GetProperty("version").GetString() ?? "";
            return db;
        }
        catch (Exception e)
        {
            await db.DisposeAsync().ConfigureAwait(false);
            if (e is OperationCanceledException)
            {
                throw;
            }

            // A process that exited says so with its stderr already; one that hangs has not been asked yet.
            var detail = e is TimeoutException ? e.Message + "\n" + db.StderrTail() : e.Message;
            throw new InvalidOperationException($"DuckDB (node, {nodeModules}) did not start: {detail}", e);
        }
    }

    /// <summary>Runs statements that return no rows (CREATE TABLE, INSERT, COPY … TO …); several may be separated by ';'.</summary>
    /// <exception cref="DuckDbException">DuckDB refused or failed the SQL.</exception>
    /// <exception cref="TimeoutException">It took longer than <see cref="RequestTimeout"/>.</exception>
    public async Task ExecuteAsync(string sql, CancellationToken ct = default)
    {
        using var response = await SendAsync("execute", sql, ct).ConfigureAwait(false);
    }

    /// <summary>Runs a query and returns all its rows.</summary>
    /// <exception cref="DuckDbException">DuckDB refused or failed the SQL.</exception>
    /// <exception cref="TimeoutException">It took longer than <see cref="RequestTimeout"/>.</exception>
    public async Task<DuckDbResult> QueryAsync(string sql, CancellationToken ct = default)
    {
        using var response = await SendAsync("query", sql, ct).ConfigureAwait(false);
        return ReadResult(response.RootElement, sql);
    }

    /// <summary>A SQL string literal: <c>it's</c> → <c>'it''s'</c>. For file paths in COPY and read_parquet.</summary>
    public static string Literal(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return "'" + text.Replace("'", "''", StringComparison.Ordinal) + "'";
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        Fail(new ObjectDisposedException(nameof(DuckDb)));
        try
        {
            _process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
            // It has exited already.
        }

        using (var wait = new CancellationTokenSource(TimeSpan.FromSeconds(10)))
        {
            try
            {
                await _process.WaitForExitAsync(wait.Token).ConfigureAwait(false);
                await Task.WhenAll(_readLoop, _stderrLoop).WaitAsync(wait.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                // Killed, but the pipes did not close in time: nothing more to wait for.
            }
        }

        _process.Dispose();
        _writeLock.Dispose();
    }

    private static string ServerScript()
    {
        using var stream = typeof(DuckDb).Assembly.GetManifestResourceStream(ServerResource)
            ?? throw new InvalidOperationException($"resource {ServerResource} is missing from {typeof(DuckDb).Assembly.GetName().Name}");
        using var reader = new StreamReader(stream, Encoding.UTF8);
        return reader.ReadToEnd();
    }

    private async Task<JsonDocument> SendAsync(string mode, string sql, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(sql);
        ObjectDisposedException.ThrowIf(_disposed != 0, this);
        ThrowIfFailed();

        var id = Interlocked.Increment(ref _nextId);
        var answer = new TaskCompletionSource<JsonDocument>(TaskCreationOptions.RunContinuationsAsynchronously);
        _pending[id] = answer;
        var timeout = RequestTimeout;
        try
        {
            await WriteAsync(writer =>
            {
                writer.WriteNumber("id", id);
                writer.WriteString("mode", mode);
                writer.WriteString("sql", sql);
            }, ct).ConfigureAwait(false);

            // A failure after the request was written (the process died) reaches the answer too.
            ThrowIfFailed();
            JsonDocument response;
            try
            {
                response = await answer.Task.WaitAsync(timeout, ct).ConfigureAwait(false);
            }
            catch (TimeoutException)
            {
                await CancelAsync(id).ConfigureAwait(false);
                throw new TimeoutException($"DuckDB did not answer within {timeout.TotalSeconds:0.###} s; the request was interrupted.\nSQL: {sql}");
            }
            catch (OperationCanceledException)
            {
                await CancelAsync(id).ConfigureAwait(false);
                throw;
            }

            if (response.RootElement.TryGetProperty("error", out var error))
            {
                var message = error.GetString() ?? "";
                response.Dispose();
                throw new DuckDbException(message, sql);
            }

            return response;
        }
        catch (IOException e)
        {
            // Writing the request failed: the process has gone (why is in its failure, once the read loop saw it go).
            await Task.WhenAny(_readLoop, Task.Delay(1000, CancellationToken.None)).ConfigureAwait(false);
            throw new InvalidOperationException($"DuckDB's node process is gone: {_failure?.Message ?? e.Message}\nSQL: {sql}", e);
        }
        finally
        {
            _pending.TryRemove(id, out _);
        }
    }

    private async Task CancelAsync(long id)
    {
        try
        {
            await WriteAsync(writer => writer.WriteNumber("cancel", id), CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException or InvalidOperationException)
        {
            // The process is gone: nothing left to interrupt.
        }
    }

    private async Task WriteAsync(Action<Utf8JsonWriter> body, CancellationToken ct)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            body(writer);
            writer.WriteEndObject();
        }

        buffer.Write("\n"u8);
        await _writeLock.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            var stdin = _process.StandardInput.BaseStream;
            await stdin.WriteAsync(buffer.WrittenMemory, ct).ConfigureAwait(false);
            await stdin.FlushAsync(ct).ConfigureAwait(false);
        }
        finally
        {
            _writeLock.Release();
        }
    }

    private async Task ReadLoopAsync()
    {
        var stdout = _process.StandardOutput;
        try
        {
            while (await stdout.ReadLineAsync().ConfigureAwait(false) is { } line)
            {
                JsonDocument document;
                try
                {
                    document = JsonDocument.Parse(line);
                }
                catch (JsonException)
                {
                    AppendStderr("stdout, not JSON: " + line + "\n");
                    continue;
                }

                var root = document.RootElement;
                if (root.TryGetProperty("ready", out _))
                {
                    _ready.TrySetResult(document);
                }
                else if (root.TryGetProperty("id", out var id) && _pending.TryGetValue(id.GetInt64(), out var answer))
                {
                    answer.TrySetResult(document);
                }
                else
                {
                    document.Dispose(); // the answer to a request that timed out or was cancelled
                }
            }

            await _process.WaitForExitAsync().ConfigureAwait(false);
            var code = _process.ExitCode;
            await Task.WhenAny(_stderrLoop, Task.Delay(1000)).ConfigureAwait(false);
            Fail(new InvalidOperationException($"DuckDB's node process exited with code {code}.\n{StderrTail()}"));
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException or InvalidOperationException)
        {
            Fail(new InvalidOperationException($"DuckDB's node process stopped answering: {e.Message}\n{StderrTail()}", e));
        }
    }

    private async Task StderrLoopAsync()
    {
        try
        {
            var buffer = new char[4096];
            int read;
            while ((read = await _process.StandardError.ReadAsync(buffer).ConfigureAwait(false)) > 0)
            {
                AppendStderr(new string(buffer, 0, read));
            }
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException or InvalidOperationException)
        {
            // The process is gone.
        }
    }

    private void AppendStderr(string text)
    {
        lock (_stderr)
        {
            _stderr.Append(text);
            if (_stderr.Length > StderrKept)
            {
                _stderr.Remove(0, _stderr.Length - StderrKept);
            }
        }
    }

    private string StderrTail()
    {
        lock (_stderr)
        {
            return _stderr.Length == 0 ? "(node wrote nothing to stderr)" : "node's stderr:\n" + _stderr.ToString().TrimEnd();
        }
    }

    private void Fail(Exception failure)
    {
        _failure ??= failure;
        _ready.TrySetException(failure);
        foreach (var (_, answer) in _pending)
        {
            answer.TrySetException(failure);
        }
    }

    private void ThrowIfFailed()
    {
        if (_failure is { } failure)
        {
            throw failure is ObjectDisposedException ? new ObjectDisposedException(nameof(DuckDb)) : new InvalidOperationException(failure.Message, failure);
        }
    }

    private static DuckDbResult ReadResult(JsonElement root, string sql)
    {
        var columns = root.GetProperty("columns").EnumerateArray().Select(c => c.GetString() ?? "").ToArray();
        var types = root.GetProperty("types").EnumerateArray().Select(t => t.GetString() ?? "").ToArray();
        var kinds = root.GetProperty("kinds").EnumerateArray().Select(k => k.GetString() ?? "text").ToArray();
        var rows = new List<IReadOnlyList<object?>>();
        foreach (var row in root.GetProperty("rows").EnumerateArray())
        {
            var values = new object?[kinds.Length];
            var i = 0;
            foreach (var value in row.EnumerateArray())
            {
                try
                {
                    values[i] = Decode(kinds[i], value);
                }
                catch (Exception e) when (e is FormatException or InvalidOperationException or OverflowException or ArgumentOutOfRangeException)
                {
                    throw new DuckDbException($"cannot read {types[i]} value {value.GetRawText()} of column {columns[i]}: {e.Message}", sql);
                }

                i++;
            }

            rows.Add(values);
        }

        return new DuckDbResult(columns, types, rows);
    }

    private static readonly DateTimeOffset Epoch = DateTimeOffset.UnixEpoch;
    private static readonly int EpochDayNumber = DateOnly.FromDateTime(DateTime.UnixEpoch).DayNumber;

    private static object? Decode(string kind, JsonElement value)
    {
        if (value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        // A date or timestamp that .NET cannot hold exactly: DuckDB's text form.
        if (value.ValueKind == JsonValueKind.Object)
        {
            return value.GetProperty("text").GetString();
        }

        return kind switch
        {
            "bool" => value.GetBoolean(),
            "int" => value.GetInt32(),
            "long" => long.Parse(value.GetString()!, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture),
            "double" => ParseDouble(value.GetString()!),
            "float" => (float)ParseDouble(value.GetString()!),
            "string" or "text" => value.GetString(),
            "date" => DateOnly.FromDayNumber(EpochDayNumber + value.GetInt32()),
            "ts_s" => Epoch.AddTicks(checked(ParseLong(value) * TimeSpan.TicksPerSecond)),
            "ts_ms" => Epoch.AddTicks(checked(ParseLong(value) * TimeSpan.TicksPerMillisecond)),
            "ts_us" => Epoch.AddTicks(checked(ParseLong(value) * TimeSpan.TicksPerMicrosecond)),
            "ts_ns" => Epoch.AddTicks(ParseLong(value) / TimeSpan.NanosecondsPerTick),
            _ => value.ValueKind == JsonValueKind.String ? value.GetString() : value.GetRawText(),
        };
    }

    private static long ParseLong(JsonElement value) =>
        long.Parse(value.GetString()!, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);

    private static double ParseDouble(string text) => text switch
    {
        "NaN" => double.NaN,
        "Infinity" => double.PositiveInfinity,
        "-Infinity" => double.NegativeInfinity,
        // JavaScript's shortest round-trip form ("0.1", "-0", "5e-324", "1.7976931348623157e+308") parses back exactly.
        _ => double.Parse(text, NumberStyles.Float, CultureInfo.InvariantCulture),
    };
}

/// <summary>A query's result: column names, DuckDB's type names (e.g. <c>BIGINT</c>, <c>TIMESTAMP WITH TIME ZONE</c>), and the rows.</summary>
public sealed record DuckDbResult(IReadOnlyList<string> Columns, IReadOnlyList<string> Types, IReadOnlyList<IReadOnlyList<object?>> Rows)
{
    /// <summary>The index of a column by name (exact match).</summary>
    public int IndexOf(string column)
    {
        for (var i = 0; i < Columns.Count; i++)
        {
            if (Columns[i] == column)
            {
                return i;
            }
        }

        throw new ArgumentException($"no column {column} in ({string.Join(", ", Columns)})", nameof(column));
    }

    /// <summary>One column's values, in row order.</summary>
    public IReadOnlyList<object?> Column(string column)
    {
        var index = IndexOf(column);
        return Rows.Select(row => row[index]).ToArray();
    }

    /// <summary>The value of a one-row, one-column result.</summary>
    public object? Scalar() => Rows.Count == 1 && Columns.Count == 1
        ? Rows[0][0]
        : throw new InvalidOperationException($"expected one row and one column, got {Rows.Count} rows and {Columns.Count} columns");
}

/// <summary>DuckDB refused or failed a statement; <see cref="Exception.Message"/> holds DuckDB's message and the SQL.</summary>
public sealed class DuckDbException : Exception
{
    public DuckDbException(string duckDbMessage, string sql)
        : base($"{duckDbMessage}\nSQL: {sql}")
    {
        DuckDbMessage = duckDbMessage;
        Sql = sql;
    }

    public DuckDbException()
        : this("", "")
    {
    }

    public DuckDbException(string message)
        : base(message)
    {
        DuckDbMessage = message;
        Sql = "";
    }

    public DuckDbException(string message, Exception inner)
        : base(message, inner)
    {
        DuckDbMessage = message;
        Sql = "";
    }

    /// <summary>DuckDB's own message, e.g. <c>Parser Error: syntax error at or near "SELEC"</c>.</summary>
    public string DuckDbMessage { get; } = "";

    /// <summary>The SQL that failed.</summary>
    public string Sql { get; } = "";
}
