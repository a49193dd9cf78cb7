using System.Diagnostics.Metrics;
using Lambda.Core.Contracts;
using Lambda.Producer.Pipeline;

namespace Lambda.Producer.Tests.Pipeline;

public sealed class IngestStatisticsTests
{
    private static TickerEvent Ticker(double price) => new()
    {
        Exchange = "binance", Symbol = "BTCUSDT", EventTime = 1_763_683_200_000, Source = "websocket", Price = price, Open = 1, High = 200, Low = 1,
        Volume = 10, QuoteVolume = 1000, NumberTrades = 3, PriceChange = 1, PriceChangePercent = 2.5, Timestamp = DateTimeOffset.UnixEpoch,
    };

    [Fact]
    public void The_same_figures_are_published_as_metrics_instruments()
    {
        using var statistics = new IngestStatistics();
        var measured = new Dictionary<string, long>();
        using var listener = new MeterListener
        {
            InstrumentPublished = (instrument, l) =>
            {
                if (instrument.Meter == statistics.Meter)
                {
                    l.EnableMeasurementEvents(instrument);
                }
            },
        };
        listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) =>
        {
            var key = instrument.Name + string.Concat(tags.ToArray().Select(t => $"[{t.Key}={t.Value}]"));
            measured[key] = measured.GetValueOrDefault(key) + value;
        });
        listener.Start();

        statistics.RecordFrame();
        statistics.RecordEvent(Ticker(100));
        statistics.RecordEvent(Ticker(101));
        statistics.RecordDeadLetter("price.positive");
        statistics.RecordReconnect("binance-websocket#1", "aborted");
        statistics.RecordFiltered();

        measured.Should().BeEquivalentTo(new Dictionary<string, long>
        {
            ["lambda.producer.frames"] = 1,
            ["lambda.producer.events[topic=crypto-prices]"] = 2,
            ["lambda.producer.dead_letters[rule=price.positive]"] = 1,
            ["lambda.producer.reconnects[connector=binance-websocket#1][reason=aborted]"] = 1,
            ["lambda.producer.filtered"] = 1,
        });
        var symbol = statistics.Symbols["binance:BTCUSDT"];
        symbol.Messages.Should().Be(2);
        symbol.LastPrice.Should().Be(101);
        symbol.ChangePercent.Should().Be(2.5);
        statistics.Reconnects.Should().ContainKey("binance-websocket#1: aborted");
    }
}
