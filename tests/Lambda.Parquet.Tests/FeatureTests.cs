using Lambda.Core.Parquet;

namespace Lambda.Parquet.Tests;

public class FeatureTests
{
    private static readonly ParquetSchema AllTypes = new(
        RoundTripTests.Columns.SelectMany(pair => new[] { pair.Value(pair.Key, false), pair.Value(pair.Key + "_null", true) }).ToArray());

    private static List<object?[]> AllTypeRows(int count, int seed = 1)
    {
        var random = new Random(seed);
        return Enumerable.Range(0, count)
            .Select(i => AllTypes.Columns.Select(c => c.Nullable && i % 3 == 0 ? null : RoundTripTests.Value(c.Name.Replace("_null", ""), i, random)).ToArray())
            .ToList();
    }

    public static TheoryData<ParquetCompression, bool> CodecsAndDictionary()
    {
        var data = new TheoryData<ParquetCompression, bool>();
        foreach (var compression in Enum.GetValues<ParquetCompression>())
        {
            data.Add(compression, false);
            data.Add(compression, true);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(CodecsAndDictionary))]
    public void Data_pages_v2_round_trip_with_levels_outside_the_compressed_values(ParquetCompression compression, bool dictionary)
    {
        var rows = AllTypeRows(2_500);
        var file = TestFiles.Write(AllTypes, rows, new ParquetWriterOptions { DataPageVersion = 2, Compression = compression, Dictionary = dictionary, RowGroupRows = 1_000, PageBytes = 2_000 });

        TestFiles.ReadAll(file).Should().BeEquivalentTo(rows, o => o.WithStrictOrdering());
    }

    [Fact]
    public void Legacy_plain_dictionary_pages_are_read()
    {
        var rows = AllTypeRows(1_500);
        var file = TestFiles.Write(AllTypes, rows, new ParquetWriterOptions { LegacyDictionaryEncoding = true, RowGroupRows = 1_000 });

        using var reader = TestFiles.Open(file);
        reader.RowGroups[0].Columns[reader.Schema.IndexOf("string")].Encodings.Should().Contain(ParquetEncoding.PlainDictionary);
        TestFiles.ReadAll(reader).Should().BeEquivalentTo(rows, o => o.WithStrictOrdering());
    }

    [Fact]
    public void Int96_timestamps_as_Spark_writes_them_are_read_as_utc()
    {
        var schema = new ParquetSchema(new ParquetColumn("ts", ParquetType.Int96), new ParquetColumn("maybe", ParquetType.Int96, Nullable: true));
        var values = new[]
        {
            new DateTimeOffset(2024, 3, 1, 12, 34, 56, TimeSpan.Zero).AddTicks(1234567),
            new DateTimeOffset(1969, 12, 31, 23, 59, 59, TimeSpan.Zero),
            new DateTimeOffset(1900, 1, 1, 0, 0, 0, TimeSpan.Zero),
            DateTimeOffset.UnixEpoch,
        };
        var rows = values.Select((v, i) => new object?[] { v, i % 2 == 0 ? null : v }).ToList();

        var file = TestFiles.Write(schema, rows, new ParquetWriterOptions { AllowInt96 = true });

        using var reader = TestFiles.Open(file);
        reader.Schema.Columns[0].Type.Should().Be(ParquetType.Int96);
        reader.Schema.Columns[0].ClrType.Should().Be(typeof(DateTimeOffset));
        TestFiles.ReadAll(reader).Should().BeEquivalentTo(rows, o => o.WithStrictOrdering());
        reader.ReadRows().Select(r => r.GetTimestamp(0)).Should().Equal(values);
    }

    [Fact]
    public void Int96_columns_cannot_be_written_through_the_public_api()
    {
        var create = () => new ParquetFileWriter(new MemoryStream(), new ParquetSchema(new ParquetColumn("ts", ParquetType.Int96)));
        create.Should().Throw<NotSupportedException>().WithMessage("*ts*Int96*");
    }

    [Fact]
    public void A_string_dictionary_over_its_limit_falls_back_to_plain()
    {
        var schema = new ParquetSchema(ParquetColumn.String("s"), ParquetColumn.Int64("n"));
        // the first 500 rows repeat a few values (dictionary), then every value is new: the dictionary outgrows 2 KB
        var rows = Enumerable.Range(0, 3_000).Select(i => new object?[] { i < 500 ? $"few{i % 3}" : $"unique-{i}", (long)i }).ToList();

        var file = TestFiles.Write(schema, rows, new ParquetWriterOptions { DictionaryBytesLimit = 2_048 });

        using var reader = TestFiles.Open(file);
        reader.RowGroups.Should().ContainSingle();
        reader.RowGroups[0].Columns[0].Encodings.Should().NotContain(ParquetEncoding.RleDictionary).And.Contain(ParquetEncoding.Plain);
        TestFiles.ReadAll(reader).Should().BeEquivalentTo(rows, o => o.WithStrictOrdering());
    }

    [Fact]
    public void A_numeric_dictionary_over_its_limit_falls_back_to_plain()
    {
        var schema = new ParquetSchema(ParquetColumn.Int64("n"));
        var rows = Enumerable.Range(0, 3_000).Select(i => new object?[] { (long)(i % 1_000) }).ToList();

        var small = TestFiles.Write(schema, rows, new ParquetWriterOptions { DictionaryBytesLimit = 4_000 });
        var large = TestFiles.Write(schema, rows, new ParquetWriterOptions { DictionaryBytesLimit = 1 << 20 });

        using (var reader = TestFiles.Open(small))
        {
            reader.RowGroups[0].Columns[0].Encodings.Should().NotContain(ParquetEncoding.RleDictionary);
            TestFiles.ReadAll(reader).Should().BeEquivalentTo(rows, o => o.WithStrictOrdering());
        }

        using (var reader = TestFiles.Open(large))
        {
            reader.RowGroups[0].Columns[0].Encodings.Should().Contain(ParquetEncoding.RleDictionary);
            TestFiles.ReadAll(reader).Should().BeEquivalentTo(rows, o => o.WithStrictOrdering());
        }
    }

    [Fact]
    public void Distinct_values_are_written_plain_even_with_dictionaries_enabled()
    {
        var schema = new ParquetSchema(ParquetColumn.Double("d"), ParquetColumn.String("s"));
        var random = new Random(5);
        var rows = Enumerable.Range(0, 10_000).Select(i => new object?[] { random.NextDouble(), Guid.NewGuid().ToString() }).ToList();

        using var reader = TestFiles.Open(TestFiles.Write(schema, rows));

        reader.RowGroups[0].Columns.Should().OnlyContain(c => !c.Encodings.Contains(ParquetEncoding.RleDictionary));
        TestFiles.ReadAll(reader).Should().BeEquivalentTo(rows, o => o.WithStrictOrdering());
    }

    [Fact]
    public void Statistics_hold_min_max_and_null_count_per_row_group_as_clr_values()
    {
        var schema = new ParquetSchema(
            ParquetColumn.Int32("i", true), ParquetColumn.Int64("l"), ParquetColumn.Double("d"), ParquetColumn.Float("f"), ParquetColumn.String("s"),
            ParquetColumn.Date("day"), ParquetColumn.TimestampMicros("ts"), ParquetColumn.Boolean("b"));
        var t0 = new DateTimeOffset(2024, 1, 1, 0, 0, 0, TimeSpan.Zero);
        var rows = Enumerable.Range(0, 200).Select(i => new object?[]
        {
            i % 10 == 0 ? null : i - 50, (long)i * 1000, i / 4.0, (float)-i, $"s{i:D3}", new DateOnly(2024, 1, 1).AddDays(i), t0.AddMinutes(i), i % 2 == 0,
        }).ToList();

        using var reader = TestFiles.Open(TestFiles.Write(schema, rows, new ParquetWriterOptions { RowGroupRows = 100 }));

        var second = reader.RowGroups[1];
        second.RowCount.Should().Be(100);
        second["i"].Should().Match<ParquetColumnChunkInfo>(c => Equals(c.Min, 51) && Equals(c.Max, 149) && c.NullCount == 10);
        second["l"].Min.Should().Be(100_000L);
        second["l"].Max.Should().Be(199_000L);
        second["l"].NullCount.Should().Be(0);
        second["d"].Min.Should().Be(25.0);
        second["d"].Max.Should().Be(49.75);
        second["f"].Min.Should().Be(-199f);
        second["f"].Max.Should().Be(-100f);
        second["s"].Min.Should().Be("s100");
        second["s"].Max.Should().Be("s199");
        second["day"].Min.Should().Be(new DateOnly(2024, 1, 1).AddDays(100));
        second["ts"].Max.Should().Be(t0.AddMinutes(199));
        second["b"].Min.Should().Be(false);
        second["b"].Max.Should().Be(true);
        second["s"].Compression.Should().Be(ParquetCompression.Snappy);
        second["s"].Codec.Should().Be("SNAPPY");
    }

    [Fact]
    public void Statistics_can_be_left_out()
    {
        var schema = new ParquetSchema(ParquetColumn.Int64("n"));
        var file = TestFiles.Write(schema, Enumerable.Range(0, 100).Select(i => new object?[] { (long)i }), new ParquetWriterOptions { Statistics = false });

        using var reader = TestFiles.Open(file);
        reader.RowGroups[0].Columns[0].Should().Match<ParquetColumnChunkInfo>(c => c.Min == null && c.Max == null && c.NullCount == null);
        reader.ReadRows(new ParquetReadOptions { Filter = ParquetFilter.Equal("n", 5L) }).Should().ContainSingle();
        reader.RowGroupsSkipped.Should().Be(0);
    }

    private static byte[] SortedFile(out List<object?[]> rows)
    {
        var schema = new ParquetSchema(ParquetColumn.Int64("n"), ParquetColumn.String("symbol"), ParquetColumn.Date("day"), ParquetColumn.TimestampMicros("ts"), ParquetColumn.Double("price", true));
        var t0 = new DateTimeOffset(2024, 1, 1, 0, 0, 0, TimeSpan.Zero);
        rows = Enumerable.Range(0, 10_000).Select(i => new object?[]
        {
            (long)i, $"SYM{i / 1_000}", new DateOnly(2020, 1, 1).AddDays(i / 100), t0.AddSeconds(i), i >= 9_000 ? null : i * 0.5,
        }).ToList();
        return TestFiles.Write(schema, rows, new ParquetWriterOptions { RowGroupRows = 1_000 });
    }

    [Fact]
    public void A_filter_skips_the_row_groups_whose_statistics_exclude_it()
    {
        var file = SortedFile(out var rows);
        using var reader = TestFiles.Open(file);

        var read = reader.ReadRows(new ParquetReadOptions { Filter = ParquetFilter.Between("n", 2_500L, 3_499L) }).Select(r => r.GetInt64(0)).ToList();

        reader.RowGroupsSkipped.Should().Be(8);
        read.Should().Equal(Enumerable.Range(2_500, 1_000).Select(i => (long)i));
    }

    [Fact]
    public void Without_row_filtering_every_row_of_the_kept_row_groups_is_returned()
    {
        var file = SortedFile(out _);
        using var reader = TestFiles.Open(file);

        var read = reader.ReadRows(new ParquetReadOptions { Filter = ParquetFilter.Between("n", 2_500, 3_499), FilterRows = false }).Select(r => r.GetInt64(0)).ToList();

        reader.RowGroupsSkipped.Should().Be(8);
        read.Should().Equal(Enumerable.Range(2_000, 2_000).Select(i => (long)i));
    }

    [Fact]
    public void Filters_take_values_as_the_columns_clr_types()
    {
        var file = SortedFile(out var rows);
        using var reader = TestFiles.Open(file);
        var t0 = new DateTimeOffset(2024, 1, 1, 0, 0, 0, TimeSpan.Zero);

        int Count(ParquetFilter filter) => reader.ReadRows(new ParquetReadOptions { Filter = filter, Columns = ["n"] }).Count();

        Count(ParquetFilter.Equal("symbol", "SYM3")).Should().Be(1_000);
        reader.RowGroupsSkipped.Should().Be(9);
        Count(ParquetFilter.Between("day", new DateOnly(2020, 1, 1).AddDays(50), new DateOnly(2020, 1, 1).AddDays(59))).Should().Be(1_000);
        reader.RowGroupsSkipped.Should().Be(9);
        Count(ParquetFilter.Between("ts", t0.AddSeconds(100), t0.AddSeconds(199.5))).Should().Be(100);
        reader.RowGroupsSkipped.Should().Be(9);
        Count(ParquetFilter.Between("price", 10, null)).Should().Be(9_000 - 20);
        reader.RowGroupsSkipped.Should().Be(1, "the last row group holds only nulls");
        Count(ParquetFilter.Between("n", null, 99)).Should().Be(100);
        Count(ParquetFilter.Equal("symbol", "nothing")).Should().Be(0);
        reader.RowGroupsSkipped.Should().Be(10);
        Count(ParquetFilter.And(ParquetFilter.Equal("symbol", "SYM2"), ParquetFilter.Between("n", 2_100L, 5_000L))).Should().Be(900);
        reader.RowGroupsSkipped.Should().Be(9);
    }

    [Fact]
    public void A_filter_on_a_column_outside_the_projection_still_applies()
    {
        var file = SortedFile(out _);
        using var reader = TestFiles.Open(file);

        var read = reader.ReadRows(new ParquetReadOptions { Columns = ["symbol"], Filter = ParquetFilter.Equal("n", 4_321L) }).Select(r => (r.ColumnCount, r.GetString(0))).ToList();

        read.Should().Equal((1, "SYM4"));
    }

    [Fact]
    public void A_filter_on_an_unknown_column_or_with_an_unfit_value_is_an_argument_error()
    {
        var file = SortedFile(out _);
        using var reader = TestFiles.Open(file);

        var unknown = () => reader.ReadRows(new ParquetReadOptions { Filter = ParquetFilter.Equal("nope", 1) });
        var unfit = () => reader.ReadRows(new ParquetReadOptions { Filter = ParquetFilter.Equal("symbol", 1) });

        unknown.Should().Throw<ArgumentException>().WithMessage("*nope*");
        unfit.Should().Throw<ArgumentException>().WithMessage("*symbol*");
    }

    [Fact]
    public void Projection_returns_the_named_columns_in_the_requested_order()
    {
        var file = SortedFile(out var rows);
        using var reader = TestFiles.Open(file);

        var read = TestFiles.ReadAll(reader, new ParquetReadOptions { Columns = ["price", "n"] });

        read.Should().BeEquivalentTo(rows.Select(r => new[] { r[4], r[0] }), o => o.WithStrictOrdering());
        reader.ReadRows(new ParquetReadOptions { Columns = ["price", "n"] }).First().Schema.Columns.Select(c => c.Name).Should().Equal("price", "n");
    }

    [Fact]
    public void Projection_reads_only_the_projected_column_chunks()
    {
        var schema = new ParquetSchema(ParquetColumn.Int64("keep"), ParquetColumn.Int64("damaged"));
        var file = TestFiles.Write(schema, Enumerable.Range(0, 1_000).Select(i => new object?[] { (long)i, (long)i }), new ParquetWriterOptions { Compression = ParquetCompression.Uncompressed });
        var footer = FileSurgery.ReadFooter(file);
        var damaged = footer.RowGroups[0].Columns[1].MetaData!;
        file.AsSpan((int)damaged.DataPageOffset, (int)damaged.TotalCompressedSize).Fill(0xEE);

        using var reader = TestFiles.Open(file);
        reader.ReadRows(new ParquetReadOptions { Columns = ["keep"] }).Select(r => r.GetInt64(0)).Should().Equal(Enumerable.Range(0, 1_000).Select(i => (long)i));
        var all = () => reader.ReadRows().Count();
        all.Should().Throw<ParquetException>().WithMessage("*damaged*");
    }

    [Fact]
    public void Projecting_an_unknown_column_names_it()
    {
        var file = SortedFile(out _);
        using var reader = TestFiles.Open(file);

        var read = () => reader.ReadRows(new ParquetReadOptions { Columns = ["n", "missing"] });

        read.Should().Throw<ArgumentException>().WithMessage("*missing*");
    }

    [Fact]
    public void Key_value_metadata_round_trips_including_entries_added_after_the_rows()
    {
        var options = new ParquetWriterOptions();
        options.KeyValueMetadata["lambda.view"] = "daily-candles";
        options.KeyValueMetadata["unicode"] = "ünï €";
        using var stream = new MemoryStream();
        using (var writer = new ParquetFileWriter(stream, new ParquetSchema(ParquetColumn.Int32("x")), options))
        {
            writer.Row.SetInt32(0, 1);
            writer.EndRow();
            options.KeyValueMetadata["rows"] = "1";
        }

        using var reader = TestFiles.Open(stream.ToArray());
        reader.KeyValueMetadata.Should().BeEquivalentTo(new Dictionary<string, string> { ["lambda.view"] = "daily-candles", ["unicode"] = "ünï €", ["rows"] = "1" });
        reader.CreatedBy.Should().StartWith("lambda-parquet version");
    }

    [Fact]
    public void Row_groups_are_written_out_as_they_fill_not_at_close()
    {
        using var stream = new MemoryStream();
        using var writer = new ParquetFileWriter(stream, new ParquetSchema(ParquetColumn.Int64("n")), new ParquetWriterOptions { RowGroupRows = 1_000 });
        for (var i = 0; i < 999; i++)
        {
            writer.Row.SetInt64(0, i);
            writer.EndRow();
        }

        stream.Length.Should().Be(4, "only the magic is written before the first row group is full");
        writer.Row.SetInt64(0, 999);
        writer.EndRow();
        stream.Length.Should().BeGreaterThan(4_000);
        writer.RowGroupsWritten.Should().Be(1);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Sequential_and_parallel_reads_return_the_same_rows_across_many_pages(bool parallel)
    {
        var rows = AllTypeRows(150_000, seed: 3);
        var file = TestFiles.Write(AllTypes, rows, new ParquetWriterOptions { RowGroupRows = 70_000, PageBytes = 30_000 });

        var read = TestFiles.ReadAll(file, new ParquetReadOptions { Parallel = parallel });

        read.Should().HaveCount(rows.Count);
        for (var i = 0; i < rows.Count; i += 997)
        {
            read[i].Should().Equal(rows[i]);
        }

        read[^1].Should().Equal(rows[^1]);
    }
}
