using Apache.Arrow;
using Apache.Arrow.Ipc;
using Apache.Arrow.Types;
using Google.Protobuf;
using Lambda.Core.Views;
using Spark.Connect;

namespace Lambda.Spark.Tests;

/// <summary>Arrow IPC streams written with Apache.Arrow, as Spark sends them in ExecutePlanResponse.arrow_batch.</summary>
internal static class ArrowBatches
{
    public static byte[] Write(RecordBatch batch)
    {
        using var stream = new MemoryStream();
        using (var writer = new ArrowStreamWriter(stream, batch.Schema))
        {
            writer.WriteRecordBatch(batch);
            writer.WriteEnd();
        }

        return stream.ToArray();
    }

    public static ExecutePlanResponse Response(RecordBatch batch) =>
        new() { ArrowBatch = new ExecutePlanResponse.Types.ArrowBatch { RowCount = batch.Length, Data = ByteString.CopyFrom(Write(batch)) } };

    /// <summary>Daily candles as Spark's live memory table returns them (TIMESTAMP in µs with the session zone).</summary>
    public static RecordBatch Candles(IReadOnlyList<DailyCandle> candles)
    {
        var micros = new TimestampType(TimeUnit.Microsecond, "UTC");
        return new RecordBatch.Builder()
            .Append("exchange", true, c => c.String(b => b.AppendRange(candles.Select(x => x.Exchange))))
            .Append("symbol", true, c => c.String(b => b.AppendRange(candles.Select(x => x.Symbol))))
            .Append("day", true, c => c.Date32(b => b.AppendRange(candles.Select(x => x.Day.ToDateTime(TimeOnly.MinValue)))))
            .Append("open", true, c => c.Double(b => b.AppendRange(candles.Select(x => x.Open))))
            .Append("high", true, c => c.Double(b => b.AppendRange(candles.Select(x => x.High))))
            .Append("low", true, c => c.Double(b => b.AppendRange(candles.Select(x => x.Low))))
            .Append("close", true, c => c.Double(b => b.AppendRange(candles.Select(x => x.Close))))
            .Append("volume", true, c => c.Double(b => b.AppendRange(candles.Select(x => x.Volume))))
            .Append("quote_volume", true, c => c.Double(b => b.AppendRange(candles.Select(x => x.QuoteVolume))))
            .Append("trades", true, c => c.Int64(b => b.AppendRange(candles.Select(x => x.Trades))))
            .Append("source", true, c => c.String(b => b.AppendRange(candles.Select(x => x.Source))))
            .Append("complete", true, c => c.Boolean(b => b.AppendRange(candles.Select(x => x.Complete))))
            .Append("first_event_time", true, new TimestampArray.Builder(micros).AppendRange(candles.Select(x => x.FirstEventTime)).Build())
            .Append("last_event_time", true, new TimestampArray.Builder(micros).AppendRange(candles.Select(x => x.LastEventTime)).Build())
            .Build();
    }
}
