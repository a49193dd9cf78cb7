namespace Lambda.Core.Transport.Kafka;

/// <summary>
/// librdkafka reports the same client error again and again while a broker is down (hundreds of
/// "Connect to … failed: Connection refused" in 30 s). This tells which reports are new, so each
/// distinct error is logged once; librdkafka's own "(after 0ms in state CONNECT, 3 identical error(s)
/// suppressed)" tail is not part of what makes an error distinct.
/// </summary>
public sealed class KafkaErrorLog
{
    private readonly HashSet<string> _seen = new(StringComparer.Ordinal);

    /// <summary>True the first time this error (code and reason without its tail) is reported.</summary>
    public bool IsNew(string code, string reason)
    {
        ArgumentNullException.ThrowIfNull(reason);
        var tail = reason.IndexOf(" (after ", StringComparison.Ordinal);
        var key = code + " " + (tail < 0 ? reason : reason[..tail]);
        lock (_seen)
        {
            return _seen.Add(key);
        }
    }
}
