using Microsoft.Extensions.Time.Testing;
using Lambda.Core.Contracts;
using Lambda.Core.Validation;

namespace Lambda.Core.Tests.Validation;

public sealed class EventValidatorTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 21, 7, 0, 0, TimeSpan.Zero);

    private static readonly KlineEvent Kline = new()
    {
        Exchange = "binance", Symbol = "BTCUSDT", EventTime = Now.AddMinutes(-1).ToUnixTimeMilliseconds(), Source = EventSources.WebSocket,
        Interval = "1m", OpenTime = Now.AddMinutes(-1).ToUnixTimeMilliseconds(), CloseTime = Now.ToUnixTimeMilliseconds() - 1,
        Open = 100, High = 110, Low = 95, Close = 105, Volume = 3, QuoteVolume = 310, Trades = 12, IsClosed = false,
    };

    private static readonly TickerEvent Ticker = new()
    {
        Exchange = "bybit", Symbol = "ETHUSDT", EventTime = Now.ToUnixTimeMilliseconds(), Source = EventSources.Rest,
        Price = 2000, Open = 1990, High = 2010, Low = 1980, Volume = 5, QuoteVolume = 10000, NumberTrades = 0,
        PriceChange = 10, PriceChangePercent = 0.5, Timestamp = Now,
    };

    private static readonly TradeEvent Trade = new()
    {
        Exchange = "binance", Symbol = "BTCUSDT", EventTime = Now.ToUnixTimeMilliseconds(), Source = EventSources.WebSocket,
        TradeId = 1, Price = 100, Quantity = 0.1, TradeTime = Now.ToUnixTimeMilliseconds(), IsBuyerMaker = false,
    };

    private static EventValidator Validator(params string[] symbols) =>
        new(new EventValidatorOptions { KnownSymbols = symbols.ToHashSet() }, new FakeTimeProvider(Now));

    public static TheoryData<MarketEvent, string> Broken() => new()
    {
        { Kline with { Exchange = "kraken" }, "exchange.known" },
        { Kline with { Symbol = "btcusdt" }, "symbol.format" },
        { Kline with { Symbol = "" }, "symbol.format" },
        { Kline with { Source = "carrier-pigeon" }, "source.known" },
        { Kline with { EventTime = 5 }, "event_time.range" },
        { Kline with { EventTime = Now.AddDays(1).ToUnixTimeMilliseconds() }, "event_time.range" },
        { Kline with { Interval = "7m" }, "kline.interval" },
        { Kline with { Open = -1 }, "open.positive" },
        { Kline with { Close = double.NaN }, "close.finite" },
        { Kline with { High = double.PositiveInfinity }, "high.finite" },
        { Kline with { Volume = -0.5 }, "volume.non_negative" },
        { Kline with { Trades = -1 }, "trades.non_negative" },
        { Kline with { CloseTime = Kline.OpenTime }, "kline.time_order" },
        { Kline with { CloseTime = Kline.OpenTime + 60_000 }, "kline.time_order" },
        { Kline with { High = 101 }, "range.high_low" },
        { Ticker with { Price = 0 }, "price.positive" },
        { Ticker with { QuoteVolume = double.NaN }, "quote_volume.finite" },
        { Ticker with { Low = 3000 }, "range.high_low" },
        { Trade with { Quantity = 0 }, "quantity.positive" },
        { Trade with { Price = -3 }, "price.positive" },
    };

    [Theory]
    [MemberData(nameof(Broken))]
    public void Names_the_rule_an_event_broke(MarketEvent marketEvent, string rule)
    {
        var result = Validator().Validate(marketEvent);

        result.IsValid.Should().BeFalse();
        result.Rule.Should().Be(rule);
        result.ToString().Should().StartWith(rule + ": ");
    }

    [Fact]
    public void Accepts_well_formed_events_of_every_kind()
    {
        var validator = Validator();

        validator.Validate(Kline).IsValid.Should().BeTrue();
        validator.Validate(Ticker).IsValid.Should().BeTrue();
        validator.Validate(Trade).IsValid.Should().BeTrue();
        validator.Validate(Kline with { Interval = "1M", CloseTime = Kline.OpenTime + 2_678_399_999L }).IsValid.Should().BeTrue();
    }

    [Fact]
    public void Rejects_symbols_outside_the_configured_list_only_when_one_is_given()
    {
        Validator("ETHUSDT").Validate(Kline).Rule.Should().Be("symbol.known");
        Validator("BTCUSDT").Validate(Kline).IsValid.Should().BeTrue();
    }
}
