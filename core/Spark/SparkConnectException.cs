using Grpc.Core;
using Lambda.Core.Spark.Rpc;
using RpcStatus = Lambda.Core.Spark.Rpc.Status;

namespace Lambda.Core.Spark;

/// <summary>
/// Every failed Spark Connect call, with what the server said: the gRPC status, Spark's error class
/// (e.g. <c>DATA_SOURCE_NOT_FOUND</c>, <c>INVALID_HANDLE.SESSION_NOT_FOUND</c>), its SQL state, the
/// exception class, and the server's message.
/// </summary>
public sealed class SparkConnectException : Exception
{
    /// <summary>The trailer in which Spark sends a serialized <c>google.rpc.Status</c>.</summary>
    public const string StatusDetailsTrailer = "grpc-status-details-bin";

    public SparkConnectException(string message)
        : base(message)
    {
    }

    public SparkConnectException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public SparkConnectException()
    {
    }

    public StatusCode StatusCode { get; init; } = StatusCode.Unknown;

    /// <summary>Spark's error class, when the server sent one.</summary>
    public string? ErrorClass { get; init; }

    public string? SqlState { get; init; }

    /// <summary>The JVM exception class (ErrorInfo.reason), e.g. <c>org.apache.spark.sql.AnalysisException</c>.</summary>
    public string? ExceptionClass { get; init; }

    /// <summary>The server's message as it sent it (without our prefix).</summary>
    public string ServerMessage { get; init; } = "";

    /// <summary>The session is no longer the one we talked to: the server restarted or the session expired.</summary>
    public bool IsSessionGone => ErrorClass is not null && ErrorClass.StartsWith("INVALID_HANDLE.SESSION_", StringComparison.Ordinal);

    /// <summary>No Spark Connect server answered at the address.</summary>
    public bool IsUnreachable => StatusCode is StatusCode.Unavailable or StatusCode.DeadlineExceeded && ErrorClass is null;

    /// <summary>Maps a gRPC failure to one exception, reading Spark's ErrorInfo from the status details.</summary>
    public static SparkConnectException From(RpcException e, string operation)
    {
        ArgumentNullException.ThrowIfNull(e);
        string? errorClass = null, sqlState = null, exceptionClass = null;
        var message = e.Status.Detail;
        var details = e.Trailers.GetValueBytes(StatusDetailsTrailer);
        if (details is not null)
        {
            try
            {
                var status = RpcStatus.Parser.ParseFrom(details);
                if (status.Message.Length > 0)
                {
                    message = status.Message;
                }

                foreach (var any in status.Details)
                {
                    if (any.TryUnpack<ErrorInfo>(out var info))
                    {
                        exceptionClass = info.Reason.Length > 0 ? info.Reason : null;
                        errorClass = info.Metadata.TryGetValue("errorClass", out var c) && c.Length > 0 ? c : null;
                        sqlState = info.Metadata.TryGetValue("sqlState", out var s) && s.Length > 0 ? s : null;
                    }
                }
            }
            catch (Google.Protobuf.InvalidProtocolBufferException)
            {
                // A trailer we cannot read leaves the plain gRPC status, which still says what failed.
            }
        }

        var text = e.StatusCode switch
        {
            StatusCode.Unavailable when errorClass is null => $"{operation}: no Spark Connect server answered ({message})",
            StatusCode.Cancelled => $"{operation}: cancelled",
            _ => $"{operation} failed: {(errorClass is null ? "" : $"[{errorClass}] ")}{StripClassPrefix(message, errorClass)}",
        };
        return new SparkConnectException(text, e)
        {
            StatusCode = e.StatusCode,
            ErrorClass = errorClass,
            SqlState = sqlState,
            ExceptionClass = exceptionClass,
            ServerMessage = message,
        };
    }

    /// <summary>Spark's messages already start with "[ERROR_CLASS] "; it is printed once.</summary>
    private static string StripClassPrefix(string message, string? errorClass) =>
        errorClass is not null && message.StartsWith($"[{errorClass}] ", StringComparison.Ordinal) ? message[(errorClass.Length + 3)..] : message;
}
