namespace Lambda.Core.Views;

/// <summary>
/// The daily candle every layer produces and the merge joins on <c>(exchange, symbol, day)</c>
/// (DESIGN.md, views). A day is the UTC interval [00:00, 24:00).
/// </summary>
/// <param name="Source"><c>batch</c> or <c>speed</c>.</param>
/// <param name="Complete">True when the whole UTC day is covered.</param>
public sealed record DailyCandle(
    string Exchange,
    string Symbol,
    DateOnly Day,
    double Open,
    double High,
    double Low,
    double Close,
    double Volume,
    double QuoteVolume,
    long Trades,
    string Source,
    bool Complete,
    DateTimeOffset FirstEventTime,
    DateTimeOffset LastEventTime);
