using System.Globalization;
using System.Text.Json;
using Lambda.Core.Contracts;
using Lambda.Core.Spark;
using Lambda.Core.Storage;
using Lambda.Core.Views;
using Lambda.Core.Windows;
using Lambda.SpeedLayer.Batch;
using Spark.Connect;
using Lambda.SpeedLayer.Views;

namespace Lambda.SpeedLayer.Spark;

/// <summary>What a Spark run of the speed layer needs.</summary>
public sealed record SparkSpeedOptions(
    SparkRemote Remote,
    IReadOnlyList<string> Topics,
    TimeSpan Window,
    TimeSpan Lateness,
    string Group,
    string? Interval,
    TimeSpan Refresh,
    string KafkaBootstrapServers,
    string TopicPrefix,
    IReadOnlyDictionary<string, string> KafkaSettings,
    SparkPathMap PathMap,
    string? CheckpointLocation,
    string DataDirectory);

/// <summary>One speed view computed by Spark: its recipe and where its files go (our paths).</summary>
public sealed record SparkView(string Name, WindowRecipe Recipe, string Directory)
{
    public string ClosedDirectory => Path.Combine(Directory, "closed");

    public string BatchDirectory => Path.Combine(Directory, "batch");

    public string LivePath => Path.Combine(Directory, "live.parquet");
}

/// <summary>The result of a Spark run, for the command's summary.</summary>
public sealed record SparkSpeedResult(long Batches, long InputRows, int SessionRestarts, long LiveWrites, long Rows);

/// <summary>
/// The speed layer on Spark (Spark Connect): the candle view (from klines, or from trades when no
/// klines are read) and the ticker view (from prices), each built by <see cref="SparkCandlePlan"/>
/// from the semantics shared with the embedded engine. <c>stream</c> runs two queries per view:
/// closed windows in append mode into Parquet written by Spark (<c>closed/</c>), and the open
/// windows in complete mode into a memory table that this job collects and writes as
/// <c>live.parquet</c> every refresh; progress is polled and printed; Ctrl+C stops the queries;
/// a session that is gone (server restart, timeout) is replaced and the queries restarted from
/// their checkpoints. <c>batch</c> reads the topics from earliest to latest and has Spark write
/// the views once.
/// </summary>
public sealed class SparkSpeedJob
{
    public const string LineageKey = ViewLayout.Speed.LineageKey;

    private readonly SparkSpeedOptions _options;
    private readonly TextWriter _output;
    private readonly Func<SparkRemote, SparkSession> _connect;
    private readonly Func<CancellationToken, Task> _pause;
    private readonly Dictionary<string, long> _lastBatch = new(StringComparer.Ordinal);
    private long _batches;
    private long _inputRows;
    private long _liveWrites;

    /// <param name="connect">Opens a session (tests: on an in-process server).</param>
    /// <param name="pause">Waits between two polls; the refresh interval unless a test drives it.</param>
    public SparkSpeedJob(SparkSpeedOptions options, TextWriter output, Func<SparkRemote, SparkSession>? connect = null, Func<CancellationToken, Task>? pause = null)
    {
        _options = options ?? throw new ArgumentNullException(nameof(options));
        _output = output ?? throw new ArgumentNullException(nameof(output));
        _connect = connect ?? (r => SparkSession.Connect(r));
        _pause = pause ?? (ct => Task.Delay(options.Refresh, ct));
        var root = ViewLayout.Speed.SparkDirectory(options.DataDirectory);
        var views = new List<SparkView>();
        var candles = options.Topics.Contains(Core.Contracts.Topics.Klines) ? CandleSemantics.Klines
            : options.Topics.Contains(Core.Contracts.Topics.Trades) ? CandleSemantics.Trades : null;
        if (candles is not null)
        {
            views.Add(new SparkView("candles", candles, Path.Combine(root, "candles")));
        }

        if (options.Topics.Contains(Core.Contracts.Topics.Prices))
        {
            views.Add(new SparkView("tickers", CandleSemantics.Tickers, Path.Combine(root, "tickers")));
        }

        Views = views;
        Settings = new SparkPlanSettings(options.KafkaBootstrapServers, options.Window, options.Lateness, options.Interval, options.KafkaSettings, options.TopicPrefix);
    }

    public IReadOnlyList<SparkView> Views { get; }

    public SparkPlanSettings Settings { get; }

    /// <summary>Session settings every run needs: UTC days, and Parquet timestamps as the views' TIMESTAMP(MICROS, UTC).</summary>
    public static IReadOnlyDictionary<string, string> SessionConfiguration { get; } = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["spark.sql.session.timeZone"] = "UTC",
        ["spark.sql.parquet.outputTimestampType"] = "TIMESTAMP_MICROS",
    };

    /// <summary>The Spark checkpoint folder of one query, as Spark sees it.</summary>
    public string CheckpointOf(SparkView view, SparkViewQuery query)
    {
        var name = $"{view.Name}-{query.ToString().ToLowerInvariant()}";
        return _options.CheckpointLocation is { } location
            ? location.TrimEnd('/') + "/" + name
            : _options.PathMap.ToSpark(Path.Combine(_options.DataDirectory, "checkpoints", "spark", _options.Group, name));
    }

    public string LiveTable(SparkView view) => $"lambda_{Sanitize(_options.Group)}_{view.Name}_live";

    /// <summary>The commands a stream run sends (closed and live query of each view), for the dry run and tests.</summary>
    public IReadOnlyList<(SparkView View, SparkViewQuery Query, Command Command, DataFrame Plan)> StreamCommands(SparkSession session) =>
    [
        .. Views.SelectMany(v => new[]
        {
            (v, SparkViewQuery.Closed, ClosedWriter(session, v, out var closed).ToCommand(_options.PathMap.ToSpark(v.ClosedDirectory)), closed),
            (v, SparkViewQuery.Live, LiveWriter(session, v, out var live).ToCommand(), live),
        }),
    ];

    public IReadOnlyList<(SparkView View, Command Command, DataFrame Plan)> BatchCommands(SparkSession session) =>
    [
        .. Views.Select(v =>
        {
            var plan = SparkCandlePlan.Build(session, v.Recipe, Settings, SparkViewQuery.Batch);
            return (v, plan.Write.Format("parquet").Mode("overwrite").ToCommand(_options.PathMap.ToSpark(v.BatchDirectory)), plan);
        }),
    ];

    /// <summary>Runs the streaming queries until <paramref name="cancellationToken"/> (Ctrl+C), then stops them.</summary>
    public async Task<SparkSpeedResult> StreamAsync(CancellationToken cancellationToken)
    {
        var restarts = 0;
        var session = await OpenAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var queries = await StartAsync(session, cancellationToken).ConfigureAwait(false);
            while (!cancellationToken.IsCancellationRequested)
            {
                try
                {
                    await _pause(cancellationToken).ConfigureAwait(false);
                    await PollAsync(session, queries, cancellationToken).ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
                {
                    break;
                }
                catch (SparkConnectException e) when (e.IsSessionGone)
                {
                    // The server restarted or expired the session, and its queries with it: a new
                    // session restarts them from their checkpoints (same query ids, new run ids).
                    restarts++;
                    await _output.WriteLineAsync($"The Spark session is gone ({e.ErrorClass}); opening a new one and restarting the queries from their checkpoints.").ConfigureAwait(false);
                    session.Dispose();
                    session = await OpenAsync(cancellationToken).ConfigureAwait(false);
                    queries = await StartAsync(session, cancellationToken).ConfigureAwait(false);
                }
            }

            await StopAsync(session, queries).ConfigureAwait(false);
            return new SparkSpeedResult(_batches, _inputRows, restarts, _liveWrites, 0);
        }
        finally
        {
            session.Dispose();
        }
    }

    /// <summary>Reads the topics from earliest to latest and has Spark write each view once (overwrite).</summary>
    public async Task<SparkSpeedResult> BatchAsync(CancellationToken cancellationToken)
    {
        using var session = await OpenAsync(cancellationToken).ConfigureAwait(false);
        long rows = 0;
        foreach (var (view, command, _) in BatchCommands(session))
        {
            await _output.WriteLineAsync($"[{view.Name}] Spark reads {_options.TopicPrefix}{view.Recipe.Topic} from earliest to latest and writes {command.WriteOperation.Path}").ConfigureAwait(false);
            await WriteWithProgressAsync(session, view, command, cancellationToken).ConfigureAwait(false);
            var written = await session.Read.Parquet(command.WriteOperation.Path).Agg(Functions.Count(Functions.Lit(1)).Alias("rows"))
                .CollectAsync(cancellationToken).ConfigureAwait(false);
            var count = written.Count == 1 && written[0, "rows"] is long n ? n : 0;
            rows += count;
            await _output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"[{view.Name}] {count} row(s) → {view.BatchDirectory}")).ConfigureAwait(false);
        }

        await WriteLineageAsync(session, [], cancellationToken).ConfigureAwait(false);
        return new SparkSpeedResult(0, 0, 0, 0, rows);
    }

    /// <summary>Runs a batch write, printing each Spark stage once it is done (from the server's execution progress).</summary>
    private async Task WriteWithProgressAsync(SparkSession session, SparkView view, Command command, CancellationToken cancellationToken)
    {
        var done = new HashSet<long>();
        await foreach (var response in session.ExecuteAsync(new Plan { Command = command }, cancellationToken).ConfigureAwait(false))
        {
            foreach (var stage in response.ExecutionProgress?.Stages.Where(s => s.Done && done.Add(s.StageId)) ?? [])
            {
                await _output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                    $"[{view.Name}] stage {stage.StageId} done: {stage.NumCompletedTasks}/{stage.NumTasks} task(s), {stage.InputBytesRead / 1024.0 / 1024.0:F1} MB read")).ConfigureAwait(false);
            }
        }
    }

    private async Task<SparkSession> OpenAsync(CancellationToken cancellationToken)
    {
        var session = _connect(_options.Remote);
        try
        {
            var version = await session.VersionAsync(cancellationToken).ConfigureAwait(false);
            await session.SetConfigAsync(SessionConfiguration, cancellationToken).ConfigureAwait(false);
            await _output.WriteLineAsync($"Spark {version} at {_options.Remote} (session {session.SessionId}).").ConfigureAwait(false);
            return session;
        }
        catch
        {
            session.Dispose();
            throw;
        }
    }

    private DataStreamWriter ClosedWriter(SparkSession session, SparkView view, out DataFrame plan)
    {
        plan = SparkCandlePlan.Build(session, view.Recipe, Settings, SparkViewQuery.Closed);
        return plan.WriteStream.Format("parquet").OutputMode("append")
            .Option("checkpointLocation", CheckpointOf(view, SparkViewQuery.Closed))
            .QueryName($"lambda_{Sanitize(_options.Group)}_{view.Name}_closed")
            .TriggerProcessingTime(SparkCandlePlan.Interval(_options.Refresh));
    }

    private DataStreamWriter LiveWriter(SparkSession session, SparkView view, out DataFrame plan)
    {
        plan = SparkCandlePlan.Build(session, view.Recipe, Settings, SparkViewQuery.Live);
        return plan.WriteStream.Format("memory").OutputMode("complete")
            .Option("checkpointLocation", CheckpointOf(view, SparkViewQuery.Live))
            .QueryName(LiveTable(view))
            .TriggerProcessingTime(SparkCandlePlan.Interval(_options.Refresh));
    }

    private async Task<List<(SparkView View, SparkViewQuery Query, StreamingQuery Query2)>> StartAsync(SparkSession session, CancellationToken cancellationToken)
    {
        var started = new List<(SparkView, SparkViewQuery, StreamingQuery)>();
        foreach (var (view, kind, command, _) in StreamCommands(session))
        {
            var query = await session.StartStreamAsync(command, cancellationToken).ConfigureAwait(false);
            started.Add((view, kind, query));
            await _output.WriteLineAsync($"[{view.Name} {Label(kind)}] started query {query.Name} (id {query.Id}, run {query.RunId})"
                + (kind == SparkViewQuery.Closed ? $" → {view.ClosedDirectory}" : $" → {view.LivePath} every {_options.Refresh.TotalSeconds.ToString(CultureInfo.InvariantCulture)} s")).ConfigureAwait(false);
        }

        await WriteLineageAsync(session, started.Select(s => (s.Item1, s.Item2, s.Item3)).ToList(), cancellationToken).ConfigureAwait(false);
        return started;
    }

    private async Task PollAsync(SparkSession session, List<(SparkView View, SparkViewQuery Query, StreamingQuery Query2)> queries, CancellationToken cancellationToken)
    {
        foreach (var (view, kind, query) in queries)
        {
            var status = await query.StatusAsync(cancellationToken).ConfigureAwait(false);
            if (!status.IsActive)
            {
                var exception = await query.ExceptionAsync(cancellationToken).ConfigureAwait(false);
                throw new SparkConnectException($"the Spark query {query.Name} stopped: "
                    + (exception is null ? status.StatusMessage : $"{(exception.HasErrorClass ? $"[{exception.ErrorClass}] " : "")}{exception.ExceptionMessage}"))
                {
                    ErrorClass = exception is { HasErrorClass: true } ? exception.ErrorClass : null,
                };
            }

            var progress = await query.LastProgressAsync(cancellationToken).ConfigureAwait(false);
            if (progress is not null && (!_lastBatch.TryGetValue(query.Name, out var last) || progress.BatchId > last))
            {
                _lastBatch[query.Name] = progress.BatchId;
                _batches++;
                _inputRows += progress.NumInputRows;
                await _output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                    $"[{view.Name} {Label(kind)}] batch {progress.BatchId}: {progress.NumInputRows} input row(s), {Rate(progress.ProcessedRowsPerSecond)} rows/s, watermark {progress.Watermark?.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture) ?? "-"}"))
                    .ConfigureAwait(false);
            }

            if (kind == SparkViewQuery.Live)
            {
                await WriteLiveAsync(session, view, query, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    /// <summary>Collects the live memory table (Arrow) and writes it atomically with its lineage.</summary>
    private async Task WriteLiveAsync(SparkSession session, SparkView view, StreamingQuery query, CancellationToken cancellationToken)
    {
        var rows = await session.Table(LiveTable(view)).CollectAsync(cancellationToken).ConfigureAwait(false);
        var metadata = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            [LineageKey] = string.Create(CultureInfo.InvariantCulture, $"spark:{query.Name}:{query.Id}:live@{DateTimeOffset.UtcNow:yyyy-MM-ddTHH:mm:ssZ}"),
        };
        var bytes = view.Recipe == CandleSemantics.Tickers
            ? SpeedViewFiles.ToParquet(SparkViewRows.TickerStats(rows), TickerDayStatsMap.Instance, metadata)
            : SpeedViewFiles.ToParquet(SparkViewRows.Candles(rows), DailyCandleMap.Instance, metadata);
        Directory.CreateDirectory(view.Directory);
        await AtomicFile.WriteAsync(view.LivePath, bytes, cancellationToken).ConfigureAwait(false);
        _liveWrites++;
    }

    private async Task StopAsync(SparkSession session, List<(SparkView View, SparkViewQuery Query, StreamingQuery Query2)> queries)
    {
        // Ctrl+C cancelled the run's token; stopping must still reach the server.
        foreach (var (view, kind, query) in queries)
        {
            try
            {
                if (kind == SparkViewQuery.Live)
                {
                    await WriteLiveAsync(session, view, query, CancellationToken.None).ConfigureAwait(false);
                }

                await query.StopAsync(CancellationToken.None).ConfigureAwait(false);
                await _output.WriteLineAsync($"[{view.Name} {Label(kind)}] stopped query {query.Name}").ConfigureAwait(false);
            }
            catch (SparkConnectException e)
            {
                await _output.WriteLineAsync($"[{view.Name} {Label(kind)}] could not stop query {query.Name}: {e.Message}").ConfigureAwait(false);
            }
        }
    }

    /// <summary><c>views/speed/spark/lineage.json</c>: which Spark queries wrote the files (Spark's Parquet writer takes no key-value metadata of ours).</summary>
    private async Task WriteLineageAsync(SparkSession session, List<(SparkView View, SparkViewQuery Kind, StreamingQuery Query)> queries, CancellationToken cancellationToken)
    {
        var lineage = new Dictionary<string, object?>
        {
            ["engine"] = "spark",
            ["remote"] = _options.Remote.ToString(),
            ["session_id"] = session.SessionId,
            ["server_side_session_id"] = session.ServerSideSessionId,
            ["written_at"] = DateTimeOffset.UtcNow.ToString("O", CultureInfo.InvariantCulture),
            ["queries"] = queries.Select(q => new Dictionary<string, string>
            {
                ["view"] = q.View.Name,
                ["kind"] = Label(q.Kind),
                ["name"] = q.Query.Name,
                ["id"] = q.Query.Id,
                ["run_id"] = q.Query.RunId,
                ["checkpoint"] = CheckpointOf(q.View, q.Kind),
            }).ToList(),
        };
        var path = Path.Combine(ViewLayout.Speed.SparkDirectory(_options.DataDirectory), "lineage.json");
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        await AtomicFile.WriteAsync(path, JsonSerializer.SerializeToUtf8Bytes(lineage, new JsonSerializerOptions { WriteIndented = true }), cancellationToken).ConfigureAwait(false);
    }

    private static string Label(SparkViewQuery kind) => kind.ToString().ToLowerInvariant();

    private static string Rate(double rate) => double.IsFinite(rate) ? rate.ToString("F1", CultureInfo.InvariantCulture) : "-";

    private static string Sanitize(string name) => new([.. name.Select(c => char.IsAsciiLetterOrDigit(c) ? c : '_')]);
}
