using Microsoft.Extensions.Time.Testing;
using Lambda.Core.Contracts;
using Lambda.Producer.Normalization;

namespace Lambda.Producer.Tests.Normalization;

public sealed class BinanceStreamNormalizerTests
{
    private readonly BinanceStreamNormalizer normalizer = new(new FakeTimeProvider(FixedTime.Noon));

    [Fact]
    public void Trade_frame_becomes_a_trade_event_with_every_field()
    {
        var (outcome, events) = normalizer.Run(Payloads.Bytes("binance-trade.json"));

        outcome.Should().Be(FrameOutcome.Events);
        events.Should().ContainSingle().Which.Should().Be(new TradeEvent
        {
            Exchange = "binance",
            Symbol = "BNBBTC",
            EventTime = 1672515782136,
            Source = "websocket",
            TradeId = 12345,
            Price = 0.001,
            Quantity = 100,
            TradeTime = 1672515782136,
            IsBuyerMaker = true,
        });
    }

    [Fact]
    public void AggTrade_frame_becomes_a_trade_event_whose_id_is_the_aggregate_id()
    {
        var (outcome, events) = normalizer.Run(Payloads.With("binance-aggTrade.json", "\"m\": true", "\"m\": false"));

        outcome.Should().Be(FrameOutcome.Events);
        events.Should().ContainSingle().Which.Should().Be(new TradeEvent
        {
            Exchange = "binance",
            Symbol = "BNBBTC",
            EventTime = 1672515782136,
            Source = "websocket",
            TradeId = 12345,
            Price = 0.001,
            Quantity = 100,
            TradeTime = 1672515782136,
            IsBuyerMaker = false,
        });
    }

    [Fact]
    public void Kline_frame_becomes_a_kline_event_with_every_field()
    {
        var (outcome, events) = normalizer.Run(Payloads.Bytes("binance-kline.json"));

        outcome.Should().Be(FrameOutcome.Events);
        events.Should().ContainSingle().Which.Should().Be(new KlineEvent
        {
            Exchange = "binance",
            Symbol = "BNBBTC",
            EventTime = 1672515782136,
            Source = "websocket",
            Interval = "1m",
            OpenTime = 1672515780000,
            CloseTime = 1672515839999,
            Open = 0.0010,
            High = 0.0025,
            Low = 0.0015,
            Close = 0.0020,
            Volume = 1000,
            QuoteVolume = 1.0,
            Trades = 100,
            IsClosed = false,
        });
    }

    [Fact]
    public void Ticker_frame_becomes_a_ticker_event_with_every_field_and_the_processing_time()
    {
        var (outcome, events) = normalizer.Run(Payloads.Bytes("binance-24hrTicker.json"));

        outcome.Should().Be(FrameOutcome.Events);
        events.Should().ContainSingle().Which.Should().Be(new TickerEvent
        {
            Exchange = "binance",
            Symbol = "BNBBTC",
            EventTime = 1672515782136,
            Source = "websocket",
            Price = 0.0025,
            Open = 0.0010,
            High = 0.0025,
            Low = 0.0010,
            Volume = 10000,
            QuoteVolume = 18,
            NumberTrades = 18151,
            PriceChange = 0.0015,
            PriceChangePercent = 250,
            Timestamp = FixedTime.Noon,
        });
    }

    [Theory]
    [InlineData("bnbbtc@trade", "binance-trade.json")]
    [InlineData("bnbbtc@aggTrade", "binance-aggTrade.json")]
    [InlineData("bnbbtc@kline_1m", "binance-kline.json")]
    [InlineData("bnbbtc@ticker", "binance-24hrTicker.json")]
    public void Combined_stream_envelope_gives_the_same_event_as_the_raw_payload(string stream, string payload)
    {
        var raw = normalizer.Run(Payloads.Bytes(payload));
        var combined = normalizer.Run(Payloads.Combined(stream, payload));

        combined.Outcome.Should().Be(FrameOutcome.Events);
        combined.Events.Should().ContainSingle().Which.Should().Be(raw.Events.Single());
    }

    [Fact]
    public void Envelope_is_read_whatever_the_order_of_its_fields()
    {
        var frame = Payloads.Utf8($$"""{"data":{{Payloads.Text("binance-trade.json")}},"stream":"bnbbtc@trade"}""");

        var (outcome, events) = normalizer.Run(frame);

        outcome.Should().Be(FrameOutcome.Events);
        events.Should().ContainSingle().Which.Should().BeOfType<TradeEvent>().Which.TradeId.Should().Be(12345);
    }

    [Fact]
    public void Source_is_stamped_as_given()
    {
        var (_, events) = normalizer.Run(Payloads.Bytes("binance-trade.json"), EventSources.Replay);

        events.Single().Source.Should().Be("replay");
    }

    [Fact]
    public void Prices_sent_as_json_numbers_are_accepted()
    {
        var frame = Payloads.With("binance-trade.json", "\"p\": \"0.001\"", "\"p\": 0.001");

        var (outcome, events) = normalizer.Run(frame);

        outcome.Should().Be(FrameOutcome.Events);
        events.Single().Should().BeOfType<TradeEvent>().Which.Price.Should().Be(0.001);
    }

    [Fact]
    public void Lower_case_symbol_becomes_upper_case()
    {
        var (_, events) = normalizer.Run(Payloads.With("binance-trade.json", "\"s\": \"BNBBTC\"", "\"s\": \"bnbbtc\""));

        events.Single().Symbol.Should().Be("BNBBTC");
    }

    [Theory]
    [InlineData("binance-depthUpdate.json", "depthUpdate")]
    [InlineData("binance-24hrMiniTicker.json", "24hrMiniTicker")]
    [InlineData("binance-bookTicker.json", "payload without event type")]
    [InlineData("binance-partial-depth.json", "payload without event type")]
    [InlineData("binance-subscribe-reply.json", "reply")]
    [InlineData("binance-serverShutdown.json", "serverShutdown")]
    public void Documented_frames_that_are_not_ours_are_ignored(string payload, string reason)
    {
        var (outcome, events) = normalizer.Run(Payloads.Bytes(payload));

        outcome.Should().Be(FrameOutcome.Ignored(reason));
        events.Should().BeEmpty();
    }

    [Theory]
    [InlineData("bnbusdt@bookTicker", "binance-bookTicker.json", "bookTicker")]
    [InlineData("bnbbtc@depth@100ms", "binance-depthUpdate.json", "depthUpdate")]
    [InlineData("bnbbtc@depth20@100ms", "binance-partial-depth.json", "depth20@100ms")]
    [InlineData("bnbbtc@miniTicker", "binance-24hrMiniTicker.json", "24hrMiniTicker")]
    public void Combined_frames_that_are_not_ours_are_ignored(string stream, string payload, string reason)
    {
        var (outcome, events) = normalizer.Run(Payloads.Combined(stream, payload));

        outcome.Should().Be(FrameOutcome.Ignored(reason));
        events.Should().BeEmpty();
    }

    [Theory]
    [InlineData("""{"e":"serverShutdown","E":1770123456789}""", "serverShutdown")]
    [InlineData("""{"e":"somethingNew","E":1770123456789,"s":"BTCUSDT"}""", "somethingNew")]
    [InlineData("""{"result":["btcusdt@aggTrade"],"id":3}""", "reply")]
    [InlineData("""{"code": 2, "msg": "Invalid request"}""", "error reply: Invalid request")]
    [InlineData("""{"error":{"code":2,"msg":"Invalid request"},"id":1}""", "error reply")]
    [InlineData("""[{"e":"24hrMiniTicker","E":1,"s":"BNBBTC"}]""", "array payload")]
    [InlineData("""{"stream":"!miniTicker@arr","data":[]}""", "array payload")]
    [InlineData("{}", "payload without event type")]
    public void Unknown_or_control_frames_are_ignored(string frame, string reason)
    {
        var (outcome, events) = normalizer.Run(Payloads.Utf8(frame));

        outcome.Should().Be(FrameOutcome.Ignored(reason));
        events.Should().BeEmpty();
    }

    [Fact]
    public void Error_reply_keeps_the_exchange_message()
    {
        var (outcome, _) = normalizer.Run(Payloads.Bytes("binance-error-reply.json"));

        outcome.Kind.Should().Be(FrameKind.Ignored);
        outcome.Reason.Should().StartWith("error reply: Invalid request: missing field `method`");
    }

    [Theory]
    [InlineData("\"p\": \"0.001\"", "\"p\": \"abc\"", "malformed: field 'p' is not a number")]
    [InlineData("\"p\": \"0.001\"", "\"p\": \"NaN\"", "malformed: field 'p' is not a finite number")]
    [InlineData("\"p\": \"0.001\"", "\"p\": \"Infinity\"", "malformed: field 'p' is not a finite number")]
    [InlineData("\"q\": \"100\"", "\"q\": \"-Infinity\"", "malformed: field 'q' is not a finite number")]
    [InlineData("\"p\": \"0.001\"", "\"p\": \"\"", "malformed: field 'p' is not a number")]
    [InlineData("\"p\": \"0.001\"", "\"p\": \" 0.001\"", "malformed: field 'p' is not a number")]
    [InlineData("\"p\": \"0.001\"", "\"p\": \"0,001\"", "malformed: field 'p' is not a number")]
    [InlineData("\"p\": \"0.001\"", "\"p\": true", "malformed: field 'p' is not a number")]
    [InlineData("\"p\": \"0.001\"", "\"p\": [1]", "malformed: field 'p' is not a number")]
    [InlineData("\"p\": \"0.001\",", "", "malformed: field 'p' is missing or null")]
    [InlineData("\"p\": \"0.001\"", "\"p\": null", "malformed: field 'p' is missing or null")]
    [InlineData("\"t\": 12345,", "", "malformed: field 't' is missing or null")]
    [InlineData("\"s\": \"BNBBTC\"", "\"s\": 42", "malformed: field 's' is not a string")]
    [InlineData("\"m\": true", "\"m\": \"yes\"", "malformed: field 'm' is not a boolean")]
    [InlineData("\"E\": 1672515782136", "\"E\": \"soon\"", "malformed: field 'E' is not an integer")]
    [InlineData("\"t\": 12345", "\"t\": 12.5", "malformed: field 't' is not an integer")]
    [InlineData("\"t\": 12345", "\"t\": 99999999999999999999", "malformed: field 't' is not an integer")]
    [InlineData("\"e\": \"trade\"", "\"e\": 7", "malformed: field 'e' is not a string")]
    public void Broken_trade_field_makes_the_frame_malformed_naming_the_field(string find, string replacement, string reason)
    {
        var (outcome, events) = normalizer.Run(Payloads.With("binance-trade.json", find, replacement));

        outcome.Should().Be(new FrameOutcome(FrameKind.Malformed, reason));
        events.Should().BeEmpty();
    }

    [Theory]
    [InlineData("\"o\": \"0.0010\"", "\"o\": \"abc\"", "malformed: field 'k.o' is not a number")]
    [InlineData("\"i\": \"1m\",", "", "malformed: field 'k.i' is missing or null")]
    [InlineData("\"x\": false", "\"x\": \"no\"", "malformed: field 'k.x' is not a boolean")]
    [InlineData("\"n\": 100", "\"n\": \"many\"", "malformed: field 'k.n' is not an integer")]
    public void Broken_kline_field_is_named_with_its_path(string find, string replacement, string reason)
    {
        var (outcome, events) = normalizer.Run(Payloads.With("binance-kline.json", find, replacement));

        outcome.Should().Be(new FrameOutcome(FrameKind.Malformed, reason));
        events.Should().BeEmpty();
    }

    [Theory]
    [InlineData("""{"e":"kline","E":1672515782136,"s":"BNBBTC","k":"1m"}""", "malformed: field 'k' is not an object")]
    [InlineData("""{"e":"kline","E":1672515782136,"s":"BNBBTC"}""", "malformed: field 'k' is missing or null")]
    [InlineData("""{"stream":"bnbbtc@trade","data":{"E":1,"s":"BNBBTC","t":1,"p":"1","q":"1","T":1,"m":true}}""", "malformed: field 'e' is missing or null")]
    [InlineData("""{"stream":"bnbbtc@trade","data":"oops"}""", "malformed: field 'data' is not an object")]
    [InlineData("\"just a string\"", "malformed: frame is not a JSON object")]
    public void Structurally_wrong_frames_are_malformed(string frame, string reason)
    {
        var (outcome, events) = normalizer.Run(Payloads.Utf8(frame));

        outcome.Should().Be(new FrameOutcome(FrameKind.Malformed, reason));
        events.Should().BeEmpty();
    }

    [Fact]
    public void Every_truncation_of_a_frame_is_malformed_invalid_json_and_yields_nothing()
    {
        var frame = Payloads.Combined("bnbbtc@kline_1m", "binance-kline.json");

        for (var length = 0; length < frame.Length; length++)
        {
            var (outcome, events) = normalizer.Run(frame[..length]);

            outcome.Kind.Should().Be(FrameKind.Malformed, "a frame cut at byte {0} is not JSON", length);
            outcome.Reason.Should().StartWith("malformed: invalid JSON");
            events.Should().BeEmpty();
        }
    }

    [Theory]
    [InlineData("", " x")]
    [InlineData("", "{}")]
    [InlineData("[", "")]
    [InlineData("", ",")]
    public void Good_payload_with_invalid_json_around_it_is_malformed(string prefix, string suffix)
    {
        var frame = Payloads.Utf8(prefix + Payloads.Text("binance-trade.json").TrimEnd() + suffix);

        var (outcome, events) = normalizer.Run(frame);

        outcome.Kind.Should().Be(FrameKind.Malformed);
        outcome.Reason.Should().StartWith("malformed: invalid JSON");
        events.Should().BeEmpty();
    }

    [Theory]
    [InlineData("{\"e\":\"trade\",}")]
    [InlineData("{'e':'trade'}")]
    [InlineData("{\"e\":\"trade\" \"E\":1}")]
    [InlineData("")]
    [InlineData("   ")]
    public void Invalid_json_is_malformed(string frame)
    {
        var (outcome, events) = normalizer.Run(Payloads.Utf8(frame));

        outcome.Kind.Should().Be(FrameKind.Malformed);
        outcome.Reason.Should().StartWith("malformed: invalid JSON");
        events.Should().BeEmpty();
    }
}
