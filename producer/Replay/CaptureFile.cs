using System.Globalization;
using System.Text;

namespace Lambda.Producer.Replay;

/// <summary>One line of a capture: a raw frame with the time it was received, or why the line is unreadable.</summary>
/// <param name="Tag">The normalizer tag written by <c>--record</c> (<c>binance</c>, <c>binance-rest</c>, <c>bybit</c>); null in cryptofeed captures.</param>
public readonly record struct CapturedFrame(int Line, DateTimeOffset ReceivedAt, string? Tag, ReadOnlyMemory<byte> Frame, string? Error);

/// <summary>
/// Reads capture files of raw frames: cryptofeed's <c>&lt;unix seconds&gt;: &lt;frame&gt;</c> lines, and
/// ours, <c>&lt;unix seconds&gt; &lt;tag&gt;: &lt;frame&gt;</c>, where the tag names the normalizer. A first
/// line naming the URL (<c>wss://… &lt;-&gt; ts</c>) and lines starting with <c>#</c> are headers.
/// </summary>
public static class CaptureFile
{
    public const string Header = "# lambda capture v1: <unix seconds> <tag>: <raw frame>";

    public static bool LooksLikeCapture(string firstLine) =>
        firstLine.StartsWith("wss://", StringComparison.Ordinal)
        || firstLine.StartsWith("ws://", StringComparison.Ordinal)
        || firstLine.StartsWith('#')
        || TrySplit(firstLine, out _, out _, out _);

    public static IEnumerable<CapturedFrame> Read(TextReader reader)
    {
        var lineNumber = 0;
        string? line;
        while ((line = reader.ReadLine()) is not null)
        {
            lineNumber++;
            if (line.Length == 0 || line.StartsWith('#') || (lineNumber == 1 && line.Contains("://", StringComparison.Ordinal)))
            {
                continue;
            }

            yield return TrySplit(line, out var receivedAt, out var tag, out var frame)
                ? new CapturedFrame(lineNumber, receivedAt, tag, Encoding.UTF8.GetBytes(frame), null)
                : new CapturedFrame(lineNumber, default, null, Encoding.UTF8.GetBytes(line), $"capture line {lineNumber} is not '<unix seconds> [tag]: <frame>'");
        }
    }

    /// <summary>Formats one capture line, the inverse of <see cref="Read"/>.</summary>
    public static string Format(DateTimeOffset receivedAt, string tag, string frame) =>
        string.Create(CultureInfo.InvariantCulture, $"{receivedAt.ToUnixTimeMilliseconds() / 1000.0:0.000} {tag}: {frame}");

    private static bool TrySplit(string line, out DateTimeOffset receivedAt, out string? tag, out string frame)
    {
        receivedAt = default;
        tag = null;
        frame = "";
        var colon = line.IndexOf(": ", StringComparison.Ordinal);
        if (colon <= 0)
        {
            return false;
        }

        var prefix = line.AsSpan(0, colon);
        var space = prefix.IndexOf(' ');
        if (space >= 0)
        {
            tag = prefix[(space + 1)..].ToString();
            prefix = prefix[..space];
            if (tag.Length == 0 || tag.Contains(' ', StringComparison.Ordinal))
            {
                return false;
            }
        }

        if (!double.TryParse(prefix, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var seconds))
        {
            return false;
        }

        receivedAt = DateTimeOffset.FromUnixTimeMilliseconds((long)Math.Round(seconds * 1000));
        frame = line[(colon + 2)..];
        return true;
    }
}
