using Lambda.Core.Contracts;

namespace Lambda.Producer.Normalization;

/// <summary>Turns one raw exchange frame (UTF-8 JSON) into events of our contracts.</summary>
public interface IFrameNormalizer
{
    /// <summary>
    /// Appends the events of one raw frame to <paramref name="output"/> and says what the frame was. Never throws
    /// on bad input; a frame that is not wholly good appends nothing, so no half event ever leaves.
    /// </summary>
    /// <param name="frame">The frame exactly as received.</param>
    /// <param name="source">Stamped on every event: <see cref="EventSources"/>.</param>
    /// <param name="output">Where the events go.</param>
    FrameOutcome Normalize(ReadOnlySpan<byte> frame, string source, ICollection<MarketEvent> output);
}
