using System.Net.WebSockets;
using System.Text.Json;

namespace Lambda.FakeExchange.Tests;

public sealed class BybitWebSocketTests : ServerTest
{
    [Fact]
    public async Task Subscribe_with_up_to_ten_args_succeeds()
    {
        var client = await ConnectAsync(BybitSpotUri);
        var connection = await Server.Bybit.WaitForConnectionAsync(1, Wait);
        var topics = Topics(10);

        await client.SendTextAsync(Subscribe(topics, "\"sub-1\""));

        var reply = JsonDocument.Parse(await client.ReceiveTextAsync()).RootElement;
        reply.GetProperty("success").GetBoolean().Should().BeTrue();
        reply.GetProperty("ret_msg").GetString().Should().BeEmpty();
        reply.GetProperty("conn_id").GetString().Should().Be(connection.ConnectionId).And.NotBeEmpty();
        reply.GetProperty("req_id").GetString().Should().Be("sub-1");
        reply.GetProperty("op").GetString().Should().Be("subscribe");
        connection.Streams.Should().Equal(topics);
    }

    [Fact]
    public async Task Subscribe_with_more_than_ten_args_is_refused_and_subscribes_nothing()
    {
        var client = await ConnectAsync(BybitSpotUri);
        var connection = await Server.Bybit.WaitForConnectionAsync(1, Wait);

        await client.SendTextAsync(Subscribe(Topics(11), "42"));

        var reply = JsonDocument.Parse(await client.ReceiveTextAsync()).RootElement;
        reply.GetProperty("success").GetBoolean().Should().BeFalse();
        reply.GetProperty("ret_msg").GetString().Should().Be("args size >10");
        reply.GetProperty("req_id").GetInt32().Should().Be(42);
        connection.Streams.Should().BeEmpty();
        connection.IsOpen.Should().BeTrue();
    }

    [Fact]
    public async Task Ping_is_answered_with_pong_and_its_time_recorded()
    {
        var client = await ConnectAsync(BybitSpotUri);
        await Server.Bybit.WaitForConnectionAsync(1, Wait);
        var before = DateTimeOffset.UtcNow;

        await client.SendTextAsync("""{"op":"ping","req_id":"p1"}""");

        var reply = JsonDocument.Parse(await client.ReceiveTextAsync()).RootElement;
        reply.GetProperty("success").GetBoolean().Should().BeTrue();
        reply.GetProperty("ret_msg").GetString().Should().Be("pong");
        reply.GetProperty("op").GetString().Should().Be("ping");
        reply.GetProperty("req_id").GetString().Should().Be("p1");
        Server.Bybit.PingTimes(1).Should().ContainSingle().Which.Should().BeOnOrAfter(before);
        Server.Bybit.PingTimes(2).Should().BeEmpty();
    }

    [Fact]
    public async Task Publishing_reaches_only_subscribers_of_the_topic()
    {
        var subscriber = await ConnectAsync(BybitSpotUri);
        await ConnectAsync(BybitSpotUri);
        await Server.Bybit.WaitForConnectionAsync(2, Wait);
        await subscriber.SendTextAsync(Subscribe(["tickers.BTCUSDT"], "1"));
        await subscriber.ReceiveTextAsync();

        var count = await Server.Bybit.PublishAsync("tickers.BTCUSDT", """{"symbol":"BTCUSDT","lastPrice":"65000"}""");

        count.Should().Be(1);
        var message = JsonDocument.Parse(await subscriber.ReceiveTextAsync()).RootElement;
        message.GetProperty("topic").GetString().Should().Be("tickers.BTCUSDT");
        message.GetProperty("type").GetString().Should().Be("snapshot");
        message.GetProperty("ts").GetInt64().Should().BeCloseTo(DateTimeOffset.UtcNow.ToUnixTimeMilliseconds(), 5_000);
        message.GetProperty("data").GetProperty("lastPrice").GetString().Should().Be("65000");
        (await Server.Bybit.PublishAsync("tickers.ETHUSDT", "{}")).Should().Be(0);
    }

    [Fact]
    public async Task Unsubscribe_stops_the_topic()
    {
        var client = await ConnectAsync(BybitSpotUri);
        var connection = await Server.Bybit.WaitForConnectionAsync(1, Wait);
        await client.SendTextAsync(Subscribe(["tickers.BTCUSDT", "tickers.ETHUSDT"], "1"));
        await client.ReceiveTextAsync();

        await client.SendTextAsync("""{"op":"unsubscribe","args":["tickers.BTCUSDT"],"req_id":"2"}""");
        var reply = JsonDocument.Parse(await client.ReceiveTextAsync()).RootElement;

        reply.GetProperty("success").GetBoolean().Should().BeTrue();
        reply.GetProperty("op").GetString().Should().Be("unsubscribe");
        connection.Streams.Should().Equal("tickers.ETHUSDT");
    }

    [Fact]
    public async Task Connection_without_pings_is_closed_while_a_pinging_one_stays_open()
    {
        var pinging = await ConnectAsync(BybitSpotUri);
        var idle = await ConnectAsync(BybitSpotUri);
        var pingingConnection = await Server.Bybit.WaitForConnectionAsync(1, Wait);
        var idleConnection = await Server.Bybit.WaitForConnectionAsync(2, Wait);
        await pinging.SendTextAsync("""{"op":"ping"}""");
        (await pinging.ReceiveTextAsync()).Should().Contain("pong");

        Server.Bybit.CloseIfNoPingFor = TimeSpan.FromMilliseconds(400);
        for (var i = 0; i < 6; i++)
        {
            await Task.Delay(100);
            await pinging.SendTextAsync("""{"op":"ping"}""");
            (await pinging.ReceiveTextAsync()).Should().Contain("pong");
        }

        (await idle.ReceiveCloseAsync()).Should().Be(WebSocketCloseStatus.NormalClosure);
        idleConnection.ClosedBy.Should().Be("no ping");
        pingingConnection.IsOpen.Should().BeTrue();
        Server.Bybit.PingTimes(1).Should().HaveCount(7);
    }

    private static List<string> Topics(int count) => [.. Enumerable.Range(1, count).Select(i => $"tickers.S{i}USDT")];

    private static string Subscribe(IEnumerable<string> topics, string requestIdJson) =>
        $$"""{"op":"subscribe","args":{{JsonSerializer.Serialize(topics)}},"req_id":{{requestIdJson}}}""";
}
