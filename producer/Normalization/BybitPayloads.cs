using System.Text.Json;
using System.Text.Json.Serialization;

namespace Lambda.Producer.Normalization;

/// <summary>
/// The <c>data</c> object of a Bybit v5 spot <c>tickers.{symbol}</c> snapshot. <c>ts</c> (event time) lives in
/// the envelope and is read by the normalizer's scan.
/// </summary>
internal sealed record BybitTickerPayload
{
    [JsonPropertyName("symbol")] public string? Symbol { get; init; }
    [JsonPropertyName("lastPrice")] public double? LastPrice { get; init; }
    [JsonPropertyName("highPrice24h")] public double? HighPrice24h { get; init; }
    [JsonPropertyName("lowPrice24h")] public double? LowPrice24h { get; init; }
    [JsonPropertyName("prevPrice24h")] public double? PrevPrice24h { get; init; }
    [JsonPropertyName("volume24h")] public double? Volume24h { get; init; }
    [JsonPropertyName("turnover24h")] public double? Turnover24h { get; init; }

    /// <summary>A fraction (<c>-0.0049</c> is −0.49 %), not a percentage.</summary>
    [JsonPropertyName("price24hPcnt")] public double? Price24hFraction { get; init; }

    public string? FirstMissingField() =>
        Symbol is null ? "symbol"
        : LastPrice is null ? "lastPrice"
        : HighPrice24h is null ? "highPrice24h"
        : LowPrice24h is null ? "lowPrice24h"
        : PrevPrice24h is null ? "prevPrice24h"
        : Volume24h is null ? "volume24h"
        : Turnover24h is null ? "turnover24h"
        : Price24hFraction is null ? "price24hPcnt"
        : null;
}

/// <summary>One element of the <c>data</c> array of a Bybit v5 <c>publicTrade.{symbol}</c> message.</summary>
internal sealed record BybitTradePayload
{
    [JsonPropertyName("T")] public long? TradeTime { get; init; }
    [JsonPropertyName("s")] public string? Symbol { get; init; }

    /// <summary>From the taker's side <c>S</c>: a taker who sold hit a buyer's resting order.</summary>
    [JsonPropertyName("S"), JsonConverter(typeof(BybitTakerSideConverter))]
    public bool? IsBuyerMaker { get; init; }

    [JsonPropertyName("v")] public double? Quantity { get; init; }
    [JsonPropertyName("p")] public double? Price { get; init; }

    [JsonPropertyName("i"), JsonConverter(typeof(BybitTradeIdConverter))]
    public long? TradeId { get; init; }

    public string? FirstMissingField() =>
        TradeTime is null ? "T"
        : Symbol is null ? "s"
        : IsBuyerMaker is null ? "S"
        : Quantity is null ? "v"
        : Price is null ? "p"
        : TradeId is null ? "i"
        : null;
}

/// <summary>Bybit's taker side <c>Buy</c>/<c>Sell</c> as <c>is_buyer_maker</c>, read straight from the bytes.</summary>
internal sealed class BybitTakerSideConverter : JsonConverter<bool>
{
    public override bool Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType == JsonTokenType.String)
        {
            if (reader.ValueTextEquals("Sell"u8))
            {
                return true;
            }

            if (reader.ValueTextEquals("Buy"u8))
            {
                return false;
            }
        }

        throw new FieldValueException("is not Buy or Sell");
    }

    public override void Write(Utf8JsonWriter writer, bool value, JsonSerializerOptions options) =>
        writer.WriteStringValue(value ? "Sell" : "Buy");
}

/// <summary>Bybit's string trade id <c>i</c> as a long (see <see cref="TradeIds"/>).</summary>
internal sealed class BybitTradeIdConverter : JsonConverter<long>
{
    public override long Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        reader.TokenType switch
        {
            JsonTokenType.String when !reader.ValueIsEscaped => TradeIds.FromText(reader.ValueSpan),
            JsonTokenType.String => TradeIds.FromText(System.Text.Encoding.UTF8.GetBytes(reader.GetString()!)),
            _ => throw new FieldValueException("is not a string"),
        };

    public override void Write(Utf8JsonWriter writer, long value, JsonSerializerOptions options) => writer.WriteNumberValue(value);
}
