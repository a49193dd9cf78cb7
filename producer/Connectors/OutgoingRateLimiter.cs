namespace Lambda.Producer.Connectors;

/// <summary>
/// Keeps what a client sends under Binance's limit of <c>N</c> messages a second (over it, the connection is closed
/// with 1008): messages leave evenly spaced, one every 1.25 s / N. The server counts arrivals, which a loaded machine
/// or the network can bunch together; evenly spaced sends with a quarter second to spare stay under the limit where
/// a sliding window that lets N leave back to back did not (it failed the fake server's check once under load).
/// Callers wait for their turn instead of being refused.
/// </summary>
public sealed class OutgoingRateLimiter(int perSecond, TimeProvider clock)
{
    private static readonly TimeSpan PerSecondWithMargin = TimeSpan.FromSeconds(1.25);

    private readonly TimeSpan _spacing = PerSecondWithMargin / Math.Max(1, perSecond);
    private readonly SemaphoreSlim _gate = new(1, 1);
    private long? _lastSent;

    /// <summary>The least time between two messages.</summary>
    public TimeSpan Spacing => _spacing;

    public async Task WaitAsync(CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_lastSent is { } last && _spacing - clock.GetElapsedTime(last) is var wait && wait > TimeSpan.Zero)
            {
                await Task.Delay(wait, clock, cancellationToken).ConfigureAwait(false);
            }

            _lastSent = clock.GetTimestamp();
        }
        finally
        {
            _gate.Release();
        }
    }
}
