using System.Diagnostics;
using System.Net.WebSockets;
using System.Text.Json;
using Lambda.Testing;

namespace Lambda.FakeExchange.Tests;

public sealed class BinanceWebSocketTests : ServerTest
{
    [Fact]
    public async Task Combined_stream_url_subscribes_the_connection_to_its_streams()
    {
        await ConnectAsync(BinanceStreamUri("btcusdt@trade/btcusdt@kline_1m/ethusdt@ticker"));

        var connection = await Server.Binance.WaitForConnectionAsync(1, Wait);

        connection.Ordinal.Should().Be(1);
        connection.IsOpen.Should().BeTrue();
        connection.ClosedBy.Should().BeNull();
        connection.Streams.Should().Equal("btcusdt@trade", "btcusdt@kline_1m", "ethusdt@ticker");
        connection.RequestPathAndQuery.Should().Be("/stream?streams=btcusdt@trade/btcusdt@kline_1m/ethusdt@ticker");
    }

    [Fact]
    public async Task Publishing_reaches_only_connections_subscribed_to_the_stream()
    {
        var btc = await ConnectAsync(BinanceStreamUri("btcusdt@trade"));
        var eth = await ConnectAsync(BinanceStreamUri("ethusdt@trade"));
        await Server.Binance.WaitForConnectionAsync(2, Wait);

        var btcCount = await Server.Binance.PublishAsync("btcusdt@trade", """{"e":"trade","s":"BTCUSDT","p":"1.5"}""");
        var ethCount = await Server.Binance.PublishAsync("ethusdt@trade", """{"e":"trade","s":"ETHUSDT"}""");
        var nobody = await Server.Binance.PublishAsync("bnbusdt@trade", "{}");

        btcCount.Should().Be(1);
        ethCount.Should().Be(1);
        nobody.Should().Be(0);
        (await btc.ReceiveTextAsync()).Should().Be("""{"stream":"btcusdt@trade","data":{"e":"trade","s":"BTCUSDT","p":"1.5"}}""");
        (await eth.ReceiveTextAsync()).Should().Be("""{"stream":"ethusdt@trade","data":{"e":"trade","s":"ETHUSDT"}}""");
    }

    [Fact]
    public async Task Stream_names_are_matched_exactly()
    {
        await ConnectAsync(BinanceStreamUri("btcusdt@trade"));
        await Server.Binance.WaitForConnectionAsync(1, Wait);

        (await Server.Binance.PublishAsync("BTCUSDT@trade", "{}")).Should().Be(0);
    }

    [Fact]
    public async Task Subscribe_request_is_answered_with_a_null_result_and_adds_the_streams()
    {
        var client = await ConnectAsync(BinanceStreamUri("btcusdt@trade"));
        var connection = await Server.Binance.WaitForConnectionAsync(1, Wait);

        await client.SendTextAsync("""{"method":"SUBSCRIBE","params":["ethusdt@kline_1m","bnbusdt@trade"],"id":7}""");

        (await client.ReceiveTextAsync()).Should().Be("""{"result":null,"id":7}""");
        connection.Streams.Should().Equal("btcusdt@trade", "ethusdt@kline_1m", "bnbusdt@trade");
        connection.ReceivedMessages.Should().ContainSingle().Which.Should().Contain("SUBSCRIBE");
        (await Server.Binance.PublishAsync("ethusdt@kline_1m", """{"k":{}}""")).Should().Be(1);
        (await client.ReceiveTextAsync()).Should().Be("""{"stream":"ethusdt@kline_1m","data":{"k":{}}}""");
    }

    [Fact]
    public async Task Unsubscribe_request_removes_the_streams_and_list_subscriptions_shows_the_rest()
    {
        var client = await ConnectAsync(BinanceStreamUri("btcusdt@trade/ethusdt@trade"));
        var connection = await Server.Binance.WaitForConnectionAsync(1, Wait);

        await client.SendTextAsync("""{"method":"UNSUBSCRIBE","params":["btcusdt@trade"],"id":8}""");
        (await client.ReceiveTextAsync()).Should().Be("""{"result":null,"id":8}""");
        await client.SendTextAsync("""{"method":"LIST_SUBSCRIPTIONS","id":9}""");
        (await client.ReceiveTextAsync()).Should().Be("""{"result":["ethusdt@trade"],"id":9}""");

        connection.Streams.Should().Equal("ethusdt@trade");
        (await Server.Binance.PublishAsync("btcusdt@trade", "{}")).Should().Be(0);
    }

    [Fact]
    public async Task Malformed_request_gets_an_error_reply_and_the_connection_stays_open()
    {
        var client = await ConnectAsync(BinanceStreamUri("btcusdt@trade"));
        var connection = await Server.Binance.WaitForConnectionAsync(1, Wait);

        await client.SendTextAsync("{not json");
        var error = await client.ReceiveTextAsync();
        await client.SendTextAsync("""{"method":"FLY","id":1}""");
        var unknown = await client.ReceiveTextAsync();

        JsonDocument.Parse(error).RootElement.GetProperty("code").GetInt32().Should().Be(3);
        JsonDocument.Parse(unknown).RootElement.GetProperty("code").GetInt32().Should().Be(2);
        connection.IsOpen.Should().BeTrue();
    }

    [Fact]
    public async Task More_than_five_messages_in_a_second_close_the_connection_with_policy_violation()
    {
        var client = await ConnectAsync(BinanceStreamUri("btcusdt@trade"));
        var connection = await Server.Binance.WaitForConnectionAsync(1, Wait);

        // Ten at once: even if the machine stalls in the middle, six of them land within one second.
        for (var id = 1; id <= 10; id++)
        {
            await client.SendTextAsync($$"""{"method":"SUBSCRIBE","params":["s{{id}}@trade"],"id":{{id}}}""");
        }

        var replies = new List<string>();
        WebSocketCloseStatus? closeStatus = null;
        for (var i = 0; i <= 10 && closeStatus is null; i++)
        {
            var (text, status, _) = await client.ReceiveAsync();
            if (text is null)
            {
                closeStatus = status;
            }
            else
            {
                replies.Add(text);
            }
        }

        closeStatus.Should().Be(WebSocketCloseStatus.PolicyViolation);
        replies.Should().HaveCountGreaterThanOrEqualTo(5).And.HaveCountLessThan(10);
        replies[0].Should().Be("""{"result":null,"id":1}""");
        connection.ClosedBy.Should().Be("1008 too many messages");
        connection.IsOpen.Should().BeFalse();
    }

    [Fact]
    public async Task Abort_gives_the_client_a_WebSocketException()
    {
        var client = await ConnectAsync(BinanceStreamUri("btcusdt@trade"));
        var connection = await Server.Binance.WaitForConnectionAsync(1, Wait);

        connection.Abort();

        (await client.Invoking(c => c.ReceiveAsync()).Should().ThrowAsync<WebSocketException>())
            .Which.WebSocketErrorCode.Should().Be(WebSocketError.ConnectionClosedPrematurely);
        connection.ClosedBy.Should().Be("abort");
        Server.Binance.OpenConnections.Should().BeEmpty();
    }

    [Fact]
    public async Task Close_with_policy_violation_is_seen_by_the_client_as_that_status()
    {
        var client = await ConnectAsync(BinanceStreamUri("btcusdt@trade"));
        var connection = await Server.Binance.WaitForConnectionAsync(1, Wait);

        await connection.CloseAsync(WebSocketCloseStatus.PolicyViolation, "go away");

        var (text, status, description) = await client.ReceiveAsync();
        text.Should().BeNull();
        status.Should().Be(WebSocketCloseStatus.PolicyViolation);
        description.Should().Be("go away");
        connection.ClosedBy.Should().Be("1008 go away");
        (await connection.WaitForCloseAsync(Wait)).Should().NotBeNull();
    }

    [Fact]
    public async Task Server_shutdown_event_comes_first_then_the_connection_is_closed_after_the_grace()
    {
        var client = await ConnectAsync(BinanceStreamUri("btcusdt@trade"));
        var connection = await Server.Binance.WaitForConnectionAsync(1, Wait);
        connection.ServerShutdownGrace = TimeSpan.FromMilliseconds(200);
        var clock = Stopwatch.StartNew();

        await connection.SendServerShutdownAsync();

        var shutdown = JsonDocument.Parse(await client.ReceiveTextAsync()).RootElement;
        shutdown.GetProperty("e").GetString().Should().Be("serverShutdown");
        shutdown.GetProperty("E").GetInt64().Should().BeCloseTo(DateTimeOffset.UtcNow.ToUnixTimeMilliseconds(), 5_000);
        (await client.ReceiveCloseAsync()).Should().Be(WebSocketCloseStatus.NormalClosure);
        clock.Elapsed.Should().BeGreaterThanOrEqualTo(TimeSpan.FromMilliseconds(150));
        connection.ClosedBy.Should().Be("serverShutdown");
    }

    [Fact]
    public async Task Connections_older_than_the_maximum_lifetime_are_closed_normally()
    {
        Server.Binance.MaxConnectionLifetime = TimeSpan.FromMilliseconds(300);
        var client = await ConnectAsync(BinanceStreamUri("btcusdt@trade"));
        var connection = await Server.Binance.WaitForConnectionAsync(1, Wait);

        (await client.ReceiveCloseAsync()).Should().Be(WebSocketCloseStatus.NormalClosure);

        connection.ClosedBy.Should().Be("lifetime");
        (connection.ClosedAt!.Value - connection.OpenedAt).Should().BeGreaterThanOrEqualTo(TimeSpan.FromMilliseconds(300));
    }

    [Fact]
    public async Task Silenced_connection_stays_open_but_loses_what_is_published_meanwhile()
    {
        var client = await ConnectAsync(BinanceStreamUri("btcusdt@trade"));
        var connection = await Server.Binance.WaitForConnectionAsync(1, Wait);

        connection.Silenced = true;
        var duringOutage = await Server.Binance.PublishAsync("btcusdt@trade", """{"n":1}""");
        connection.Silenced = false;
        var afterOutage = await Server.Binance.PublishAsync("btcusdt@trade", """{"n":2}""");

        duringOutage.Should().Be(0);
        afterOutage.Should().Be(1);
        connection.IsOpen.Should().BeTrue();
        (await client.ReceiveTextAsync()).Should().Be("""{"stream":"btcusdt@trade","data":{"n":2}}""");
    }

    [Fact]
    public async Task Raw_text_goes_out_verbatim_even_when_it_is_not_json()
    {
        var client = await ConnectAsync(BinanceStreamUri("btcusdt@trade"));
        var connection = await Server.Binance.WaitForConnectionAsync(1, Wait);

        await connection.SendRawAsync("""{"stream":"btcusdt@trade","data":{"e":""");

        (await client.ReceiveTextAsync()).Should().Be("""{"stream":"btcusdt@trade","data":{"e":""");
    }

    [Fact]
    public async Task Client_that_answers_pings_stays_connected()
    {
        Server.Binance.PingInterval = TimeSpan.FromMilliseconds(100);
        Server.Binance.PongTimeout = TimeSpan.FromMilliseconds(1500);
        var client = await ConnectAsync(BinanceStreamUri("btcusdt@trade"));
        var connection = await Server.Binance.WaitForConnectionAsync(1, Wait);

        // A pending receive lets ClientWebSocket answer the server's pings.
        var receiving = client.ReceiveAsync();
        await Deadline.WaitUntilAsync(() => connection.Wire.PongsReceived >= 3 || !connection.IsOpen, TimeSpan.FromSeconds(30), "three pongs on the wire");

        connection.IsOpen.Should().BeTrue($"the pongs keep it open (closed by: {connection.ClosedBy})");
        connection.Wire.PingsSent.Should().BeGreaterThanOrEqualTo(connection.Wire.PongsReceived, "each pong answers a ping");
        receiving.IsCompleted.Should().BeFalse("pings and pongs are not messages");
        (await Server.Binance.PublishAsync("btcusdt@trade", "{}")).Should().Be(1);
        (await receiving).Text.Should().Be("""{"stream":"btcusdt@trade","data":{}}""");
    }

    [Fact]
    public async Task Without_a_ping_interval_no_ping_is_sent()
    {
        var client = await ConnectAsync(BinanceStreamUri("btcusdt@trade"));
        var connection = await Server.Binance.WaitForConnectionAsync(1, Wait);

        (await Server.Binance.PublishAsync("btcusdt@trade", "{}")).Should().Be(1);
        (await client.ReceiveTextAsync()).Should().Be("""{"stream":"btcusdt@trade","data":{}}""");

        connection.Wire.PingsSent.Should().Be(0);
        connection.Wire.FramesSent.Should().BeGreaterThanOrEqualTo(1, "the message itself crossed the wire and was counted");
    }

    [Fact]
    public async Task Client_that_never_reads_never_pongs_and_is_aborted_with_pong_missing()
    {
        Server.Binance.PingInterval = TimeSpan.FromMilliseconds(100);
        Server.Binance.PongTimeout = TimeSpan.FromMilliseconds(300);
        await ConnectAsync(BinanceStreamUri("btcusdt@trade"));
        var connection = await Server.Binance.WaitForConnectionAsync(1, Wait);

        var closedAt = await connection.WaitForCloseAsync(TimeSpan.FromSeconds(2));

        closedAt.Should().NotBeNull();
        connection.ClosedBy.Should().Be("pong missing");
        connection.Wire.PingsSent.Should().BeGreaterThanOrEqualTo(1);
        connection.Wire.PongsReceived.Should().Be(0);
    }

    [Fact]
    public async Task Client_that_vanishes_without_a_close_frame_is_recorded_as_gone_not_as_pong_missing()
    {
        Server.Binance.PingInterval = TimeSpan.FromMilliseconds(100);
        Server.Binance.PongTimeout = TimeSpan.FromMilliseconds(400);
        var client = await ConnectAsync(BinanceStreamUri("btcusdt@trade"));
        var connection = await Server.Binance.WaitForConnectionAsync(1, Wait);

        client.Abort();

        (await connection.WaitForCloseAsync(Wait)).Should().NotBeNull();
        connection.ClosedBy.Should().Be("client gone");
    }

    [Fact]
    public async Task Client_close_is_recorded_and_connections_are_listed_in_order()
    {
        var waitingForFirst = Server.Binance.WaitForConnectionAsync(1, Wait);
        var first = await ConnectAsync(BinanceStreamUri("btcusdt@trade"));
        await ConnectAsync(BinanceStreamUri("ethusdt@trade"));
        var firstConnection = await waitingForFirst;
        var secondConnection = await Server.Binance.WaitForConnectionAsync(2, Wait);

        using (var timeout = new CancellationTokenSource(Wait))
        {
            await first.CloseAsync(WebSocketCloseStatus.NormalClosure, "bye", timeout.Token);
        }

        (await firstConnection.WaitForCloseAsync(Wait)).Should().NotBeNull();
        firstConnection.ClosedBy.Should().Be("client");
        Server.Binance.Connections.Should().Equal(firstConnection, secondConnection);
        Server.Binance.OpenConnections.Should().Equal(secondConnection);
        secondConnection.Ordinal.Should().Be(2);
    }

    [Fact]
    public async Task Waiting_for_a_connection_that_never_comes_times_out()
    {
        await Server.Binance.Invoking(b => b.WaitForConnectionAsync(1, TimeSpan.FromMilliseconds(100)))
            .Should().ThrowAsync<TimeoutException>();
    }
}
