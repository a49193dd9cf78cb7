namespace Lambda.Producer.Connectors.WebSockets;

/// <summary>Why a WebSocket session ended; each reason is logged and counted as a reconnect.</summary>
public enum SessionEndKind
{
    /// <summary>The server sent a close frame (e.g. 1008 for too many messages, 1000 at the 24 h limit).</summary>
    ClosedByServer,

    /// <summary>The connection broke without a close frame (reset, network loss).</summary>
    Aborted,

    /// <summary>Nothing arrived for longer than the watchdog allows.</summary>
    Silent,

    /// <summary>We replaced the connection on purpose (before the 24 h limit, or on a <c>serverShutdown</c>).</summary>
    Rotated,

    /// <summary>We are stopping.</summary>
    Cancelled,
}

public sealed record SessionEnd(SessionEndKind Kind, string Detail)
{
    /// <summary>A short label for counters: <c>closed</c>, <c>aborted</c>, <c>silent</c>, <c>rotated</c>, <c>cancelled</c>.</summary>
    public string Label => Kind switch
    {
        SessionEndKind.ClosedByServer => "closed",
        SessionEndKind.Aborted => "aborted",
        SessionEndKind.Silent => "silent",
        SessionEndKind.Rotated => "rotated",
        _ => "cancelled",
    };

    public override string ToString() => $"{Label}: {Detail}";
}
