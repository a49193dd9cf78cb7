using System.Collections.Concurrent;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Lambda.Core.Spark;
using Lambda.Core.Spark.Rpc;
using Spark.Connect;
using RpcStatus = Lambda.Core.Spark.Rpc.Status;

namespace Lambda.Spark.Tests.Fake;

/// <summary>One call as the fake server received it.</summary>
internal sealed record RecordedCall(string Method, string SessionId, string UserId, string? ClientType, string? OperationId, string? ObservedServerSideSessionId, string Detail);

/// <summary>A streaming query the fake server pretends to run.</summary>
internal sealed class FakeQuery(string id, string name, string checkpoint)
{
    public string Id { get; } = id;
    public string Name { get; } = name;
    public string Checkpoint { get; } = checkpoint;
    public string RunId { get; set; } = Guid.NewGuid().ToString();
    public bool Active { get; set; } = true;
    public List<string> Progress { get; } = [];
    public (string ErrorClass, string Message)? Failure { get; set; }
}

/// <summary>
/// An in-process SparkConnectService that records every call and plays a Spark Connect server's
/// part of the protocol: response ids, reattachable executions (a first stream can be cut short
/// before ResultComplete), release, server-side session ids, Spark errors in the status details,
/// streaming queries (ids that survive a restart from the same checkpoint), and sessions that can
/// be forgotten as after a server restart.
/// </summary>
internal sealed class FakeSparkConnect : SparkConnectService.SparkConnectServiceBase
{
    private readonly ConcurrentDictionary<string, List<ExecutePlanResponse>> _operations = new();
    private readonly ConcurrentDictionary<string, byte> _forgotten = new();
    private readonly ConcurrentDictionary<string, string> _config = new();
    private readonly object _gate = new();

    public ConcurrentQueue<RecordedCall> Calls { get; } = new();

    public string ServerSideSessionId { get; private set; } = Guid.NewGuid().ToString();

    /// <summary>Responses of a query plan (before ids and ResultComplete are added).</summary>
    public Func<ExecutePlanRequest, IEnumerable<ExecutePlanResponse>> Results { get; set; } = _ => [];

    /// <summary>The first stream of every operation ends after this many responses, without ResultComplete.</summary>
    public int CutFirstStreamAfter { get; set; } = int.MaxValue;

    /// <summary>The first stream of every operation breaks with UNAVAILABLE (a dropped connection) after this many responses.</summary>
    public int BreakFirstStreamAfter { get; set; } = int.MaxValue;

    /// <summary>The next ExecutePlan or AnalyzePlan fails with this Spark error.</summary>
    public (StatusCode Code, string ErrorClass, string Message)? FailNext { get; set; }

    public Dictionary<string, FakeQuery> Queries { get; } = new(StringComparer.Ordinal);

    public IReadOnlyDictionary<string, string> Settings => _config;

    public IEnumerable<RecordedCall> CallsTo(string method) => Calls.Where(c => c.Method == method);

    /// <summary>As after a restart: every session known so far is gone, and the server has a new id.</summary>
    public void ForgetSessions()
    {
        foreach (var call in Calls)
        {
            _forgotten[call.SessionId] = 0;
        }

        ServerSideSessionId = Guid.NewGuid().ToString();
        lock (_gate)
        {
            foreach (var query in Queries.Values)
            {
                query.Active = false;
            }
        }
    }

    /// <summary>A server that came back with a new server-side session id but accepts the old session ids.</summary>
    public void RestartKeepingSessions() => ServerSideSessionId = Guid.NewGuid().ToString();

    public override async Task ExecutePlan(ExecutePlanRequest request, IServerStreamWriter<ExecutePlanResponse> responseStream, ServerCallContext context)
    {
        Record("ExecutePlan", request.SessionId, request.UserContext, request.HasClientType ? request.ClientType : null, request.OperationId,
            request.HasClientObservedServerSideSessionId ? request.ClientObservedServerSideSessionId : null, Describe(request.Plan));
        CheckSession(request.SessionId);
        ThrowIfFailing();
        var responses = Respond(request).Select(r =>
        {
            r.SessionId = request.SessionId;
            r.ServerSideSessionId = ServerSideSessionId;
            r.OperationId = request.OperationId;
            r.ResponseId = Guid.NewGuid().ToString();
            return r;
        }).ToList();
        responses.Add(new ExecutePlanResponse
        {
            SessionId = request.SessionId,
            ServerSideSessionId = ServerSideSessionId,
            OperationId = request.OperationId,
            ResponseId = Guid.NewGuid().ToString(),
            ResultComplete = new ExecutePlanResponse.Types.ResultComplete(),
        });
        _operations[request.OperationId] = responses;
        foreach (var response in responses.Take(CutFirstStreamAfter).Take(BreakFirstStreamAfter))
        {
            await responseStream.WriteAsync(response, context.CancellationToken).ConfigureAwait(false);
        }

        if (BreakFirstStreamAfter < responses.Count)
        {
            throw new RpcException(new Grpc.Core.Status(StatusCode.Unavailable, "connection reset"));
        }
    }

    public override async Task ReattachExecute(ReattachExecuteRequest request, IServerStreamWriter<ExecutePlanResponse> responseStream, ServerCallContext context)
    {
        Record("ReattachExecute", request.SessionId, request.UserContext, request.HasClientType ? request.ClientType : null, request.OperationId,
            request.HasClientObservedServerSideSessionId ? request.ClientObservedServerSideSessionId : null, request.HasLastResponseId ? request.LastResponseId : "");
        CheckSession(request.SessionId);
        if (!_operations.TryGetValue(request.OperationId, out var responses))
        {
            throw SparkError(StatusCode.Internal, "INVALID_HANDLE.OPERATION_NOT_FOUND", $"[INVALID_HANDLE.OPERATION_NOT_FOUND] The handle {request.OperationId} is invalid.");
        }

        var start = request.HasLastResponseId ? responses.FindIndex(r => r.ResponseId == request.LastResponseId) + 1 : 0;
        foreach (var response in responses.Skip(start))
        {
            await responseStream.WriteAsync(response, context.CancellationToken).ConfigureAwait(false);
        }
    }

    public override Task<ReleaseExecuteResponse> ReleaseExecute(ReleaseExecuteRequest request, ServerCallContext context)
    {
        Record("ReleaseExecute", request.SessionId, request.UserContext, request.HasClientType ? request.ClientType : null, request.OperationId,
            request.HasClientObservedServerSideSessionId ? request.ClientObservedServerSideSessionId : null, request.ReleaseCase.ToString());
        _operations.TryRemove(request.OperationId, out _);
        return Task.FromResult(new ReleaseExecuteResponse { SessionId = request.SessionId, ServerSideSessionId = ServerSideSessionId, OperationId = request.OperationId });
    }

    public override Task<AnalyzePlanResponse> AnalyzePlan(AnalyzePlanRequest request, ServerCallContext context)
    {
        Record("AnalyzePlan", request.SessionId, request.UserContext, request.HasClientType ? request.ClientType : null, null,
            request.HasClientObservedServerSideSessionId ? request.ClientObservedServerSideSessionId : null, request.AnalyzeCase.ToString());
        CheckSession(request.SessionId);
        ThrowIfFailing();
        var response = new AnalyzePlanResponse { SessionId = request.SessionId, ServerSideSessionId = ServerSideSessionId };
        switch (request.AnalyzeCase)
        {
            case AnalyzePlanRequest.AnalyzeOneofCase.SparkVersion:
                response.SparkVersion = new AnalyzePlanResponse.Types.SparkVersion { Version = "4.0.1" };
                break;
            case AnalyzePlanRequest.AnalyzeOneofCase.Schema:
                var schema = new DataType { Struct = new DataType.Types.Struct() };
                schema.Struct.Fields.Add(new DataType.Types.StructField { Name = "id", DataType = new DataType { Long = new DataType.Types.Long() }, Nullable = false });
                response.Schema = new AnalyzePlanResponse.Types.Schema { Schema_ = schema };
                break;
            case AnalyzePlanRequest.AnalyzeOneofCase.Explain:
                response.Explain = new AnalyzePlanResponse.Types.Explain { ExplainString = $"== Physical Plan ==\n{request.Explain.ExplainMode}" };
                break;
            default:
                throw new RpcException(new Grpc.Core.Status(StatusCode.Unimplemented, request.AnalyzeCase.ToString()));
        }

        return Task.FromResult(response);
    }

    public override Task<ConfigResponse> Config(ConfigRequest request, ServerCallContext context)
    {
        Record("Config", request.SessionId, request.UserContext, request.HasClientType ? request.ClientType : null, null,
            request.HasClientObservedServerSideSessionId ? request.ClientObservedServerSideSessionId : null, request.Operation.OpTypeCase.ToString());
        CheckSession(request.SessionId);
        var response = new ConfigResponse { SessionId = request.SessionId, ServerSideSessionId = ServerSideSessionId };
        switch (request.Operation.OpTypeCase)
        {
            case ConfigRequest.Types.Operation.OpTypeOneofCase.Set:
                foreach (var pair in request.Operation.Set.Pairs)
                {
                    _config[pair.Key] = pair.Value;
                }

                break;
            case ConfigRequest.Types.Operation.OpTypeOneofCase.GetOption:
                foreach (var key in request.Operation.GetOption.Keys)
                {
                    var pair = new KeyValue { Key = key };
                    if (_config.TryGetValue(key, out var value))
                    {
                        pair.Value = value;
                    }

                    response.Pairs.Add(pair);
                }

                break;
        }

        return Task.FromResult(response);
    }

    public override Task<ReleaseSessionResponse> ReleaseSession(ReleaseSessionRequest request, ServerCallContext context)
    {
        Record("ReleaseSession", request.SessionId, request.UserContext, request.HasClientType ? request.ClientType : null, null, null, "");
        return Task.FromResult(new ReleaseSessionResponse { SessionId = request.SessionId, ServerSideSessionId = ServerSideSessionId });
    }

    /// <summary>A failure as a Spark Connect server sends it: a google.rpc.Status with an ErrorInfo in the status details trailer.</summary>
    public static RpcException SparkError(StatusCode code, string errorClass, string message)
    {
        var info = new ErrorInfo { Reason = "org.apache.spark.sql.AnalysisException", Domain = "org.apache.spark" };
        info.Metadata["errorClass"] = errorClass;
        info.Metadata["sqlState"] = "42000";
        var status = new RpcStatus { Code = (int)code, Message = message, Details = { Any.Pack(info) } };
        var trailers = new Metadata { { SparkConnectException.StatusDetailsTrailer, status.ToByteArray() } };
        return new RpcException(new Grpc.Core.Status(code, message), trailers);
    }

    private IEnumerable<ExecutePlanResponse> Respond(ExecutePlanRequest request)
    {
        var command = request.Plan.Command;
        if (command?.WriteStreamOperationStart is { } start)
        {
            lock (_gate)
            {
                var checkpoint = start.Options.TryGetValue("checkpointLocation", out var c) ? c : "";
                var query = Queries.Values.FirstOrDefault(q => q.Checkpoint == checkpoint && checkpoint.Length > 0);
                if (query is null)
                {
                    query = new FakeQuery(Guid.NewGuid().ToString(), start.QueryName, checkpoint);
                    Queries[query.Id] = query;
                }
                else
                {
                    // A restart from the same checkpoint: same id, new run.
                    query.RunId = Guid.NewGuid().ToString();
                    query.Active = true;
                }

                return [new ExecutePlanResponse
                {
                    WriteStreamOperationStartResult = new WriteStreamOperationStartResult
                    {
                        QueryId = new StreamingQueryInstanceId { Id = query.Id, RunId = query.RunId },
                        Name = query.Name,
                    },
                }];
            }
        }

        if (command?.StreamingQueryCommand is { } queryCommand)
        {
            lock (_gate)
            {
                var query = Queries[queryCommand.QueryId.Id];
                var result = new StreamingQueryCommandResult { QueryId = queryCommand.QueryId };
                switch (queryCommand.CommandCase)
                {
                    case StreamingQueryCommand.CommandOneofCase.Status:
                        result.Status = new StreamingQueryCommandResult.Types.StatusResult { IsActive = query.Active, StatusMessage = query.Active ? "Waiting for data to arrive" : "Stopped" };
                        break;
                    case StreamingQueryCommand.CommandOneofCase.LastProgress:
                        result.RecentProgress = new StreamingQueryCommandResult.Types.RecentProgressResult();
                        if (query.Progress.Count > 0)
                        {
                            result.RecentProgress.RecentProgressJson.Add(query.Progress[^1]);
                        }

                        break;
                    case StreamingQueryCommand.CommandOneofCase.RecentProgress:
                        result.RecentProgress = new StreamingQueryCommandResult.Types.RecentProgressResult { RecentProgressJson = { query.Progress } };
                        break;
                    case StreamingQueryCommand.CommandOneofCase.Stop:
                        query.Active = false;
                        break;
                    case StreamingQueryCommand.CommandOneofCase.Exception:
                        result.Exception = query.Failure is { } f
                            ? new StreamingQueryCommandResult.Types.ExceptionResult { ErrorClass = f.ErrorClass, ExceptionMessage = f.Message }
                            : new StreamingQueryCommandResult.Types.ExceptionResult();
                        break;
                    case StreamingQueryCommand.CommandOneofCase.AwaitTermination:
                        result.AwaitTermination = new StreamingQueryCommandResult.Types.AwaitTerminationResult { Terminated = !query.Active };
                        break;
                }

                return [new ExecutePlanResponse { StreamingQueryCommandResult = result }];
            }
        }

        return Results(request);
    }

    private void Record(string method, string sessionId, UserContext? user, string? clientType, string? operationId, string? observed, string detail) =>
        Calls.Enqueue(new RecordedCall(method, sessionId, user?.UserId ?? "", clientType, operationId, observed, detail));

    private void CheckSession(string sessionId)
    {
        if (_forgotten.ContainsKey(sessionId))
        {
            throw SparkError(StatusCode.FailedPrecondition, "INVALID_HANDLE.SESSION_NOT_FOUND", $"[INVALID_HANDLE.SESSION_NOT_FOUND] The handle {sessionId} is invalid. Session not found.");
        }
    }

    private void ThrowIfFailing()
    {
        if (FailNext is { } failure)
        {
            FailNext = null;
            throw SparkError(failure.Code, failure.ErrorClass, failure.Message);
        }
    }

    private static string Describe(Plan plan) => plan.OpTypeCase == Plan.OpTypeOneofCase.Root
        ? "root:" + plan.Root.RelTypeCase
        : plan.Command.CommandTypeCase switch
        {
            Command.CommandTypeOneofCase.StreamingQueryCommand => $"query:{plan.Command.StreamingQueryCommand.CommandCase}:{plan.Command.StreamingQueryCommand.QueryId.Id}",
            Command.CommandTypeOneofCase.WriteStreamOperationStart => "start:" + plan.Command.WriteStreamOperationStart.QueryName,
            _ => "command:" + plan.Command.CommandTypeCase,
        };
}
