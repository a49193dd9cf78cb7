using Lambda.Core.Klines;
using Lambda.Core.Views;

namespace Lambda.BatchLayer.Master;

/// <summary>
/// The Parquet columns of a master dataset file. Exchange, symbol, interval and month are not columns:
/// they are the hive partition folders (<c>exchange=…/symbol=…/interval=…/month=…</c>), which DuckDB and
/// Spark turn into columns with <c>hive_partitioning</c>. Open and close time are TIMESTAMP (ms, UTC),
/// so the stored number is the Binance Unix ms and readers that want it can take it as INT64.
/// </summary>
public sealed class MasterKlineMap : IParquetRecordMap<MasterKline>
{
    public const int OpenTime = 0;
    public const int CloseTime = 1;
    public const int OpenPrice = 2;
    public const int High = 3;
    public const int Low = 4;
    public const int ClosePrice = 5;
    public const int Volume = 6;
    public const int QuoteVolume = 7;
    public const int Trades = 8;
    public const int Origin = 9;
    public const int IngestedAt = 10;

    public static MasterKlineMap Instance { get; } = new();

    public ParquetSchema Schema { get; } = new(
    [
        ParquetColumn.TimestampMillis("open_time"),
        ParquetColumn.TimestampMillis("close_time"),
        ParquetColumn.Double("open"),
        ParquetColumn.Double("high"),
        ParquetColumn.Double("low"),
        ParquetColumn.Double("close"),
        ParquetColumn.Double("volume"),
        ParquetColumn.Double("quote_volume"),
        ParquetColumn.Int64("trades"),
        ParquetColumn.String("origin"),
        ParquetColumn.TimestampMicros("ingested_at"),
    ]);

    /// <summary>The kline columns only (no origin, no ingestion time): what the batch views need.</summary>
    public IReadOnlyList<string> KlineColumns { get; } =
        ["open_time", "close_time", "open", "high", "low", "close", "volume", "quote_volume", "trades"];

    public void Write(MasterKline record, ParquetRowWriter row)
    {
        ArgumentNullException.ThrowIfNull(record);
        ArgumentNullException.ThrowIfNull(row);
        var k = record.Kline;
        row.SetInt64(OpenTime, k.OpenTime);
        row.SetInt64(CloseTime, k.CloseTime);
        row.SetDouble(OpenPrice, k.Open);
        row.SetDouble(High, k.High);
        row.SetDouble(Low, k.Low);
        row.SetDouble(ClosePrice, k.Close);
        row.SetDouble(Volume, k.Volume);
        row.SetDouble(QuoteVolume, k.QuoteVolume);
        row.SetInt64(Trades, k.Trades);
        row.SetString(Origin, record.Origin);
        row.SetTimestamp(IngestedAt, record.IngestedAt);
    }

    public MasterKline Read(ParquetRowReader row)
    {
        ArgumentNullException.ThrowIfNull(row);
        return new(ReadKline(row), row.GetString(Origin), row.GetTimestamp(IngestedAt));
    }

    /// <summary>The kline of a row read with <see cref="KlineColumns"/> (or the full schema): its first nine columns.</summary>
    public static Kline ReadKline(ParquetRowReader row)
    {
        ArgumentNullException.ThrowIfNull(row);
        return new(
            row.GetInt64(OpenTime),
            row.GetInt64(CloseTime),
            row.GetDouble(OpenPrice),
            row.GetDouble(High),
            row.GetDouble(Low),
            row.GetDouble(ClosePrice),
            row.GetDouble(Volume),
            row.GetDouble(QuoteVolume),
            row.GetInt64(Trades));
    }
}
