using System.Globalization;
using Lambda.Core.Contracts;
using Lambda.Core.Klines;

namespace Lambda.BatchLayer.Master;

/// <summary>
/// What a kline must satisfy to enter the master dataset. Importers check rows with it to report bad
/// ones with their file and line; <see cref="MasterDataset.AddAsync"/> checks again and refuses the
/// whole call, because the immutable dataset must never hold a row the views cannot trust.
/// </summary>
/// <remarks>
/// Stricter than the stream's EventValidator in one way: a stored kline must start on its interval's
/// grid (Binance aligns every interval up to a day on the Unix epoch), so that the daily aggregation
/// can tell which part of a day a kline covers.
/// </remarks>
public static class KlineRules
{
    /// <summary>Klines before 2009 predate every crypto exchange: such times are unit or parsing mistakes.</summary>
    public static readonly long EarliestOpenTime = new DateTimeOffset(2009, 1, 1, 0, 0, 0, TimeSpan.Zero).ToUnixTimeMilliseconds();

    /// <summary>Later than 2200 is a unit mistake (µs or ns taken for ms).</summary>
    public static readonly long LatestOpenTime = new DateTimeOffset(2200, 1, 1, 0, 0, 0, TimeSpan.Zero).ToUnixTimeMilliseconds();

    /// <summary>Why <paramref name="kline"/> cannot be stored as a kline of <paramref name="interval"/>, or null when it can.</summary>
    public static string? Problem(Kline kline, string interval)
    {
        ArgumentNullException.ThrowIfNull(kline);
        if (!KlineIntervals.TryGetLength(interval, out var length))
        {
            return $"interval '{interval}' is not a Binance kline interval";
        }

        if (kline.OpenTime < EarliestOpenTime || kline.OpenTime >= LatestOpenTime)
        {
            return $"open time {kline.OpenTime} is not a Unix time in ms between 2009 and 2200";
        }

        var ms = (long)length.TotalMilliseconds;
        if (length > TimeSpan.Zero && length <= TimeSpan.FromDays(1) && kline.OpenTime % ms != 0)
        {
            return $"open time {kline.OpenTime} is not the start of a {interval} interval";
        }

        // Normally 1 ms before the next kline opens, but earlier when the exchange stopped trading
        // mid-interval (real Binance data has such klines, e.g. the maintenance of 2021-02-11).
        if (kline.CloseTime <= kline.OpenTime || (ms > 0 && kline.CloseTime - kline.OpenTime >= ms))
        {
            return $"close time {kline.CloseTime} does not end a {interval} kline opened at {kline.OpenTime}";
        }

        foreach (var (name, value) in new[] { ("open", kline.Open), ("high", kline.High), ("low", kline.Low), ("close", kline.Close) })
        {
            if (!double.IsFinite(value) || value <= 0)
            {
                return $"{name} {F(value)} is not a positive price";
            }
        }

        if (!double.IsFinite(kline.Volume) || kline.Volume < 0 || !double.IsFinite(kline.QuoteVolume) || kline.QuoteVolume < 0)
        {
            return $"volume {F(kline.Volume)} or quote volume {F(kline.QuoteVolume)} is negative or not a number";
        }

        if (kline.Trades < 0)
        {
            return $"trades {kline.Trades} is negative";
        }

        if (kline.Low > Math.Min(kline.Open, kline.Close) || kline.High < Math.Max(kline.Open, kline.Close))
        {
            return $"open {F(kline.Open)} and close {F(kline.Close)} must lie within low {F(kline.Low)} and high {F(kline.High)}";
        }

        return null;
    }

    private static string F(double value) => value.ToString("R", CultureInfo.InvariantCulture);
}
