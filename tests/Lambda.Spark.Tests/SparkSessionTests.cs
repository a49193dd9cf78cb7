using Apache.Arrow;
using Grpc.Core;
using Lambda.Core.Spark;
using Lambda.Spark.Tests.Fake;
using Lambda.SpeedLayer.Spark;
using Spark.Connect;

namespace Lambda.Spark.Tests;

/// <summary>The client against an in-process SparkConnectService that records every call.</summary>
public sealed class SparkSessionTests
{
    [Fact]
    public async Task Every_call_carries_the_sessions_uuid_user_and_client_type_and_each_execution_its_own_operation_id()
    {
        await using var server = await FakeSparkServer.StartAsync();
        using var session = server.Connect();

        await session.VersionAsync(CancellationToken.None);
        await session.CreateDataFrame("struct<id:bigint>").CollectAsync(CancellationToken.None);
        await session.CreateDataFrame("struct<id:bigint>").CollectAsync(CancellationToken.None);

        var calls = server.Service.Calls.ToList();
        Guid.TryParse(session.SessionId, out _).Should().BeTrue();
        calls.Should().OnlyContain(c => c.SessionId == session.SessionId && c.UserId == "student" && c.ClientType == session.ClientType);
        var executions = server.Service.CallsTo("ExecutePlan").ToList();
        executions.Should().HaveCount(2);
        executions.Select(e => e.OperationId).Should().OnlyHaveUniqueItems().And.OnlyContain(id => IsUuid(id));
        session.ServerSideSessionId.Should().Be(server.Service.ServerSideSessionId);
        executions.Should().OnlyContain(e => e.ObservedServerSideSessionId == server.Service.ServerSideSessionId,
            "after the first answer every request says which server-side session it saw");
        server.Service.CallsTo("ReleaseExecute").Select(r => r.OperationId).Should().Equal(executions.Select(e => e.OperationId), "each completed execution is released");
    }

    /// <summary>A stream that ends without ResultComplete (cut), or breaks with UNAVAILABLE after it started (broken).</summary>
    [Theory]
    [InlineData(1, int.MaxValue)]
    [InlineData(int.MaxValue, 2)]
    public async Task A_stream_cut_or_broken_before_ResultComplete_is_reattached_after_the_last_response_and_no_row_is_lost_or_doubled(int cutAfter, int breakAfter)
    {
        await using var server = await FakeSparkServer.StartAsync();
        server.Service.Results = _ => Enumerable.Range(0, 3).Select(i => ArrowBatches.Response(Batch(i * 10, 10)));
        server.Service.CutFirstStreamAfter = cutAfter;
        server.Service.BreakFirstStreamAfter = breakAfter;
        using var session = server.Connect();

        var rows = await session.CreateDataFrame("struct<id:bigint>").CollectAsync(CancellationToken.None);

        rows.Rows.Select(r => (long)r[0]!).Should().Equal(Enumerable.Range(0, 30).Select(i => (long)i));
        session.Reattaches.Should().Be(1);
        var execute = server.Service.CallsTo("ExecutePlan").Single();
        var reattach = server.Service.CallsTo("ReattachExecute").Single();
        reattach.OperationId.Should().Be(execute.OperationId);
        reattach.Detail.Should().NotBeEmpty("the reattach names the last response it received");
        var release = server.Service.CallsTo("ReleaseExecute").Single();
        (release.OperationId, release.Detail).Should().Be((execute.OperationId, "ReleaseAll"));
    }

    [Fact]
    public async Task A_stream_that_keeps_ending_early_is_given_up_with_a_message()
    {
        await using var server = await FakeSparkServer.StartAsync();
        server.Service.Results = _ => [ArrowBatches.Response(Batch(0, 1))];
        server.Service.CutFirstStreamAfter = 0;
        using var session = server.Connect(options: new SparkSessionOptions { ReattachBackoff = TimeSpan.Zero, MaxReattachesWithoutProgress = 0 });

        var act = () => session.CreateDataFrame("struct<id:bigint>").CollectAsync(CancellationToken.None);

        (await act.Should().ThrowAsync<SparkConnectException>()).WithMessage("*ended 1 times without a result*");
    }

    [Fact]
    public async Task A_Spark_error_becomes_one_exception_with_its_error_class_and_the_job_says_what_to_add()
    {
        await using var server = await FakeSparkServer.StartAsync();
        server.Service.FailNext = (StatusCode.Internal, "DATA_SOURCE_NOT_FOUND",
            "[DATA_SOURCE_NOT_FOUND] Failed to find the data source: kafka. Make sure the provider name is correct. SQLSTATE: 42K02");
        using var session = server.Connect();

        var act = () => session.CreateDataFrame("struct<id:bigint>").CollectAsync(CancellationToken.None);

        var e = (await act.Should().ThrowAsync<SparkConnectException>()).Which;
        (e.ErrorClass, e.SqlState, e.ExceptionClass, e.StatusCode).Should().Be(("DATA_SOURCE_NOT_FOUND", "42000", "org.apache.spark.sql.AnalysisException", StatusCode.Internal));
        e.Message.Should().Be("running the query failed: [DATA_SOURCE_NOT_FOUND] Failed to find the data source: kafka. Make sure the provider name is correct. SQLSTATE: 42K02");
        e.IsSessionGone.Should().BeFalse();
        SparkSpeedCommand.Explain(e, session.Remote).Should()
            .StartWith("the Spark server at sc://fake:15002 has no Kafka source. Start it with --packages org.apache.spark:spark-sql-kafka-0-10_2.13:");
    }

    [Fact]
    public async Task A_forgotten_session_is_reported_as_gone_and_a_changed_server_side_session_is_noticed()
    {
        await using var server = await FakeSparkServer.StartAsync();
        using var session = server.Connect();
        await session.VersionAsync(CancellationToken.None);

        server.Service.ForgetSessions();
        var gone = () => session.VersionAsync(CancellationToken.None);
        (await gone.Should().ThrowAsync<SparkConnectException>()).Which.IsSessionGone.Should().BeTrue();

        using var other = server.Connect();
        await other.VersionAsync(CancellationToken.None);
        server.Service.RestartKeepingSessions();
        var changed = () => other.VersionAsync(CancellationToken.None);
        var e = (await changed.Should().ThrowAsync<SparkConnectException>()).Which;
        (e.ErrorClass, e.IsSessionGone).Should().Be(("INVALID_HANDLE.SESSION_CHANGED", true));
    }

    [Fact]
    public async Task Configuration_is_set_and_read_back_and_analysis_returns_the_schema_and_explain()
    {
        await using var server = await FakeSparkServer.StartAsync();
        using var session = server.Connect();

        await session.SetConfigAsync(SparkSpeedJob.SessionConfiguration, CancellationToken.None);
        var values = await session.GetConfigAsync(["spark.sql.session.timeZone", "spark.not.set"], CancellationToken.None);
        var schema = await session.CreateDataFrame("struct<id:bigint>").SchemaAsync(CancellationToken.None);
        var explain = await session.CreateDataFrame("struct<id:bigint>").ExplainAsync(AnalyzePlanRequest.Types.Explain.Types.ExplainMode.Extended, CancellationToken.None);

        values.Should().Equal(new Dictionary<string, string?> { ["spark.sql.session.timeZone"] = "UTC", ["spark.not.set"] = null });
        DataTypes.TreeString(schema).Should().Be("root\n |-- id: bigint (nullable = false)\n");
        explain.Should().Be("== Physical Plan ==\nExtended", "the mode asked for reaches the server");
    }

    [Fact]
    public async Task Results_larger_than_grpcs_default_4_MB_are_received_and_the_limit_is_what_allows_it()
    {
        await using var server = await FakeSparkServer.StartAsync();
        const int rows = 700_000; // 5.6 MB of int64 values in one Arrow batch
        server.Service.Results = _ => [ArrowBatches.Response(Batch(0, rows))];

        using (var session = server.Connect())
        {
            (await session.CreateDataFrame("struct<id:bigint>").CollectAsync(CancellationToken.None)).Count.Should().Be(rows);
        }

        using var small = server.Connect(options: new SparkSessionOptions { MaxReceiveMessageSize = 4 * 1024 * 1024, ReattachBackoff = TimeSpan.Zero });
        var act = () => small.CreateDataFrame("struct<id:bigint>").CollectAsync(CancellationToken.None);
        (await act.Should().ThrowAsync<SparkConnectException>()).Which.StatusCode.Should().Be(StatusCode.ResourceExhausted);
    }

    [Fact]
    public async Task An_address_where_nothing_listens_gives_the_message_to_start_spark()
    {
        using var session = SparkSession.Connect(SparkRemote.Parse("sc://127.0.0.1:1"));

        var act = () => session.VersionAsync(CancellationToken.None);

        var e = (await act.Should().ThrowAsync<SparkConnectException>()).Which;
        e.IsUnreachable.Should().BeTrue();
        SparkSpeedCommand.Explain(e, session.Remote).Should().StartWith("no Spark Connect server answered at sc://127.0.0.1:1. Start one (docker compose --profile spark up -d");
    }

    private static bool IsUuid(string? text) => Guid.TryParse(text, out _);

    private static RecordBatch Batch(long from, int count) =>
        new RecordBatch.Builder().Append("id", false, c => c.Int64(b => b.AppendRange(Enumerable.Range(0, count).Select(i => from + i)))).Build();
}
