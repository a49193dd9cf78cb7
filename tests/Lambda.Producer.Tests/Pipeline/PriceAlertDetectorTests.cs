using Lambda.Core.Contracts;
using Lambda.Producer.Pipeline;

namespace Lambda.Producer.Tests.Pipeline;

public sealed class PriceAlertDetectorTests
{
    private static TradeEvent Trade(string symbol, double price, long time) => new()
    {
        Exchange = "binance", Symbol = symbol, EventTime = time, Source = "websocket",
        TradeId = time, Price = price, Quantity = 1, TradeTime = time, IsBuyerMaker = false,
    };

    [Fact]
    public void Alerts_when_the_price_moved_the_threshold_since_the_last_alert_and_not_before()
    {
        var detector = new PriceAlertDetector(0.5);

        detector.Observe(Trade("BTCUSDT", 100, 1)).Should().BeNull("the first price is the reference");
        detector.Observe(Trade("BTCUSDT", 100.4, 2)).Should().BeNull();
        var up = detector.Observe(Trade("BTCUSDT", 100.5, 3));
        up.Should().NotBeNull();
        up!.PreviousPrice.Should().Be(100);
        up.Price.Should().Be(100.5);
        up.ChangePercent.Should().BeApproximately(0.5, 1e-9);
        up.ThresholdPercent.Should().Be(0.5);
        up.EventTime.Should().Be(3);

        detector.Observe(Trade("BTCUSDT", 100.9, 4)).Should().BeNull("measured from the last alert at 100.5");
        detector.Observe(Trade("BTCUSDT", 99.9, 5))!.ChangePercent.Should().BeApproximately(-0.59701, 1e-4);
    }

    [Fact]
    public void Each_symbol_has_its_own_reference()
    {
        var detector = new PriceAlertDetector(1);
        detector.Observe(Trade("BTCUSDT", 100, 1));
        detector.Observe(Trade("ETHUSDT", 10, 1));

        detector.Observe(Trade("ETHUSDT", 10.05, 2)).Should().BeNull();
        detector.Observe(Trade("BTCUSDT", 101, 2))!.Symbol.Should().Be("BTCUSDT");
    }
}
