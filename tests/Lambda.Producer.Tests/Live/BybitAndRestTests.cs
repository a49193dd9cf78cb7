using Lambda.Core.Contracts;
using Lambda.FakeExchange;
using Lambda.Testing;

namespace Lambda.Producer.Tests.Live;

/// <summary>The Bybit v5 connector and Binance REST polling against the local exchange server.</summary>
public sealed class BybitAndRestTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(10);

    private static string BybitTicker(string symbol, double price) =>
        $$"""{"symbol":"{{symbol}}","lastPrice":"{{price}}","highPrice24h":"{{price + 5}}","lowPrice24h":"{{price - 5}}","prevPrice24h":"{{price - 1}}","volume24h":"100","turnover24h":"5000000","price24hPcnt":"0.01","usdIndexPrice":"{{price}}"}""";

    private static string RestTicker(string symbol, double price) =>
        $$"""{"symbol":"{{symbol}}","priceChange":"1","priceChangePercent":"0.5","weightedAvgPrice":"{{price}}","prevClosePrice":"{{price}}","lastPrice":"{{price}}","lastQty":"1","bidPrice":"{{price}}","bidQty":"1","askPrice":"{{price}}","askQty":"1","openPrice":"{{price - 1}}","highPrice":"{{price + 5}}","lowPrice":"{{price - 5}}","volume":"100","quoteVolume":"5000000","openTime":1763600000000,"closeTime":{{DateTimeOffset.UtcNow.ToUnixTimeMilliseconds()}},"firstId":1,"lastId":2,"count":2}""";

    [Fact]
    public async Task Bybit_topics_are_subscribed_ten_at_a_time_and_kept_alive_with_pings()
    {
        await using var exchange = await FakeExchangeServer.StartAsync();
        exchange.Bybit.CloseIfNoPingFor = TimeSpan.FromMilliseconds(800);
        var options = LiveProducer.OptionsFor(exchange, "ticker", "trade");
        options.Exchanges = ["bybit"];
        options.Symbols = [.. Enumerable.Range(0, 12).Select(i => $"COIN{i}USDT")];
        options.Bybit.PingInterval = TimeSpan.FromMilliseconds(200);
        await using var producer = LiveProducer.Start(exchange, options);

        var connection = await exchange.Bybit.WaitForConnectionAsync(1, Wait);
        // Four pings 200 ms apart outlast the server's 800 ms without one: the connection lives only if they keep coming.
        await Deadline.WaitUntilAsync(() => exchange.Bybit.PingTimes(1).Count >= 4 || !connection.IsOpen, Wait, "four pings");
        await exchange.Bybit.PublishAsync("tickers.COIN3USDT", BybitTicker("COIN3USDT", 42));

        var tickers = await producer.WaitForEventsAsync<TickerEvent>(Topics.Prices, 1);
        connection.Streams.Should().HaveCount(24);
        connection.ReceivedMessages.Where(m => m.Contains("\"subscribe\"", StringComparison.Ordinal)).Should().HaveCount(3);
        exchange.Bybit.PingTimes(1).Should().HaveCountGreaterThanOrEqualTo(4);
        connection.IsOpen.Should().BeTrue($"pings keep it open (closed by: {connection.ClosedBy})");
        tickers.Should().ContainSingle().Which.Should().Match<TickerEvent>(t => t.Exchange == "bybit" && t.Price == 42 && t.Source == "websocket");
        (await producer.StopAsync()).Should().Be(0);
    }

    [Fact]
    public async Task Rest_mode_polls_all_symbols_in_one_weighted_request_and_honours_retry_after()
    {
        await using var exchange = await FakeExchangeServer.StartAsync();
        exchange.Binance.SetTicker("BTCUSDT", RestTicker("BTCUSDT", 90000));
        exchange.Binance.SetTicker("ETHUSDT", RestTicker("ETHUSDT", 3000));
        exchange.Binance.FailNextRequests(429, count: 1, retryAfterSeconds: 1);
        var options = LiveProducer.OptionsFor(exchange, "ticker");
        options.Mode = "rest";
        options.Symbols = ["BTCUSDT", "ETHUSDT"];
        options.Binance.RestInterval = TimeSpan.FromMilliseconds(100);
        await using var producer = LiveProducer.Start(exchange, options);

        var tickers = await producer.WaitForEventsAsync<TickerEvent>(Topics.Prices, 6);
        (await producer.StopAsync()).Should().Be(0);

        tickers.Should().OnlyContain(t => t.Source == "rest" && t.Exchange == "binance");
        tickers.Select(t => t.Symbol).Distinct().Should().BeEquivalentTo("BTCUSDT", "ETHUSDT");
        var requests = exchange.Binance.Requests.ToList();
        requests[0].StatusCode.Should().Be(429);
        (requests[1].ReceivedAt - requests[0].ReceivedAt).Should().BeGreaterThanOrEqualTo(TimeSpan.FromSeconds(0.95), "Retry-After said one second");
        requests.Should().OnlyContain(r => r.PathAndQuery.StartsWith("/api/v3/ticker/24hr?symbols=", StringComparison.Ordinal));
        requests.Where(r => r.StatusCode == 200).Should().OnlyContain(r => r.Weight == 2, "two symbols in one request weigh 2");
        producer.Output.Should().Contain("429 rate limited");
    }

    [Fact]
    public async Task Rest_mode_waits_out_a_418_ban()
    {
        await using var exchange = await FakeExchangeServer.StartAsync();
        exchange.Binance.SetTicker("BTCUSDT", RestTicker("BTCUSDT", 90000));
        exchange.Binance.FailNextRequests(418, count: 1, retryAfterSeconds: 2);
        var options = LiveProducer.OptionsFor(exchange, "ticker");
        options.Mode = "rest";
        options.Binance.RestInterval = TimeSpan.FromMilliseconds(100);
        await using var producer = LiveProducer.Start(exchange, options);

        await producer.WaitForEventsAsync<TickerEvent>(Topics.Prices, 1);
        (await producer.StopAsync()).Should().Be(0);

        var requests = exchange.Binance.Requests.ToList();
        (requests[1].ReceivedAt - requests[0].ReceivedAt).Should().BeGreaterThanOrEqualTo(TimeSpan.FromSeconds(1.95));
        producer.Output.Should().Contain("418 banned");
    }

    [Fact]
    public async Task While_every_websocket_is_down_the_rest_fallback_keeps_tickers_coming()
    {
        await using var exchange = await FakeExchangeServer.StartAsync();
        exchange.Binance.SetTicker("BTCUSDT", RestTicker("BTCUSDT", 90000));
        var options = LiveProducer.OptionsFor(exchange, "ticker");
        options.Binance.WebSocketUrl = new Uri("ws://127.0.0.1:9");  // nothing listens there
        options.RestFallback = true;
        options.RestFallbackAfter = TimeSpan.FromMilliseconds(300);
        options.Binance.RestInterval = TimeSpan.FromMilliseconds(100);
        await using var producer = LiveProducer.Start(exchange, options);

        var tickers = await producer.WaitForEventsAsync<TickerEvent>(Topics.Prices, 2);
        (await producer.StopAsync()).Should().Be(0);

        tickers.Should().HaveCountGreaterThanOrEqualTo(2).And.OnlyContain(t => t.Source == "rest");
        producer.Output.Should().Contain("binance-websocket#1: connect failed");
    }
}
