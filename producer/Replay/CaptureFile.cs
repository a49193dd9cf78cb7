using System.Globalization;
using System.Text;

namespace Lambda.Producer.Replay;

/// <summary>One line of a capture: a raw frame with the time it was received, or why the line is unreadable.</summary>
public readonly record struct CapturedFrame(int Line, DateTimeOffset ReceivedAt, ReadOnlyMemory<byte> Frame, string? Error);

/// <summary>
/// Reads capture files of raw frames in the <c>&lt;unix seconds&gt;: &lt;frame&gt;</c> line format
/// (cryptofeed's, and what <c>--record</c> writes). A first line naming the URL (<c>wss://… &lt;-&gt; ts</c>)
/// and lines starting with <c>#</c> are headers, not frames.
/// </summary>
public static class CaptureFile
{
    public static bool LooksLikeCapture(string firstLine) =>
        firstLine.StartsWith("wss://", StringComparison.Ordinal)
        || firstLine.StartsWith("ws://", StringComparison.Ordinal)
        || firstLine.StartsWith('#')
        || TrySplit(firstLine, out _, out _);

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

            yield return TrySplit(line, out var receivedAt, out var frame)
                ? new CapturedFrame(lineNumber, receivedAt, Encoding.UTF8.GetBytes(frame), null)
                : new CapturedFrame(lineNumber, default, Encoding.UTF8.GetBytes(line), $"capture line {lineNumber} is not '<unix seconds>: <frame>'");
        }
    }

    /// <summary>Formats one capture line, the inverse of <see cref="Read"/>.</summary>
    public static string Format(DateTimeOffset receivedAt, string frame) =>
        string.Create(CultureInfo.InvariantCulture, $"{receivedAt.ToUnixTimeMilliseconds() / 1000.0:0.000###}: {frame}");

    private static bool TrySplit(string line, out DateTimeOffset receivedAt, out string frame)
    {
        receivedAt = default;
        frame = "";
        var colon = line.IndexOf(": ", StringComparison.Ordinal);
        if (colon <= 0 || !double.TryParse(line.AsSpan(0, colon), NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var seconds))
        {
            return false;
        }

        receivedAt = DateTimeOffset.FromUnixTimeMilliseconds((long)Math.Round(seconds * 1000));
        frame = line[(colon + 2)..];
        return true;
    }
}
