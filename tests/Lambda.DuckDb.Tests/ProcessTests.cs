using System.Diagnostics;
using System.Globalization;
using Lambda.Testing;

namespace Lambda.DuckDb.Tests;

/// <summary>The in-process oracle: errors, many requests, time limits, cancellation, disposal.</summary>
public sealed class ProcessTests(DuckDbFixture fixture) : IClassFixture<DuckDbFixture>
{
    // Long enough to outlast any time limit below, and interruptible.
    private const string SlowQuery = "SELECT count(*) FROM range(1000000000) a, range(1000000) b WHERE a.range + b.range = -1";

    private readonly Testing.DuckDb _db = fixture.Db;

    [Fact]
    public async Task Reports_DuckDBs_version()
    {
        _db.Version.Should().StartWith("v1.5.");
        (await _db.QueryAsync("SELECT version()")).Scalar().Should().Be(_db.Version);
    }

    [Fact]
    public async Task A_syntax_error_carries_DuckDBs_message_and_the_SQL()
    {
        var act = () => _db.QueryAsync("SELEC 1");

        var error = (await act.Should().ThrowAsync<DuckDbException>()).Which;
        error.DuckDbMessage.Should().StartWith("Parser Error: syntax error at or near \"SELEC\"");
        error.Sql.Should().Be("SELEC 1");
        error.Message.Should().Contain("Parser Error").And.Contain("SQL: SELEC 1");
    }

    [Fact]
    public async Task A_missing_table_or_file_is_DuckDBs_error_and_the_process_goes_on()
    {
        var missingTable = () => _db.ExecuteAsync("INSERT INTO no_such_table VALUES (1)");
        var missingFile = () => _db.QueryAsync("SELECT * FROM read_parquet('/nonexistent/lambda/x.parquet')");

        (await missingTable.Should().ThrowAsync<DuckDbException>()).Which.DuckDbMessage.Should().StartWith("Catalog Error");
        (await missingFile.Should().ThrowAsync<DuckDbException>()).Which.DuckDbMessage.Should().Contain("/nonexistent/lambda/x.parquet");
        (await _db.QueryAsync("SELECT 42")).Scalar().Should().Be(42);
    }

    [Fact]
    public async Task Many_requests_run_on_one_process_and_keep_its_state()
    {
        await _db.ExecuteAsync("CREATE TABLE counter (n BIGINT)");
        for (var i = 1; i <= 300; i++)
        {
            await _db.ExecuteAsync($"INSERT INTO counter VALUES ({i})");
            // sum(BIGINT) is a HUGEINT in DuckDB: it comes back as text.
            (await _db.QueryAsync("SELECT sum(n) FROM counter")).Scalar().Should().Be((i * (i + 1) / 2).ToString(CultureInfo.InvariantCulture));
        }

        (await _db.QueryAsync("SELECT count(*) FROM counter")).Scalar().Should().Be(300L);
    }

    [Fact]
    public async Task Concurrent_requests_each_get_their_own_answer()
    {
        var answers = await Task.WhenAll(Enumerable.Range(0, 200).Select(async i =>
            (i, (await _db.QueryAsync($"SELECT {i}::BIGINT * 1000, 'n' || {i}")).Rows[0])));

        answers.Should().OnlyContain(a => (long)a.Item2[0]! == a.i * 1000L && (string)a.Item2[1]! == "n" + a.i);
    }

    [Fact]
    public async Task A_result_of_many_rows_arrives_whole()
    {
        var result = await _db.QueryAsync("SELECT range AS i, range / 2 AS half, 'row ' || range AS label FROM range(200000)");

        result.Rows.Should().HaveCount(200000);
        result.Rows[199999].Should().Equal(199999L, 99999.5, "row 199999");
    }

    [Fact]
    public async Task A_request_over_its_time_limit_fails_and_is_interrupted()
    {
        await using var db = await Testing.DuckDb.StartAsync();
        db.RequestTimeout = TimeSpan.FromMilliseconds(300);
        var watch = Stopwatch.StartNew();

        var act = () => db.QueryAsync(SlowQuery);

        (await act.Should().ThrowAsync<TimeoutException>()).Which.Message.Should().Contain(SlowQuery);
        watch.Elapsed.Should().BeLessThan(TimeSpan.FromSeconds(10));
        db.RequestTimeout = TimeSpan.FromSeconds(30);
        (await db.QueryAsync("SELECT 'still here'")).Scalar().Should().Be("still here");
        watch.Elapsed.Should().BeLessThan(TimeSpan.FromSeconds(10), "DuckDB interrupted the slow query");
    }

    [Fact]
    public async Task A_cancelled_request_is_interrupted()
    {
        await using var db = await Testing.DuckDb.StartAsync();
        using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));

        var act = () => db.QueryAsync(SlowQuery, cancel.Token);

        await act.Should().ThrowAsync<OperationCanceledException>();
        (await db.QueryAsync("SELECT 1")).Scalar().Should().Be(1);
    }

    [Fact]
    public async Task Disposing_interrupts_what_runs_and_refuses_new_requests()
    {
        var db = await Testing.DuckDb.StartAsync();
        // Without the interrupt, disposal would wait for a query that runs for hours.
        db.RequestTimeout = TimeSpan.FromHours(1);
        var pending = db.QueryAsync(SlowQuery);

        await db.DisposeAsync();

        await pending.Invoking(p => p).Should().ThrowAsync<ObjectDisposedException>();
        await db.Invoking(d => d.QueryAsync("SELECT 1")).Should().ThrowAsync<ObjectDisposedException>();
    }

    [Fact]
    public async Task A_statement_DESCRIBE_cannot_bind_is_still_answered()
    {
        var result = await _db.QueryAsync("PRAGMA version");

        result.Rows.Should().ContainSingle();
        result.Column("library_version").Single().Should().Be(_db.Version);
    }

    [Fact]
    public async Task A_query_ending_in_a_comment_or_semicolon_is_answered()
    {
        (await _db.QueryAsync("SELECT 7 AS n; ")).Scalar().Should().Be(7);
        (await _db.QueryAsync("SELECT 8 AS n -- the answer")).Scalar().Should().Be(8);
    }

    [Fact]
    public async Task Duplicate_column_names_keep_their_own_values()
    {
        var result = await _db.QueryAsync("SELECT 1 AS a, 'x' AS a");

        result.Columns.Should().Equal("a", "a");
        result.Rows[0].Should().Equal(1, "x");
    }
}
