using System.Globalization;
using Lambda.Core.Views;
using Lambda.Merge.Serving;

namespace Lambda.Merge.Reports;

/// <summary>The largest difference of one field over the compared days, and the day it was largest on.</summary>
public sealed record FieldDifference(string Field, double MaxAbsolute, double MaxRelative, CandleKey? WorstDay);

/// <summary>A field of a day on which batch and speed differ by more than the tolerance.</summary>
public sealed record DayDifference(CandleKey Day, string Field, double Batch, double Speed, double Absolute, double Relative);

/// <summary>What the consistency check found.</summary>
/// <param name="SharedDays">Keys both layers have.</param>
/// <param name="Compared">Shared keys where both rows are complete: the ones compared.</param>
/// <param name="Listed">The first <see cref="ConsistencyCheck.MaxListed"/> differences beyond the tolerance.</param>
public sealed record ConsistencyResult(
    double Tolerance,
    long SharedDays,
    long Compared,
    IReadOnlyList<FieldDifference> Fields,
    long DaysBeyondTolerance,
    long DifferencesBeyondTolerance,
    IReadOnlyList<DayDifference> Listed)
{
    /// <summary>Shared keys not compared because one side (or both) is incomplete: an unfinished day is expected to differ.</summary>
    public long NotCompared => SharedDays - Compared;

    public bool Agrees => DaysBeyondTolerance == 0;

    public string Verdict => Compared == 0
        ? "no shared complete days to compare"
        : Agrees
            ? $"speed and batch agree on all {Compared} shared complete day(s) within a relative {ToleranceText}"
            : $"speed and batch DISAGREE on {DaysBeyondTolerance} of {Compared} shared complete day(s) beyond a relative {ToleranceText}";

    /// <summary>The tolerance as people write it: 1e-9, 0.001.</summary>
    public string ToleranceText => Tolerance is >= 1e-3 or 0 ? Tolerance.ToString("0.######", CultureInfo.InvariantCulture) : Tolerance.ToString("0.##e+0", CultureInfo.InvariantCulture).Replace("e+", "e", StringComparison.Ordinal);
}

/// <summary>
/// Compares the batch and the speed row of every day both layers have (when both are complete):
/// per field (open, high, low, close, volume, quote_volume, trades) the largest absolute difference
/// and the largest relative one (|b − s| / max(|b|, |s|), 0 when both are 0); a day whose relative
/// difference in any field exceeds the tolerance is listed. Memory is bounded: at most
/// <see cref="MaxListed"/> differences are kept, all are counted.
/// </summary>
public sealed class ConsistencyCheck(double tolerance)
{
    public const int MaxListed = 1000;

    private static readonly string[] FieldNames = ["open", "high", "low", "close", "volume", "quote_volume", "trades"];

    private readonly double[] _maxAbsolute = new double[FieldNames.Length];
    private readonly double[] _maxRelative = new double[FieldNames.Length];
    private readonly CandleKey?[] _worst = new CandleKey?[FieldNames.Length];
    private readonly List<DayDifference> _listed = [];
    private long _shared;
    private long _compared;
    private long _daysBeyond;
    private long _differencesBeyond;

    public double Tolerance { get; } = tolerance;

    public void Add(DailyCandle batch, DailyCandle speed)
    {
        _shared++;
        if (!batch.Complete || !speed.Complete)
        {
            return;
        }

        _compared++;
        var beyond = false;
        for (var f = 0; f < FieldNames.Length; f++)
        {
            var (b, s) = Field(f, batch, speed);
            var absolute = Math.Abs(b - s);
            var scale = Math.Max(Math.Abs(b), Math.Abs(s));
            var relative = scale == 0 ? 0 : absolute / scale;
            _maxAbsolute[f] = Math.Max(_maxAbsolute[f], absolute);
            if (relative > _maxRelative[f])
            {
                _maxRelative[f] = relative;
                _worst[f] = CandleKey.Of(batch);
            }

            if (relative > Tolerance || double.IsNaN(relative))
            {
                beyond = true;
                _differencesBeyond++;
                if (_listed.Count < MaxListed)
                {
                    _listed.Add(new DayDifference(CandleKey.Of(batch), FieldNames[f], b, s, absolute, relative));
                }
            }
        }

        if (beyond)
        {
            _daysBeyond++;
        }
    }

    public ConsistencyResult Result() => new(
        Tolerance,
        _shared,
        _compared,
        [.. FieldNames.Select((name, f) => new FieldDifference(name, _maxAbsolute[f], _maxRelative[f], _worst[f]))],
        _daysBeyond,
        _differencesBeyond,
        [.. _listed]);

    private static (double Batch, double Speed) Field(int field, DailyCandle batch, DailyCandle speed) => field switch
    {
        0 => (batch.Open, speed.Open),
        1 => (batch.High, speed.High),
        2 => (batch.Low, speed.Low),
        3 => (batch.Close, speed.Close),
        4 => (batch.Volume, speed.Volume),
        5 => (batch.QuoteVolume, speed.QuoteVolume),
        _ => (batch.Trades, speed.Trades),
    };
}
