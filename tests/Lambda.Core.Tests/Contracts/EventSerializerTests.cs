using System.Text;
using System.Text.Json;
using Lambda.Core.Contracts;

namespace Lambda.Core.Tests.Contracts;

public sealed class EventSerializerTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 21, 7, 0, 0, TimeSpan.Zero);

    private static readonly MarketEvent[] AllEvents =
    [
        new TickerEvent
        {
            Exchange = "binance", Symbol = "BTCUSDT", EventTime = 1_700_000_000_000, Source = EventSources.WebSocket,
            Price = 37000.5, Open = 36000, High = 37500, Low = 35900.25, Volume = 1234.5, QuoteVolume = 45_000_000.75,
            NumberTrades = 987654, PriceChange = 1000.5, PriceChangePercent = 2.779, Timestamp = Now,
        },
        new KlineEvent
        {
            Exchange = "binance", Symbol = "ETHUSDT", EventTime = 1_700_000_000_000, Source = EventSources.Replay, Interval = "4h",
            OpenTime = 1_699_992_800_000, CloseTime = 1_700_007_199_999, Open = 2000, High = 2050, Low = 1990, Close = 2040.1,
            Volume = 100.25, QuoteVolume = 203_000.5, Trades = 4321, IsClosed = true,
        },
        new TradeEvent
        {
            Exchange = "bybit", Symbol = "SOLUSDT", EventTime = 1_700_000_000_001, Source = EventSources.WebSocket,
            TradeId = 123456789012, Price = 55.5, Quantity = 0.001, TradeTime = 1_700_000_000_000, IsBuyerMaker = true,
        },
        new AlertEvent
        {
            Exchange = "binance", Symbol = "BTCUSDT", EventTime = 1_700_000_000_000, Source = EventSources.Rest,
            PreviousPrice = 100, Price = 100.6, ChangePercent = 0.6, ThresholdPercent = 0.5,
        },
        new DeadLetter
        {
            Exchange = "binance", Symbol = "", EventTime = 1_700_000_000_000, Source = EventSources.WebSocket,
            Reason = "malformed: field 'p' is not a number", Raw = "{\"e\":\"trade\",\"p\":\"abc\"}", ReceivedAt = Now,
        },
    ];

    public static TheoryData<MarketEvent> Events() => new(AllEvents);

    [Theory]
    [MemberData(nameof(Events))]
    public void Every_contract_round_trips_through_its_topic(MarketEvent marketEvent)
    {
        var json = EventSerializer.Serialize(marketEvent);

        EventSerializer.Deserialize(marketEvent.Topic, json).Should().Be(marketEvent);
    }

    [Theory]
    [MemberData(nameof(Events))]
    public void Field_names_are_snake_case_and_common_fields_come_first(MarketEvent marketEvent)
    {
        using var document = JsonDocument.Parse(EventSerializer.Serialize(marketEvent));
        var names = document.RootElement.EnumerateObject().Select(p => p.Name).ToList();

        names.Take(4).Should().Equal("exchange", "symbol", "event_time", "source");
        names.Should().OnlyContain(n => n == n.ToLowerInvariant() && !n.Contains(' '));
        names.Should().NotContain(["topic", "key"]);
    }

    [Fact]
    public void Kline_uses_the_documented_field_names()
    {
        var kline = (KlineEvent)AllEvents.Single(e => e is KlineEvent);
        using var document = JsonDocument.Parse(EventSerializer.Serialize(kline));

        document.RootElement.EnumerateObject().Select(p => p.Name).Should().BeEquivalentTo(
            "exchange", "symbol", "event_time", "source", "interval", "open_time", "close_time",
            "open", "high", "low", "close", "volume", "quote_volume", "trades", "is_closed");
    }

    [Fact]
    public void A_message_missing_a_required_field_is_rejected()
    {
        var json = """{"exchange":"binance","symbol":"BTCUSDT","event_time":1,"source":"websocket","trade_id":1,"price":1,"trade_time":1,"is_buyer_maker":false}"""u8.ToArray();

        var read = () => EventSerializer.Deserialize(Topics.Trades, json);

        read.Should().Throw<JsonException>().WithMessage("*quantity*");
    }

    [Fact]
    public void Keys_keep_one_symbol_of_one_exchange_together()
    {
        var trade = (TradeEvent)AllEvents.Single(e => e is TradeEvent);

        trade.Key.Should().Be("bybit:SOLUSDT");
        EventKey.For("binance", "").Should().Be("binance");
    }

    [Fact]
    public void Serializing_into_a_buffer_gives_the_same_bytes()
    {
        foreach (var marketEvent in AllEvents)
        {
            var buffer = new System.Buffers.ArrayBufferWriter<byte>();
            EventSerializer.Serialize(marketEvent, buffer);
            Encoding.UTF8.GetString(buffer.WrittenSpan).Should().Be(Encoding.UTF8.GetString(EventSerializer.Serialize(marketEvent)));
        }
    }
    [Fact]
    public void Prices_and_quantities_are_written_exactly_as_the_json_writer_writes_them()
    {
        // The converter's fast path must give the writer's own text (the shortest that reads back) byte for byte:
        // exchange-style decimals of 0-9 fraction digits over every magnitude, arbitrary doubles, and the edges.
        var random = new Random(20261204);
        var values = new List<double> { 0, -0.0, 1e-4, 9.99999999e-5, 1e7, 9_999_999.99999999, 0.1 + 0.2, double.Epsilon, double.MaxValue, 123456789.12345678 };
        for (var i = 0; i < 1_000_000; i++)
        {
            var digits = random.Next(0, 10);
            var text = (random.NextInt64(0, 100_000_000_000) / Math.Pow(10, random.Next(0, 12))).ToString("F" + digits, System.Globalization.CultureInfo.InvariantCulture);
            var value = i % 4 == 3 ? random.NextDouble() * Math.Pow(10, random.Next(-6, 9)) : double.Parse(text, System.Globalization.CultureInfo.InvariantCulture);
            values.Add(i % 2 == 0 ? value : -value);
        }

        Span<byte> fast = stackalloc byte[32];
        var formatted = 0;
        foreach (var value in values)
        {
            if (DecimalDoubleConverter.TryFormat(value, fast, out var written))
            {
                formatted++;
                Encoding.UTF8.GetString(fast[..written]).Should().Be(JsonSerializer.Serialize(value), $"the writer's text for {value:R}");
            }
        }

        formatted.Should().BeGreaterThan(400_000, "exchange-style decimals in range take the fast path");
    }

    [Fact]
    public void Doubles_outside_the_fast_path_are_written_by_the_json_writer()
    {
        var trade = (TradeEvent)AllEvents[2] with { Price = 0.1 + 0.2, Quantity = 1.5e-9 };
        var json = Encoding.UTF8.GetString(EventSerializer.Serialize(trade));
        json.Should().Contain("\"price\":0.30000000000000004").And.Contain("\"quantity\":1.5E-09");
        ((TradeEvent)EventSerializer.Deserialize(Topics.Trades, Encoding.UTF8.GetBytes(json))).Should().Be(trade);
    }
}
