using Lambda.Core.Contracts;

namespace Lambda.Core.Validation;

/// <summary>
/// The rules every kline obeys, whether it arrives as an event (<see cref="EventValidator"/>) or enters the master
/// dataset (the batch layer's <c>KlineRules</c>, which adds its own on top): a known interval, positive prices,
/// non-negative amounts, a close time inside the interval, and open and close between low and high.
/// </summary>
public static class KlineValidation
{
    public static ValidationResult Validate(string interval, long openTime, long closeTime, double open, double high, double low, double close,
        double volume, double quoteVolume, long trades)
    {
        if (!KlineIntervals.TryGetLength(interval, out var length))
        {
            return ValidationResult.Broke("kline.interval", $"interval '{interval}' is not a Binance kline interval");
        }

        return FieldRules.FirstBroken(
            FieldRules.Price("open", open),
            FieldRules.Price("high", high),
            FieldRules.Price("low", low),
            FieldRules.Price("close", close),
            FieldRules.Amount("volume", volume),
            FieldRules.Amount("quote_volume", quoteVolume),
            FieldRules.Count("trades", trades),
            // Normally 1 ms before the next kline opens, but earlier when the exchange stopped trading mid-interval
            // (real Binance data has such klines, e.g. the maintenance of 2021-02-11).
            closeTime > openTime && (length == TimeSpan.Zero || closeTime - openTime < (long)length.TotalMilliseconds)
                ? ValidationResult.Valid
                : ValidationResult.Broke("kline.time_order", $"close_time {closeTime} does not end a {interval} candle opened at {openTime}"),
            low <= Math.Min(open, close) && high >= Math.Max(open, close)
                ? ValidationResult.Valid
                : ValidationResult.Broke("range.high_low", $"open {FieldRules.F(open)} and close {FieldRules.F(close)} must lie within low {FieldRules.F(low)} and high {FieldRules.F(high)}"));
    }
}
