using Lambda.Producer.Pipeline;
using Microsoft.Extensions.Logging;

namespace Lambda.Producer.Connectors;

/// <summary>What every connector shares: the normalizers it tags frames with, the statistics it counts reconnects in, the clock.</summary>
public sealed record ConnectorContext(FrameNormalizers Normalizers, IngestStatistics Statistics, StreamConnectivity Connectivity, TimeProvider Clock, ILoggerFactory Loggers);

/// <summary>
/// How many exchange WebSocket connections are open right now, and since when none has been: the
/// REST fallback polls while the streams stay down.
/// </summary>
public sealed class StreamConnectivity(TimeProvider clock)
{
    private readonly Lock _gate = new();
    private int _open;
    private long _allDownSince = clock.GetTimestamp();

    public int Open
    {
        get
        {
            lock (_gate)
            {
                return _open;
            }
        }
    }

    /// <summary>How long no connection has been open; zero while one is.</summary>
    public TimeSpan AllDownFor
    {
        get
        {
            lock (_gate)
            {
                return _open > 0 ? TimeSpan.Zero : clock.GetElapsedTime(_allDownSince);
            }
        }
    }

    public void Opened()
    {
        lock (_gate)
        {
            _open++;
        }
    }

    public void Closed()
    {
        lock (_gate)
        {
            if (--_open == 0)
            {
                _allDownSince = clock.GetTimestamp();
            }
        }
    }
}
