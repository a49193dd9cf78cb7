using Lambda.Core.Parquet;

namespace Lambda.Parquet.Tests;

public class RoundTripTests
{
    public static TheoryData<string, bool, bool, ParquetCompression> Cases()
    {
        var data = new TheoryData<string, bool, bool, ParquetCompression>();
        foreach (var type in Columns.Keys)
        {
            foreach (var nullable in new[] { false, true })
            {
                foreach (var dictionary in new[] { false, true })
                {
                    foreach (var compression in Enum.GetValues<ParquetCompression>())
                    {
                        data.Add(type, nullable, dictionary, compression);
                    }
                }
            }
        }

        return data;
    }

    internal static readonly Dictionary<string, Func<string, bool, ParquetColumn>> Columns = new()
    {
        ["boolean"] = ParquetColumn.Boolean,
        ["int32"] = ParquetColumn.Int32,
        ["int64"] = ParquetColumn.Int64,
        ["float"] = ParquetColumn.Float,
        ["double"] = ParquetColumn.Double,
        ["string"] = ParquetColumn.String,
        ["date"] = ParquetColumn.Date,
        ["timestamp_micros"] = ParquetColumn.TimestampMicros,
        ["timestamp_millis"] = ParquetColumn.TimestampMillis,
    };

    /// <summary>Row group 0 has few distinct values (dictionary pays), the later ones mostly distinct values.</summary>
    internal static object Value(string type, int row, Random random)
    {
        var few = row < 1000;
        var n = few ? row % 5 : random.Next();
        return type switch
        {
            "boolean" => few ? row % 3 == 0 : random.Next(2) == 0,
            "int32" => few ? n - 2 : random.Next(int.MinValue, int.MaxValue),
            "int64" => few ? (long)n << 40 : random.NextInt64(long.MinValue, long.MaxValue),
            "float" => few ? n * 0.5f : (float)(random.NextDouble() * 1e6 - 5e5),
            "double" => few ? n * 0.25 : random.NextDouble() * 1e9 - 5e8,
            "string" => few ? $"SYM{n}" : $"value-{random.Next()}-é€😀",
            "date" => DateOnly.FromDayNumber(738_000 + (few ? n : random.Next(0, 100_000))),
            "timestamp_micros" => DateTimeOffset.UnixEpoch.AddTicks((few ? n : random.NextInt64(-1_000_000_000_000_000L, 1_000_000_000_000_000L)) * 10),
            "timestamp_millis" => DateTimeOffset.UnixEpoch.AddTicks((few ? n : random.NextInt64(-50_000_000_000_000L, 50_000_000_000_000L)) * 10_000),
            _ => throw new ArgumentOutOfRangeException(nameof(type)),
        };
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Every_type_round_trips_through_several_row_groups_and_pages(string type, bool nullable, bool dictionary, ParquetCompression compression)
    {
        var random = new Random(42);
        var schema = new ParquetSchema(Columns[type]("value", nullable), ParquetColumn.Int32("row"));
        var rows = Enumerable.Range(0, 2_500)
            .Select(i => new object?[] { nullable && i % 4 == 1 ? null : Value(type, i, random), i })
            .ToList();
        var options = new ParquetWriterOptions { Compression = compression, Dictionary = dictionary, RowGroupRows = 1_000, PageBytes = 1_000 };

        var file = TestFiles.Write(schema, rows, options);

        using var reader = TestFiles.Open(file);
        reader.Schema.Should().Be(schema);
        reader.RowCount.Should().Be(rows.Count);
        reader.RowGroups.Select(g => g.RowCount).Should().Equal(1_000, 1_000, 500);
        reader.RowGroups.Should().OnlyContain(g => g.Columns[0].Compression == compression);
        TestFiles.ReadAll(reader).Should().BeEquivalentTo(rows, o => o.WithStrictOrdering());

        var firstGroupEncodings = reader.RowGroups[0].Columns[0].Encodings;
        if (dictionary && type != "boolean")
        {
            firstGroupEncodings.Should().Contain(ParquetEncoding.RleDictionary);
        }
        else
        {
            firstGroupEncodings.Should().NotContain(ParquetEncoding.RleDictionary);
        }
    }

    [Fact]
    public void Typed_getters_return_what_typed_setters_wrote()
    {
        var schema = new ParquetSchema(
            ParquetColumn.Boolean("b"), ParquetColumn.Int32("i"), ParquetColumn.Int64("l"), ParquetColumn.Float("f"),
            ParquetColumn.Double("d"), ParquetColumn.String("s", nullable: true), ParquetColumn.Date("day"),
            ParquetColumn.TimestampMicros("us"), ParquetColumn.TimestampMillis("ms"));
        var t = new DateTimeOffset(2024, 5, 6, 7, 8, 9, TimeSpan.Zero).AddTicks(1234560);
        using var stream = new MemoryStream();
        using (var writer = new ParquetFileWriter(stream, schema))
        {
            for (var i = 0; i < 3; i++)
            {
                var row = writer.Row;
                row.SetBoolean(0, i == 1);
                row.SetInt32(1, -i);
                row.SetInt64(2, long.MaxValue - i);
                row.SetFloat(3, i + 0.5f);
                row.SetDouble(4, i / 3.0);
                row.SetString(5, i == 2 ? null : "x" + i);
                row.SetDate(6, new DateOnly(1969, 12, 31).AddDays(i));
                row.SetTimestamp(7, t.AddDays(i));
                row.SetTimestamp(8, t.AddDays(-i));
                writer.EndRow();
            }

            writer.RowsWritten.Should().Be(3);
        }

        using var reader = TestFiles.Open(stream.ToArray());
        var i2 = 0;
        foreach (var row in reader.ReadRows())
        {
            row.ColumnCount.Should().Be(9);
            row.GetBoolean(0).Should().Be(i2 == 1);
            row.GetInt32(1).Should().Be(-i2);
            row.GetInt64(2).Should().Be(long.MaxValue - i2);
            row.GetFloat(3).Should().Be(i2 + 0.5f);
            row.GetDouble(4).Should().Be(i2 / 3.0);
            row.IsNull(5).Should().Be(i2 == 2);
            if (i2 != 2)
            {
                row.GetString(5).Should().Be("x" + i2);
            }

            row.GetDate(6).Should().Be(new DateOnly(1969, 12, 31).AddDays(i2));
            row.GetTimestamp(7).Should().Be(t.AddDays(i2));
            row.GetTimestamp(8).Should().Be(new DateTimeOffset(2024, 5, 6, 7, 8, 9, 123, TimeSpan.Zero).AddDays(-i2));
            row.GetTimestamp(7).Offset.Should().Be(TimeSpan.Zero);
            i2++;
        }

        i2.Should().Be(3);
    }

    [Fact]
    public void An_empty_file_has_the_schema_and_no_rows()
    {
        var schema = new ParquetSchema(ParquetColumn.String("s"), ParquetColumn.Double("d", nullable: true));
        var file = TestFiles.Write(schema, []);

        using var reader = TestFiles.Open(file);
        reader.Schema.Should().Be(schema);
        reader.RowCount.Should().Be(0);
        reader.RowGroups.Should().BeEmpty();
        reader.ReadRows().Should().BeEmpty();
    }

    [Fact]
    public void Optional_columns_that_are_all_null_round_trip()
    {
        var schema = new ParquetSchema(ParquetColumn.String("s", true), ParquetColumn.Double("d", true), ParquetColumn.Boolean("b", true));
        var rows = Enumerable.Range(0, 3_000).Select(_ => new object?[] { null, null, null }).ToList();

        var file = TestFiles.Write(schema, rows, new ParquetWriterOptions { RowGroupRows = 1_000 });

        TestFiles.ReadAll(file).Should().BeEquivalentTo(rows, o => o.WithStrictOrdering());
        using var reader = TestFiles.Open(file);
        reader.RowGroups[0].Columns[0].NullCount.Should().Be(1_000);
        reader.RowGroups[0].Columns[0].Min.Should().BeNull();
    }

    [Fact]
    public void Special_floating_point_values_round_trip_bit_for_bit()
    {
        var schema = new ParquetSchema(ParquetColumn.Double("d"), ParquetColumn.Float("f"));
        double[] doubles = [double.NaN, double.PositiveInfinity, double.NegativeInfinity, -0.0, 0.0, double.Epsilon, double.MaxValue, double.MinValue];
        float[] floats = [float.NaN, float.PositiveInfinity, float.NegativeInfinity, -0.0f, 0.0f, float.Epsilon, float.MaxValue, float.MinValue];
        var rows = doubles.Zip(floats, (d, f) => new object?[] { d, f }).ToList();

        foreach (var dictionary in new[] { false, true })
        {
            var read = TestFiles.ReadAll(TestFiles.Write(schema, Enumerable.Repeat(rows, 10).SelectMany(r => r), new ParquetWriterOptions { Dictionary = dictionary }));
            read.Take(8).Select(r => BitConverter.DoubleToInt64Bits((double)r[0]!)).Should().Equal(doubles.Select(BitConverter.DoubleToInt64Bits));
            read.Take(8).Select(r => BitConverter.SingleToInt32Bits((float)r[1]!)).Should().Equal(floats.Select(BitConverter.SingleToInt32Bits));
        }
    }

    [Fact]
    public void Long_and_empty_strings_round_trip()
    {
        var schema = new ParquetSchema(ParquetColumn.String("s"));
        var rows = new[] { "", new string('x', 300_000), "ünïcödé", "" }.Select(s => new object?[] { s }).ToList();

        TestFiles.ReadAll(TestFiles.Write(schema, rows)).Should().BeEquivalentTo(rows, o => o.WithStrictOrdering());
    }

    [Fact]
    public void Create_and_Open_work_with_files_on_disk()
    {
        var path = Path.Combine(Path.GetTempPath(), $"lambda-parquet-{Guid.NewGuid():N}.parquet");
        try
        {
            var schema = new ParquetSchema(ParquetColumn.String("s"), ParquetColumn.Int64("n"));
            using (var writer = ParquetFileWriter.Create(path, schema))
            {
                for (var i = 0; i < 10; i++)
                {
                    writer.Row.SetString(0, "r" + i);
                    writer.Row.SetInt64(1, i);
                    writer.EndRow();
                }
            }

            using var reader = ParquetFileReader.Open(path);
            reader.RowCount.Should().Be(10);
            reader.ReadRows().Select(r => r.GetInt64(1)).Should().Equal(Enumerable.Range(0, 10).Select(i => (long)i));
        }
        finally
        {
            File.Delete(path);
        }
    }
}
