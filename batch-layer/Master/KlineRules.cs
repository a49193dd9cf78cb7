using Lambda.Core.Contracts;
using Lambda.Core.Klines;
using Lambda.Core.Validation;

namespace Lambda.BatchLayer.Master;

/// <summary>
/// What a kline must satisfy to enter the master dataset. Importers check rows with it to report bad
/// ones with their file and line; <see cref="MasterDataset.AddAsync"/> checks again and refuses the
/// whole call, because the immutable dataset must never hold a row the views cannot trust.
/// </summary>
/// <remarks>
/// The rules every kline obeys are <see cref="KlineValidation"/>'s, shared with the stream's EventValidator. Stored
/// klines obey two more: an open time between 2009 and 2200 in ms, and one on its interval's grid (Binance aligns
/// every interval up to a day on the Unix epoch), so that the daily aggregation can tell which part of a day a
/// kline covers.
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

        var shared = KlineValidation.Validate(interval, kline.OpenTime, kline.CloseTime, kline.Open, kline.High, kline.Low, kline.Close,
            kline.Volume, kline.QuoteVolume, kline.Trades);
        return shared.IsValid ? null : shared.Detail;
    }
}
