using System.Text.Json.Serialization;

namespace Lambda.Core.Contracts;

/// <summary>
/// Source-generated (reflection-free) JSON for the event contracts: snake_case names, numbers as
/// JSON numbers, a missing required field is an error rather than a default;
/// prices and quantities written by <see cref="DecimalDoubleConverter"/>.
/// </summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    DefaultIgnoreCondition = JsonIgnoreCondition.Never,
    RespectRequiredConstructorParameters = true,
    Converters = [typeof(DecimalDoubleConverter)])]
[JsonSerializable(typeof(TickerEvent))]
[JsonSerializable(typeof(KlineEvent))]
[JsonSerializable(typeof(TradeEvent))]
[JsonSerializable(typeof(AlertEvent))]
[JsonSerializable(typeof(DeadLetter))]
internal sealed partial class EventJsonContext : JsonSerializerContext;
