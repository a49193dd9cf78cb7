using System.Globalization;
using System.Text.RegularExpressions;
using Lambda.Core.Contracts;
using Lambda.Core.Validation;
using Lambda.Producer.Normalization;

namespace Lambda.Producer.Tests.Normalization;

/// <summary>
/// A real 2021 capture of a Binance combined stream (depth, bookTicker, kline_1m and aggTrade frames) replayed
/// through the normalizer. What each line should give is read from the line itself by a regular expression,
/// independently of the code under test.
/// </summary>
public sealed partial class BinanceCaptureTests
{
    private const string CaptureFile = "cryptofeed-capture-BINANCE.ws.1.0.txt";

    [Fact]
    public void Capture_holds_all_four_kinds_of_frames()
    {
        var streams = CaptureLines().Select(line => StreamKind(line.Json)).ToList();

        streams.Should().Contain(kind => kind.StartsWith("depth", StringComparison.Ordinal));
        streams.Should().Contain("bookTicker");
        streams.Should().Contain("kline_1m");
        streams.Should().Contain("aggTrade");
    }

    [Fact]
    public void Every_kline_and_aggTrade_line_becomes_one_event_and_every_other_line_is_ignored()
    {
        var normalizer = new BinanceStreamNormalizer();
        var validator = new EventValidator();
        int klines = 0, trades = 0, ignored = 0;

        foreach (var (number, json) in CaptureLines())
        {
            var kind = StreamKind(json);
            var events = new List<MarketEvent>();
            var outcome = normalizer.Normalize(Payloads.Utf8(json), EventSources.Replay, events);

            if (kind is "kline_1m" or "aggTrade")
            {
                outcome.Should().Be(FrameOutcome.Events, "line {0} is a {1} frame", number, kind);
                var single = events.Should().ContainSingle("line {0} holds one event", number).Subject;
                single.Exchange.Should().Be("binance");
                single.Symbol.Should().Be(StreamSymbol(json).ToUpperInvariant(), "line {0}", number);
                single.EventTime.Should().Be(EventTime(json), "line {0}", number);
                single.Source.Should().Be("replay");
                validator.Validate(single).IsValid.Should().BeTrue("line {0} is real exchange data: {1}", number, validator.Validate(single));

                if (kind == "kline_1m")
                {
                    single.Should().BeOfType<KlineEvent>().Which.Interval.Should().Be("1m");
                    klines++;
                }
                else
                {
                    single.Should().BeOfType<TradeEvent>().Which.TradeTime.Should().Be(TradeTime(json));
                    trades++;
                }
            }
            else
            {
                outcome.Kind.Should().Be(FrameKind.Ignored, "line {0} is a {1} frame: {2}", number, kind, outcome);
                events.Should().BeEmpty();
                ignored++;
            }
        }

        var lines = CaptureLines().ToList();
        klines.Should().Be(lines.Count(line => StreamKind(line.Json) == "kline_1m")).And.BePositive();
        trades.Should().Be(lines.Count(line => StreamKind(line.Json) == "aggTrade")).And.BePositive();
        (klines + trades + ignored).Should().Be(lines.Count, "no line is malformed");
    }

    [Fact]
    public void Depth_and_bookTicker_lines_are_ignored_with_their_kind_as_reason()
    {
        var normalizer = new BinanceStreamNormalizer();
        var reasons = CaptureLines()
            .Select(line => normalizer.Normalize(Payloads.Utf8(line.Json), EventSources.Replay, new List<MarketEvent>()))
            .Where(outcome => outcome.IsIgnored)
            .Select(outcome => outcome.Reason)
            .Distinct();

        reasons.Should().BeEquivalentTo("depthUpdate", "bookTicker");
    }

    /// <summary>The capture's <c>&lt;local unix ts&gt;: &lt;raw json&gt;</c> lines; the first line (the URL) is skipped.</summary>
    private static IEnumerable<(int Number, string Json)> CaptureLines()
    {
        var lines = File.ReadAllLines(Path.Combine(Payloads.Folder, CaptureFile));
        lines[0].Should().StartWith("wss://stream.binance.com:9443/stream?streams=");
        for (var i = 1; i < lines.Length; i++)
        {
            if (string.IsNullOrWhiteSpace(lines[i]))
            {
                continue;
            }

            var separator = lines[i].IndexOf(": ", StringComparison.Ordinal);
            separator.Should().BePositive("line {0} has the capture layout", i + 1);
            yield return (i + 1, lines[i][(separator + 2)..]);
        }
    }

    private static string StreamKind(string json) => StreamPattern().Match(json).Groups["kind"].Value;

    private static string StreamSymbol(string json) => StreamPattern().Match(json).Groups["symbol"].Value;

    private static long EventTime(string json) => long.Parse(EventTimePattern().Match(json).Groups[1].Value, CultureInfo.InvariantCulture);

    private static long TradeTime(string json) => long.Parse(TradeTimePattern().Match(json).Groups[1].Value, CultureInfo.InvariantCulture);

    [GeneratedRegex("\"stream\":\"(?<symbol>[a-z0-9]+)@(?<kind>[^\"]+)\"")]
    private static partial Regex StreamPattern();

    [GeneratedRegex("\"E\":(\\d+)")]
    private static partial Regex EventTimePattern();

    [GeneratedRegex("\"T\":(\\d+)")]
    private static partial Regex TradeTimePattern();
}
