namespace Lambda.Core.Klines;

/// <summary>
/// One finished candle as history files record it, times in Unix ms (close inclusive, Binance style).
/// Quote volume and trades are zero where a file does not record them.
/// </summary>
public sealed record Kline(
    long OpenTime,
    long CloseTime,
    double Open,
    double High,
    double Low,
    double Close,
    double Volume,
    double QuoteVolume,
    long Trades);

/// <summary>One data row of a klines file: a candle, or why the row could not be read.</summary>
public readonly record struct KlineRow(int Line, Kline? Kline, string? Error, string Raw);
