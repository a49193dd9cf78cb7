namespace Lambda.Producer.Connectors;

/// <summary>
/// At most <c>N</c> messages in any window of one second, as Binance demands of what a client sends
/// (over it, the connection is closed with 1008). Callers wait for a slot instead of being refused.
/// </summary>
public sealed class OutgoingRateLimiter(int perSecond, TimeProvider clock)
{
    /// <summary>One second, and a margin: the server measures arrivals, which jitter against our sends.</summary>
    private static readonly TimeSpan Window = TimeSpan.FromSeconds(1.05);

    private readonly Queue<long> _sent = new();
    private readonly SemaphoreSlim _gate = new(1, 1);

    public async Task WaitAsync(CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            while (true)
            {
                var now = clock.GetTimestamp();
                while (_sent.Count > 0 && clock.GetElapsedTime(_sent.Peek(), now) >= Window)
                {
                    _sent.Dequeue();
                }

                if (_sent.Count < perSecond)
                {
                    _sent.Enqueue(now);
                    return;
                }

                // Wait until the oldest send leaves the window (plus a hair for timer granularity).
                var wait = Window - clock.GetElapsedTime(_sent.Peek(), now) + TimeSpan.FromMilliseconds(2);
                await Task.Delay(wait, clock, cancellationToken).ConfigureAwait(false);
            }
        }
        finally
        {
            _gate.Release();
        }
    }
}
