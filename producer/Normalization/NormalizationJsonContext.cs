using System.Text.Json.Serialization;

namespace Lambda.Producer.Normalization;

/// <summary>
/// Source-generated (reflection-free) reading of exchange payloads. Property names are matched case-sensitively,
/// as Binance needs (<c>e</c>/<c>E</c>, <c>c</c>/<c>C</c>…); unknown fields are skipped; numbers go through the
/// exchange converters, which accept numeric strings and refuse NaN and infinities.
/// </summary>
[JsonSourceGenerationOptions(
    GenerationMode = JsonSourceGenerationMode.Metadata,
    PropertyNameCaseInsensitive = false,
    Converters = [typeof(ExchangeDoubleConverter), typeof(ExchangeInt64Converter)])]
[JsonSerializable(typeof(BinanceTickerPayload))]
[JsonSerializable(typeof(BinanceKlinePayload))]
[JsonSerializable(typeof(BinanceTradePayload))]
[JsonSerializable(typeof(BinanceAggTradePayload))]
[JsonSerializable(typeof(BinanceRestTickerPayload))]
[JsonSerializable(typeof(BybitTickerPayload))]
[JsonSerializable(typeof(BybitTradePayload))]
internal sealed partial class NormalizationJsonContext : JsonSerializerContext;
