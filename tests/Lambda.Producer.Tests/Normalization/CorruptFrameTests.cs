using Lambda.Core.Contracts;
using Lambda.Producer.Normalization;

namespace Lambda.Producer.Tests.Normalization;

/// <summary>
/// Whatever bytes arrive, a normalizer answers instead of throwing, and a frame that is not wholly good appends
/// nothing. Seeded random damage to every documented payload makes that concrete.
/// </summary>
public sealed class CorruptFrameTests
{
    private static readonly byte[] Replacements = "{}[]\",:0-.eE \\xtn\u00ff"u8.ToArray();

    public static TheoryData<string> PayloadFiles()
    {
        var data = new TheoryData<string>();
        foreach (var file in Directory.EnumerateFiles(Payloads.Folder, "*.json").Order(StringComparer.Ordinal))
        {
            data.Add(Path.GetFileName(file));
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(PayloadFiles))]
    public void Randomly_damaged_frames_never_throw_and_never_leave_half_a_frame(string payload)
    {
        var original = Payloads.Bytes(payload);
        var random = new Random(payload.Length);
        IFrameNormalizer[] normalizers = [new BinanceStreamNormalizer(), new BinanceRestTickerNormalizer(), new BybitNormalizer()];

        for (var round = 0; round < 300; round++)
        {
            var frame = Damage(original, random);
            foreach (var normalizer in normalizers)
            {
                var events = new List<MarketEvent>();
                var act = () => normalizer.Normalize(frame, EventSources.WebSocket, events);

                var outcome = act.Should().NotThrow().Subject;
                if (outcome.Kind == FrameKind.Events)
                {
                    events.Should().NotBeEmpty().And.AllSatisfy(e => e.Symbol.Should().NotBeNull());
                }
                else
                {
                    events.Should().BeEmpty("a {0} frame appends nothing", outcome.Kind);
                    outcome.Reason.Should().NotBeNullOrWhiteSpace();
                }
            }
        }
    }

    [Fact]
    public void Frame_that_is_not_utf8_is_malformed_by_every_normalizer()
    {
        var frame = Payloads.Bytes("binance-trade.json");
        frame[Array.IndexOf(frame, (byte)'B')] = 0xC3;

        IFrameNormalizer[] normalizers = [new BinanceStreamNormalizer(), new BinanceRestTickerNormalizer(), new BybitNormalizer()];
        foreach (var normalizer in normalizers)
        {
            var (outcome, events) = normalizer.Run(frame);

            outcome.Should().Be(new FrameOutcome(FrameKind.Malformed, "malformed: frame is not valid UTF-8"));
            events.Should().BeEmpty();
        }
    }

    private static byte[] Damage(byte[] original, Random random)
    {
        var frame = (byte[])original.Clone();
        for (var edits = random.Next(1, 4); edits > 0; edits--)
        {
            frame[random.Next(frame.Length)] = Replacements[random.Next(Replacements.Length)];
        }

        return random.Next(4) == 0 ? frame[..random.Next(frame.Length)] : frame;
    }
}
