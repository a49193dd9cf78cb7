using Lambda.Core.Parquet;
using Lambda.Core.Views;

namespace Lambda.Parquet.Tests;

public class RecordMapTests
{
    internal static List<DailyCandle> Candles(int count)
    {
        var random = new Random(9);
        var t0 = new DateTimeOffset(2024, 1, 1, 0, 0, 0, TimeSpan.Zero);
        return Enumerable.Range(0, count).Select(i =>
        {
            var open = 100 + random.Next(10_000) / 100.0;
            return new DailyCandle(i % 2 == 0 ? "binance" : "bybit", $"SYM{i / 2 % 20}USDT", new DateOnly(2024, 1, 1).AddDays(i / 40), open, open + 1, open - 1, open + 0.5,
                random.NextDouble() * 1000, random.NextDouble() * 100_000, random.Next(100_000), i % 3 == 0 ? "batch" : "speed", i % 10 != 0,
                t0.AddDays(i / 40).AddTicks(random.Next(1_000_000) * 10L), t0.AddDays(i / 40 + 1).AddTicks(-random.Next(1_000_000) * 10L));
        }).ToList();
    }

    [Fact]
    public void Records_round_trip_through_a_hand_written_map()
    {
        var map = DailyCandleMap.Instance;
        var candles = Candles(5_000);
        using var stream = new MemoryStream();
        using (var writer = new ParquetFileWriter(stream, map.Schema, new ParquetWriterOptions { RowGroupRows = 2_000 }))
        {
            foreach (var candle in candles)
            {
                writer.Write(candle, map);
            }
        }

        using var reader = TestFiles.Open(stream.ToArray());
        reader.Read(map).Should().Equal(candles);
    }

    [Fact]
    public void Reading_records_projects_the_maps_columns_by_name_and_applies_the_filter()
    {
        var map = DailyCandleMap.Instance;
        var candles = Candles(4_000);
        var file = TestFiles.Write(
            new ParquetSchema([ParquetColumn.Int32("extra"), .. map.Schema.Columns.Reverse()]),
            candles.Select((c, i) => new object?[] { i, c.LastEventTime, c.FirstEventTime, c.Complete, c.Source, c.Trades, c.QuoteVolume, c.Volume, c.Close, c.Low, c.High, c.Open, c.Day, c.Symbol, c.Exchange }),
            new ParquetWriterOptions { RowGroupRows = 400 });

        using var reader = TestFiles.Open(file);
        var day = new DateOnly(2024, 1, 1).AddDays(42);
        reader.Read(map, new ParquetReadOptions { Filter = ParquetFilter.Equal("day", day) }).Should().Equal(candles.Where(c => c.Day == day));
        reader.RowGroupsSkipped.Should().Be(9);
    }

    [Fact]
    public void A_map_that_does_not_fit_the_file_is_reported()
    {
        var file = TestFiles.Write(new ParquetSchema(ParquetColumn.Int64("exchange")), [[1L]]);
        using var reader = TestFiles.Open(file);

        var read = () => reader.Read(DailyCandleMap.Instance).ToList();

        read.Should().Throw<ParquetException>().WithMessage("test.parquet: *exchange*");
    }

    [Fact]
    public void Writing_with_a_map_of_another_schema_is_refused()
    {
        using var writer = new ParquetFileWriter(new MemoryStream(), new ParquetSchema(ParquetColumn.Int64("n")));
        var write = () => writer.Write(Candles(1)[0], DailyCandleMap.Instance);
        write.Should().Throw<ArgumentException>();
    }
}

public class WriterMisuseTests
{
    private static readonly ParquetSchema Schema = new(ParquetColumn.Int64("id"), ParquetColumn.String("name", nullable: true), ParquetColumn.TimestampMicros("at"));

    [Fact]
    public void A_required_column_left_unset_is_refused_at_EndRow()
    {
        using var writer = new ParquetFileWriter(new MemoryStream(), Schema);
        writer.Row.SetInt64(0, 1);
        var end = () => writer.EndRow();
        end.Should().Throw<InvalidOperationException>().WithMessage("*'at'*not set*");
    }

    [Fact]
    public void An_optional_column_left_unset_is_null()
    {
        using var stream = new MemoryStream();
        using (var writer = new ParquetFileWriter(stream, Schema))
        {
            writer.Row.SetInt64(0, 1);
            writer.Row.SetTimestamp(2, DateTimeOffset.UnixEpoch);
            writer.EndRow();
        }

        TestFiles.ReadAll(stream.ToArray()).Should().BeEquivalentTo(new[] { new object?[] { 1L, null, DateTimeOffset.UnixEpoch } });
    }

    [Fact]
    public void Setting_a_column_twice_in_a_row_is_refused()
    {
        using var writer = new ParquetFileWriter(new MemoryStream(), Schema);
        writer.Row.SetInt64(0, 1);
        var again = () => writer.Row.SetInt64(0, 2);
        again.Should().Throw<InvalidOperationException>().WithMessage("*'id'*already set*");
    }

    [Fact]
    public void The_wrong_setter_and_null_for_a_required_column_are_refused()
    {
        using var writer = new ParquetFileWriter(new MemoryStream(), Schema);
        ((Action)(() => writer.Row.SetDouble(0, 1))).Should().Throw<InvalidOperationException>().WithMessage("*'id'*SetDouble*");
        ((Action)(() => writer.Row.SetNull(0))).Should().Throw<InvalidOperationException>().WithMessage("*'id'*null*");
        ((Action)(() => writer.Row.SetDate(2, default))).Should().Throw<InvalidOperationException>();
        ((Action)(() => writer.Row.SetInt32(7, 1))).Should().Throw<ArgumentOutOfRangeException>();
    }

    [Fact]
    public void A_row_begun_but_not_ended_is_dropped_at_close()
    {
        using var stream = new MemoryStream();
        using (var writer = new ParquetFileWriter(stream, Schema))
        {
            writer.Row.SetInt64(0, 1);
            writer.Row.SetString(1, "kept");
            writer.Row.SetTimestamp(2, DateTimeOffset.UnixEpoch);
            writer.EndRow();
            writer.Row.SetInt64(0, 2);
            writer.Row.SetString(1, "dropped");
        }

        TestFiles.ReadAll(stream.ToArray()).Should().BeEquivalentTo(new[] { new object?[] { 1L, "kept", DateTimeOffset.UnixEpoch } });
    }

    [Fact]
    public void Rows_cannot_be_written_after_close_and_close_is_idempotent()
    {
        var writer = new ParquetFileWriter(new MemoryStream(), Schema);
        writer.Close();
        writer.Close();
        writer.Dispose();
        var end = () => writer.EndRow();
        end.Should().Throw<ObjectDisposedException>();
    }

    [Fact]
    public void Invalid_options_and_schemas_are_refused()
    {
        ((Action)(() => new ParquetFileWriter(new MemoryStream(), Schema, new ParquetWriterOptions { RowGroupRows = 0 }))).Should().Throw<ArgumentOutOfRangeException>();
        ((Action)(() => new ParquetFileWriter(new MemoryStream(), Schema, new ParquetWriterOptions { DataPageVersion = 3 }))).Should().Throw<ArgumentOutOfRangeException>();
        ((Action)(() => new ParquetSchema(ParquetColumn.Int32("a"), ParquetColumn.Int64("a")))).Should().Throw<ArgumentException>().WithMessage("*'a'*twice*");
        ((Action)(() => new ParquetSchema(new ParquetColumn("x", ParquetType.Double, LogicalKind.String)))).Should().Throw<ArgumentException>();
        ((Action)(() => new ParquetSchema(Array.Empty<ParquetColumn>()))).Should().Throw<ArgumentException>();
    }

    [Fact]
    public void Schemas_compare_by_their_columns_and_find_columns_by_name()
    {
        var copy = new ParquetSchema(Schema.Columns.ToList());
        copy.Should().Be(Schema);
        copy.GetHashCode().Should().Be(Schema.GetHashCode());
        Schema.IndexOf("name").Should().Be(1);
        Schema.IndexOf("Name").Should().Be(-1);
        (Schema with { Columns = [ParquetColumn.Int32("only")] }).IndexOf("only").Should().Be(0);
    }

    [Fact]
    public async Task Async_dispose_writes_the_footer()
    {
        var stream = new MemoryStream();
        await using (var writer = new ParquetFileWriter(stream, new ParquetSchema(ParquetColumn.Int32("x"))))
        {
            writer.Row.SetInt32(0, 5);
            writer.EndRow();
        }

        TestFiles.ReadAll(stream.ToArray()).Should().BeEquivalentTo(new[] { new object?[] { 5 } });
    }
}
