using Lambda.Core.Views;

namespace Lambda.Merge.Serving;

/// <summary>One key of the join: what each layer has for it, and the serving row the rules chose.</summary>
public readonly record struct JoinedDay(DailyCandle? Batch, DailyCandle? Speed, MergeRule Rule, ServingCandle Served);

/// <summary>
/// The serving layer's join on <c>(exchange, symbol, day)</c>: a merge of two sorted sequences, the
/// batch rows streamed from their file, the speed rows from memory, yielding every key once, in order.
/// </summary>
public static class ServingJoin
{
    public static IEnumerable<JoinedDay> Join(IEnumerable<DailyCandle> batch, string batchLineage, DateOnly? horizon, SpeedViews speed)
    {
        var speedRows = speed.Rows;
        var s = 0;
        using var b = batch.GetEnumerator();
        var hasBatch = b.MoveNext();
        while (hasBatch || s < speedRows.Count)
        {
            var order = !hasBatch ? 1 : s >= speedRows.Count ? -1 : CandleKey.Compare(b.Current, speedRows[s].Candle);
            var batchRow = order <= 0 ? b.Current : null;
            SpeedCandle? speedRow = order >= 0 ? speedRows[s] : null;
            var rule = MergeRules.Choose(batchRow, speedRow?.Candle, horizon);
            var served = rule.BatchWins()
                ? new ServingCandle(WithSource(batchRow!, ViewLayout.Sources.Batch), batchLineage)
                : new ServingCandle(WithSource(speedRow!.Value.Candle, ViewLayout.Sources.Speed), speed.LineageOf(speedRow.Value));
            yield return new JoinedDay(batchRow, speedRow?.Candle, rule, served);

            if (order <= 0)
            {
                hasBatch = b.MoveNext();
            }

            if (order >= 0)
            {
                s++;
            }
        }
    }

    // The views already say their source; a row that says otherwise is corrected, not trusted.
    private static DailyCandle WithSource(DailyCandle candle, string source) =>
        string.Equals(candle.Source, source, StringComparison.Ordinal) ? candle : candle with { Source = source };
}
