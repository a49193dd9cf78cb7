using System.Text;
using Lambda.Core.Contracts;
using Lambda.Core.Windows;
using Lambda.SpeedLayer.Engine;

namespace Lambda.Cli.Tests;

/// <summary>How batch and stream mode start their windowing engine when the first kline names the interval.</summary>
public sealed class EngineStartTests
{
    private const long Day = 86_400_000;
    private static readonly long Noon = new DateTimeOffset(2026, 6, 1, 12, 0, 0, TimeSpan.Zero).ToUnixTimeMilliseconds();

    private readonly List<(string Interval, MarketEvent Event, string Raw, string Input)> _fed = [];

    private EngineStart<string> Start(string? interval, bool keepRaw = true) => new(
        interval,
        kline => new CandleWindowEngine(new CandleWindowOptions { KlineInterval = kline, WindowLength = TimeSpan.FromDays(1) }),
        (engine, marketEvent, raw, input) => _fed.Add((engine.Options.KlineInterval, marketEvent, Encoding.UTF8.GetString(raw), input)),
        keepRaw);

    [Fact]
    public void Events_read_before_the_first_kline_wait_and_reach_the_engine_in_read_order_once_it_starts()
    {
        var start = Start(interval: null);

        start.Feed(Trade(1), "t1"u8, "crypto-trades").Should().BeFalse();
        start.Feed(Trade(2), "t2"u8, "crypto-trades").Should().BeFalse();
        start.Engine.Should().BeNull();
        _fed.Should().BeEmpty();

        start.Feed(Kline("4h"), "k"u8, "crypto-klines").Should().BeTrue();

        start.Interval.Should().Be("4h");
        start.Engine.Should().NotBeNull();
        _fed.Select(f => (f.Interval, f.Raw, f.Input)).Should().Equal(("4h", "t1", "crypto-trades"), ("4h", "t2", "crypto-trades"), ("4h", "k", "crypto-klines"));
    }

    [Fact]
    public void A_later_kline_of_another_interval_does_not_change_the_started_engine()
    {
        var start = Start(interval: null);
        start.Feed(Kline("4h"), "a"u8, "crypto-klines");
        var engine = start.Engine;

        start.Feed(Kline("1h"), "b"u8, "crypto-klines").Should().BeTrue();

        start.Engine.Should().BeSameAs(engine);
        start.Interval.Should().Be("4h");
    }

    [Fact]
    public void A_read_that_ends_without_a_kline_starts_on_the_default_interval_and_feeds_what_waited()
    {
        var start = Start(interval: null);
        start.Feed(Trade(1), "t1"u8, "crypto-trades");

        var engine = start.Start();

        engine.Options.KlineInterval.Should().Be(EngineStart<string>.DefaultInterval);
        _fed.Select(f => f.Raw).Should().Equal("t1");
        start.Start().Should().BeSameAs(engine, "starting twice keeps the engine and feeds nothing again");
        _fed.Should().HaveCount(1);
    }

    [Fact]
    public void Without_keeping_raw_messages_a_waiting_event_reaches_the_feeder_with_an_empty_one()
    {
        var start = Start(interval: null, keepRaw: false);
        start.Feed(Trade(1), "t1"u8, "crypto-trades");
        start.Feed(Kline("4h"), "k"u8, "crypto-klines");

        _fed.Select(f => f.Raw).Should().Equal("", "k");
    }

    [Fact]
    public void A_known_interval_feeds_the_first_event_whatever_it_is()
    {
        var start = Start(interval: "1h");

        start.Feed(Trade(1), "t1"u8, "crypto-trades").Should().BeTrue();

        _fed.Should().ContainSingle().Which.Interval.Should().Be("1h");
    }

    [Theory]
    [InlineData("1h", "crypto-klines", "1h")]
    [InlineData(null, "crypto-klines", null)]
    [InlineData(null, "crypto-trades", "1m")]
    public void The_interval_is_the_configured_one_else_the_first_klines_else_the_default_when_no_klines_are_read(string? configured, string topic, string? expected) =>
        EngineStart<string>.IntervalFor(configured, [topic]).Should().Be(expected);

    private static TradeEvent Trade(long id) => new()
    {
        Exchange = "binance",
        Symbol = "BTCUSDT",
        EventTime = Noon + id,
        Source = EventSources.WebSocket,
        TradeId = id,
        Price = 100,
        Quantity = 1,
        TradeTime = Noon + id,
        IsBuyerMaker = false,
    };

    private static KlineEvent Kline(string interval)
    {
        var length = interval == "1h" ? 3_600_000 : 4 * 3_600_000;
        var open = Noon - (Noon % Day);
        return new KlineEvent
        {
            Exchange = "binance",
            Symbol = "BTCUSDT",
            EventTime = open + length - 1,
            Source = EventSources.Replay,
            Interval = interval,
            OpenTime = open,
            CloseTime = open + length - 1,
            Open = 1,
            High = 1,
            Low = 1,
            Close = 1,
            Volume = 1,
            QuoteVolume = 1,
            Trades = 1,
            IsClosed = true,
        };
    }
}
