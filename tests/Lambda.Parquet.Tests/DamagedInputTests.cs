using System.Buffers.Binary;
using System.Diagnostics;
using Lambda.Core.Parquet;

namespace Lambda.Parquet.Tests;

public class DamagedInputTests
{
    private const string Name = "damaged.parquet";

    private static byte[] ValidFile(ParquetCompression compression = ParquetCompression.Snappy, bool nullable = true, bool dictionary = true) =>
        TestFiles.Write(
            new ParquetSchema(ParquetColumn.Int64("n"), ParquetColumn.String("s", nullable), ParquetColumn.Double("d", nullable)),
            Enumerable.Range(0, 3_000).Select(i => new object?[] { (long)i, nullable && i % 7 == 0 ? null : $"v{i % 50}", nullable && i % 5 == 0 ? null : i * 1.5 }),
            new ParquetWriterOptions { Compression = compression, RowGroupRows = 1_000, PageBytes = 2_000, Dictionary = dictionary });

    /// <summary>Opens and reads everything; returns the ParquetException or null.</summary>
    private static ParquetException? ReadFully(byte[] file)
    {
        try
        {
            using var reader = new ParquetFileReader(new MemoryStream(file, writable: false), Name);
            foreach (var row in reader.ReadRows())
            {
                for (var i = 0; i < row.ColumnCount; i++)
                {
                    row.GetValue(i);
                }
            }

            return null;
        }
        catch (ParquetException e)
        {
            return e;
        }
    }

    private static void ShouldFailWith(byte[] file, string pattern)
    {
        var error = ReadFully(file);
        error.Should().NotBeNull();
        error!.Message.Should().StartWith(Name + ":").And.Match(pattern);
        error.FileName.Should().Be(Name);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(3)]
    [InlineData(11)]
    public void A_file_shorter_than_the_magic_and_footer_is_reported_as_too_short(int length) =>
        ShouldFailWith(ValidFile()[..length], "*too short*");

    [Fact]
    public void A_truncated_file_is_reported_at_any_length()
    {
        var file = ValidFile();
        foreach (var length in new[] { 12, 100, file.Length / 2, file.Length - 9, file.Length - 4, file.Length - 1 })
        {
            ReadFully(file[..length]).Should().NotBeNull($"a file cut to {length} of {file.Length} bytes is damaged");
        }
    }

    [Fact]
    public void A_bad_magic_at_the_start_is_reported() =>
        ShouldFailWith([.. "PAR2"u8, .. ValidFile()[4..]], "*bad magic at the start*");

    [Fact]
    public void A_bad_magic_at_the_end_is_reported()
    {
        var file = ValidFile();
        file[^1] = (byte)'X';
        ShouldFailWith(file, "*bad magic at the end*");
    }

    [Fact]
    public void A_footer_length_beyond_the_file_is_reported()
    {
        var file = ValidFile();
        BinaryPrimitives.WriteInt32LittleEndian(file.AsSpan(file.Length - 8), int.MaxValue);
        ShouldFailWith(file, "*footer length*larger than the file*");
    }

    [Fact]
    public void A_footer_of_thrift_garbage_is_reported_as_corrupt()
    {
        var file = ValidFile();
        var footer = new byte[200];
        new Random(1).NextBytes(footer);
        ShouldFailWith(FileSurgery.WithFooterBytes(file, footer), "*corrupt footer*");
    }

    [Fact]
    public void Random_footers_never_escape_as_other_exceptions()
    {
        var file = ValidFile();
        var real = FileSurgery.ReadFooter(file);
        var writer = new Lambda.Core.Parquet.Thrift.CompactWriter();
        Lambda.Core.Parquet.Thrift.ParquetThrift.Write(writer, real);
        var footer = writer.ToArray();
        var random = new Random(2);
        for (var i = 0; i < 2_000; i++)
        {
            var damaged = footer.ToArray();
            for (var k = random.Next(1, 4); k > 0; k--)
            {
                damaged[random.Next(damaged.Length)] = (byte)random.Next(256);
            }

            ReadFully(FileSurgery.WithFooterBytes(file, damaged));
        }
    }

    [Fact]
    public void A_column_chunk_outside_the_file_is_reported()
    {
        var file = ValidFile();
        var footer = FileSurgery.ReadFooter(file);
        footer.RowGroups[1].Columns[2].MetaData!.DataPageOffset = file.Length * 10L;

        ShouldFailWith(FileSurgery.WithFooter(file, footer), "*column 'd'*outside the data part*");
    }

    [Fact]
    public void A_page_larger_than_its_column_chunk_is_reported()
    {
        var file = ValidFile(ParquetCompression.Uncompressed, nullable: false, dictionary: false);
        var meta = FileSurgery.ReadFooter(file).RowGroups[0].Columns[0].MetaData!;

        var damaged = FileSurgery.WithPageHeader(file, meta.DataPageOffset, h => h.CompressedPageSize = 8_100); // the chunk is 8 KB

        ShouldFailWith(damaged, "*column 'n'*page declares 8100 bytes but only*remain in the column chunk*");
    }

    [Fact]
    public void A_page_whose_uncompressed_size_lies_is_reported()
    {
        var file = ValidFile(ParquetCompression.Snappy, nullable: false, dictionary: false);
        var meta = FileSurgery.ReadFooter(file).RowGroups[0].Columns[0].MetaData!;

        var damaged = FileSurgery.WithPageHeader(file, meta.DataPageOffset, h => h.UncompressedPageSize -= 8);

        ShouldFailWith(damaged, "*column 'n'*SNAPPY*");
    }

    [Fact]
    public void A_page_claiming_a_gigabyte_from_a_few_bytes_is_rejected_before_allocating()
    {
        var file = ValidFile(ParquetCompression.Gzip, nullable: false, dictionary: false);
        var meta = FileSurgery.ReadFooter(file).RowGroups[0].Columns[0].MetaData!;
        var damaged = FileSurgery.WithPageHeader(file, meta.DataPageOffset, h => h.UncompressedPageSize = 1 << 30);
        var before = GC.GetTotalAllocatedBytes(precise: true);

        ShouldFailWith(damaged, "*column 'n'*1073741824 uncompressed bytes*");
        (GC.GetTotalAllocatedBytes(precise: true) - before).Should().BeLessThan(64 << 20);
    }

    [Fact]
    public void A_page_declaring_more_values_than_its_chunk_is_reported()
    {
        var file = ValidFile(ParquetCompression.Uncompressed, nullable: false, dictionary: false);
        var meta = FileSurgery.ReadFooter(file).RowGroups[0].Columns[0].MetaData!;

        var damaged = FileSurgery.WithPageHeader(file, meta.DataPageOffset, h => h.DataPageHeader!.NumValues = 5_000);

        ShouldFailWith(damaged, "*column 'n'*5000 values*");
    }

    [Fact]
    public void A_page_declaring_more_values_than_its_data_holds_is_reported()
    {
        var file = ValidFile(ParquetCompression.Uncompressed, nullable: false, dictionary: false);
        var meta = FileSurgery.ReadFooter(file).RowGroups[0].Columns[0].MetaData!;

        var damaged = FileSurgery.WithPageHeader(file, meta.DataPageOffset, h => h.DataPageHeader!.NumValues += 10);

        ShouldFailWith(damaged, "*column 'n'*page data ends before its declared values*");
    }

    [Theory]
    [InlineData(ParquetCompression.Snappy, "*SNAPPY decompression failed*")]
    [InlineData(ParquetCompression.Gzip, "*GZIP decompression failed*")]
    public void A_page_that_does_not_decompress_is_reported(ParquetCompression compression, string pattern)
    {
        var file = ValidFile(compression, nullable: false, dictionary: false);
        var meta = FileSurgery.ReadFooter(file).RowGroups[0].Columns[2].MetaData!;
        var (offset, length) = FileSurgery.PageHeaderSpan(file, meta.DataPageOffset);
        var body = file.AsSpan(offset + length + (compression == ParquetCompression.Snappy ? 3 : 0), 200); // keep snappy's length preamble
        body.Fill(0xFF);

        ShouldFailWith(file, "*column 'd'*" + pattern.TrimStart('*'));
    }

    [Fact]
    public void A_corrupt_page_header_is_reported()
    {
        var file = ValidFile(ParquetCompression.Uncompressed);
        var meta = FileSurgery.ReadFooter(file).RowGroups[0].Columns[0].MetaData!;
        file.AsSpan((int)meta.DataPageOffset, 3).Fill(0xFF);

        ShouldFailWith(file, "*column 'n'*corrupt page header*");
    }

    [Fact]
    public void A_dictionary_index_outside_the_dictionary_is_reported()
    {
        var schema = new ParquetSchema(ParquetColumn.String("s"));
        var file = TestFiles.Write(schema, Enumerable.Range(0, 100).Select(i => new object?[] { $"v{i % 3}" }), new ParquetWriterOptions { Compression = ParquetCompression.Uncompressed });
        var meta = FileSurgery.ReadFooter(file).RowGroups[0].Columns[0].MetaData!;
        var damaged = FileSurgery.WithPageHeader(file, meta.DictionaryPageOffset!.Value, h => h.DictionaryPageHeader!.NumValues = 1);

        ShouldFailWith(damaged, "*column 's'*dictionary index*outside the dictionary of 1 values*");
    }

    [Fact]
    public void Asking_for_the_wrong_type_names_the_file_the_column_and_its_type()
    {
        using var reader = new ParquetFileReader(new MemoryStream(ValidFile()), Name);
        var row = reader.ReadRows().First();

        var read = () => row.GetDouble(0);

        read.Should().Throw<ParquetException>().WithMessage($"{Name}: column 'n' is Int64 (Int64); GetDouble cannot read it*");
        ((Action)(() => row.GetString(0))).Should().Throw<ParquetException>();
        ((Action)(() => row.GetTimestamp(0))).Should().Throw<ParquetException>();
        ((Action)(() => row.GetDate(0))).Should().Throw<ParquetException>();
        ((Action)(() => row.GetInt32(0))).Should().Throw<ParquetException>();
    }

    [Fact]
    public void Reading_a_null_through_a_typed_getter_is_reported()
    {
        using var reader = new ParquetFileReader(new MemoryStream(ValidFile()), Name);
        var row = reader.ReadRows().First(); // row 0: s and d are null

        row.IsNull(1).Should().BeTrue();
        var read = () => row.GetString(1);
        read.Should().Throw<ParquetException>().WithMessage("*column 's' is null in row 0*");
    }

    [Fact]
    public void An_unsupported_codec_is_reported_when_the_column_is_read()
    {
        var file = ValidFile();
        var footer = FileSurgery.ReadFooter(file);
        footer.RowGroups[0].Columns[1].MetaData!.Codec = 6; // ZSTD

        using var reader = new ParquetFileReader(new MemoryStream(FileSurgery.WithFooter(file, footer)), Name);
        reader.RowGroups[0].Columns[1].Compression.Should().BeNull();
        reader.RowGroups[0].Columns[1].Codec.Should().Be("ZSTD");
        reader.ReadRows(new ParquetReadOptions { Columns = ["n"] }).Should().HaveCount(3_000);
        var read = () => reader.ReadRows().Count();
        read.Should().Throw<ParquetException>().WithMessage("*column 's'*ZSTD*not support*");
    }

    [Fact]
    public void Nested_schemas_are_reported_as_unsupported()
    {
        var file = ValidFile();
        var footer = FileSurgery.ReadFooter(file);
        footer.Schema[0].NumChildren = 2;
        footer.Schema[1] = new Lambda.Core.Parquet.Thrift.SchemaElement { Name = "group", NumChildren = 1, RepetitionType = 1 };

        ShouldFailWith(FileSurgery.WithFooter(file, footer), "*nested*");
    }

    [Fact]
    public void Row_counts_that_disagree_are_reported()
    {
        var file = ValidFile();
        var footer = FileSurgery.ReadFooter(file);
        footer.NumRows = 10;

        ShouldFailWith(FileSurgery.WithFooter(file, footer), "*3000 rows*10*");
    }

    [Fact]
    public void Random_damage_anywhere_ends_in_a_parquet_exception_or_a_result_within_bounded_time()
    {
        var files = new[]
        {
            ValidFile(ParquetCompression.Uncompressed), ValidFile(ParquetCompression.Snappy), ValidFile(ParquetCompression.Gzip),
            ValidFile(ParquetCompression.Uncompressed, nullable: false, dictionary: false),
        };
        var random = new Random(3);
        var clock = Stopwatch.StartNew();
        for (var i = 0; i < 1_500; i++)
        {
            var file = files[i % files.Length].ToArray();
            for (var k = random.Next(1, 6); k > 0; k--)
            {
                file[random.Next(4, file.Length - 8)] = (byte)random.Next(256);
            }

            ReadFully(file); // anything but a ParquetException fails the test
        }

        clock.Elapsed.Should().BeLessThan(TimeSpan.FromSeconds(60));
    }

    [Fact]
    public void A_stream_that_cannot_seek_is_refused_with_a_parquet_exception()
    {
        var create = () => new ParquetFileReader(new NonSeekable(ValidFile()), Name);
        create.Should().Throw<ParquetException>().WithMessage($"{Name}: *seekable*");
    }

    private sealed class NonSeekable(byte[] data) : MemoryStream(data)
    {
        public override bool CanSeek => false;
    }
}
