using Lambda.BatchLayer.Master;
using Lambda.Core.Contracts;
using Lambda.Core.Views;

namespace Lambda.BatchLayer.Build;

/// <summary>
/// The daily aggregates of one exchange/symbol/interval, built by streaming its month partitions in
/// order through a projection of the kline columns: memory holds one day per row group being read and
/// one aggregate per day, never the klines.
/// </summary>
public sealed class IntervalDays
{
    private readonly List<DayAggregate> _days = [];

    public IntervalDays(string interval)
    {
        Interval = interval;
        KlineIntervals.TryGetLength(interval, out var length);
        LengthMs = (long)length.TotalMilliseconds;
    }

    public string Interval { get; }

    /// <summary>The kline length in ms (0 for the calendar month).</summary>
    public long LengthMs { get; }

    /// <summary>1d, or an interval that divides a day; longer ones (3d, 1w, 1M) cannot make daily candles.</summary>
    public bool MakesDays => LengthMs > 0 && LengthMs <= DayAggregate.DayMs && DayAggregate.DayMs % LengthMs == 0;

    public bool IsDaily => LengthMs == DayAggregate.DayMs;

    /// <summary>Klines a complete day holds.</summary>
    public int KlinesPerDay => (int)(DayAggregate.DayMs / LengthMs);

    public IReadOnlyList<DayAggregate> Days => _days;

    /// <summary>Folds one partition's klines (in open_time order) into the days; days after <paramref name="lastDay"/> are left out. Returns the rows read.</summary>
    public long Add(MasterPartition partition, long lastDay)
    {
        ArgumentNullException.ThrowIfNull(partition);
        using var reader = ParquetFileReader.Open(partition.Path);
        var options = new ParquetReadOptions { Columns = MasterKlineMap.Instance.KlineColumns };
        var hasCurrent = false;
        var current = default(DayAggregate);
        long rows = 0;
        foreach (var row in reader.ReadRows(options))
        {
            rows++;
            var openTime = row.GetInt64(MasterKlineMap.OpenTime);
            var day = openTime / DayAggregate.DayMs;
            if (day > lastDay)
            {
                break; // rows are in open_time order: the rest is after the horizon too
            }

            if (!hasCurrent || day != current.Day)
            {
                if (hasCurrent)
                {
                    _days.Add(current);
                }

                current = DayAggregate.Start(day, openTime);
                hasCurrent = true;
            }

            current.Add(row.GetInt64(MasterKlineMap.CloseTime), row.GetDouble(MasterKlineMap.OpenPrice), row.GetDouble(MasterKlineMap.High), row.GetDouble(MasterKlineMap.Low),
                row.GetDouble(MasterKlineMap.ClosePrice), row.GetDouble(MasterKlineMap.Volume), row.GetDouble(MasterKlineMap.QuoteVolume), row.GetInt64(MasterKlineMap.Trades));
        }

        if (hasCurrent)
        {
            _days.Add(current);
        }

        return rows;
    }
}
