using Microsoft.Extensions.Time.Testing;
using System.Text;
using Lambda.Core.Contracts;
using Lambda.Producer.Normalization;

namespace Lambda.Producer.Tests.Normalization;

public sealed class BybitNormalizerTests
{
    private readonly BybitNormalizer normalizer = new(new FakeTimeProvider(FixedTime.Noon));

    [Fact]
    public void Spot_ticker_snapshot_becomes_a_ticker_event_with_every_field()
    {
        var (outcome, events) = normalizer.Run(Payloads.Bytes("bybit-tickers-spot.json"));

        outcome.Should().Be(FrameOutcome.Events);
        var ticker = events.Should().ContainSingle().Which.Should().BeOfType<TickerEvent>().Subject;
        ticker.Should().BeEquivalentTo(new
        {
            Exchange = "bybit",
            Symbol = "BTCUSDT",
            EventTime = 1672305380595L,
            Source = "websocket",
            Price = 16363.78,
            Open = 16443.66,
            High = 16566.64,
            Low = 16009.19,
            Volume = 5865.470182,
            QuoteVolume = 95949815.680875,
            NumberTrades = 0L,
            Timestamp = FixedTime.Noon,
        });
        ticker.PriceChange.Should().BeApproximately(16363.78 - 16443.66, 1e-9);
        ticker.PriceChangePercent.Should().BeApproximately(-0.49, 1e-12, "price24hPcnt is a fraction");
    }

    [Fact]
    public void Documented_trade_becomes_a_trade_event_with_a_hashed_id_for_its_uuid()
    {
        var (outcome, events) = normalizer.Run(Payloads.Bytes("bybit-publicTrade.json"));

        outcome.Should().Be(FrameOutcome.Events);
        events.Should().ContainSingle().Which.Should().Be(new TradeEvent
        {
            Exchange = "bybit",
            Symbol = "BTCUSDT",
            EventTime = 1672304486868,
            Source = "websocket",
            TradeId = TradeIds.Hash(Encoding.UTF8.GetBytes("20f43950-d8dd-5b31-9112-a178eb6023af")),
            Price = 16578.50,
            Quantity = 0.001,
            TradeTime = 1672304486865,
            IsBuyerMaker = false,
        });
    }

    [Fact]
    public void Each_spot_trade_of_a_message_becomes_one_event_with_its_numeric_id()
    {
        var (outcome, events) = normalizer.Run(Payloads.Bytes("bybit-publicTrade-spot.json"));

        outcome.Should().Be(FrameOutcome.Events);
        events.Cast<TradeEvent>().Select(t => (t.TradeId, t.TradeTime, t.Price, t.Quantity)).Should().Equal(
            (2290000000061666327L, 1672304486865L, 16578.50, 0.001),
            (2290000000061666328L, 1672304486866L, 16578.40, 0.250));
    }

    [Fact]
    public void Taker_side_Buy_means_buyer_is_not_maker_and_Sell_means_it_is()
    {
        var (_, events) = normalizer.Run(Payloads.Bytes("bybit-publicTrade-spot.json"));

        events.Cast<TradeEvent>().Select(t => t.IsBuyerMaker).Should().Equal(false, true);
    }

    [Theory]
    [InlineData("\"S\": \"Sell\"", "\"S\": \"Hold\"", "malformed: element 1: field 'S' is not Buy or Sell")]
    [InlineData("\"p\": \"16578.40\"", "\"p\": \"abc\"", "malformed: element 1: field 'p' is not a number")]
    [InlineData("\"p\": \"16578.40\"", "\"p\": \"NaN\"", "malformed: element 1: field 'p' is not a finite number")]
    [InlineData("\"v\": \"0.250\",", "", "malformed: element 1: field 'v' is missing or null")]
    [InlineData("\"i\": \"2290000000061666328\"", "\"i\": 2290000000061666328", "malformed: element 1: field 'i' is not a string")]
    [InlineData("\"T\": 1672304486866", "\"T\": \"later\"", "malformed: element 1: field 'T' is not an integer")]
    [InlineData("\"BT\": false\n    },\n    {", "\"BT\": false\n    },\n    42, {", "malformed: element 1: not an object")]
    [InlineData("\"ts\": 1672304486868,", "", "malformed: field 'ts' is missing or null")]
    [InlineData("\"ts\": 1672304486868", "\"ts\": \"now\"", "malformed: field 'ts' is not an integer")]
    public void Broken_trade_message_is_malformed_and_emits_none_of_its_trades(string find, string replacement, string reason)
    {
        var (outcome, events) = normalizer.Run(Payloads.With("bybit-publicTrade-spot.json", find, replacement));

        outcome.Should().Be(new FrameOutcome(FrameKind.Malformed, reason));
        events.Should().BeEmpty();
    }

    [Theory]
    [InlineData("\"lastPrice\": \"16363.78\"", "\"lastPrice\": \"abc\"", "malformed: field 'lastPrice' is not a number")]
    [InlineData("\"lastPrice\": \"16363.78\"", "\"lastPrice\": \"Infinity\"", "malformed: field 'lastPrice' is not a finite number")]
    [InlineData("\"prevPrice24h\": \"16443.66\",", "", "malformed: field 'prevPrice24h' is missing or null")]
    [InlineData("\"symbol\": \"BTCUSDT\"", "\"symbol\": {}", "malformed: field 'symbol' is not a string")]
    public void Broken_ticker_is_malformed_naming_the_field(string find, string replacement, string reason)
    {
        var (outcome, events) = normalizer.Run(Payloads.With("bybit-tickers-spot.json", find, replacement));

        outcome.Should().Be(new FrameOutcome(FrameKind.Malformed, reason));
        events.Should().BeEmpty();
    }

    [Theory]
    [InlineData("bybit-tickers-spot.json")]
    [InlineData("bybit-publicTrade-spot.json")]
    public void Data_before_topic_and_ts_gives_the_same_events(string payload)
    {
        var documented = normalizer.Run(Payloads.Bytes(payload));
        var text = Payloads.Text(payload);
        var data = text[text.IndexOf("\"data\"", StringComparison.Ordinal)..text.LastIndexOf('}')].TrimEnd();
        var envelope = text[..text.IndexOf("\"data\"", StringComparison.Ordinal)].TrimEnd().TrimEnd(',')[1..];
        var reordered = Payloads.Utf8("{" + data + "," + envelope + "}");

        var (outcome, events) = normalizer.Run(reordered);

        outcome.Should().Be(FrameOutcome.Events);
        events.Should().Equal(documented.Events);
    }

    [Theory]
    [InlineData("bybit-subscribe-reply.json", "subscribe reply")]
    [InlineData("bybit-subscribe-rejected.json", "rejected subscribe: Invalid symbol :[tickers.NOPEUSDT]")]
    [InlineData("bybit-pong-spot.json", "pong")]
    [InlineData("bybit-pong-private.json", "pong")]
    [InlineData("bybit-orderbook.json", "topic 'orderbook.50.BTCUSDT'")]
    [InlineData("bybit-tickers-linear-delta.json", "ticker delta")]
    public void Control_frames_and_other_topics_are_ignored(string payload, string reason)
    {
        var (outcome, events) = normalizer.Run(Payloads.Bytes(payload));

        outcome.Should().Be(FrameOutcome.Ignored(reason));
        events.Should().BeEmpty();
    }

    [Theory]
    [InlineData("{}", "frame without topic")]
    [InlineData("""{"topic":"publicTrade.BTCUSDT","type":"snapshot","ts":1672304486868,"data":[]}""", "no trades")]
    public void Frames_without_market_data_are_ignored(string frame, string reason)
    {
        var (outcome, _) = normalizer.Run(Payloads.Utf8(frame));

        outcome.Should().Be(FrameOutcome.Ignored(reason));
    }

    [Theory]
    [InlineData("bybit-tickers-spot.json")]
    [InlineData("bybit-publicTrade-spot.json")]
    public void Every_truncation_of_a_frame_is_malformed_invalid_json_and_yields_nothing(string payload)
    {
        var frame = Payloads.Bytes(payload);
        var end = Encoding.UTF8.GetString(frame).TrimEnd().Length;

        for (var length = 0; length < end; length++)
        {
            var (outcome, events) = normalizer.Run(frame[..length]);

            outcome.Kind.Should().Be(FrameKind.Malformed, "a frame cut at byte {0} is not JSON", length);
            outcome.Reason.Should().StartWith("malformed: invalid JSON");
            events.Should().BeEmpty();
        }
    }

    [Theory]
    [InlineData("""{"topic":"tickers.BTCUSDT","ts":1672305380595,"type":"snapshot"}""", "malformed: field 'data' is missing or null")]
    [InlineData("""{"topic":"tickers.BTCUSDT","ts":1672305380595,"type":"snapshot","data":[{"symbol":"BTCUSDT"}]}""", "malformed: field 'data' is not an object")]
    [InlineData("""{"topic":"publicTrade.BTCUSDT","ts":1672304486868,"type":"snapshot","data":{"s":"BTCUSDT"}}""", "malformed: field 'data' is not an array")]
    [InlineData("""{"topic":7,"data":{}}""", "malformed: field 'topic' is not a string")]
    [InlineData("[1,2]", "malformed: frame is not a JSON object")]
    public void Structurally_wrong_frames_are_malformed(string frame, string reason)
    {
        var (outcome, _) = normalizer.Run(Payloads.Utf8(frame));

        outcome.Should().Be(new FrameOutcome(FrameKind.Malformed, reason));
    }
}
