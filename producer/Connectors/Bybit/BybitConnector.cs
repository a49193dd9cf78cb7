using System.Globalization;
using System.Text;
using System.Threading.Channels;
using Lambda.Core.Contracts;
using Lambda.Producer.Connectors.WebSockets;
using Lambda.Producer.Hosting;

namespace Lambda.Producer.Connectors.Bybit;

/// <summary>
/// Bybit v5 public spot: <c>tickers.{symbol}</c> and <c>publicTrade.{symbol}</c> on one connection,
/// subscribed in requests of at most 10 topics, kept alive with <c>{"op":"ping"}</c> every 20 s.
/// </summary>
public sealed class BybitConnector(ProducerOptions options, ConnectorContext context) : IConnector
{
    public string Name => "bybit-websocket";

    public IReadOnlyList<string> Topics { get; } = StreamNames.Bybit(options.Symbols, options.Streams);

    public Task RunAsync(ChannelWriter<ReceivedFrame> frames, CancellationToken cancellationToken)
    {
        if (Topics.Count == 0)
        {
            // Only klines were asked for, which we do not take from Bybit.
            return Task.CompletedTask;
        }

        var settings = new StreamConnectionSettings(options.Reconnect, options.WatchdogSilence, options.Bybit.ConnectTimeout, MaxOutgoingPerSecond: 10);
        return new BybitConnection(Name, Topics, options.Bybit, settings, context).RunAsync(frames, cancellationToken);
    }
}

internal sealed class BybitConnection(string name, IReadOnlyList<string> topics, BybitOptions bybit, StreamConnectionSettings settings, ConnectorContext context)
    : StreamConnection(name, settings, context)
{
    private int _requestId;

    protected override Uri Endpoint => bybit.WebSocketUrl;

    protected override async Task OnOpenedAsync(WebSocketSession session, CancellationToken cancellationToken)
    {
        foreach (var batch in topics.Chunk(bybit.MaxArgsPerSubscribe))
        {
            var request = new StringBuilder("{\"op\":\"subscribe\",\"req_id\":\"")
                .Append(NextRequestId()).Append("\",\"args\":[")
                .AppendJoin(',', batch.Select(t => $"\"{t}\""))
                .Append("]}");
            await session.SendTextAsync(request.ToString(), cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Bybit drops connections that stay quiet: an application-level ping every interval.</summary>
    protected override async Task KeepAliveAsync(WebSocketSession session, CancellationToken cancellationToken)
    {
        while (true)
        {
            await Task.Delay(bybit.PingInterval, Clock, cancellationToken).ConfigureAwait(false);
            await session.SendTextAsync($"{{\"op\":\"ping\",\"req_id\":\"{NextRequestId()}\"}}", cancellationToken).ConfigureAwait(false);
        }
    }

    protected override ReceivedFrame Wrap(byte[] frame, DateTimeOffset receivedAt) =>
        new(Exchanges.Bybit, EventSources.WebSocket, FrameNormalizers.BybitTag, Context.Normalizers.Bybit, receivedAt, frame);

    private string NextRequestId() => Interlocked.Increment(ref _requestId).ToString(CultureInfo.InvariantCulture);
}
