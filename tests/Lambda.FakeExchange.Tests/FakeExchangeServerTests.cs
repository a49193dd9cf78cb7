using System.Diagnostics;
using System.Net;
using System.Net.WebSockets;

namespace Lambda.FakeExchange.Tests;

public sealed class FakeExchangeServerTests : ServerTest
{
    [Fact]
    public void Listens_on_loopback_only_with_http_and_ws_bases_on_the_same_port()
    {
        Server.HttpBase.Host.Should().Be("127.0.0.1");
        Server.HttpBase.Scheme.Should().Be("http");
        Server.HttpBase.Port.Should().BeGreaterThan(0);
        Server.WebSocketBase.Should().Be(new Uri($"ws://127.0.0.1:{Server.HttpBase.Port}/"));
        new Uri(Server.HttpBase, "api/v3/klines").AbsolutePath.Should().Be("/api/v3/klines");
    }

    [Fact]
    public async Task Plain_http_request_to_a_websocket_endpoint_is_400()
    {
        using var response = await Http().GetAsync(new Uri("stream?streams=btcusdt@trade", UriKind.Relative));

        response.StatusCode.Should().Be(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task Two_servers_run_side_by_side_on_different_ports()
    {
        await using var other = await FakeExchangeServer.StartAsync();

        other.HttpBase.Port.Should().NotBe(Server.HttpBase.Port);
    }

    [Fact]
    public async Task Dispose_ends_open_connections_as_shutdown_and_stops_quickly()
    {
        var binance = await ConnectAsync(BinanceStreamUri("btcusdt@trade"));
        var bybit = await ConnectAsync(BybitSpotUri);
        var binanceConnection = await Server.Binance.WaitForConnectionAsync(1, Wait);
        var bybitConnection = await Server.Bybit.WaitForConnectionAsync(1, Wait);
        var clock = Stopwatch.StartNew();

        await Server.DisposeAsync();

        clock.Elapsed.Should().BeLessThan(TimeSpan.FromSeconds(2));
        binanceConnection.ClosedBy.Should().Be("shutdown");
        bybitConnection.ClosedBy.Should().Be("shutdown");
        await binance.Invoking(c => c.ReceiveAsync()).Should().ThrowAsync<WebSocketException>();
        await bybit.Invoking(c => c.ReceiveAsync()).Should().ThrowAsync<WebSocketException>();
    }
}
