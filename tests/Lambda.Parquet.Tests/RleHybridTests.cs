using Lambda.Core.Parquet.Encodings;

namespace Lambda.Parquet.Tests;

public class RleHybridTests
{
    private static byte[] Encode(int[] values, int bitWidth)
    {
        var buffer = new ByteBuffer();
        RleHybridEncoder.Encode<int>(values, bitWidth, buffer);
        return buffer.WrittenSpan.ToArray();
    }

    private static int[] Decode(byte[] data, int bitWidth, int count)
    {
        var decoder = new RleHybridDecoder();
        decoder.Reset(data, 0, data.Length, bitWidth);
        var values = new int[count];
        decoder.Read(values).Should().Be(count);
        return values;
    }

    [Fact]
    public void Bit_packing_follows_the_spec_example_for_0_to_7_in_3_bits()
    {
        // Encodings.md: 0..7 with bit width 3 pack to 10001000 11000110 11111010; header = 1 group << 1 | 1
        var encoded = Encode([0, 1, 2, 3, 4, 5, 6, 7], 3);

        encoded.Should().Equal(0x03, 0b10001000, 0b11000110, 0b11111010);
        Decode(encoded, 3, 8).Should().Equal(0, 1, 2, 3, 4, 5, 6, 7);
    }

    [Fact]
    public void A_run_of_equal_values_becomes_an_rle_run()
    {
        // 100 ones in 1 bit: header varint(100 << 1) = C8 01, value in one byte
        var encoded = Encode(Enumerable.Repeat(1, 100).ToArray(), 1);

        encoded.Should().Equal(0xC8, 0x01, 0x01);
        Decode(encoded, 1, 100).Should().OnlyContain(v => v == 1);
    }

    [Fact]
    public void Rle_values_take_the_bit_width_rounded_up_to_bytes()
    {
        var encoded = Encode(Enumerable.Repeat(0x12345, 10).ToArray(), 17);
        encoded.Should().Equal(0x14, 0x45, 0x23, 0x01);
    }

    [Fact]
    public void A_short_last_group_is_padded_to_eight_values()
    {
        var encoded = Encode([1, 0, 1], 1);

        encoded.Should().Equal(0x03, 0b00000101);
        Decode(encoded, 1, 3).Should().Equal(1, 0, 1);
    }

    [Fact]
    public void Bit_packed_values_before_a_run_borrow_from_it_to_fill_their_group()
    {
        int[] values = [1, 2, 3, .. Enumerable.Repeat(5, 20)];
        var encoded = Encode(values, 3);

        // 8 values bit-packed (1, 2, 3 and five 5s), then an RLE run of the other fifteen 5s
        encoded[0].Should().Be(0x03);
        encoded.Skip(4).Should().Equal(0x1E, 0x05);
        Decode(encoded, 3, values.Length).Should().Equal(values);
    }

    [Fact]
    public void The_length_prefixed_form_starts_with_four_little_endian_bytes()
    {
        var buffer = new ByteBuffer();
        RleHybridEncoder.EncodeWithLength<byte>([1, 1, 1, 1, 1, 1, 1, 1, 1, 1], 1, buffer);

        buffer.WrittenSpan.ToArray().Should().Equal(2, 0, 0, 0, 0x14, 0x01);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(5)]
    [InlineData(8)]
    [InlineData(13)]
    [InlineData(16)]
    [InlineData(24)]
    [InlineData(31)]
    [InlineData(32)]
    public void Random_runs_and_noise_round_trip_at_every_bit_width(int bitWidth)
    {
        var random = new Random(bitWidth);
        var max = bitWidth == 0 ? 0 : bitWidth == 32 ? -1 : (1 << bitWidth) - 1;
        var values = new List<int>();
        while (values.Count < 10_000)
        {
            var value = bitWidth == 32 ? random.Next(int.MinValue, int.MaxValue) : (int)random.NextInt64(0, (long)max + 1);
            var repeat = random.Next(4) == 0 ? random.Next(1, 50) : 1;
            values.AddRange(Enumerable.Repeat(value, repeat));
        }

        var encoded = Encode([.. values], bitWidth);

        Decode(encoded, bitWidth, values.Count).Should().Equal(values);
    }

    [Fact]
    public void Decoding_in_small_batches_gives_the_same_values()
    {
        var random = new Random(3);
        var values = Enumerable.Range(0, 5_000).Select(i => i % 300 < 100 ? 7 : random.Next(0, 64)).ToArray();
        var encoded = Encode(values, 6);
        var decoder = new RleHybridDecoder();
        decoder.Reset(encoded, 0, encoded.Length, 6);
        var result = new List<int>();
        var batch = new int[13];
        int read;
        while ((read = decoder.Read(batch)) > 0)
        {
            result.AddRange(batch.Take(read));
        }

        result.Take(values.Length).Should().Equal(values);
    }

    [Fact]
    public void A_header_claiming_billions_of_values_costs_no_memory()
    {
        // an RLE run of 2^31 - 1 zeros in a 6-byte stream: the decoder hands out only what is asked for
        byte[] data = [0xFE, 0xFF, 0xFF, 0xFF, 0x0F, 0x00];
        var decoder = new RleHybridDecoder();
        decoder.Reset(data, 0, data.Length, 1);
        var batch = new int[1024];
        decoder.Read(batch).Should().Be(1024);
    }

    [Fact]
    public void Truncated_data_ends_the_values_early_or_throws_invalid_data()
    {
        var encoded = Encode(Enumerable.Range(0, 64).Select(i => i % 16).ToArray(), 4);
        for (var length = 0; length < encoded.Length; length++)
        {
            var decoder = new RleHybridDecoder();
            decoder.Reset(encoded, 0, length, 4);
            var values = new int[64];
            try
            {
                decoder.Read(values).Should().BeLessThan(64);
            }
            catch (InvalidDataException)
            {
            }
        }
    }

    [Fact]
    public void Bit_widths_are_the_bits_needed_for_the_largest_value()
    {
        RleHybridEncoder.BitWidth(0).Should().Be(0);
        RleHybridEncoder.BitWidth(1).Should().Be(1);
        RleHybridEncoder.BitWidth(2).Should().Be(2);
        RleHybridEncoder.BitWidth(255).Should().Be(8);
        RleHybridEncoder.BitWidth(256).Should().Be(9);
        RleHybridEncoder.BitWidth(int.MaxValue).Should().Be(31);
    }
}

public class SnappyDecoderTests
{
    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(100)]
    [InlineData(70_000)]
    [InlineData(1 << 20)]
    public void It_decodes_what_IronSnappy_encodes(int size)
    {
        var random = new Random(size);
        var data = new byte[size];
        for (var i = 0; i < size; i++)
        {
            // runs, repeats at short and long distances, and noise
            data[i] = i % 1000 < 300 ? (byte)(i % 7) : i % 1000 < 600 && i > 5_000 ? data[i - 4_321] : (byte)random.Next(256);
        }

        var encoded = IronSnappy.Snappy.Encode(data);
        var decoded = new byte[size];
        Lambda.Core.Parquet.Encodings.SnappyDecoder.Decode(encoded, decoded);

        decoded.Should().Equal(data);
    }

    [Fact]
    public void Every_element_kind_decodes()
    {
        // length 12; literal "abcd" (tag 3 << 2); copy-1 of 4 at offset 4 (tag 0x01); copy-2 of 4 at offset 8 (tag (3 << 2) | 2)
        byte[] block = [12, 3 << 2, (byte)'a', (byte)'b', (byte)'c', (byte)'d', 0x01, 4, (3 << 2) | 2, 8, 0];
        var output = new byte[12];

        Lambda.Core.Parquet.Encodings.SnappyDecoder.Decode(block, output);

        output.Should().Equal("abcdabcdabcd"u8.ToArray());
    }

    [Fact]
    public void Damaged_blocks_are_rejected_without_reading_or_writing_out_of_range()
    {
        var data = Enumerable.Range(0, 5_000).Select(i => (byte)(i % 97)).ToArray();
        var encoded = IronSnappy.Snappy.Encode(data);
        var random = new Random(4);
        for (var i = 0; i < 3_000; i++)
        {
            var damaged = encoded.ToArray();
            damaged[random.Next(damaged.Length)] = (byte)random.Next(256);
            var length = random.Next(2) == 0 ? damaged.Length : random.Next(damaged.Length);
            try
            {
                Lambda.Core.Parquet.Encodings.SnappyDecoder.Decode(damaged.AsSpan(0, length), new byte[data.Length]);
            }
            catch (InvalidDataException)
            {
            }
        }
    }
}
