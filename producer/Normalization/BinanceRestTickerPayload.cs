using System.Text.Json.Serialization;

namespace Lambda.Producer.Normalization;

/// <summary>
/// One element of the REST <c>GET /api/v3/ticker/24hr</c> response (FULL type), only the fields we map.
/// <see cref="Code"/> and <see cref="Message"/> are there to recognise an error body (<c>{"code":-1121,"msg":…}</c>).
/// </summary>
internal sealed record BinanceRestTickerPayload
{
    [JsonPropertyName("symbol")] public string? Symbol { get; init; }
    [JsonPropertyName("priceChange")] public double? PriceChange { get; init; }
    [JsonPropertyName("priceChangePercent")] public double? PriceChangePercent { get; init; }
    [JsonPropertyName("lastPrice")] public double? LastPrice { get; init; }
    [JsonPropertyName("openPrice")] public double? OpenPrice { get; init; }
    [JsonPropertyName("highPrice")] public double? HighPrice { get; init; }
    [JsonPropertyName("lowPrice")] public double? LowPrice { get; init; }
    [JsonPropertyName("volume")] public double? Volume { get; init; }
    [JsonPropertyName("quoteVolume")] public double? QuoteVolume { get; init; }
    [JsonPropertyName("count")] public long? Count { get; init; }
    [JsonPropertyName("closeTime")] public long? CloseTime { get; init; }
    [JsonPropertyName("code")] public long? Code { get; init; }
    [JsonPropertyName("msg")] public string? Message { get; init; }

    public string? FirstMissingField() =>
        Symbol is null ? "symbol"
        : PriceChange is null ? "priceChange"
        : PriceChangePercent is null ? "priceChangePercent"
        : LastPrice is null ? "lastPrice"
        : OpenPrice is null ? "openPrice"
        : HighPrice is null ? "highPrice"
        : LowPrice is null ? "lowPrice"
        : Volume is null ? "volume"
        : QuoteVolume is null ? "quoteVolume"
        : Count is null ? "count"
        : CloseTime is null ? "closeTime"
        : null;
}
