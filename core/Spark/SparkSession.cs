using System.Runtime.CompilerServices;
using Grpc.Core;
using Grpc.Net.Client;
using Spark.Connect;

namespace Lambda.Core.Spark;

/// <summary>Settings of a <see cref="SparkSession"/> that are not part of the address.</summary>
public sealed record SparkSessionOptions
{
    /// <summary>
    /// Largest message accepted from the server. Spark cuts results into Arrow batches of up to
    /// <c>spark.connect.grpc.arrow.maxBatchSize</c> (4 MB) and gRPC's default limit is 4 MB too,
    /// so a full batch plus its envelope would be refused; 128 MB is Spark's own client's limit.
    /// </summary>
    public int MaxReceiveMessageSize { get; init; } = 128 * 1024 * 1024;

    /// <summary>Reattaches in a row that bring no response before the execution is given up.</summary>
    public int MaxReattachesWithoutProgress { get; init; } = 5;

    /// <summary>Wait before reattaching after a broken connection (doubles each time).</summary>
    public TimeSpan ReattachBackoff { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>The client_type sent on every call, as Spark's clients identify themselves.</summary>
    public string ClientType { get; init; } = "lambda-dotnet/spark-connect";
}

/// <summary>
/// One Spark Connect session (pyspark's <c>SparkSession</c>): a UUID session id chosen here, the same
/// <see cref="UserContext"/> and client type on every call, and the server-side session id the server
/// echoes, checked on every answer so that a restarted server is noticed. It also numbers the plans
/// of the DataFrames it builds.
/// </summary>
public sealed class SparkSession : IDisposable
{
    private readonly SparkConnectService.SparkConnectServiceClient _client;
    private readonly IDisposable? _channel;
    private readonly SparkSessionOptions _options;
    private long _nextPlanId;
    private long _reattaches;

    public SparkSession(CallInvoker invoker, SparkRemote remote, SparkSessionOptions? options = null, IDisposable? channel = null)
    {
        ArgumentNullException.ThrowIfNull(invoker);
        Remote = remote ?? throw new ArgumentNullException(nameof(remote));
        _client = new SparkConnectService.SparkConnectServiceClient(invoker);
        _options = options ?? new SparkSessionOptions();
        _channel = channel;
        SessionId = remote.SessionId ?? Guid.NewGuid().ToString();
        UserContext = new UserContext { UserId = remote.UserId, UserName = remote.UserId };
    }

    /// <summary>A session on a new gRPC channel to <paramref name="remote"/> (no call is made yet).</summary>
    public static SparkSession Connect(SparkRemote remote, SparkSessionOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(remote);
        options ??= new SparkSessionOptions();
        var channelOptions = new GrpcChannelOptions { MaxReceiveMessageSize = options.MaxReceiveMessageSize };
        if (remote.Token is { } token)
        {
            channelOptions.Credentials = ChannelCredentials.Create(ChannelCredentials.SecureSsl, CallCredentials.FromInterceptor((_, metadata) =>
            {
                metadata.Add("authorization", "Bearer " + token);
                return Task.CompletedTask;
            }));
        }

        var channel = GrpcChannel.ForAddress(remote.Endpoint, channelOptions);
        return new SparkSession(channel.CreateCallInvoker(), remote, options, channel);
    }

    public SparkRemote Remote { get; }

    /// <summary>Our session id: a UUID, the same on every call of this session.</summary>
    public string SessionId { get; }

    public UserContext UserContext { get; }

    public string ClientType => _options.ClientType;

    /// <summary>The server's id of this session, as it last echoed it; null before the first answer.</summary>
    public string? ServerSideSessionId { get; private set; }

    /// <summary>How many times an execution was reattached after its stream ended early.</summary>
    public long Reattaches => Interlocked.Read(ref _reattaches);

    public DataFrameReader Read => new(this, streaming: false);

    public DataFrameReader ReadStream => new(this, streaming: true);

    /// <summary>An empty DataFrame of a schema (DDL), e.g. <c>struct&lt;id:bigint&gt;</c>: Spark's LocalRelation.</summary>
    public DataFrame CreateDataFrame(string schema) =>
        new(this, new Relation { Common = new RelationCommon { PlanId = NextPlanId() }, LocalRelation = new LocalRelation { Schema = schema } });

    public DataFrame Table(string name) => Read.Table(name);

    public DataFrame Sql(string query) =>
        new(this, new Relation { Common = new RelationCommon { PlanId = NextPlanId() }, Sql = new SQL { Query = query } });

    internal long NextPlanId() => Interlocked.Increment(ref _nextPlanId) - 1;

    /// <summary>
    /// Runs a plan as a reattachable execution with our own operation id and yields its responses.
    /// A stream that ends without <c>ResultComplete</c>, or breaks with UNAVAILABLE after the
    /// operation started, is resumed with <c>ReattachExecute</c> after the last response id seen;
    /// the execution is released (<c>ReleaseExecute</c>) when it completes or is abandoned.
    /// </summary>
    public async IAsyncEnumerable<ExecutePlanResponse> ExecuteAsync(Plan plan, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(plan);
        var operationId = Guid.NewGuid().ToString();
        var request = new ExecutePlanRequest
        {
            SessionId = SessionId,
            UserContext = UserContext,
            OperationId = operationId,
            Plan = plan,
            ClientType = ClientType,
            RequestOptions = { new ExecutePlanRequest.Types.RequestOption { ReattachOptions = new ReattachOptions { Reattachable = true } } },
        };
        if (ServerSideSessionId is { } observed)
        {
            request.ClientObservedServerSideSessionId = observed;
        }

        var what = Describe(plan);
        string? lastResponseId = null;
        var complete = false;
        var started = false;
        var withoutProgress = 0;
        var call = Call(() => _client.ExecutePlan(request, cancellationToken: cancellationToken), what);
        try
        {
            while (!complete)
            {
                var (next, broken) = await NextAsync(call, what, started, cancellationToken).ConfigureAwait(false);
                if (next is not null)
                {
                    started = true;
                    withoutProgress = 0;
                    Observe(next.ServerSideSessionId, what);
                    lastResponseId = next.ResponseId.Length > 0 ? next.ResponseId : lastResponseId;
                    if (next.ResponseTypeCase == ExecutePlanResponse.ResponseTypeOneofCase.ResultComplete)
                    {
                        complete = true;
                    }
                    else
                    {
                        yield return next;
                    }

                    continue;
                }

                // The stream ended (or broke) before ResultComplete: the server has more for us.
                call.Dispose();
                if (++withoutProgress > _options.MaxReattachesWithoutProgress)
                {
                    throw new SparkConnectException($"{what}: the response stream of operation {operationId} ended {withoutProgress} times without a result; giving up");
                }

                if (broken && _options.ReattachBackoff > TimeSpan.Zero)
                {
                    await Task.Delay(_options.ReattachBackoff * (1 << (withoutProgress - 1)), cancellationToken).ConfigureAwait(false);
                }

                Interlocked.Increment(ref _reattaches);
                var reattach = new ReattachExecuteRequest { SessionId = SessionId, UserContext = UserContext, OperationId = operationId, ClientType = ClientType };
                if (lastResponseId is not null)
                {
                    reattach.LastResponseId = lastResponseId;
                }

                if (ServerSideSessionId is { } seen)
                {
                    reattach.ClientObservedServerSideSessionId = seen;
                }

                call = Call(() => _client.ReattachExecute(reattach, cancellationToken: cancellationToken), what);
            }
        }
        finally
        {
            call.Dispose();
            if (started)
            {
                await ReleaseAsync(operationId).ConfigureAwait(false);
            }
        }
    }

    /// <summary>Runs a command and waits for its end.</summary>
    public async Task ExecuteCommandAsync(Command command, CancellationToken cancellationToken)
    {
        await foreach (var _ in ExecuteAsync(new Plan { Command = command }, cancellationToken).ConfigureAwait(false))
        {
        }
    }

    /// <summary>Runs a query plan and decodes its Arrow batches.</summary>
    public async Task<SparkRows> CollectAsync(Plan plan, CancellationToken cancellationToken)
    {
        var rows = new SparkRows();
        await foreach (var response in ExecuteAsync(plan, cancellationToken).ConfigureAwait(false))
        {
            if (response.ArrowBatch is { } batch)
            {
                var appended = rows.Append(batch.Data.Memory);
                if (appended != batch.RowCount)
                {
                    throw new SparkConnectException($"an Arrow batch announced {batch.RowCount} rows and held {appended}");
                }
            }
        }

        return rows;
    }

    /// <summary>Starts a streaming query from its <c>WriteStreamOperationStart</c> command.</summary>
    public async Task<StreamingQuery> StartStreamAsync(Command command, CancellationToken cancellationToken)
    {
        WriteStreamOperationStartResult? result = null;
        await foreach (var response in ExecuteAsync(new Plan { Command = command }, cancellationToken).ConfigureAwait(false))
        {
            result ??= response.WriteStreamOperationStartResult;
        }

        if (result?.QueryId is null)
        {
            throw new SparkConnectException("starting the streaming query: the server did not say which query it started");
        }

        return new StreamingQuery(this, result.QueryId, result.Name);
    }

    /// <summary>A query of this session by its id (after a restart of the client, or to stop it).</summary>
    public StreamingQuery Query(StreamingQueryInstanceId id, string name) => new(this, id, name);

    public async Task<DataType> AnalyzeSchemaAsync(Plan plan, CancellationToken cancellationToken) =>
        (await AnalyzeAsync(r => r.Schema = new AnalyzePlanRequest.Types.Schema { Plan = plan }, "analyzing the plan's schema", cancellationToken).ConfigureAwait(false)).Schema.Schema_;

    public async Task<string> ExplainAsync(Plan plan, AnalyzePlanRequest.Types.Explain.Types.ExplainMode mode, CancellationToken cancellationToken) =>
        (await AnalyzeAsync(r => r.Explain = new AnalyzePlanRequest.Types.Explain { Plan = plan, ExplainMode = mode }, "explaining the plan", cancellationToken).ConfigureAwait(false))
        .Explain.ExplainString;

    public async Task<string> VersionAsync(CancellationToken cancellationToken) =>
        (await AnalyzeAsync(r => r.SparkVersion = new AnalyzePlanRequest.Types.SparkVersion(), "asking the Spark version", cancellationToken).ConfigureAwait(false))
        .SparkVersion.Version;

    public async Task SetConfigAsync(IEnumerable<KeyValuePair<string, string>> pairs, CancellationToken cancellationToken)
    {
        var set = new ConfigRequest.Types.Set();
        set.Pairs.AddRange(pairs.Select(p => new KeyValue { Key = p.Key, Value = p.Value }));
        await ConfigAsync(new ConfigRequest.Types.Operation { Set = set }, "setting Spark configuration", cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The values of <paramref name="keys"/>; null where a key is not set.</summary>
    public async Task<IReadOnlyDictionary<string, string?>> GetConfigAsync(IEnumerable<string> keys, CancellationToken cancellationToken)
    {
        var get = new ConfigRequest.Types.GetOption();
        get.Keys.AddRange(keys);
        var response = await ConfigAsync(new ConfigRequest.Types.Operation { GetOption = get }, "reading Spark configuration", cancellationToken).ConfigureAwait(false);
        return response.Pairs.ToDictionary(p => p.Key, p => p.HasValue ? p.Value : null, StringComparer.Ordinal);
    }

    /// <summary>Ends the session on the server (its streaming queries stop).</summary>
    public async Task ReleaseSessionAsync(CancellationToken cancellationToken)
    {
        try
        {
            await _client.ReleaseSessionAsync(new ReleaseSessionRequest { SessionId = SessionId, UserContext = UserContext, ClientType = ClientType },
                cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        catch (RpcException e)
        {
            throw SparkConnectException.From(e, "releasing the session");
        }
    }

    public void Dispose() => _channel?.Dispose();

    private async Task<AnalyzePlanResponse> AnalyzeAsync(Action<AnalyzePlanRequest> set, string what, CancellationToken cancellationToken)
    {
        var request = new AnalyzePlanRequest { SessionId = SessionId, UserContext = UserContext, ClientType = ClientType };
        if (ServerSideSessionId is { } observed)
        {
            request.ClientObservedServerSideSessionId = observed;
        }

        set(request);
        return await UnaryAsync(() => _client.AnalyzePlanAsync(request, cancellationToken: cancellationToken).ResponseAsync, r => r.ServerSideSessionId, what).ConfigureAwait(false);
    }

    private async Task<ConfigResponse> ConfigAsync(ConfigRequest.Types.Operation operation, string what, CancellationToken cancellationToken)
    {
        var request = new ConfigRequest { SessionId = SessionId, UserContext = UserContext, ClientType = ClientType, Operation = operation };
        if (ServerSideSessionId is { } observed)
        {
            request.ClientObservedServerSideSessionId = observed;
        }

        return await UnaryAsync(() => _client.ConfigAsync(request, cancellationToken: cancellationToken).ResponseAsync, r => r.ServerSideSessionId, what).ConfigureAwait(false);
    }

    /// <summary>A unary call: Spark's failure as one exception, the server-side session id checked.</summary>
    private async Task<T> UnaryAsync<T>(Func<Task<T>> call, Func<T, string> serverSideSessionId, string what)
    {
        try
        {
            var response = await call().ConfigureAwait(false);
            Observe(serverSideSessionId(response), what);
            return response;
        }
        catch (RpcException e)
        {
            throw SparkConnectException.From(e, what);
        }
    }

    /// <summary>The next response; null with <c>broken</c> when the stream ended early (false) or broke with UNAVAILABLE (true).</summary>
    private static async Task<(ExecutePlanResponse? Response, bool Broken)> NextAsync(
        AsyncServerStreamingCall<ExecutePlanResponse> call, string what, bool started, CancellationToken cancellationToken)
    {
        try
        {
            return await call.ResponseStream.MoveNext(cancellationToken).ConfigureAwait(false) ? (call.ResponseStream.Current, false) : (null, false);
        }
        catch (RpcException e) when (e.StatusCode == StatusCode.Unavailable && started)
        {
            return (null, true);
        }
        catch (RpcException e) when (e.StatusCode == StatusCode.Cancelled && cancellationToken.IsCancellationRequested)
        {
            throw new OperationCanceledException(cancellationToken);
        }
        catch (RpcException e)
        {
            throw SparkConnectException.From(e, what);
        }
    }

    private static AsyncServerStreamingCall<ExecutePlanResponse> Call(Func<AsyncServerStreamingCall<ExecutePlanResponse>> start, string what)
    {
        try
        {
            return start();
        }
        catch (RpcException e)
        {
            throw SparkConnectException.From(e, what);
        }
    }

    private void Observe(string serverSideSessionId, string what)
    {
        if (serverSideSessionId.Length == 0)
        {
            return;
        }

        if (ServerSideSessionId is null)
        {
            ServerSideSessionId = serverSideSessionId;
        }
        else if (!string.Equals(ServerSideSessionId, serverSideSessionId, StringComparison.Ordinal))
        {
            throw new SparkConnectException($"{what}: the server's session changed from {ServerSideSessionId} to {serverSideSessionId} (the server restarted?)")
            {
                ErrorClass = "INVALID_HANDLE.SESSION_CHANGED",
                StatusCode = StatusCode.FailedPrecondition,
            };
        }
    }

    /// <summary>Releases the execution on the server; best effort, as the server also expires it.</summary>
    private async Task ReleaseAsync(string operationId)
    {
        var request = new ReleaseExecuteRequest
        {
            SessionId = SessionId,
            UserContext = UserContext,
            OperationId = operationId,
            ClientType = ClientType,
            ReleaseAll = new ReleaseExecuteRequest.Types.ReleaseAll(),
        };
        if (ServerSideSessionId is { } observed)
        {
            request.ClientObservedServerSideSessionId = observed;
        }

        try
        {
            await _client.ReleaseExecuteAsync(request, deadline: DateTime.UtcNow.AddSeconds(10)).ConfigureAwait(false);
        }
        catch (RpcException)
        {
            // The server drops abandoned executions after spark.connect.execute.manager.detachedTimeout.
        }
    }

    private static string Describe(Plan plan) => plan.OpTypeCase == Plan.OpTypeOneofCase.Command
        ? plan.Command.CommandTypeCase switch
        {
            Command.CommandTypeOneofCase.WriteStreamOperationStart => "starting the streaming query",
            Command.CommandTypeOneofCase.StreamingQueryCommand => $"streaming query command {plan.Command.StreamingQueryCommand.CommandCase}",
            Command.CommandTypeOneofCase.WriteOperation => "writing the DataFrame",
            _ => "running the command",
        }
        : "running the query";
}
