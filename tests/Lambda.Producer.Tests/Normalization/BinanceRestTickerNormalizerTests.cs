using Microsoft.Extensions.Time.Testing;
using Lambda.Core.Contracts;
using Lambda.Producer.Normalization;

namespace Lambda.Producer.Tests.Normalization;

public sealed class BinanceRestTickerNormalizerTests
{
    private readonly BinanceRestTickerNormalizer normalizer = new(new FakeTimeProvider(FixedTime.Noon));

    private static TickerEvent Bnbbtc => new()
    {
        Exchange = "binance",
        Symbol = "BNBBTC",
        EventTime = 1499869899040,
        Source = "rest",
        Price = 4.000002,
        Open = 99,
        High = 100,
        Low = 0.1,
        Volume = 8913.3,
        QuoteVolume = 15.3,
        NumberTrades = 76,
        PriceChange = -94.999998,
        PriceChangePercent = -95.96,
        Timestamp = FixedTime.Noon,
    };

    [Fact]
    public void Single_ticker_object_becomes_one_ticker_event_timed_by_its_close_time()
    {
        var (outcome, events) = normalizer.Run(Payloads.Bytes("binance-rest-ticker-24hr.json"), EventSources.Rest);

        outcome.Should().Be(FrameOutcome.Events);
        events.Should().ContainSingle().Which.Should().Be(Bnbbtc);
    }

    [Fact]
    public void Array_of_tickers_becomes_one_event_per_element_in_order()
    {
        var (outcome, events) = normalizer.Run(Payloads.Bytes("binance-rest-ticker-24hr-array.json"), EventSources.Rest);

        outcome.Should().Be(FrameOutcome.Events);
        events.Should().HaveCount(2);
        events[0].Should().Be(Bnbbtc);
        events[1].Should().BeOfType<TickerEvent>().Which.Should().BeEquivalentTo(new
        {
            Symbol = "LTCBTC",
            EventTime = 1499869899041L,
            Price = 0.0041,
            NumberTrades = 412L,
        });
    }

    [Fact]
    public void Source_is_stamped_as_given()
    {
        var (_, events) = normalizer.Run(Payloads.Bytes("binance-rest-ticker-24hr.json"), EventSources.Replay);

        events.Single().Source.Should().Be("replay");
    }

    [Theory]
    [InlineData("\"lastPrice\": \"0.00410000\"", "\"lastPrice\": \"abc\"", "malformed: element 1: field 'lastPrice' is not a number")]
    [InlineData("\"lastPrice\": \"0.00410000\"", "\"lastPrice\": \"NaN\"", "malformed: element 1: field 'lastPrice' is not a finite number")]
    [InlineData("\"closeTime\": 1499869899041,", "", "malformed: element 1: field 'closeTime' is missing or null")]
    [InlineData("\"count\": 412", "\"count\": \"lots\"", "malformed: element 1: field 'count' is not an integer")]
    [InlineData("\"symbol\": \"LTCBTC\"", "\"symbol\": [\"LTCBTC\"]", "malformed: element 1: field 'symbol' is not a string")]
    public void Broken_element_makes_the_whole_body_malformed_naming_the_element_and_field(string find, string replacement, string reason)
    {
        var (outcome, events) = normalizer.Run(Payloads.With("binance-rest-ticker-24hr-array.json", find, replacement), EventSources.Rest);

        outcome.Should().Be(new FrameOutcome(FrameKind.Malformed, reason));
        events.Should().BeEmpty("the good first element must not leave alone");
    }

    [Fact]
    public void Broken_single_object_is_malformed_naming_the_field()
    {
        var frame = Payloads.With("binance-rest-ticker-24hr.json", "\"highPrice\": \"100.00000000\"", "\"highPrice\": \"1OO\"");

        var (outcome, events) = normalizer.Run(frame, EventSources.Rest);

        outcome.Should().Be(new FrameOutcome(FrameKind.Malformed, "malformed: field 'highPrice' is not a number"));
        events.Should().BeEmpty();
    }

    [Fact]
    public void Element_that_is_not_an_object_is_malformed()
    {
        var (outcome, events) = normalizer.Run(Payloads.Utf8($"[{Payloads.Text("binance-rest-ticker-24hr.json")}, 42]"), EventSources.Rest);

        outcome.Should().Be(new FrameOutcome(FrameKind.Malformed, "malformed: element 1: not an object"));
        events.Should().BeEmpty();
    }

    [Fact]
    public void Error_body_is_malformed_with_the_exchange_code_and_message()
    {
        var (outcome, events) = normalizer.Run(Payloads.Bytes("binance-rest-error.json"), EventSources.Rest);

        outcome.Should().Be(new FrameOutcome(FrameKind.Malformed, "malformed: error response -1121: Invalid symbol."));
        events.Should().BeEmpty();
    }

    [Fact]
    public void Empty_array_is_ignored()
    {
        var (outcome, events) = normalizer.Run(Payloads.Utf8("[]"), EventSources.Rest);

        outcome.Should().Be(FrameOutcome.Ignored("no tickers"));
        events.Should().BeEmpty();
    }

    [Theory]
    [InlineData("binance-rest-ticker-24hr.json")]
    [InlineData("binance-rest-ticker-24hr-array.json")]
    public void Truncated_body_is_malformed_invalid_json(string payload)
    {
        var body = Payloads.Bytes(payload);

        var (outcome, events) = normalizer.Run(body[..(body.Length / 2)], EventSources.Rest);

        outcome.Kind.Should().Be(FrameKind.Malformed);
        outcome.Reason.Should().StartWith("malformed: invalid JSON");
        events.Should().BeEmpty();
    }

    [Theory]
    [InlineData("42")]
    [InlineData("\"ticker\"")]
    [InlineData("null")]
    public void Body_that_is_neither_object_nor_array_is_malformed(string body)
    {
        var (outcome, _) = normalizer.Run(Payloads.Utf8(body), EventSources.Rest);

        outcome.Should().Be(new FrameOutcome(FrameKind.Malformed, "malformed: body is neither a ticker object nor an array of them"));
    }
}
