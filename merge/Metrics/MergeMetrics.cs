using System.Diagnostics.Metrics;
using Lambda.Merge.Serving;

namespace Lambda.Merge.Metrics;

/// <summary>
/// The serving layer's instruments, meter <c>Lambda.Merge</c>: rows read from each layer's views, rows merged
/// into the serving view by the rule that chose them, and the days both layers have that differ beyond the
/// tolerance. Recorded when a merge finishes.
/// </summary>
/// <remarks>Made before the telemetry and disposed after it, so the last export at exit sees the figures.</remarks>
public sealed class MergeMetrics : IDisposable
{
    public const string MeterName = "Lambda.Merge";

    private readonly Meter _meter;
    private readonly Counter<long> _rowsRead;
    private readonly Counter<long> _rowsMerged;
    private readonly Counter<long> _inconsistentDays;

    public MergeMetrics(IMeterFactory? meters = null)
    {
        _meter = meters?.Create(MeterName) ?? new Meter(MeterName);
        _rowsRead = _meter.CreateCounter<long>("lambda.merge.rows_read", "{row}", "Rows read from the views, by layer");
        _rowsMerged = _meter.CreateCounter<long>("lambda.merge.rows", "{row}", "Rows of the serving view, by the rule that chose them");
        _inconsistentDays = _meter.CreateCounter<long>("lambda.merge.inconsistent_days", "{day}", "Days both layers have whose figures differ beyond the tolerance");
    }

    public void Merged(MergeResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        _rowsRead.Add(result.BatchRows, new KeyValuePair<string, object?>("layer", "batch"));
        _rowsRead.Add(result.Speed.RowsRead, new KeyValuePair<string, object?>("layer", "speed"));
        foreach (var (rule, rows) in result.Rules)
        {
            _rowsMerged.Add(rows, new KeyValuePair<string, object?>("rule", rule.ToString()));
        }

        _inconsistentDays.Add(result.Consistency.DaysBeyondTolerance);
    }

    public void Dispose() => _meter.Dispose();
}
