using Apache.Arrow;
using Apache.Arrow.Types;
using Lambda.Core.Spark;
using Lambda.Core.Views;
using Lambda.SpeedLayer.Spark;

namespace Lambda.Spark.Tests;

public sealed class SparkRowsTests
{
    private static readonly DailyCandle[] Candles =
    [
        new("binance", "BTCUSDT", new DateOnly(2026, 8, 1), 64000.5, 65000, 63000.25, 64500, 1234.5, 7.9e7, 1_000_000, "speed", true,
            new DateTimeOffset(2026, 8, 1, 3, 59, 59, 999, TimeSpan.Zero), new DateTimeOffset(2026, 8, 1, 23, 59, 59, 999, TimeSpan.Zero)),
        new("bybit", "ETHUSDT", new DateOnly(1969, 12, 31), 3000, 3100, 2900, 3050, 0, 0, 0, "speed", false,
            new DateTimeOffset(1969, 12, 31, 0, 0, 0, TimeSpan.Zero).AddTicks(10), new DateTimeOffset(1969, 12, 31, 12, 0, 0, TimeSpan.Zero)),
    ];

    [Fact]
    public void Candles_written_with_Apache_Arrow_decode_to_the_same_records()
    {
        var rows = SparkRows.Decode(ArrowBatches.Write(ArrowBatches.Candles(Candles)));

        rows.Columns.Should().Equal(Lambda.Core.Windows.CandleSemantics.DailyCandleColumns);
        rows.Count.Should().Be(2);
        rows[1, "day"].Should().Be(new DateOnly(1969, 12, 31), "dates before the epoch are negative day numbers");
        rows[0, "trades"].Should().Be(1_000_000L);
        SparkViewRows.Candles(rows).Should().Equal(Candles.OrderBy(c => c.Exchange, StringComparer.Ordinal));
    }

    [Fact]
    public void Nulls_and_every_scalar_type_decode_and_batches_append()
    {
        var batch = new RecordBatch.Builder()
            .Append("l", true, c => c.Int64(b => b.Append(1).AppendNull()))
            .Append("i", true, c => c.Int32(b => b.Append(-2).Append(3)))
            .Append("d", true, c => c.Double(b => b.Append(double.NaN).Append(-0.5)))
            .Append("s", true, c => c.String(b => b.AppendNull().Append("é")))
            .Append("b", true, c => c.Boolean(b => b.Append(false).Append(true)))
            .Append("t", true, new TimestampArray.Builder(new TimestampType(TimeUnit.Millisecond, "UTC"))
                .Append(DateTimeOffset.FromUnixTimeMilliseconds(1_700_000_000_123)).AppendNull().Build())
            .Build();
        var rows = new SparkRows();
        rows.Append(ArrowBatches.Write(batch)).Should().Be(2);
        rows.Append(ArrowBatches.Write(batch)).Should().Be(2);

        rows.Count.Should().Be(4);
        rows.Rows[0].Should().Equal(1L, -2, double.NaN, null, false, DateTimeOffset.FromUnixTimeMilliseconds(1_700_000_000_123));
        rows.Rows[3].Should().Equal(null, 3, -0.5, "é", true, null);
    }

    [Fact]
    public void An_unknown_column_is_named_in_the_error()
    {
        var rows = SparkRows.Decode(ArrowBatches.Write(ArrowBatches.Candles(Candles)));
        var act = () => rows[0, "price"];
        act.Should().Throw<KeyNotFoundException>().WithMessage("*'price'*exchange, symbol*");
    }
}
