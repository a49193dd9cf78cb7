namespace Lambda.Core.Transport;

/// <summary>
/// Thread-safe delivery counters of one sink: sent (handed over), acked (confirmed durable) and
/// failed (given up on). Sent − acked − failed is what is still in flight.
/// </summary>
public sealed class SinkStatistics
{
    private long _sent;
    private long _acked;
    private long _failed;

    public long Sent => Interlocked.Read(ref _sent);
    public long Acked => Interlocked.Read(ref _acked);
    public long Failed => Interlocked.Read(ref _failed);
    public long InFlight => Sent - Acked - Failed;

    public void RecordSent() => Interlocked.Increment(ref _sent);
    public void RecordAcked(long count = 1) => Interlocked.Add(ref _acked, count);
    public void RecordFailed(long count = 1) => Interlocked.Add(ref _failed, count);

    public override string ToString() => $"sent {Sent}, acked {Acked}, failed {Failed}, in flight {InFlight}";
}
