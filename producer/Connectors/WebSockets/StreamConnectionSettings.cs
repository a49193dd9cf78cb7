namespace Lambda.Producer.Connectors.WebSockets;

/// <summary>How one reconnecting WebSocket connection behaves.</summary>
/// <param name="Lifetime">Replace the connection (new one first) after this long; null: never.</param>
/// <param name="RotationGrace">After the new connection proved it carries the same frames, keep the old one this much longer.</param>
/// <param name="MaxRotationOverlap">The longest both run side by side.</param>
/// <param name="MaxOutgoingPerSecond">Messages we may send a second on one connection.</param>
public sealed record StreamConnectionSettings(
    ReconnectOptions Reconnect,
    TimeSpan WatchdogSilence,
    TimeSpan ConnectTimeout,
    int MaxOutgoingPerSecond,
    TimeSpan? Lifetime = null,
    TimeSpan RotationGrace = default,
    TimeSpan MaxRotationOverlap = default);
