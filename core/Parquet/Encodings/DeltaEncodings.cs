using System.Buffers.Binary;

namespace Lambda.Core.Parquet.Encodings;

/// <summary>
/// Read-side decoders for the encodings newer writers use in v2 files (DuckDB's PARQUET_VERSION V2, Arrow):
/// DELTA_BINARY_PACKED, DELTA_LENGTH_BYTE_ARRAY, DELTA_BYTE_ARRAY and BYTE_STREAM_SPLIT. Each turns a
/// page's values into their PLAIN layout, so the rest of the reader stays the same. Damaged data throws
/// <see cref="InvalidDataException"/>; sizes are checked against <c>maxBytes</c> before allocating.
/// </summary>
internal static class DeltaEncodings
{
    /// <summary>Decodes DELTA_BINARY_PACKED integers; returns the bytes consumed.</summary>
    public static int DecodeBinaryPacked(ReadOnlySpan<byte> data, long maxValues, ref long[] values, out int count)
    {
        var position = 0;
        var blockSize = ReadUleb(data, ref position);
        var miniblocks = ReadUleb(data, ref position);
        var total = ReadUleb(data, ref position);
        var first = ZigZag(ReadUleb(data, ref position));
        if (blockSize == 0 || blockSize % 128 != 0 || miniblocks == 0 || blockSize % miniblocks != 0 || (blockSize / miniblocks) % 32 != 0 || blockSize > 1 << 20)
        {
            throw new InvalidDataException($"DELTA_BINARY_PACKED header is invalid (block {blockSize}, miniblocks {miniblocks})");
        }

        if (total > (ulong)maxValues)
        {
            throw new InvalidDataException($"DELTA_BINARY_PACKED declares {total} values, more than the page's {maxValues}");
        }

        count = (int)total;
        if (values.Length < count)
        {
            values = new long[count];
        }

        if (count == 0)
        {
            return position;
        }

        var perMiniblock = (int)(blockSize / miniblocks);
        var widths = new byte[miniblocks];
        var previous = (ulong)first;
        values[0] = first;
        var produced = 1;
        while (produced < count)
        {
            var minDelta = (ulong)ZigZag(ReadUleb(data, ref position));
            if (data.Length - position < (int)miniblocks)
            {
                throw new InvalidDataException("DELTA_BINARY_PACKED block header cut short");
            }

            data.Slice(position, (int)miniblocks).CopyTo(widths);
            position += (int)miniblocks;
            for (var m = 0; m < (int)miniblocks && produced < count; m++)
            {
                var width = widths[m];
                if (width > 64)
                {
                    throw new InvalidDataException($"DELTA_BINARY_PACKED bit width {width} is over 64");
                }

                var bytes = perMiniblock * width / 8;
                if (data.Length - position < bytes)
                {
                    throw new InvalidDataException("DELTA_BINARY_PACKED miniblock cut short");
                }

                var block = data.Slice(position, bytes);
                var take = Math.Min(perMiniblock, count - produced);
                for (var i = 0; i < take; i++)
                {
                    previous += minDelta + ReadBits(block, (long)i * width, width);
                    values[produced++] = (long)previous;
                }

                position += bytes;
            }
        }

        return position;
    }

    /// <summary>Decodes DELTA_BINARY_PACKED into PLAIN little-endian INT32 or INT64 values.</summary>
    public static int BinaryPackedToPlain(ReadOnlySpan<byte> data, int width, long maxValues, ref long[] scratch, ByteBuffer output, out int count)
    {
        var consumed = DecodeBinaryPacked(data, maxValues, ref scratch, out count);
        var span = output.GetSpan(count * width);
        for (var i = 0; i < count; i++)
        {
            if (width == 4)
            {
                BinaryPrimitives.WriteInt32LittleEndian(span[(i * 4)..], (int)scratch[i]);
            }
            else
            {
                BinaryPrimitives.WriteInt64LittleEndian(span[(i * 8)..], scratch[i]);
            }
        }

        output.Advance(count * width);
        return consumed;
    }

    /// <summary>DELTA_LENGTH_BYTE_ARRAY: lengths (delta-packed), then the bytes, into PLAIN (4-byte length + bytes).</summary>
    public static void LengthByteArrayToPlain(ReadOnlySpan<byte> data, long maxValues, long maxBytes, ref long[] scratch, ByteBuffer output, out int count)
    {
        var position = DecodeBinaryPacked(data, maxValues, ref scratch, out count);
        long total = 0;
        for (var i = 0; i < count; i++)
        {
            if (scratch[i] < 0)
            {
                throw new InvalidDataException($"DELTA_LENGTH_BYTE_ARRAY length {scratch[i]} is negative");
            }

            total += scratch[i];
        }

        if (total > data.Length - position || total + 4L * count > maxBytes)
        {
            throw new InvalidDataException($"DELTA_LENGTH_BYTE_ARRAY lengths add up to {total} bytes, more than the page holds");
        }

        for (var i = 0; i < count; i++)
        {
            var length = (int)scratch[i];
            output.WriteInt32(length);
            output.Write(data.Slice(position, length));
            position += length;
        }
    }

    /// <summary>DELTA_BYTE_ARRAY: prefix lengths, suffix lengths, suffixes; each value shares a prefix with the one before.</summary>
    public static void ByteArrayToPlain(ReadOnlySpan<byte> data, long maxValues, long maxBytes, ref long[] scratch, ref long[] scratch2, ByteBuffer output, out int count)
    {
        var position = DecodeBinaryPacked(data, maxValues, ref scratch, out var prefixes);
        position += DecodeBinaryPacked(data[position..], maxValues, ref scratch2, out var suffixes);
        if (prefixes != suffixes)
        {
            throw new InvalidDataException($"DELTA_BYTE_ARRAY has {prefixes} prefix lengths but {suffixes} suffix lengths");
        }

        count = prefixes;
        var previousStart = -1;
        var previousLength = 0;
        for (var i = 0; i < count; i++)
        {
            var prefix = scratch[i];
            var suffix = scratch2[i];
            if (prefix < 0 || suffix < 0 || prefix > previousLength || suffix > data.Length - position)
            {
                throw new InvalidDataException("DELTA_BYTE_ARRAY lengths do not fit the data");
            }

            var length = (int)(prefix + suffix);
            if ((long)output.Length + 4 + length > maxBytes)
            {
                throw new InvalidDataException("DELTA_BYTE_ARRAY values grow larger than the file allows");
            }

            output.WriteInt32(length);
            var start = output.Length;
            var span = output.GetSpan(length);
            if (prefix > 0)
            {
                output.Array.AsSpan(previousStart, (int)prefix).CopyTo(span);
            }

            data.Slice(position, (int)suffix).CopyTo(span[(int)prefix..]);
            output.Advance(length);
            position += (int)suffix;
            previousStart = start;
            previousLength = length;
        }
    }

    /// <summary>BYTE_STREAM_SPLIT: byte k of every value is in stream k; back to PLAIN.</summary>
    public static void ByteStreamSplitToPlain(ReadOnlySpan<byte> data, int width, ByteBuffer output, out int count)
    {
        if (width <= 0 || data.Length % width != 0)
        {
            throw new InvalidDataException($"BYTE_STREAM_SPLIT data of {data.Length} bytes is not a multiple of {width}");
        }

        count = data.Length / width;
        var span = output.GetSpan(data.Length);
        for (var k = 0; k < width; k++)
        {
            var stream = data.Slice(k * count, count);
            for (var i = 0; i < count; i++)
            {
                span[i * width + k] = stream[i];
            }
        }

        output.Advance(data.Length);
    }

    private static ulong ReadBits(ReadOnlySpan<byte> data, long bitOffset, int width)
    {
        if (width == 0)
        {
            return 0;
        }

        var byteIndex = (int)(bitOffset >> 3);
        var shift = (int)(bitOffset & 7);
        ulong result = 0;
        var bits = 0;
        for (var k = 0; bits < width && byteIndex + k < data.Length; k++)
        {
            var b = (ulong)data[byteIndex + k];
            if (bits == 0)
            {
                result = b >> shift;
                bits = 8 - shift;
            }
            else
            {
                result |= bits < 64 ? b << bits : 0;
                bits += 8;
            }
        }

        return width == 64 ? result : result & ((1UL << width) - 1);
    }

    private static ulong ReadUleb(ReadOnlySpan<byte> data, ref int position)
    {
        ulong result = 0;
        for (var shift = 0; shift < 70; shift += 7)
        {
            if (position >= data.Length)
            {
                throw new InvalidDataException("varint cut short");
            }

            var b = data[position++];
            result |= (ulong)(b & 0x7F) << shift;
            if ((b & 0x80) == 0)
            {
                return result;
            }
        }

        throw new InvalidDataException("varint too long");
    }

    private static long ZigZag(ulong value) => (long)(value >> 1) ^ -(long)(value & 1);
}
