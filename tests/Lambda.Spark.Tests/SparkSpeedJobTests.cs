using System.Globalization;
using Lambda.Core.Contracts;
using Lambda.Core.Spark;
using Lambda.Core.Views;
using Lambda.Spark.Tests.Fake;
using Lambda.SpeedLayer.Spark;
using Lambda.Testing;
using Spark.Connect;

namespace Lambda.Spark.Tests;

/// <summary>The speed layer's Spark job against the fake server: what it starts, polls, writes and stops.</summary>
public sealed class SparkSpeedJobTests : IDisposable
{
    private readonly string _data = Path.Combine(Path.GetTempPath(), "lambda-spark-" + Guid.NewGuid().ToString("N"));

    private static readonly DailyCandle[] Live =
    [
        new("binance", "BTCUSDT", new DateOnly(2026, 8, 3), 64000, 65000, 63000, 64500, 1234.5, 7.9e7, 1_000_000, "speed", false,
            new DateTimeOffset(2026, 8, 3, 3, 59, 59, 999, TimeSpan.Zero), new DateTimeOffset(2026, 8, 3, 11, 59, 59, 999, TimeSpan.Zero)),
    ];

    public void Dispose()
    {
        if (Directory.Exists(_data))
        {
            Directory.Delete(_data, recursive: true);
        }
    }

    [Fact]
    public async Task Stream_starts_a_closed_and_a_live_query_prints_new_progress_writes_the_live_view_and_stops_both_on_CtrlC()
    {
        await using var server = await FakeSparkServer.StartAsync();
        server.Service.Results = r => r.Plan.Root?.Read?.NamedTable is not null ? [ArrowBatches.Response(ArrowBatches.Candles(Live))] : [];
        var output = new StringWriter(CultureInfo.InvariantCulture);
        using var ctrlC = new CancellationTokenSource();
        var polls = 0;
        var job = new SparkSpeedJob(Options(), output, _ => server.Connect(), ct =>
        {
            polls++;
            foreach (var q in server.Service.Queries.Values)
            {
                // Spark finishes a micro-batch between the first two polls; none after.
                if (polls == 2)
                {
                    q.Progress.Add(Progress(q, batchId: 0, rows: 12));
                    q.Progress.Add(Progress(q, batchId: 1, rows: 30));
                }
            }

            if (polls == 4)
            {
                ctrlC.Cancel();
            }

            ct.ThrowIfCancellationRequested();
            return Task.CompletedTask;
        });

        var result = await job.StreamAsync(ctrlC.Token);

        var starts = server.Service.CallsTo("ExecutePlan").Where(c => c.Detail.StartsWith("start:", StringComparison.Ordinal)).Select(c => c.Detail).ToList();
        starts.Should().Equal("start:lambda_speed_layer_candles_closed", "start:lambda_speed_layer_candles_live");
        server.Service.Queries.Values.Should().OnlyContain(q => !q.Active, "Ctrl+C stops every query");
        server.Service.CallsTo("ExecutePlan").Count(c => c.Detail.StartsWith("query:Stop:", StringComparison.Ordinal)).Should().Be(2);
        server.Service.CallsTo("ExecutePlan").Count(c => c.Detail.StartsWith("query:LastProgress:", StringComparison.Ordinal)).Should().Be(6, "3 polls × 2 queries");
        result.Batches.Should().Be(2, "one new batch per query is printed once, not at every poll");
        result.InputRows.Should().Be(60);
        output.ToString().Should().Contain("[candles closed] batch 1: 30 input row(s), 40.0 rows/s, watermark 2026-08-03 23:50:00")
            .And.Contain("[candles live] stopped query lambda_speed_layer_candles_live");
        server.Service.Settings["spark.sql.session.timeZone"].Should().Be("UTC");
        server.Service.Settings["spark.sql.parquet.outputTimestampType"].Should().Be("TIMESTAMP_MICROS");

        var live = Path.Combine(_data, "views", "speed", "spark", "candles", "live.parquet");
        await using var duck = await DuckDb.StartAsync();
        var rows = await duck.QueryAsync($"SELECT symbol, day, close, trades, complete, last_event_time FROM read_parquet({DuckDb.Literal(live)})");
        rows.Rows.Should().HaveCount(1);
        rows.Rows[0].Take(5).Should().Equal("BTCUSDT", new DateOnly(2026, 8, 3), 64500.0, 1_000_000L, false);
        var lineage = (await duck.QueryAsync($"SELECT decode(value) AS v FROM parquet_kv_metadata({DuckDb.Literal(live)}) WHERE decode(key) = 'lambda.speed.lineage'")).Scalar() as string;
        var liveQuery = server.Service.Queries.Values.Single(q => q.Name.EndsWith("_live", StringComparison.Ordinal));
        lineage.Should().StartWith($"spark:lambda_speed_layer_candles_live:{liveQuery.Id}:live@");
        File.ReadAllText(Path.Combine(_data, "views", "speed", "spark", "lineage.json")).Should().Contain(liveQuery.Id).And.Contain("candles-closed");
    }

    [Fact]
    public async Task A_session_that_is_gone_is_replaced_and_the_queries_restart_from_the_same_checkpoints()
    {
        await using var server = await FakeSparkServer.StartAsync();
        var output = new StringWriter(CultureInfo.InvariantCulture);
        using var ctrlC = new CancellationTokenSource();
        var polls = 0;
        var job = new SparkSpeedJob(Options(), output, _ => server.Connect(), ct =>
        {
            if (++polls == 2)
            {
                server.Service.ForgetSessions(); // the server restarted
            }

            if (polls == 4)
            {
                ctrlC.Cancel();
            }

            ct.ThrowIfCancellationRequested();
            return Task.CompletedTask;
        });

        var result = await job.StreamAsync(ctrlC.Token);

        result.SessionRestarts.Should().Be(1);
        server.Service.Calls.Select(c => c.SessionId).Distinct().Should().HaveCount(2, "a new session (new UUID) replaces the one that is gone");
        server.Service.Queries.Should().HaveCount(2, "the restarted queries are the same queries (same checkpoints, same ids)");
        server.Service.CallsTo("ExecutePlan").Count(c => c.Detail.StartsWith("start:", StringComparison.Ordinal)).Should().Be(4);
        output.ToString().Should().Contain("The Spark session is gone (INVALID_HANDLE.SESSION_NOT_FOUND)");
    }

    [Fact]
    public async Task A_query_that_failed_on_the_server_ends_the_run_with_its_error_class_and_message()
    {
        await using var server = await FakeSparkServer.StartAsync();
        var job = new SparkSpeedJob(Options(), TextWriter.Null, _ => server.Connect(), ct =>
        {
            foreach (var q in server.Service.Queries.Values)
            {
                q.Active = false;
                q.Failure = ("STREAM_FAILED", "Query lambda_speed_layer_candles_closed terminated with exception: Timeout of 60000ms expired before the position for partition crypto-klines-0 could be determined");
            }

            return Task.CompletedTask;
        });

        var act = () => job.StreamAsync(CancellationToken.None);

        (await act.Should().ThrowAsync<SparkConnectException>()).WithMessage(
            "the Spark query lambda_speed_layer_candles_closed stopped: [STREAM_FAILED] Query * terminated with exception: Timeout of 60000ms expired*");
    }

    [Fact]
    public async Task Batch_has_Spark_overwrite_each_view_at_the_mapped_path_and_counts_what_it_wrote()
    {
        await using var server = await FakeSparkServer.StartAsync();
        server.Service.Results = r => r.Plan.Root?.Aggregate is not null
            ? [ArrowBatches.Response(new Apache.Arrow.RecordBatch.Builder().Append("rows", false, c => c.Int64(b => b.Append(42))).Build())]
            : [Stage(1, done: false), Stage(1, done: true), Stage(1, done: true)];
        var output = new StringWriter(CultureInfo.InvariantCulture);
        var job = new SparkSpeedJob(Options([Topics.Klines, Topics.Prices]), output, _ => server.Connect());

        var result = await job.BatchAsync(CancellationToken.None);

        result.Rows.Should().Be(84);
        server.Service.CallsTo("ExecutePlan").Where(c => c.Detail == "command:WriteOperation").Should().HaveCount(2);
        using var session = GoldenPlanTests.Offline();
        var writes = job.BatchCommands(session).Select(c => c.Command.WriteOperation).ToList();
        writes.Select(w => w.Path).Should().Equal("/opt/lambda/data/views/speed/spark/candles/batch", "/opt/lambda/data/views/speed/spark/tickers/batch");
        writes.Should().OnlyContain(w => w.Source == "parquet" && w.Mode == WriteOperation.Types.SaveMode.Overwrite);
        output.ToString().Should().Contain("[tickers] 42 row(s)");
        output.ToString().Split('\n').Count(l => l.StartsWith("[candles] stage 1 done: 8/8 task(s), 2.0 MB read", StringComparison.Ordinal)).Should().Be(1, "a stage is printed once, when done");
    }

    [Fact]
    public void The_closed_query_writes_parquet_in_append_mode_under_views_speed_with_its_checkpoint_and_the_watermark()
    {
        var job = new SparkSpeedJob(Options() with { TopicPrefix = "class1-", CheckpointLocation = "s3a://bucket/checkpoints" }, TextWriter.Null);
        using var session = GoldenPlanTests.Offline();

        var commands = job.StreamCommands(session);

        var closed = commands.Single(c => c.Query == SparkViewQuery.Closed).Command.WriteStreamOperationStart;
        (closed.Format, closed.OutputMode, closed.Path).Should().Be(("parquet", "append", "/opt/lambda/data/views/speed/spark/candles/closed"));
        closed.Options["checkpointLocation"].Should().Be("s3a://bucket/checkpoints/candles-closed");
        closed.ProcessingTimeInterval.Should().Be("5 seconds");
        var live = commands.Single(c => c.Query == SparkViewQuery.Live).Command.WriteStreamOperationStart;
        (live.Format, live.OutputMode, live.QueryName).Should().Be(("memory", "complete", "lambda_speed_layer_candles_live"));

        var text = PlanText.Command(commands[0].Command);
        text.Should().Contain(".option(\"subscribe\", \"class1-crypto-klines\")")
            .And.Contain(".withWatermark(\"window_time\", \"600 seconds\")")
            .And.Contain("window(col(\"window_time\"), lit(\"86400 seconds\")")
            .And.Contain("(col(\"kept\") == lit(6)).alias(\"complete\")")
            .And.Contain(".filter((col(\"is_closed\") == lit(True)))");
        FindWatermark(closed.Input).Should().NotBeNull();
    }

    private static ExecutePlanResponse Stage(long id, bool done) => new()
    {
        ExecutionProgress = new ExecutePlanResponse.Types.ExecutionProgress
        {
            Stages = { new ExecutePlanResponse.Types.ExecutionProgress.Types.StageInfo { StageId = id, NumTasks = 8, NumCompletedTasks = done ? 8 : 3, InputBytesRead = 2 * 1024 * 1024, Done = done } },
        },
    };

    private static WithWatermark? FindWatermark(Relation r) => r.RelTypeCase switch
    {
        Relation.RelTypeOneofCase.WithWatermark => r.WithWatermark,
        Relation.RelTypeOneofCase.Project => FindWatermark(r.Project.Input),
        Relation.RelTypeOneofCase.Filter => FindWatermark(r.Filter.Input),
        Relation.RelTypeOneofCase.WithColumns => FindWatermark(r.WithColumns.Input),
        Relation.RelTypeOneofCase.Aggregate => FindWatermark(r.Aggregate.Input),
        Relation.RelTypeOneofCase.Deduplicate => FindWatermark(r.Deduplicate.Input),
        _ => null,
    };

    private SparkSpeedOptions Options(IReadOnlyList<string>? topics = null)
    {
        SparkPathMap.TryParse($"{_data}=/opt/lambda/data", out var map, out _).Should().BeTrue();
        return new SparkSpeedOptions(SparkRemote.Parse("sc://fake:15002"), topics ?? [Topics.Klines], TimeSpan.FromDays(1), TimeSpan.FromMinutes(10), "speed-layer", "4h",
            TimeSpan.FromSeconds(5), "kafka:29092", "", new Dictionary<string, string>(), map, null, _data);
    }

    private static string Progress(FakeQuery q, long batchId, long rows) =>
        $$"""{"id":"{{q.Id}}","runId":"{{q.RunId}}","name":"{{q.Name}}","timestamp":"2026-08-04T10:00:00.000Z","batchId":{{batchId}},"numInputRows":{{rows}},"inputRowsPerSecond":12.0,"processedRowsPerSecond":40.0,"eventTime":{"watermark":"2026-08-03T23:50:00.000Z"} }""";
}
