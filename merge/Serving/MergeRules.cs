using Lambda.Core.Views;

namespace Lambda.Merge.Serving;

/// <summary>Which rule chose a key's serving row (counted in the summary, tested one by one).</summary>
public enum MergeRule
{
    /// <summary>The batch covers the day (on or before the horizon) and its row is complete: batch wins.</summary>
    BatchCovers,

    /// <summary>Only the batch has the day, though it does not cover it fully (beyond the horizon, or incomplete): kept rather than leaving a gap.</summary>
    BatchOnly,

    /// <summary>Both have the day, beyond the batch horizon: speed wins.</summary>
    SpeedBeyondHorizon,

    /// <summary>Both have the day, the batch row is incomplete (e.g. the batch's last, partial day): the fresher speed row wins.</summary>
    SpeedOverIncompleteBatch,

    /// <summary>Only the speed layer has the day: speed fills it.</summary>
    SpeedOnly,
}

/// <summary>
/// The serving layer's rule (DESIGN.md: batch wins for complete days, speed fills the rest), for one
/// <c>(exchange, symbol, day)</c>:
/// <list type="bullet">
/// <item>the batch covers a day when it has a row for it and the day is on or before the horizon
/// (<c>lambda.batch.horizon</c>; no horizon: everything it has);</item>
/// <item>a covered, complete batch row wins;</item>
/// <item>otherwise a speed row, where there is one, wins (beyond the horizon, or over an incomplete
/// batch row);</item>
/// <item>otherwise the batch row is kept as it is (with its own <c>complete</c> flag), so a day the
/// batch has is never dropped.</item>
/// </list>
/// </summary>
public static class MergeRules
{
    public static MergeRule Choose(DailyCandle? batch, DailyCandle? speed, DateOnly? horizon)
    {
        if (batch is null)
        {
            return speed is null ? throw new ArgumentException("A key needs a batch or a speed row.") : MergeRule.SpeedOnly;
        }

        var covered = horizon is not { } h || batch.Day <= h;
        if (covered && batch.Complete)
        {
            return MergeRule.BatchCovers;
        }

        if (speed is null)
        {
            return MergeRule.BatchOnly;
        }

        return covered ? MergeRule.SpeedOverIncompleteBatch : MergeRule.SpeedBeyondHorizon;
    }

    public static bool BatchWins(this MergeRule rule) => rule is MergeRule.BatchCovers or MergeRule.BatchOnly;
}
