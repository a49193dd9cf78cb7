using System.Data;
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using DuckDB.NET.Data;

namespace Lambda.Testing;

/// <summary>
/// DuckDB as a test oracle (Parquet, JSON lines, SQL): an in-memory DuckDB in this process, through
/// DuckDB.NET. Its surface is kept small on purpose: SQL in, rows out (<see cref="QueryAsync"/>), and statements
/// such as <c>COPY … TO '….parquet'</c> (<see cref="ExecuteAsync"/>).
/// </summary>
/// <remarks>
/// <para>Values come back as CLR values without loss: BOOLEAN <see cref="bool"/>, INTEGER <see cref="int"/>,
/// BIGINT <see cref="long"/>, FLOAT <see cref="float"/>, DOUBLE <see cref="double"/> (NaN, ±Infinity and -0.0
/// included; every NaN as <see cref="double.NaN"/>), VARCHAR <see cref="string"/>, DATE <see cref="DateOnly"/>, TIMESTAMP, TIMESTAMP WITH TIME ZONE,
/// TIMESTAMP_S, TIMESTAMP_MS and TIMESTAMP_NS <see cref="DateTimeOffset"/> in UTC, NULL <see langword="null"/>.
/// Every other type (HUGEINT, DECIMAL, SMALLINT, BLOB, LIST, STRUCT…) comes back as DuckDB's text form, so
/// that a test compares what DuckDB means rather than how a driver maps it. A date or timestamp that .NET
/// cannot hold exactly (outside the years 1 to 9999, ±infinity, or a TIMESTAMP_NS with digits below 100 ns)
/// also comes back as DuckDB's text form, never rounded.</para>
/// <para>Requests run one at a time, in order, on one connection; the database lives until disposal, with
/// <c>TimeZone</c> set to UTC. Every request has a time limit (<see cref="RequestTimeout"/>); a request that
/// times out or is cancelled is interrupted inside DuckDB.</para>
/// </remarks>
public sealed partial class DuckDb : IAsyncDisposable
{
    private readonly DuckDBConnection _connection;
    private readonly SemaphoreSlim _turn = new(1, 1);
    private readonly CancellationTokenSource _disposing = new();
    private int _disposed;

    private DuckDb(DuckDBConnection connection) => _connection = connection;

    /// <summary>How long one request may take before it is interrupted and fails with a <see cref="TimeoutException"/>.</summary>
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>DuckDB's version, e.g. <c>v1.5.6</c>.</summary>
    public string Version { get; private set; } = "";

    /// <summary>Opens an in-memory DuckDB.</summary>
    public static async Task<DuckDb> StartAsync(CancellationToken ct = default)
    {
        var connection = new DuckDBConnection("DataSource=:memory:");
        var db = new DuckDb(connection);
        try
        {
            await connection.OpenAsync(ct).ConfigureAwait(false);
            await db.ExecuteAsync("SET TimeZone = 'UTC'", ct).ConfigureAwait(false);
            db.Version = (string)(await db.QueryAsync("SELECT version()", ct).ConfigureAwait(false)).Scalar()!;
            return db;
        }
        catch
        {
            await db.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>Runs statements that return no rows (CREATE TABLE, INSERT, COPY … TO …); several may be separated by ';'.</summary>
    /// <exception cref="DuckDbException">DuckDB refused or failed the SQL.</exception>
    /// <exception cref="TimeoutException">It took longer than <see cref="RequestTimeout"/>.</exception>
    public Task ExecuteAsync(string sql, CancellationToken ct = default) =>
        RunAsync(sql, (command, _) =>
        {
            command.CommandText = sql;
            command.ExecuteNonQuery();
            return true;
        }, ct);

    /// <summary>Runs a query and returns all its rows.</summary>
    /// <exception cref="DuckDbException">DuckDB refused or failed the SQL.</exception>
    /// <exception cref="TimeoutException">It took longer than <see cref="RequestTimeout"/>.</exception>
    public Task<DuckDbResult> QueryAsync(string sql, CancellationToken ct = default) =>
        RunAsync(sql, (command, cancel) => Query(command, sql, cancel), ct);

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

        // Interrupts what runs now; what waits for its turn sees the disposal and fails.
        await _disposing.CancelAsync().ConfigureAwait(false);
        await _turn.WaitAsync().ConfigureAwait(false);
        await _connection.DisposeAsync().ConfigureAwait(false);
        _disposing.Dispose();
    }

    private async Task<T> RunAsync<T>(string sql, Func<DuckDBCommand, CancellationToken, T> run, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(sql);
        ObjectDisposedException.ThrowIf(_disposed != 0, this);
        var timeout = RequestTimeout;
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(ct, _disposing.Token);
        await _turn.WaitAsync(limit.Token).ConfigureAwait(false);
        try
        {
            ObjectDisposedException.ThrowIf(_disposed != 0, this);
            limit.CancelAfter(timeout);
            using var command = _connection.CreateCommand();
            var work = Task.Run(() => run(command, limit.Token), CancellationToken.None);
            try
            {
                return await work.WaitAsync(limit.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (limit.IsCancellationRequested)
            {
                // DuckDB's interrupt stops the statement running now; one that was about to start is caught by the
                // next interrupt, so keep interrupting until the work has given up.
                while (!work.IsCompleted)
                {
                    command.Cancel();
                    await Task.WhenAny(work, Task.Delay(20, CancellationToken.None)).ConfigureAwait(false);
                }

                ObjectDisposedException.ThrowIf(_disposed != 0, this);
                ct.ThrowIfCancellationRequested();
                throw new TimeoutException($"DuckDB did not answer within {timeout.TotalSeconds:0.###} s; the request was interrupted.\nSQL: {sql}");
            }
            catch (DuckDBException e)
            {
                throw new DuckDbException(e.Message, sql);
            }
        }
        finally
        {
            _turn.Release();
        }
    }

    private static DuckDbResult Query(DuckDBCommand command, string sql, CancellationToken cancel)
    {
        // DuckDB's own type names come from DESCRIBE, which only binds the query. Statements it cannot
        // describe (PRAGMA, SHOW…) are read as they are, with the driver's names.
        var body = sql.TrimEnd().TrimEnd(';');
        List<(string Name, string Type)>? columns = null;
        try
        {
            command.CommandText = "DESCRIBE " + body;
            using var description = command.ExecuteReader();
            columns = [];
            while (description.Read())
            {
                columns.Add((description.GetString(0), description.GetString(1)));
            }
        }
        catch (DuckDBException)
        {
            columns = null;
        }

        cancel.ThrowIfCancellationRequested();
        if (columns is null)
        {
            command.CommandText = sql;
            using var plain = command.ExecuteReader();
            var names = Enumerable.Range(0, plain.FieldCount).Select(plain.GetName).ToArray();
            var types = Enumerable.Range(0, plain.FieldCount).Select(i => plain.GetDataTypeName(i).ToUpperInvariant()).ToArray();
            return new DuckDbResult(names, types, ReadRows(plain, types.Select(_ => Kind.Text).ToArray()));
        }

        // Positional references (#n) keep duplicate or odd column names harmless.
        var kinds = columns.Select(c => KindOf(c.Type)).ToArray();
        cancel.ThrowIfCancellationRequested();
        var projection = string.Join(", ", kinds.Select((kind, i) => kind.IsNative ? $"#{i + 1}" : $"CAST(#{i + 1} AS VARCHAR)"));
        command.CommandText = $"SELECT {projection} FROM (\n{body}\n) AS oracle_query";
        using var reader = command.ExecuteReader();
        return new DuckDbResult(columns.Select(c => c.Name).ToArray(), columns.Select(c => c.Type).ToArray(), ReadRows(reader, kinds));
    }

    private static List<IReadOnlyList<object?>> ReadRows(DuckDBDataReader reader, Kind[] kinds)
    {
        var rows = new List<IReadOnlyList<object?>>();
        while (reader.Read())
        {
            var values = new object?[kinds.Length];
            for (var i = 0; i < values.Length; i++)
            {
                values[i] = reader.IsDBNull(i) ? null : kinds[i].Read(reader, i);
            }

            rows.Add(values);
        }

        return rows;
    }

    private static Kind KindOf(string type) => type switch
    {
        "BOOLEAN" => Kind.Boolean,
        "INTEGER" => Kind.Integer,
        "BIGINT" => Kind.BigInt,
        "FLOAT" => Kind.Float,
        "DOUBLE" => Kind.Double,
        "VARCHAR" => Kind.Varchar,
        "DATE" => Kind.Date,
        "TIMESTAMP" or "TIMESTAMP WITH TIME ZONE" or "TIMESTAMP_S" or "TIMESTAMP_MS" or "TIMESTAMP_NS" => Kind.Timestamp,
        _ => Kind.Text,
    };

    /// <summary>How one column is read: natively for the types above, else as DuckDB's text (dates and timestamps as text, then parsed exactly).</summary>
    private sealed class Kind(bool isNative, Func<IDataRecord, int, object?> read)
    {
        public static readonly Kind Boolean = new(true, (r, i) => r.GetBoolean(i));
        public static readonly Kind Integer = new(true, (r, i) => r.GetInt32(i));
        public static readonly Kind BigInt = new(true, (r, i) => r.GetInt64(i));
        // A NaN comes back as .NET's NaN: SQL has one NaN, and neither its sign nor its payload means anything.
        public static readonly Kind Float = new(true, (r, i) => r.GetFloat(i) is var f && float.IsNaN(f) ? float.NaN : f);
        public static readonly Kind Double = new(true, (r, i) => r.GetDouble(i) is var d && double.IsNaN(d) ? double.NaN : d);
        public static readonly Kind Varchar = new(true, (r, i) => r.GetString(i));
        public static readonly Kind Date = new(false, (r, i) => ParseDate(r.GetString(i)));
        public static readonly Kind Timestamp = new(false, (r, i) => ParseTimestamp(r.GetString(i)));
        public static readonly Kind Text = new(false, (r, i) => r.GetValue(i) is string s ? s : Convert.ToString(r.GetValue(i), CultureInfo.InvariantCulture));

        public bool IsNative { get; } = isNative;

        public object? Read(IDataRecord record, int ordinal) => read(record, ordinal);
    }

    private static object ParseDate(string text) =>
        text.Length == 10 && DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day) ? day : text;

    /// <summary>DuckDB's text of a timestamp in UTC: <c>2024-06-30 12:34:56[.fraction][+00]</c>; anything else (BC, infinity, year 10000) stays text.</summary>
    private static object ParseTimestamp(string text)
    {
        var match = TimestampText().Match(text);
        if (!match.Success || !DateTime.TryParseExact(match.Groups["seconds"].Value, "yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture,
                DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var seconds))
        {
            return text;
        }

        var fraction = match.Groups["fraction"].Value.PadRight(9, '0');
        // .NET holds 100 ns ticks: finer digits that are not zero cannot be held exactly.
        if (fraction[7..] != "00")
        {
            return text;
        }

        var ticks = long.Parse(fraction[..7], NumberStyles.None, CultureInfo.InvariantCulture);
        return new DateTimeOffset(seconds.AddTicks(ticks), TimeSpan.Zero);
    }

    [GeneratedRegex(@"^(?<seconds>\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2})(\.(?<fraction>\d{1,9}))?(\+00)?$", RegexOptions.CultureInvariant)]
    private static partial Regex TimestampText();
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
