namespace Lambda.Producer.Replay;

/// <summary>
/// Spaces replayed input as it was spaced when recorded, divided by the speed-up; without a speed
/// (<c>--speed max</c>) it never waits.
/// </summary>
public sealed class ReplayPacer(ReplaySpeed speed, TimeProvider clock)
{
    private long? _firstInputMs;
    private long _startTimestamp;

    public async ValueTask WaitForAsync(long inputTimeMs, CancellationToken cancellationToken)
    {
        if (speed.Factor is not { } factor)
        {
            return;
        }

        if (_firstInputMs is null)
        {
            _firstInputMs = inputTimeMs;
            _startTimestamp = clock.GetTimestamp();
            return;
        }

        var due = TimeSpan.FromMilliseconds((inputTimeMs - _firstInputMs.Value) / factor);
        var wait = due - clock.GetElapsedTime(_startTimestamp);
        if (wait > TimeSpan.Zero)
        {
            await Task.Delay(wait, clock, cancellationToken).ConfigureAwait(false);
        }
    }
}
