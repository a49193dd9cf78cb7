using Microsoft.Extensions.Time.Testing;
using System.Text;
using Lambda.Core.Contracts;
using Lambda.Core.Transport;
using Lambda.Core.Validation;
using Lambda.Producer.Normalization;
using Lambda.Producer.Pipeline;

namespace Lambda.Producer.Tests.Pipeline;

public sealed class IngestPipelineTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 21, 8, 0, 0, TimeSpan.Zero);

    private static (IngestPipeline Pipeline, CollectingSink Sink, IngestStatistics Statistics) Create(IngestRules? rules = null)
    {
        var clock = new FakeTimeProvider(Now);
        var sink = new CollectingSink();
        var statistics = new IngestStatistics(clock);
        return (new IngestPipeline(new EventValidator(new EventValidatorOptions(), clock), [sink], statistics, clock, rules), sink, statistics);
    }

    private static byte[] Ticker(string symbol, string price, string quoteVolume) => Encoding.UTF8.GetBytes(
        $$$"""{"stream":"{{{symbol.ToLowerInvariant()}}}@ticker","data":{"e":"24hrTicker","E":{{{Now.ToUnixTimeMilliseconds()}}},"s":"{{{symbol}}}","p":"1","P":"1","w":"1","x":"1","c":"{{{price}}}","Q":"1","b":"1","B":"1","a":"1","A":"1","o":"1","h":"200","l":"0.5","v":"10","q":"{{{quoteVolume}}}","O":0,"C":1,"F":0,"L":1,"n":5}}""");

    [Fact]
    public async Task Tickers_under_the_minimum_quote_volume_are_filtered_and_counted()
    {
        var (pipeline, sink, statistics) = Create(new IngestRules(MinQuoteVolume: 1_000_000));
        var normalizer = new BinanceStreamNormalizer(TimeProvider.System);

        await pipeline.AcceptFrameAsync(Ticker("BTCUSDT", "100", "5000000"), normalizer, "binance", "websocket", CancellationToken.None);
        await pipeline.AcceptFrameAsync(Ticker("DOGEUSDT", "0.1", "999"), normalizer, "binance", "websocket", CancellationToken.None);

        sink.Events.Should().ContainSingle().Which.Symbol.Should().Be("BTCUSDT");
        statistics.Filtered.Should().Be(1);
    }

    [Fact]
    public async Task Invalid_events_and_malformed_frames_are_dead_lettered_with_reason_and_raw_input()
    {
        var (pipeline, sink, statistics) = Create();
        var normalizer = new BinanceStreamNormalizer(TimeProvider.System);
        var negative = Ticker("BTCUSDT", "-5", "10");

        await pipeline.AcceptFrameAsync(negative, normalizer, "binance", "websocket", CancellationToken.None);
        await pipeline.AcceptFrameAsync("{\"stream\":\"x@trade\",\"data\":{\"e\":\"trade\""u8.ToArray(), normalizer, "binance", "websocket", CancellationToken.None);

        var deadLetters = sink.Events.OfType<DeadLetter>().ToList();
        deadLetters.Should().HaveCount(2);
        deadLetters[0].Reason.Should().StartWith("price.positive");
        deadLetters[0].Raw.Should().Be(Encoding.UTF8.GetString(negative));
        deadLetters[0].Symbol.Should().Be("BTCUSDT");
        deadLetters[1].Reason.Should().StartWith("malformed");
        statistics.DeadLettersByRule.Should().ContainKeys("price.positive", "malformed");
    }

    [Fact]
    public async Task An_alert_follows_the_event_that_moved_the_price()
    {
        var (pipeline, sink, _) = Create(new IngestRules(new PriceAlertDetector(0.5)));
        var normalizer = new BinanceStreamNormalizer(TimeProvider.System);

        await pipeline.AcceptFrameAsync(Ticker("BTCUSDT", "100", "10"), normalizer, "binance", "websocket", CancellationToken.None);
        await pipeline.AcceptFrameAsync(Ticker("BTCUSDT", "101", "10"), normalizer, "binance", "websocket", CancellationToken.None);

        sink.Events.Select(e => e.Topic).Should().Equal(Topics.Prices, Topics.Prices, Topics.Alerts);
        ((AlertEvent)sink.Events[2]).ChangePercent.Should().BeApproximately(1, 1e-9);
    }

    private sealed class CollectingSink : IEventSink
    {
        public List<MarketEvent> Events { get; } = [];

        public string Name => "collect";

        public SinkStatistics Statistics { get; } = new();

        public ValueTask PublishAsync(MarketEvent marketEvent, CancellationToken cancellationToken)
        {
            Events.Add(marketEvent);
            return ValueTask.CompletedTask;
        }

        public Task<FlushResult> FlushAsync(TimeSpan timeout, CancellationToken cancellationToken) => Task.FromResult(new FlushResult(0));

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}
