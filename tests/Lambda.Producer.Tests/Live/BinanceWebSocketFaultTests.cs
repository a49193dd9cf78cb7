using System.Net.WebSockets;
using Lambda.Core.Contracts;
using Lambda.FakeExchange;
using Lambda.Testing;

namespace Lambda.Producer.Tests.Live;

/// <summary>
/// The Binance connector against a local server that speaks Binance's combined-stream protocol,
/// one fault at a time. Each test publishes numbered trades only while a connection is up (frames
/// sent while none is are an announced outage) and asserts the exact set that reached the log.
/// </summary>
public sealed class BinanceWebSocketFaultTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(10);
    private const string Stream = "btcusdt@trade";

    private static async Task PublishAsync(FakeExchangeServer exchange, long from, long to)
    {
        for (var id = from; id <= to; id++)
        {
            (await exchange.Binance.PublishAsync(Stream, BinancePayload.Trade(id))).Should().BeGreaterThan(0, $"trade {id} needs a listener");
        }
    }

    private static async Task<List<long>> DeliveredTradeIdsAsync(LiveProducer producer, int expected)
    {
        var trades = await producer.WaitForEventsAsync<TradeEvent>(Topics.Trades, expected);
        (await producer.StopAsync()).Should().Be(0, producer.Output);
        return producer.Events<TradeEvent>(Topics.Trades).Select(t => t.TradeId).ToList();
    }

    [Fact]
    public async Task Streams_go_in_the_combined_stream_url_and_every_event_arrives_once()
    {
        await using var exchange = await FakeExchangeServer.StartAsync();
        var options = LiveProducer.OptionsFor(exchange, "trade", "ticker", "kline_1m");
        options.Symbols = ["BTCUSDT", "ETHUSDT"];
        await using var producer = LiveProducer.Start(exchange, options);

        var connection = await exchange.Binance.WaitForConnectionAsync(1, Wait);
        connection.RequestPathAndQuery.Should().Be("/stream?streams=btcusdt@trade/btcusdt@ticker/btcusdt@kline_1m/ethusdt@trade/ethusdt@ticker/ethusdt@kline_1m");
        connection.ReceivedMessages.Should().BeEmpty("nothing needs to be sent when the streams are in the URL");
        await PublishAsync(exchange, 1, 20);
        await exchange.Binance.PublishAsync("ethusdt@ticker", BinancePayload.Ticker("ETHUSDT", 3000));

        (await DeliveredTradeIdsAsync(producer, 20)).Should().Equal(Enumerable.Range(1, 20).Select(i => (long)i));
        producer.Events<TickerEvent>(Topics.Prices).Should().ContainSingle().Which.Price.Should().Be(3000);
    }

    [Fact]
    public async Task An_abrupt_close_is_followed_by_a_reconnect_and_nothing_is_lost_or_doubled()
    {
        await using var exchange = await FakeExchangeServer.StartAsync();
        await using var producer = LiveProducer.Start(exchange, LiveProducer.OptionsFor(exchange, "trade"));

        await exchange.Binance.WaitForConnectionAsync(1, Wait);
        await PublishAsync(exchange, 1, 50);
        await producer.WaitForEventsAsync<TradeEvent>(Topics.Trades, 50);
        exchange.Binance.Connections[0].Abort();
        await exchange.Binance.WaitForConnectionAsync(2, Wait);
        await PublishAsync(exchange, 51, 100);

        (await DeliveredTradeIdsAsync(producer, 100)).Should().Equal(Enumerable.Range(1, 100).Select(i => (long)i));
        producer.Output.Should().MatchRegex(@"binance-websocket#1: aborted +1");
    }

    [Fact]
    public async Task A_1008_close_is_logged_counted_and_reconnected()
    {
        await using var exchange = await FakeExchangeServer.StartAsync();
        await using var producer = LiveProducer.Start(exchange, LiveProducer.OptionsFor(exchange, "trade"));

        var first = await exchange.Binance.WaitForConnectionAsync(1, Wait);
        await PublishAsync(exchange, 1, 10);
        await producer.WaitForEventsAsync<TradeEvent>(Topics.Trades, 10);
        await first.CloseAsync(WebSocketCloseStatus.PolicyViolation, "Too many requests");
        await exchange.Binance.WaitForConnectionAsync(2, Wait);
        await PublishAsync(exchange, 11, 20);

        (await DeliveredTradeIdsAsync(producer, 20)).Should().Equal(Enumerable.Range(1, 20).Select(i => (long)i));
        producer.Output.Should().MatchRegex(@"binance-websocket#1: closed +1");
    }

    [Fact]
    public async Task A_silent_stream_is_reconnected_by_the_watchdog()
    {
        await using var exchange = await FakeExchangeServer.StartAsync();
        var options = LiveProducer.OptionsFor(exchange, "trade");
        options.WatchdogSilence = TimeSpan.FromMilliseconds(700);
        await using var producer = LiveProducer.Start(exchange, options);

        var first = await exchange.Binance.WaitForConnectionAsync(1, Wait);
        await PublishAsync(exchange, 1, 5);
        first.Silenced = true;
        await exchange.Binance.WaitForConnectionAsync(2, Wait);
        await PublishAsync(exchange, 6, 10);

        (await DeliveredTradeIdsAsync(producer, 10)).Should().Equal(Enumerable.Range(1, 10).Select(i => (long)i));
        producer.Output.Should().MatchRegex(@"binance-websocket#1: silent +1");
        (await first.WaitForCloseAsync(Wait)).Should().NotBeNull("the silent connection is closed, not leaked");
    }

    [Fact]
    public async Task Server_pings_are_answered_so_the_connection_stays_up()
    {
        await using var exchange = await FakeExchangeServer.StartAsync();
        exchange.Binance.PingInterval = TimeSpan.FromMilliseconds(150);
        exchange.Binance.PongTimeout = TimeSpan.FromMilliseconds(400);
        await using var producer = LiveProducer.Start(exchange, LiveProducer.OptionsFor(exchange, "trade"));

        var connection = await exchange.Binance.WaitForConnectionAsync(1, Wait);
        // Three pongs seen on the wire: the pings reach the producer and it answers them (each within 400 ms).
        await Deadline.WaitUntilAsync(() => connection.Wire.PongsReceived >= 3 || !connection.IsOpen, TimeSpan.FromSeconds(30), "three pongs from the producer");

        connection.IsOpen.Should().BeTrue($"pongs answer the pings (closed by: {connection.ClosedBy})");
        connection.Wire.PingsSent.Should().BeGreaterThanOrEqualTo(3);
        exchange.Binance.Connections.Should().ContainSingle();
    }

    [Fact]
    public async Task Malformed_and_truncated_frames_are_dead_lettered_with_their_reason_and_the_stream_goes_on()
    {
        await using var exchange = await FakeExchangeServer.StartAsync();
        await using var producer = LiveProducer.Start(exchange, LiveProducer.OptionsFor(exchange, "trade"));

        var connection = await exchange.Binance.WaitForConnectionAsync(1, Wait);
        await PublishAsync(exchange, 1, 3);
        const string truncated = """{"stream":"btcusdt@trade","data":{"e":"trade","E":1763683200000,"s":"BTCU""";
        const string notANumber = """{"stream":"btcusdt@trade","data":{"e":"trade","E":1763683200000,"s":"BTCUSDT","t":9,"p":"abc","q":"1","T":1763683200000,"m":false}}""";
        const string negative = """{"stream":"btcusdt@trade","data":{"e":"trade","E":1763683200000,"s":"BTCUSDT","t":10,"p":"-1","q":"1","T":1763683200000,"m":false}}""";
        await connection.SendRawAsync(truncated);
        await connection.SendRawAsync(notANumber);
        await connection.SendRawAsync(negative);
        await PublishAsync(exchange, 4, 6);

        (await DeliveredTradeIdsAsync(producer, 6)).Should().Equal(1L, 2, 3, 4, 5, 6);
        var deadLetters = producer.Events<DeadLetter>(Topics.DeadLetter);
        deadLetters.Select(d => d.Raw).Should().Equal(truncated, notANumber, negative);
        deadLetters[0].Reason.Should().StartWith("malformed");
        deadLetters[1].Reason.Should().Contain("'p'");
        deadLetters[2].Reason.Should().StartWith("price.positive");
    }

    [Fact]
    public async Task A_server_shutdown_notice_switches_to_a_new_connection_before_the_old_one_closes()
    {
        await using var exchange = await FakeExchangeServer.StartAsync();
        await using var producer = LiveProducer.Start(exchange, LiveProducer.OptionsFor(exchange, "trade"));

        var first = await exchange.Binance.WaitForConnectionAsync(1, Wait);
        first.ServerShutdownGrace = TimeSpan.FromSeconds(5);
        var publishing = PublishSteadilyAsync(exchange, count: 150, every: TimeSpan.FromMilliseconds(20));
        // The notice comes mid-stream: once the producer has logged some of the trades.
        (await producer.WaitForEventsAsync<TradeEvent>(Topics.Trades, 10)).Should().HaveCountGreaterThanOrEqualTo(10);
        await first.SendServerShutdownAsync();
        await publishing;

        (await DeliveredTradeIdsAsync(producer, 150)).Should().Equal(Enumerable.Range(1, 150).Select(i => (long)i));
        exchange.Binance.Connections.Should().HaveCount(2);
        first.ClosedBy.Should().Be("client", "we closed it ourselves once the new connection had caught up");
        producer.Output.Should().MatchRegex(@"binance-websocket#1: rotated +1");
    }

    [Fact]
    public async Task Connections_are_replaced_before_the_server_lifetime_limit_without_losing_or_doubling_events()
    {
        await using var exchange = await FakeExchangeServer.StartAsync();
        exchange.Binance.MaxConnectionLifetime = TimeSpan.FromSeconds(2.5);
        var options = LiveProducer.OptionsFor(exchange, "trade");
        options.Binance.ConnectionLifetime = TimeSpan.FromSeconds(1);
        await using var producer = LiveProducer.Start(exchange, options);

        await exchange.Binance.WaitForConnectionAsync(1, Wait);
        await PublishSteadilyAsync(exchange, count: 200, every: TimeSpan.FromMilliseconds(20));

        (await DeliveredTradeIdsAsync(producer, 200)).Should().Equal(Enumerable.Range(1, 200).Select(i => (long)i));
        exchange.Binance.Connections.Should().HaveCountGreaterThanOrEqualTo(3);
        foreach (var connection in exchange.Binance.Connections)
        {
            (await connection.WaitForCloseAsync(Wait)).Should().NotBeNull($"connection {connection.Ordinal} is closed once the producer stopped");
        }

        exchange.Binance.Connections.Should().OnlyContain(c => c.ClosedBy == "client", "we always rotate before the server's limit, and close politely");
    }

    [Fact]
    public async Task Streams_beyond_the_per_connection_limit_are_spread_over_several_connections()
    {
        await using var exchange = await FakeExchangeServer.StartAsync();
        var options = LiveProducer.OptionsFor(exchange, "trade");
        options.Symbols = ["BTCUSDT", "ETHUSDT", "SOLUSDT"];
        options.Binance.MaxStreamsPerConnection = 2;
        await using var producer = LiveProducer.Start(exchange, options);

        await exchange.Binance.WaitForConnectionAsync(2, Wait);
        exchange.Binance.Connections.Select(c => c.Streams.Count).Order().Should().Equal(1, 2);
        foreach (var (symbol, id) in new[] { ("BTCUSDT", 1L), ("ETHUSDT", 2L), ("SOLUSDT", 3L) })
        {
            await exchange.Binance.PublishAsync($"{symbol.ToLowerInvariant()}@trade", BinancePayload.Trade(id, symbol));
        }

        (await DeliveredTradeIdsAsync(producer, 3)).Order().Should().Equal(1L, 2, 3);
    }

    [Fact]
    public async Task Streams_that_do_not_fit_the_url_are_subscribed_within_five_messages_a_second()
    {
        await using var exchange = await FakeExchangeServer.StartAsync();
        var options = LiveProducer.OptionsFor(exchange, "trade", "ticker", "kline_1m", "kline_5m", "kline_1h");
        options.Symbols = [.. Enumerable.Range(0, 150).Select(i => $"SYM{i}USDT")];
        options.Binance.MaxUrlLength = 300;
        await using var producer = LiveProducer.Start(exchange, options);

        var connection = await exchange.Binance.WaitForConnectionAsync(1, Wait);
        // A deadline for a loaded machine, not a speed requirement: the pace is checked by the server, which closes
        // a connection that sends more than five messages a second.
        var deadline = DateTimeOffset.UtcNow + TimeSpan.FromSeconds(60);
        while (connection.Streams.Count < 750 && DateTimeOffset.UtcNow < deadline)
        {
            await Task.Delay(100);
        }

        connection.Streams.Should().HaveCount(750);
        connection.ReceivedMessages.Should().HaveCountGreaterThan(5, "so that the rate limit mattered");
        connection.IsOpen.Should().BeTrue($"the server closes connections sending over 5 messages a second (closed by: {connection.ClosedBy})");
    }

    /// <summary>Publishes trade 1…count at a steady pace; every one must find an open connection (no gap while rotating).</summary>
    private static async Task PublishSteadilyAsync(FakeExchangeServer exchange, int count, TimeSpan every)
    {
        for (var id = 1; id <= count; id++)
        {
            (await exchange.Binance.PublishAsync(Stream, BinancePayload.Trade(id))).Should().BeGreaterThan(0, $"a connection must be open when trade {id} is published");
            await Task.Delay(every);
        }
    }
}
