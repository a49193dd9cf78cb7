using Lambda.Core.Contracts;

namespace Lambda.Core.Windows;

/// <summary>
/// How a <see cref="CandleWindowEngine"/> cuts event time into windows (DESIGN.md, views): tumbling
/// windows of <see cref="WindowLength"/> aligned to the Unix epoch in UTC, closed by a watermark
/// that trails the largest event time seen by <see cref="AllowedLateness"/>.
/// </summary>
public sealed record CandleWindowOptions
{
    /// <summary>Window length: positive, whole milliseconds, a multiple of the kline interval. Default one UTC day.</summary>
    public TimeSpan WindowLength { get; init; } = TimeSpan.FromDays(1);

    /// <summary>How far behind the largest event time the watermark trails (≥ 0).</summary>
    public TimeSpan AllowedLateness { get; init; } = TimeSpan.Zero;

    /// <summary>The one kline interval this engine aggregates (Binance notation); klines of other intervals are ignored.</summary>
    public string KlineInterval { get; init; } = "1m";

    internal (long WindowMs, long LatenessMs, long IntervalMs) Validate()
    {
        if (WindowLength <= TimeSpan.Zero || WindowLength.Ticks % TimeSpan.TicksPerMillisecond != 0)
        {
            throw new ArgumentException($"window length {WindowLength} must be positive and a whole number of milliseconds", nameof(WindowLength));
        }

        if (AllowedLateness < TimeSpan.Zero || AllowedLateness.Ticks % TimeSpan.TicksPerMillisecond != 0)
        {
            throw new ArgumentException($"allowed lateness {AllowedLateness} must be ≥ 0 and a whole number of milliseconds", nameof(AllowedLateness));
        }

        if (!KlineIntervals.TryGetLength(KlineInterval, out var interval) || interval <= TimeSpan.Zero)
        {
            throw new ArgumentException($"kline interval '{KlineInterval}' is not a fixed-length Binance interval", nameof(KlineInterval));
        }

        var windowMs = WindowLength.Ticks / TimeSpan.TicksPerMillisecond;
        var intervalMs = interval.Ticks / TimeSpan.TicksPerMillisecond;
        if (windowMs % intervalMs != 0)
        {
            throw new ArgumentException($"window length {WindowLength} is not a multiple of the kline interval {KlineInterval}", nameof(WindowLength));
        }

        return (windowMs, AllowedLateness.Ticks / TimeSpan.TicksPerMillisecond, intervalMs);
    }
}
