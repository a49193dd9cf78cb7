
namespace Lambda.Core.Views;

/// <summary>The Parquet columns of a <see cref="DailyMetric"/>; the metrics are nullable.</summary>
public sealed class DailyMetricMap : IParquetRecordMap<DailyMetric>
{
    public static DailyMetricMap Instance { get; } = new();

    public ParquetSchema Schema { get; } = new(
    [
        ParquetColumn.String("exchange"),
        ParquetColumn.String("symbol"),
        ParquetColumn.Date("day"),
        ParquetColumn.Double("close"),
        ParquetColumn.Double("return", nullable: true),
        ParquetColumn.Double("ma7", nullable: true),
        ParquetColumn.Double("ma30", nullable: true),
        ParquetColumn.Double("volatility_30d", nullable: true),
    ]);

    public void Write(DailyMetric record, ParquetRowWriter row)
    {
        ArgumentNullException.ThrowIfNull(record);
        ArgumentNullException.ThrowIfNull(row);
        row.SetString(0, record.Exchange);
        row.SetString(1, record.Symbol);
        row.SetDate(2, record.Day);
        row.SetDouble(3, record.Close);
        SetOptional(row, 4, record.Return);
        SetOptional(row, 5, record.Ma7);
        SetOptional(row, 6, record.Ma30);
        SetOptional(row, 7, record.Volatility30d);
    }

    public DailyMetric Read(ParquetRowReader row)
    {
        ArgumentNullException.ThrowIfNull(row);
        return new(
            row.GetString(0),
            row.GetString(1),
            row.GetDate(2),
            row.GetDouble(3),
            GetOptional(row, 4),
            GetOptional(row, 5),
            GetOptional(row, 6),
            GetOptional(row, 7));
    }

    private static void SetOptional(ParquetRowWriter row, int column, double? value)
    {
        if (value is { } v)
        {
            row.SetDouble(column, v);
        }
        else
        {
            row.SetNull(column);
        }
    }

    private static double? GetOptional(ParquetRowReader row, int column) => row.IsNull(column) ? null : row.GetDouble(column);
}
