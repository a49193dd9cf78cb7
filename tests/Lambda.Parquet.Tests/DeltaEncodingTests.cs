using System.Buffers.Binary;
using Lambda.Core.Parquet.Encodings;

namespace Lambda.Parquet.Tests;

public class DeltaEncodingTests
{
    /// <summary>A DELTA_BINARY_PACKED stream: block of 128 values in 4 miniblocks of 32, every miniblock 8 bits wide.</summary>
    private static byte[] BinaryPacked(long[] values)
    {
        var bytes = new List<byte>();
        void Uleb(ulong v)
        {
            while (v >= 0x80)
            {
                bytes.Add((byte)(v | 0x80));
                v >>= 7;
            }

            bytes.Add((byte)v);
        }

        void ZigZag(long v) => Uleb((ulong)((v << 1) ^ (v >> 63)));

        Uleb(128);
        Uleb(4);
        Uleb((ulong)values.Length);
        ZigZag(values.Length == 0 ? 0 : values[0]);
        for (var start = 1; start < values.Length; start += 128)
        {
            var deltas = values.Skip(start).Take(128).Select((v, i) => v - values[start + i - 1]).ToArray();
            var min = deltas.Min();
            ZigZag(min);
            bytes.AddRange([8, 8, 8, 8]);
            var miniblocks = (deltas.Length + 31) / 32;
            for (var m = 0; m < miniblocks; m++)
            {
                for (var i = 0; i < 32; i++)
                {
                    var k = m * 32 + i;
                    bytes.Add(k < deltas.Length ? (byte)(deltas[k] - min) : (byte)0);
                }
            }
        }

        return [.. bytes];
    }

    [Fact]
    public void Delta_binary_packed_follows_the_spec_example()
    {
        // Encodings.md example 2 (7, 5, 3, 1, 2, 3, 4, 5) with a valid block size: deltas -2 -2 -2 1 1 1 1, min -2, 2 bits
        byte[] data = [0x80, 0x01, 4, 8, 14, 3, 2, 0, 0, 0, 0xC0, 0x3F, 0, 0, 0, 0, 0, 0];
        long[] values = [];

        var consumed = DeltaEncodings.DecodeBinaryPacked(data, 100, ref values, out var count);

        values.Take(count).Should().Equal(7, 5, 3, 1, 2, 3, 4, 5);
        consumed.Should().Be(data.Length);
    }

    [Fact]
    public void Delta_binary_packed_round_trips_over_several_blocks()
    {
        var random = new Random(1);
        var expected = Enumerable.Range(0, 1_000).Select(i => 1_000_000L + i * 7 + random.Next(0, 100)).ToArray();
        long[] values = [];

        DeltaEncodings.DecodeBinaryPacked(BinaryPacked(expected), 10_000, ref values, out var count);

        values.Take(count).Should().Equal(expected);
    }

    [Fact]
    public void Delta_length_byte_array_becomes_plain()
    {
        var data = BinaryPacked([3, 0, 2]).Concat("abcde"u8.ToArray()).ToArray();
        var output = new ByteBuffer();
        long[] scratch = [];

        DeltaEncodings.LengthByteArrayToPlain(data, 10, 1 << 20, ref scratch, output, out var count);

        count.Should().Be(3);
        output.WrittenSpan.ToArray().Should().Equal(3, 0, 0, 0, (byte)'a', (byte)'b', (byte)'c', 0, 0, 0, 0, 2, 0, 0, 0, (byte)'d', (byte)'e');
    }

    [Fact]
    public void Delta_byte_array_rebuilds_values_from_shared_prefixes()
    {
        var data = BinaryPacked([0, 3, 4]).Concat(BinaryPacked([5, 1, 3])).Concat("hellopful"u8.ToArray()).ToArray();
        var output = new ByteBuffer();
        long[] a = [], b = [];

        DeltaEncodings.ByteArrayToPlain(data, 10, 1 << 20, ref a, ref b, output, out var count);

        count.Should().Be(3);
        var plain = output.WrittenSpan.ToArray();
        var strings = new List<string>();
        for (var position = 0; position < plain.Length;)
        {
            var length = BinaryPrimitives.ReadInt32LittleEndian(plain.AsSpan(position));
            strings.Add(System.Text.Encoding.UTF8.GetString(plain, position + 4, length));
            position += 4 + length;
        }

        strings.Should().Equal("hello", "help", "helpful");
    }

    [Fact]
    public void Byte_stream_split_interleaves_the_streams_back()
    {
        float[] values = [1.5f, -2.25f, 1e30f];
        var plain = values.SelectMany(BitConverter.GetBytes).ToArray();
        var split = Enumerable.Range(0, 4).SelectMany(k => Enumerable.Range(0, values.Length).Select(i => plain[i * 4 + k])).ToArray();
        var output = new ByteBuffer();

        DeltaEncodings.ByteStreamSplitToPlain(split, 4, output, out var count);

        count.Should().Be(3);
        output.WrittenSpan.ToArray().Should().Equal(plain);
    }

    [Fact]
    public void Damaged_delta_data_is_rejected()
    {
        long[] values = [];
        var tooMany = () => DeltaEncodings.DecodeBinaryPacked(BinaryPacked([1, 2, 3]), 2, ref values, out _);
        var badHeader = () => DeltaEncodings.DecodeBinaryPacked([0x07, 4, 3, 2], 10, ref values, out _);
        var cut = () => DeltaEncodings.DecodeBinaryPacked(BinaryPacked([1, 2, 3, 4])[..8], 10, ref values, out _);

        tooMany.Should().Throw<InvalidDataException>();
        badHeader.Should().Throw<InvalidDataException>();
        cut.Should().Throw<InvalidDataException>();
    }
}
