
namespace Lambda.Core.Views;

/// <summary>The Parquet columns of a <see cref="DailyCandle"/>, in the order of DESIGN.md.</summary>
public sealed class DailyCandleMap : IParquetRecordMap<DailyCandle>
{
    public static DailyCandleMap Instance { get; } = new();

    public ParquetSchema Schema { get; } = new(
    [
        ParquetColumn.String("exchange"),
        ParquetColumn.String("symbol"),
        ParquetColumn.Date("day"),
        ParquetColumn.Double("open"),
        ParquetColumn.Double("high"),
        ParquetColumn.Double("low"),
        ParquetColumn.Double("close"),
        ParquetColumn.Double("volume"),
        ParquetColumn.Double("quote_volume"),
        ParquetColumn.Int64("trades"),
        ParquetColumn.String("source"),
        ParquetColumn.Boolean("complete"),
        ParquetColumn.TimestampMicros("first_event_time"),
        ParquetColumn.TimestampMicros("last_event_time"),
    ]);

    public void Write(DailyCandle record, ParquetRowWriter row)
    {
        row.SetString(0, record.Exchange);
        row.SetString(1, record.Symbol);
        row.SetDate(2, record.Day);
        row.SetDouble(3, record.Open);
        row.SetDouble(4, record.High);
        row.SetDouble(5, record.Low);
        row.SetDouble(6, record.Close);
        row.SetDouble(7, record.Volume);
        row.SetDouble(8, record.QuoteVolume);
        row.SetInt64(9, record.Trades);
        row.SetString(10, record.Source);
        row.SetBoolean(11, record.Complete);
        row.SetTimestamp(12, record.FirstEventTime);
        row.SetTimestamp(13, record.LastEventTime);
    }

    public DailyCandle Read(ParquetRowReader row) => new(
        row.GetString(0),
        row.GetString(1),
        row.GetDate(2),
        row.GetDouble(3),
        row.GetDouble(4),
        row.GetDouble(5),
        row.GetDouble(6),
        row.GetDouble(7),
        row.GetDouble(8),
        row.GetInt64(9),
        row.GetString(10),
        row.GetBoolean(11),
        row.GetTimestamp(12),
        row.GetTimestamp(13));
}
