namespace Lambda.Producer.Connectors;

/// <summary>
/// Lets each distinct frame through once while two connections carry the same streams (the
/// overlap of a planned replacement): the exchange sends both the same bytes for the same event,
/// so byte-equality is exact. Outside an overlap it lets everything through and keeps nothing.
/// </summary>
public sealed class FrameDeduplicator(TimeProvider clock)
{
    private readonly Lock _gate = new();
    private readonly HashSet<byte[]> _seen = new(ByteContent.Comparer);
    private bool _active;
    private long? _endsAt;
    private TaskCompletionSource _duplicateSeen = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Completes when a frame arrived twice since <see cref="Begin"/>: proof that the new connection caught up.</summary>
    public Task DuplicateSeen
    {
        get
        {
            lock (_gate)
            {
                return _duplicateSeen.Task;
            }
        }
    }

    /// <summary>Second copies dropped since the last <see cref="Begin"/>.</summary>
    public long Dropped { get; private set; }

    public void Begin()
    {
        lock (_gate)
        {
            _seen.Clear();
            _active = true;
            _endsAt = null;
            Dropped = 0;
            _duplicateSeen = new(TaskCreationOptions.RunContinuationsAsynchronously);
        }
    }

    /// <summary>Keeps deduplicating for <paramref name="grace"/> more (the new connection may still be behind), then stops.</summary>
    public void EndAfter(TimeSpan grace)
    {
        lock (_gate)
        {
            _endsAt = clock.GetTimestamp() + (long)(grace.TotalSeconds * clock.TimestampFrequency);
        }
    }

    /// <summary>True when the frame should be emitted; false for a second copy.</summary>
    public bool Admit(byte[] frame)
    {
        lock (_gate)
        {
            if (!_active)
            {
                return true;
            }

            if (_endsAt is { } end && clock.GetTimestamp() >= end)
            {
                _active = false;
                _seen.Clear();
                return true;
            }

            if (_seen.Add(frame))
            {
                return true;
            }

            Dropped++;
            _duplicateSeen.TrySetResult();
            return false;
        }
    }

    private sealed class ByteContent : IEqualityComparer<byte[]>
    {
        public static readonly ByteContent Comparer = new();

        public bool Equals(byte[]? x, byte[]? y) => x.AsSpan().SequenceEqual(y);

        public int GetHashCode(byte[] obj)
        {
            var hash = new HashCode();
            hash.AddBytes(obj);
            return hash.ToHashCode();
        }
    }
}
