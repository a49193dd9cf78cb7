using Lambda.Producer.Normalization;

namespace Lambda.Producer.Connectors;

/// <summary>
/// One raw frame as a connector received it, with what the pipeline needs to turn it into events:
/// which exchange and transport it came from and which normalizer understands it.
/// </summary>
/// <param name="Frame">An owned copy of the frame's bytes (receive buffers are reused).</param>
/// <param name="Tag">Names the normalizer in capture files: <c>binance</c>, <c>binance-rest</c>, <c>bybit</c>.</param>
public sealed record ReceivedFrame(
    string Exchange,
    string Source,
    string Tag,
    IFrameNormalizer Normalizer,
    DateTimeOffset ReceivedAt,
    ReadOnlyMemory<byte> Frame);
