using System.Diagnostics;

namespace Lambda.FakeExchange;

/// <summary>
/// A monotonic clock for the server's own deadlines (connection lifetime, Bybit's missing pings)
/// that does not count a pause of the whole process: between two readings it advances by at most
/// <see cref="MaxStep"/>. The server reads it every 20 ms, so it keeps real time unless the test
/// process was starved of CPU (a loaded CI machine), and a starved test is then not mistaken for a
/// silent client.
/// </summary>
internal sealed class StallTolerantClock
{
    public static readonly TimeSpan MaxStep = TimeSpan.FromMilliseconds(100);

    private readonly Lock _gate = new();
    private long _lastTimestamp = Stopwatch.GetTimestamp();
    private TimeSpan _now;

    public TimeSpan Now
    {
        get
        {
            lock (_gate)
            {
                var timestamp = Stopwatch.GetTimestamp();
                var elapsed = Stopwatch.GetElapsedTime(_lastTimestamp, timestamp);
                _lastTimestamp = timestamp;
                _now += elapsed < MaxStep ? elapsed : MaxStep;
                return _now;
            }
        }
    }
}
