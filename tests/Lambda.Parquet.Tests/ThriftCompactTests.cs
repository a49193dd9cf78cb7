using Lambda.Core.Parquet.Thrift;

namespace Lambda.Parquet.Tests;

public class ThriftCompactTests
{
    private static byte[] Bytes(Action<CompactWriter> write)
    {
        var w = new CompactWriter();
        write(w);
        return w.ToArray();
    }

    [Fact]
    public void Short_field_headers_pack_the_id_delta_and_type_in_one_byte()
    {
        var bytes = Bytes(w =>
        {
            w.StructBegin();
            w.I32Field(1, 0);
            w.I32Field(2, 100);
            w.I32Field(3, -1);
            w.StructEnd();
        });

        // 0x15 = delta 1, type I32 (5); zigzag(100) = 200 = C8 01; zigzag(-1) = 1; 00 = stop
        bytes.Should().Equal(0x15, 0x00, 0x15, 0xC8, 0x01, 0x15, 0x01, 0x00);
    }

    [Fact]
    public void Field_ids_more_than_15_apart_use_the_long_header_with_a_zigzag_id()
    {
        var bytes = Bytes(w =>
        {
            w.StructBegin();
            w.I64Field(1, -2);
            w.I32Field(20, 7);
            w.StructEnd();
        });

        // 0x16 = delta 1, I64; zigzag(-2) = 3; 0x05 = long form I32, zigzag(20) = 40 = 0x28; zigzag(7) = 14
        bytes.Should().Equal(0x16, 0x03, 0x05, 0x28, 0x0E, 0x00);
    }

    [Fact]
    public void Boolean_fields_carry_their_value_in_the_type_nibble()
    {
        var bytes = Bytes(w =>
        {
            w.StructBegin();
            w.BoolField(1, true);
            w.BoolField(2, false);
            w.StructEnd();
        });

        bytes.Should().Equal(0x11, 0x12, 0x00);
        var r = new CompactReader(bytes);
        r.StructBegin();
        r.ReadFieldHeader(out var type, out var id).Should().BeTrue();
        (id, CompactReader.BooleanFromFieldType(type)).Should().Be(((short)1, true));
        r.ReadFieldHeader(out type, out id).Should().BeTrue();
        (id, CompactReader.BooleanFromFieldType(type)).Should().Be(((short)2, false));
        r.ReadFieldHeader(out _, out _).Should().BeFalse();
    }

    [Fact]
    public void List_headers_hold_small_sizes_in_the_high_nibble_and_large_sizes_in_a_varint()
    {
        Bytes(w => w.ListHeader(CompactType.I32, 3)).Should().Equal(0x35);
        Bytes(w => w.ListHeader(CompactType.Struct, 20)).Should().Equal(0xFC, 0x14);
        Bytes(w => w.WriteBinary("abc"u8)).Should().Equal(0x03, 0x61, 0x62, 0x63);
    }

    [Fact]
    public void Varints_follow_the_spec_example()
    {
        // 50399 = 0xDF 0x89 0x03 as an unsigned varint: here as the length of a binary value
        var bytes = Bytes(w => w.WriteBinary(new byte[50399]));
        bytes.Take(3).Should().Equal(0xDF, 0x89, 0x03);
        new CompactReader(bytes).ReadBinary().Should().HaveCount(50399);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(-1)]
    [InlineData(int.MaxValue)]
    [InlineData(int.MinValue)]
    public void I32_values_round_trip(int value)
    {
        var bytes = Bytes(w => w.WriteI32(value));
        new CompactReader(bytes).ReadI32().Should().Be(value);
    }

    [Theory]
    [InlineData(0L)]
    [InlineData(-1L)]
    [InlineData(long.MaxValue)]
    [InlineData(long.MinValue)]
    public void I64_values_round_trip(long value)
    {
        var bytes = Bytes(w => w.WriteI64(value));
        new CompactReader(bytes).ReadI64().Should().Be(value);
    }

    [Fact]
    public void Unknown_fields_of_every_type_are_skipped()
    {
        var bytes = Bytes(w =>
        {
            w.StructBegin();
            w.StringField(1, "key");
            w.FieldHeader(CompactType.Double, 3);
            w.WriteDouble(1.5);
            w.StructField(4);
            w.ListField(1, CompactType.Struct, 2);
            w.StructBegin();
            w.BoolField(1, true);
            w.StructEnd();
            w.StructBegin();
            w.StructEnd();
            w.StructEnd();
            w.FieldHeader(CompactType.Map, 5);
            w.WriteByte(2); // two entries
            w.WriteByte((CompactType.Binary << 4) | CompactType.I64);
            w.WriteBinary("a"u8);
            w.WriteI64(1);
            w.WriteBinary("b"u8);
            w.WriteI64(2);
            w.ListField(6, CompactType.BooleanTrue, 3);
            w.WriteBoolElement(true);
            w.WriteBoolElement(false);
            w.WriteBoolElement(true);
            w.ByteField(7, 5);
            w.StringField(2, "value"); // known field after unknown ones, with a backwards delta
            w.StructEnd();
        });

        var kv = ParquetThrift.ReadKeyValue(new CompactReader(bytes));

        kv.Key.Should().Be("key");
        kv.Value.Should().Be("value");
    }

    [Fact]
    public void File_metadata_round_trips_with_every_structure()
    {
        var meta = new FileMetaData
        {
            Version = 1,
            NumRows = 5,
            CreatedBy = "test",
            Schema =
            [
                new SchemaElement { Name = "schema", NumChildren = 2 },
                new SchemaElement
                {
                    Name = "t", Type = PhysicalType.Int64, RepetitionType = Repetition.Optional, ConvertedType = ConvertedType.TimestampMicros,
                    LogicalType = new LogicalTypeInfo { Kind = LogicalTypeInfo.TimestampKind, IsAdjustedToUtc = true, Unit = LogicalTypeInfo.Micros },
                },
                new SchemaElement { Name = "s", Type = PhysicalType.ByteArray, RepetitionType = Repetition.Required, ConvertedType = ConvertedType.Utf8, LogicalType = new LogicalTypeInfo { Kind = LogicalTypeInfo.StringKind } },
            ],
            RowGroups =
            [
                new RowGroup
                {
                    NumRows = 5, TotalByteSize = 100, FileOffset = 4, TotalCompressedSize = 90, Ordinal = 0,
                    Columns =
                    [
                        new ColumnChunk
                        {
                            FileOffset = 4,
                            MetaData = new ColumnMetaData
                            {
                                Type = PhysicalType.Int64, Encodings = [0, 3, 8], PathInSchema = ["t"], Codec = CodecId.Snappy, NumValues = 5,
                                TotalUncompressedSize = 60, TotalCompressedSize = 50, DataPageOffset = 20, DictionaryPageOffset = 4,
                                Statistics = new Statistics { Min = [1], Max = [2], MinValue = [3], MaxValue = [4], NullCount = 1, DistinctCount = 3, IsMaxValueExact = true, IsMinValueExact = false },
                                KeyValueMetadata = [new KeyValue { Key = "k" }],
                            },
                        },
                    ],
                },
            ],
            KeyValueMetadata = [new KeyValue { Key = "a", Value = "b" }],
            ColumnOrders = [1, 1],
        };
        var w = new CompactWriter();
        ParquetThrift.Write(w, meta);

        var read = ParquetThrift.ReadFileMetaData(new CompactReader(w.ToArray()));

        read.Should().BeEquivalentTo(meta);
    }

    [Fact]
    public void Page_headers_round_trip_for_v1_v2_and_dictionary_pages()
    {
        var headers = new[]
        {
            new PageHeader { Type = PageTypeId.DataPage, UncompressedPageSize = 10, CompressedPageSize = 8, Crc = 7, DataPageHeader = new DataPageHeader { NumValues = 3, Encoding = 8, DefinitionLevelEncoding = 3, RepetitionLevelEncoding = 3, Statistics = new Statistics { NullCount = 0 } } },
            new PageHeader { Type = PageTypeId.DictionaryPage, UncompressedPageSize = 10, CompressedPageSize = 10, DictionaryPageHeader = new DictionaryPageHeader { NumValues = 2, Encoding = 0, IsSorted = false } },
            new PageHeader { Type = PageTypeId.DataPageV2, UncompressedPageSize = 10, CompressedPageSize = 9, DataPageHeaderV2 = new DataPageHeaderV2 { NumValues = 4, NumNulls = 1, NumRows = 4, Encoding = 0, DefinitionLevelsByteLength = 2, RepetitionLevelsByteLength = 0, IsCompressed = false } },
        };
        foreach (var header in headers)
        {
            var w = new CompactWriter();
            ParquetThrift.Write(w, header);
            ParquetThrift.ReadPageHeader(new CompactReader(w.ToArray())).Should().BeEquivalentTo(header);
        }
    }

    [Fact]
    public void A_missing_required_field_is_an_error()
    {
        var bytes = Bytes(w =>
        {
            w.StructBegin();
            w.I32Field(1, 0);
            w.StructEnd();
        });

        var read = () => ParquetThrift.ReadPageHeader(new CompactReader(bytes));

        read.Should().Throw<ThriftException>().WithMessage("*uncompressed_page_size*");
    }

    [Fact]
    public void Truncated_input_is_an_error_not_an_out_of_range_read()
    {
        var w = new CompactWriter();
        ParquetThrift.Write(w, new PageHeader { Type = 0, UncompressedPageSize = 1000, CompressedPageSize = 1000, DataPageHeader = new DataPageHeader { NumValues = 1 } });
        var bytes = w.ToArray();
        for (var length = 0; length < bytes.Length; length++)
        {
            var read = () => ParquetThrift.ReadPageHeader(new CompactReader(bytes, 0, length));
            read.Should().Throw<ThriftException>();
        }
    }

    [Fact]
    public void A_list_longer_than_the_remaining_bytes_is_rejected_before_allocating()
    {
        byte[] bytes = [0x19, 0xFC, 0xFF, 0xFF, 0xFF, 0xFF, 0x07]; // field 1: list of 2^31-1 structs, then nothing
        var read = () => ParquetThrift.ReadFileMetaData(new CompactReader(bytes));
        read.Should().Throw<ThriftException>().WithMessage("*list of*");
    }

    [Fact]
    public void A_binary_longer_than_the_remaining_bytes_is_rejected()
    {
        byte[] bytes = [0x18, 0xFF, 0xFF, 0xFF, 0xFF, 0x07, 0x61]; // field 1: binary of 2^31-1 bytes
        var read = () => ParquetThrift.ReadKeyValue(new CompactReader(bytes));
        read.Should().Throw<ThriftException>().WithMessage("*binary of*");
    }

    [Fact]
    public void Deeply_nested_structures_are_rejected()
    {
        var bytes = Enumerable.Repeat((byte)0x1C, 10_000).ToArray(); // struct field 1 inside struct field 1 ...
        var read = () => ParquetThrift.ReadKeyValue(new CompactReader(bytes));
        read.Should().Throw<ThriftException>().WithMessage("*nested*");
    }

    [Fact]
    public void Random_garbage_never_escapes_as_anything_but_a_thrift_error()
    {
        var random = new Random(7);
        for (var i = 0; i < 5_000; i++)
        {
            var bytes = new byte[random.Next(0, 200)];
            random.NextBytes(bytes);
            try
            {
                ParquetThrift.ReadFileMetaData(new CompactReader(bytes));
            }
            catch (ThriftException)
            {
            }
        }
    }
}
