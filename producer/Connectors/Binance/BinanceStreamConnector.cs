using System.Text;
using System.Threading.Channels;
using Lambda.Core.Contracts;
using Lambda.Producer.Connectors.WebSockets;
using Lambda.Producer.Hosting;

namespace Lambda.Producer.Connectors.Binance;

/// <summary>
/// Binance spot market streams over combined-stream WebSocket connections. The streams go in the
/// URL (no SUBSCRIBE messages to count against the 5-a-second limit); more than a connection may
/// carry (1024, or a lower configured number) are spread over several connections, and streams that
/// would make a URL too long are subscribed with SUBSCRIBE messages paced by that limit.
/// </summary>
public sealed class BinanceStreamConnector(ProducerOptions options, ConnectorContext context) : IConnector
{
    public string Name => "binance-websocket";

    public IReadOnlyList<IReadOnlyList<string>> ConnectionGroups { get; } =
        StreamNames.Binance(options.Symbols, options.Streams).Chunk(options.Binance.MaxStreamsPerConnection).Select(g => (IReadOnlyList<string>)g).ToList();

    public Task RunAsync(ChannelWriter<ReceivedFrame> frames, CancellationToken cancellationToken)
    {
        var settings = new StreamConnectionSettings(
            options.Reconnect, options.WatchdogSilence, options.Binance.ConnectTimeout, options.Binance.MaxOutgoingPerSecond,
            options.Binance.ConnectionLifetime, options.Binance.RotationGrace, options.Binance.MaxRotationOverlap);
        var connections = ConnectionGroups.Select((streams, i) =>
            new BinanceConnection($"{Name}#{i + 1}", streams, options.Binance, settings, context));
        return Task.WhenAll(connections.Select(c => c.RunAsync(frames, cancellationToken)));
    }
}

/// <summary>One combined-stream connection of <see cref="BinanceStreamConnector"/>.</summary>
internal sealed class BinanceConnection : StreamConnection
{
    /// <summary>Streams per SUBSCRIBE message for what does not fit in the URL.</summary>
    private const int SubscribeBatch = 100;

    private static readonly byte[] ServerShutdown = "\"serverShutdown\""u8.ToArray();

    private readonly Uri _endpoint;
    private readonly IReadOnlyList<string> _subscribeLater;
    private int _requestId;

    public BinanceConnection(string name, IReadOnlyList<string> streams, BinanceOptions binance, StreamConnectionSettings settings, ConnectorContext context)
        : base(name, settings, context)
    {
        var root = binance.WebSocketUrl.GetLeftPart(UriPartial.Authority) + "/stream?streams=";
        var inUrl = 0;
        var length = root.Length;
        while (inUrl < streams.Count && (inUrl == 0 || length + 1 + streams[inUrl].Length <= binance.MaxUrlLength))
        {
            length += streams[inUrl].Length + 1;
            inUrl++;
        }

        _endpoint = new Uri(root + string.Join('/', streams.Take(inUrl)));
        _subscribeLater = streams.Skip(inUrl).ToList();
    }

    protected override Uri Endpoint => _endpoint;

    protected override async Task OnOpenedAsync(WebSocketSession session, CancellationToken cancellationToken)
    {
        foreach (var batch in _subscribeLater.Chunk(SubscribeBatch))
        {
            var request = new StringBuilder("{\"method\":\"SUBSCRIBE\",\"params\":[")
                .AppendJoin(',', batch.Select(s => $"\"{s}\""))
                .Append("],\"id\":").Append(Interlocked.Increment(ref _requestId)).Append('}');
            await session.SendTextAsync(request.ToString(), cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary><c>{"e":"serverShutdown",…}</c> comes before Binance closes a connection for maintenance.</summary>
    protected override bool AnnouncesShutdown(ReadOnlySpan<byte> frame) => frame.Length < 256 && frame.IndexOf(ServerShutdown) >= 0;

    protected override ReceivedFrame Wrap(byte[] frame, DateTimeOffset receivedAt) =>
        new(Exchanges.Binance, EventSources.WebSocket, FrameNormalizers.BinanceTag, Context.Normalizers.BinanceStream, receivedAt, frame);
}
