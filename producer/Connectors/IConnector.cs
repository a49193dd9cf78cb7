using System.Threading.Channels;

namespace Lambda.Producer.Connectors;

/// <summary>
/// A source of raw frames: a live exchange connection (or several), a REST poller, a replay. Runs
/// until cancelled (or, for a replay, until its input ends), surviving the failures it can survive.
/// </summary>
public interface IConnector
{
    /// <summary>For logs and statistics, e.g. <c>binance-websocket</c>.</summary>
    string Name { get; }

    Task RunAsync(ChannelWriter<ReceivedFrame> frames, CancellationToken cancellationToken);
}
