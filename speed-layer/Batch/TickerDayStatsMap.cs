using Lambda.Core.Views;
using Lambda.Core.Windows;

namespace Lambda.SpeedLayer.Batch;

/// <summary>The Parquet columns of a <see cref="TickerDayStats"/> (<c>views/speed/ticker_stats.parquet</c>).</summary>
public sealed class TickerDayStatsMap : IParquetRecordMap<TickerDayStats>
{
    public static TickerDayStatsMap Instance { get; } = new();

    public ParquetSchema Schema { get; } = new(
    [
        ParquetColumn.String("exchange"),
        ParquetColumn.String("symbol"),
        ParquetColumn.Date("day"),
        ParquetColumn.TimestampMicros("window_start"),
        ParquetColumn.TimestampMicros("window_end"),
        ParquetColumn.Double("first_price"),
        ParquetColumn.Double("last_price"),
        ParquetColumn.Double("min_price"),
        ParquetColumn.Double("max_price"),
        ParquetColumn.Double("avg_price"),
        ParquetColumn.Double("volume_24h"),
        ParquetColumn.Double("quote_volume_24h"),
        ParquetColumn.Int64("ticks"),
        ParquetColumn.String("source"),
        ParquetColumn.Boolean("complete"),
        ParquetColumn.TimestampMicros("first_event_time"),
        ParquetColumn.TimestampMicros("last_event_time"),
    ]);

    public void Write(TickerDayStats record, ParquetRowWriter row)
    {
        ArgumentNullException.ThrowIfNull(record);
        ArgumentNullException.ThrowIfNull(row);
        row.SetString(0, record.Exchange);
        row.SetString(1, record.Symbol);
        row.SetDate(2, record.Day);
        row.SetTimestamp(3, record.WindowStart);
        row.SetTimestamp(4, record.WindowEnd);
        row.SetDouble(5, record.FirstPrice);
        row.SetDouble(6, record.LastPrice);
        row.SetDouble(7, record.MinPrice);
        row.SetDouble(8, record.MaxPrice);
        row.SetDouble(9, record.AvgPrice);
        row.SetDouble(10, record.Volume24h);
        row.SetDouble(11, record.QuoteVolume24h);
        row.SetInt64(12, record.Ticks);
        row.SetString(13, record.Source);
        row.SetBoolean(14, record.Complete);
        row.SetTimestamp(15, record.FirstEventTime);
        row.SetTimestamp(16, record.LastEventTime);
    }

    public TickerDayStats Read(ParquetRowReader row)
    {
        ArgumentNullException.ThrowIfNull(row);
        return new(
            row.GetString(0),
            row.GetString(1),
            row.GetDate(2),
            row.GetTimestamp(3),
            row.GetTimestamp(4),
            row.GetDouble(5),
            row.GetDouble(6),
            row.GetDouble(7),
            row.GetDouble(8),
            row.GetDouble(9),
            row.GetDouble(10),
            row.GetDouble(11),
            row.GetInt64(12),
            row.GetString(13),
            row.GetBoolean(14),
            row.GetTimestamp(15),
            row.GetTimestamp(16));
    }
}
