using System.Text;
using Lambda.Core.Contracts;
using Lambda.Producer.Normalization;

namespace Lambda.Producer.Tests.Normalization;

/// <summary>The documented exchange payloads under Payloads/ and small ways to bend them.</summary>
internal static class Payloads
{
    public static string Folder { get; } = Path.Combine(AppContext.BaseDirectory, "Normalization", "Payloads");

    public static string Text(string name) => File.ReadAllText(Path.Combine(Folder, name));

    public static byte[] Bytes(string name) => File.ReadAllBytes(Path.Combine(Folder, name));

    public static byte[] Utf8(string json) => Encoding.UTF8.GetBytes(json);

    /// <summary>A raw payload wrapped as a combined stream sends it.</summary>
    public static byte[] Combined(string stream, string payloadName) =>
        Utf8($$"""{"stream":"{{stream}}","data":{{Text(payloadName)}}}""");

    /// <summary>The payload with one piece of text replaced; fails loudly if the piece is not there.</summary>
    public static byte[] With(string payloadName, string find, string replacement)
    {
        var text = Text(payloadName);
        text.Should().Contain(find, "the test edits a field the documented payload has");
        return Utf8(text.Replace(find, replacement, StringComparison.Ordinal));
    }

    public static (FrameOutcome Outcome, List<MarketEvent> Events) Run(
        this IFrameNormalizer normalizer, byte[] frame, string source = EventSources.WebSocket)
    {
        var events = new List<MarketEvent>();
        var outcome = normalizer.Normalize(frame, source, events);
        return (outcome, events);
    }
}

/// <summary>The time the normalizers' clock (a <c>FakeTimeProvider</c>) stands at, so processing timestamps can be asserted.</summary>
internal static class FixedTime
{
    public static DateTimeOffset Noon { get; } = new(2026, 3, 14, 12, 0, 0, TimeSpan.Zero);
}
