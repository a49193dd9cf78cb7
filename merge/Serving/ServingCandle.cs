using Lambda.Core.Views;

namespace Lambda.Merge.Serving;

/// <summary>
/// One row of the serving view: the daily candle that won (its <see cref="DailyCandle.Source"/> is
/// <c>batch</c> or <c>speed</c>) and where it came from: <c>batch:&lt;build id&gt;</c> or
/// <c>speed:&lt;lineage of the speed file&gt;</c>.
/// </summary>
public sealed record ServingCandle(DailyCandle Candle, string Lineage);
