using Lambda.Core.Views;

namespace Lambda.Merge.Serving;

/// <summary>The serving view's columns: the DailyCandle columns in their order, then <c>lineage</c>.</summary>
public sealed class ServingCandleMap : IParquetRecordMap<ServingCandle>
{
    public const int LineageColumn = 14;

    public static ServingCandleMap Instance { get; } = new();

    public ParquetSchema Schema { get; } = new([.. DailyCandleMap.Instance.Schema.Columns, ParquetColumn.String("lineage")]);

    public void Write(ServingCandle record, ParquetRowWriter row)
    {
        DailyCandleMap.Instance.Write(record.Candle, row);
        row.SetString(LineageColumn, record.Lineage);
    }

    // The first 14 columns are the DailyCandle's, at the same positions.
    public ServingCandle Read(ParquetRowReader row) => new(DailyCandleMap.Instance.Read(row), row.GetString(LineageColumn));
}
