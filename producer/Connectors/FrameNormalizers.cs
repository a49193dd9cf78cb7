using Lambda.Core.Contracts;
using Lambda.Producer.Normalization;

namespace Lambda.Producer.Connectors;

/// <summary>
/// The normalizer of each kind of frame, named by a tag that capture files keep beside each frame
/// so that a replay reads every frame the way it was read live.
/// </summary>
public sealed class FrameNormalizers(TimeProvider clock)
{
    public const string BinanceTag = "binance";
    public const string BinanceRestTag = "binance-rest";
    public const string BybitTag = "bybit";

    public IFrameNormalizer BinanceStream { get; } = new BinanceStreamNormalizer(clock);

    public IFrameNormalizer BinanceRest { get; } = new BinanceRestTickerNormalizer(clock);

    public IFrameNormalizer Bybit { get; } = new BybitNormalizer(clock);

    public static bool IsTag(string tag) => tag is BinanceTag or BinanceRestTag or BybitTag;

    public IFrameNormalizer ForTag(string tag) => tag switch
    {
        BinanceTag => BinanceStream,
        BinanceRestTag => BinanceRest,
        BybitTag => Bybit,
        _ => throw new ArgumentException($"unknown frame tag '{tag}'", nameof(tag)),
    };

    public static string ExchangeOf(string tag) => tag == BybitTag ? Exchanges.Bybit : Exchanges.Binance;

    /// <summary>The tag of a WebSocket capture of <paramref name="exchange"/>, for captures that name no tag.</summary>
    public static string StreamTagOf(string exchange) => exchange == Exchanges.Bybit ? BybitTag : BinanceTag;
}
