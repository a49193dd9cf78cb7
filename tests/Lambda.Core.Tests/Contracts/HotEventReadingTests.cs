using System.Text;
using System.Text.Json;
using Lambda.Core.Contracts;

namespace Lambda.Core.Tests.Contracts;

/// <summary>
/// Klines and trades read by topic take a hand-written path; the source-generated serializer
/// (<see cref="EventSerializer.Deserialize{T}"/>) is the reference it must never differ from.
/// </summary>
public sealed class HotEventReadingTests
{
    private const string Kline =
        """{"exchange":"binance","symbol":"BTCUSDT","event_time":1767225615000,"source":"websocket","interval":"1m","open_time":1767225600000,"close_time":1767225659999,"open":60000,"high":60000.5,"low":59986.24,"close":59986.24,"volume":0.13166,"quote_volume":7897.7884,"trades":15,"is_closed":false}""";

    private const string Trade =
        """{"exchange":"bybit","symbol":"SOLUSDT","event_time":1767225604796,"source":"websocket","trade_id":1,"price":150.11,"quantity":0.02775,"trade_time":1767225604783,"is_buyer_maker":true}""";

    [Fact]
    public void Random_klines_and_trades_read_by_topic_equal_the_serializers_reading_to_the_bit()
    {
        var random = new Random(5);
        for (var i = 0; i < 20_000; i++)
        {
            MarketEvent written = i % 2 == 0
                ? new KlineEvent
                {
                    Exchange = "binance", Symbol = "S" + random.Next(50), EventTime = random.NextInt64(), Source = EventSources.WebSocket,
                    Interval = "1m", OpenTime = random.NextInt64(long.MinValue, long.MaxValue), CloseTime = -random.NextInt64(),
                    Open = AnyDouble(random), High = AnyDouble(random), Low = AnyDouble(random), Close = AnyDouble(random),
                    Volume = AnyDouble(random), QuoteVolume = AnyDouble(random), Trades = random.NextInt64(long.MinValue, long.MaxValue), IsClosed = random.Next(2) == 0,
                }
                : new TradeEvent
                {
                    Exchange = "bybit", Symbol = "T" + random.Next(50), EventTime = random.NextInt64(), Source = EventSources.Replay,
                    TradeId = random.NextInt64(long.MinValue, long.MaxValue), Price = AnyDouble(random), Quantity = AnyDouble(random),
                    TradeTime = random.NextInt64(), IsBuyerMaker = random.Next(2) == 0,
                };
            var json = EventSerializer.Serialize(written);
            // Every event we write takes the fast path: a new field or a changed layout must not send the log to the serializer.
            (written is KlineEvent ? WrittenLayoutReader.TryReadKline(json, out _) : WrittenLayoutReader.TryReadTrade(json, out _))
                .Should().BeTrue(Encoding.UTF8.GetString(json));

            var read = EventSerializer.Deserialize(written.Topic, json);

            var reference = written is KlineEvent ? (MarketEvent)EventSerializer.Deserialize<KlineEvent>(json) : EventSerializer.Deserialize<TradeEvent>(json);
            read.Should().Be(reference, Encoding.UTF8.GetString(json));
            // Written again, equal bytes: every double has the same bits (record equality alone takes -0 for 0).
            EventSerializer.Serialize(read).Should().Equal(json, Encoding.UTF8.GetString(json));
        }
    }

    public static TheoryData<string, string> Variants() => new()
    {
        { Topics.Klines, Kline },
        { Topics.Klines, Kline.Replace(",\"symbol\"", " , \"symbol\"", StringComparison.Ordinal) },
        { Topics.Klines, Kline + " " },
        { Topics.Klines, Kline + "\r" },
        { Topics.Klines, Kline + "x" },
        { Topics.Klines, Kline + "{}" },
        { Topics.Klines, Kline[..^1] },
        { Topics.Klines, Kline.Replace("\"is_closed\":false", "\"is_closed\":false,\"extra\":[1,{\"a\":2}]", StringComparison.Ordinal) },
        { Topics.Klines, Kline.Replace("\"is_closed\":false", "\"is_closed\":false,\"trades\":16", StringComparison.Ordinal) },
        { Topics.Klines, Kline.Replace(",\"trades\":15", "", StringComparison.Ordinal) },
        { Topics.Klines, "{\"trades\":15," + Kline[1..].Replace(",\"trades\":15", "", StringComparison.Ordinal) },
        { Topics.Klines, Kline.Replace("\"BTCUSDT\"", "null", StringComparison.Ordinal) },
        { Topics.Klines, Kline.Replace("\"BTCUSDT\"", "\"\\u0042TCUSDT\"", StringComparison.Ordinal) },
        { Topics.Klines, Kline.Replace("\"BTCUSDT\"", "\"BTC\tUSDT\"", StringComparison.Ordinal) },
        { Topics.Klines, Kline.Replace("\"BTCUSDT\"", "\"BTCÜSDT\"", StringComparison.Ordinal) },
        { Topics.Klines, Kline.Replace("\"trades\":15", "\"trades\":\"15\"", StringComparison.Ordinal) },
        { Topics.Klines, Kline.Replace("\"trades\":15", "\"trades\":15.0", StringComparison.Ordinal) },
        { Topics.Klines, Kline.Replace("\"trades\":15", "\"trades\":1e1", StringComparison.Ordinal) },
        { Topics.Klines, Kline.Replace("\"trades\":15", "\"trades\":9223372036854775808", StringComparison.Ordinal) },
        { Topics.Klines, Kline.Replace("\"trades\":15", "\"trades\":-9223372036854775808", StringComparison.Ordinal) },
        { Topics.Klines, Kline.Replace("\"trades\":15", "\"trades\":015", StringComparison.Ordinal) },
        { Topics.Klines, Kline.Replace("\"open\":60000", "\"open\":6e4", StringComparison.Ordinal) },
        { Topics.Klines, Kline.Replace("\"open\":60000", "\"open\":6E+4", StringComparison.Ordinal) },
        { Topics.Klines, Kline.Replace("\"open\":60000", "\"open\":060000", StringComparison.Ordinal) },
        { Topics.Klines, Kline.Replace("\"open\":60000", "\"open\":60000.", StringComparison.Ordinal) },
        { Topics.Klines, Kline.Replace("\"open\":60000", "\"open\":.5", StringComparison.Ordinal) },
        { Topics.Klines, Kline.Replace("\"open\":60000", "\"open\":-0", StringComparison.Ordinal) },
        { Topics.Klines, Kline.Replace("\"open\":60000", "\"open\":-0.0", StringComparison.Ordinal) },
        { Topics.Klines, Kline.Replace("\"open\":60000", "\"open\":1e400", StringComparison.Ordinal) },
        { Topics.Klines, Kline.Replace("\"open\":60000", "\"open\":NaN", StringComparison.Ordinal) },
        { Topics.Klines, Kline.Replace("\"open\":60000", "\"open\":\"NaN\"", StringComparison.Ordinal) },
        { Topics.Klines, Kline.Replace("\"open\":60000", "\"open\":0.1000000000000000055511151231257827", StringComparison.Ordinal) },
        { Topics.Klines, Kline.Replace("\"open\":60000", "\"open\":123456789012345.6", StringComparison.Ordinal) },
        { Topics.Klines, Kline.Replace("\"open\":60000", "\"open\":9007199254740993", StringComparison.Ordinal) },
        { Topics.Klines, Kline.Replace("\"open\":60000", "\"open\":0.00000000000000000000001", StringComparison.Ordinal) },
        { Topics.Klines, Kline.Replace("\"is_closed\":false", "\"is_closed\":\"false\"", StringComparison.Ordinal) },
        { Topics.Klines, Kline.Replace("\"is_closed\":false", "\"is_closed\":0", StringComparison.Ordinal) },
        { Topics.Klines, "[" + Kline + "]" },
        { Topics.Klines, "null" },
        { Topics.Klines, "" },
        { Topics.Trades, Trade },
        { Topics.Trades, Trade.Replace("\"price\":150.11", "\"price\":-150.11", StringComparison.Ordinal) },
        { Topics.Trades, Trade.Replace("\"price\":150.11", "\"price\":1.5011E2", StringComparison.Ordinal) },
        { Topics.Trades, Trade.Replace("\"trade_id\":1", "\"trade_id\":-1", StringComparison.Ordinal) },
        { Topics.Trades, Trade.Replace("\"trade_id\":1", "\"trade_id\":-01", StringComparison.Ordinal) },
        { Topics.Trades, Trade.Replace("\"is_buyer_maker\":true", "\"is_buyer_maker\":tru", StringComparison.Ordinal) },
        { Topics.Trades, Trade.Replace("\"is_buyer_maker\":true", "\"is_buyer_maker\":null", StringComparison.Ordinal) },
        { Topics.Trades, Trade.Replace("{\"exchange\"", "{ \"exchange\"", StringComparison.Ordinal) },
        { Topics.Trades, Trade.Replace("\"exchange\"", "\"Exchange\"", StringComparison.Ordinal) },
        { Topics.Trades, Trade.Replace("\"exchange\"", "\"exch\\u0061nge\"", StringComparison.Ordinal) },
        { Topics.Trades, Trade.Replace("\"quantity\":0.02775,", "", StringComparison.Ordinal) },
        { Topics.Trades, Kline },
    };

    [Theory]
    [MemberData(nameof(Variants))]
    public void Messages_in_or_out_of_the_written_layout_read_as_the_serializer_reads_them(string topic, string json)
    {
        var bytes = Encoding.UTF8.GetBytes(json);
        AssertReadAsSerializer(topic, bytes);
    }

    [Fact]
    public void Invalid_utf8_in_a_string_reads_as_the_serializer_reads_it()
    {
        var bytes = Encoding.UTF8.GetBytes(Trade);
        var at = Trade.IndexOf("SOLUSDT", StringComparison.Ordinal) + 1;
        bytes[at] = 0xC3;
        bytes[at + 1] = 0x28;

        AssertReadAsSerializer(Topics.Trades, bytes);
    }

    private static void AssertReadAsSerializer(string topic, byte[] bytes)
    {
        object Outcome(Func<MarketEvent> read)
        {
            try
            {
                return Encoding.UTF8.GetString(EventSerializer.Serialize(read()));
            }
            catch (Exception e) when (e is JsonException or InvalidOperationException or ArgumentException)
            {
                return e.GetType();
            }
        }

        var ours = Outcome(() => EventSerializer.Deserialize(topic, bytes));
        var reference = Outcome(() => topic == Topics.Klines ? EventSerializer.Deserialize<KlineEvent>(bytes) : EventSerializer.Deserialize<TradeEvent>(bytes));
        ours.Should().Be(reference);
    }

    /// <summary>Doubles of every shape: prices with a few decimals, long fractions, tiny and huge ones, any finite bits.</summary>
    private static double AnyDouble(Random random) => random.Next(6) switch
    {
        0 => Math.Round(random.NextDouble() * Math.Pow(10, random.Next(0, 9)), random.Next(0, 9)),
        1 => random.NextDouble(),
        2 => -random.NextDouble() * 1000,
        3 => random.NextDouble() * Math.Pow(10, random.Next(-30, 30)),
        4 => random.Next(-1000, 1000),
        _ => FiniteBits(random),
    };

    private static double FiniteBits(Random random)
    {
        while (true)
        {
            var value = BitConverter.Int64BitsToDouble(random.NextInt64(long.MinValue, long.MaxValue));
            if (double.IsFinite(value))
            {
                return value;
            }
        }
    }
}
