using System.Buffers.Binary;
using System.Numerics;
using System.Runtime.CompilerServices;

namespace Lambda.Core.Parquet.Encodings;

/// <summary>
/// The RLE / bit-packing hybrid of Encodings.md: runs of at least 8 equal values become RLE runs
/// (varint(count &lt;&lt; 1), then the value in ceil(bitWidth / 8) little-endian bytes), everything else is
/// bit-packed in groups of 8 values (varint(groups &lt;&lt; 1 | 1), then the values packed LSB first).
/// Used for definition levels, dictionary indices and RLE booleans.
/// </summary>
internal static class RleHybridEncoder
{
    /// <summary>The bits needed to store values up to <paramref name="maxValue"/> (0 for 0).</summary>
    public static int BitWidth(int maxValue) => maxValue <= 0 ? 0 : 32 - BitOperations.LeadingZeroCount((uint)maxValue);

    /// <summary>Appends the encoded data (without a length prefix) for <paramref name="values"/>.</summary>
    public static void Encode<T>(ReadOnlySpan<T> values, int bitWidth, ByteBuffer output)
        where T : unmanaged, IBinaryInteger<T>
    {
        if (bitWidth is < 0 or > 32)
        {
            throw new ArgumentOutOfRangeException(nameof(bitWidth));
        }

        var n = values.Length;
        var i = 0;
        var packStart = -1;
        while (i < n)
        {
            var value = values[i];
            var j = i + 1;
            while (j < n && values[j] == value)
            {
                j++;
            }

            var run = j - i;
            if (run >= 8)
            {
                if (packStart >= 0)
                {
                    // A bit-packed run holds a multiple of 8 values: borrow the first values of this run to fill it.
                    var pending = i - packStart;
                    var pad = (8 - (pending & 7)) & 7;
                    if (run - pad < 8)
                    {
                        i = j; // too short after borrowing: the whole run joins the bit-packed values
                        continue;
                    }

                    i += pad;
                    run -= pad;
                    WriteBitPacked(values.Slice(packStart, i - packStart), bitWidth, output);
                    packStart = -1;
                }

                WriteRle(int.CreateTruncating(value), run, bitWidth, output);
            }
            else if (packStart < 0)
            {
                packStart = i;
            }

            i = j;
        }

        if (packStart >= 0)
        {
            WriteBitPacked(values[packStart..], bitWidth, output);
        }
    }

    /// <summary>Encodes with the 4-byte little-endian length prefix used for levels and booleans in data page v1.</summary>
    public static void EncodeWithLength<T>(ReadOnlySpan<T> values, int bitWidth, ByteBuffer output)
        where T : unmanaged, IBinaryInteger<T>
    {
        var start = output.Length;
        output.WriteInt32(0);
        Encode(values, bitWidth, output);
        BinaryPrimitives.WriteInt32LittleEndian(output.Array.AsSpan(start), output.Length - start - 4);
    }

    private static void WriteRle(int value, int count, int bitWidth, ByteBuffer output)
    {
        output.WriteVarUInt((ulong)(uint)count << 1);
        var bytes = (bitWidth + 7) / 8;
        var span = output.GetSpan(4);
        BinaryPrimitives.WriteInt32LittleEndian(span, value);
        output.Advance(bytes);
    }

    /// <summary>Bit-packs the values, padding the last group of 8 with zeros.</summary>
    private static void WriteBitPacked<T>(ReadOnlySpan<T> values, int bitWidth, ByteBuffer output)
        where T : unmanaged, IBinaryInteger<T>
    {
        var groups = (values.Length + 7) / 8;
        output.WriteVarUInt(((ulong)(uint)groups << 1) | 1);
        var byteCount = groups * bitWidth;
        if (byteCount == 0)
        {
            return;
        }

        var span = output.GetSpan(byteCount + 8);
        span.Clear();
        ulong buffer = 0;
        var bits = 0;
        var position = 0;
        var mask = bitWidth == 32 ? uint.MaxValue : (1u << bitWidth) - 1;
        foreach (var item in values)
        {
            buffer |= (ulong)(uint.CreateTruncating(item) & mask) << bits;
            bits += bitWidth;
            if (bits >= 32)
            {
                BinaryPrimitives.WriteUInt32LittleEndian(span[position..], (uint)buffer);
                position += 4;
                buffer >>= 32;
                bits -= 32;
            }
        }

        while (bits > 0)
        {
            span[position++] = (byte)buffer;
            buffer >>= 8;
            bits -= 8;
        }

        output.Advance(byteCount);
    }
}

/// <summary>
/// Streaming decoder of the RLE / bit-packing hybrid: values come out in batches, so a short run header
/// that claims millions of values costs no memory. Truncated or malformed data never reads out of range.
/// </summary>
internal sealed class RleHybridDecoder
{
    private byte[] _data = [];
    private int _position;
    private int _end;
    private int _bitWidth;
    private uint _mask;
    private long _rleLeft;
    private int _rleValue;
    private long _packedLeft;
    private long _bitPosition;

    public int BitWidth => _bitWidth;

    /// <summary>Starts decoding <paramref name="length"/> bytes at <paramref name="offset"/> (no length prefix).</summary>
    public void Reset(byte[] data, int offset, int length, int bitWidth)
    {
        if (bitWidth is < 0 or > 32)
        {
            throw new InvalidDataException($"bit width {bitWidth} is outside 0..32");
        }

        _data = data;
        _position = offset;
        _end = offset + length;
        _bitWidth = bitWidth;
        _mask = bitWidth == 32 ? uint.MaxValue : (1u << bitWidth) - 1;
        _rleLeft = 0;
        _packedLeft = 0;
    }

    /// <summary>Fills <paramref name="destination"/> as far as the data goes; returns how many values were written.</summary>
    public int Read(Span<int> destination)
    {
        var produced = 0;
        while (produced < destination.Length)
        {
            if (_rleLeft > 0)
            {
                var count = (int)Math.Min(_rleLeft, destination.Length - produced);
                destination.Slice(produced, count).Fill(_rleValue);
                produced += count;
                _rleLeft -= count;
            }
            else if (_packedLeft > 0)
            {
                var count = (int)Math.Min(_packedLeft, destination.Length - produced);
                Unpack(destination.Slice(produced, count));
                produced += count;
                _packedLeft -= count;
            }
            else if (!NextRun())
            {
                break;
            }
        }

        return produced;
    }

    private bool NextRun()
    {
        if (_position >= _end)
        {
            return false;
        }

        var header = ReadVarUInt();
        if ((header & 1) == 0)
        {
            var bytes = (_bitWidth + 7) / 8;
            if (_end - _position < bytes)
            {
                throw new InvalidDataException("RLE run value cut short");
            }

            var value = 0u;
            for (var k = 0; k < bytes; k++)
            {
                value |= (uint)_data[_position + k] << (8 * k);
            }

            _position += bytes;
            _rleValue = (int)value;
            _rleLeft = (long)(header >> 1);
        }
        else
        {
            var groups = (long)(header >> 1);
            var values = groups * 8;
            var bytes = groups * _bitWidth;
            var available = _end - _position;
            if (bytes > available)
            {
                // Tolerate a last run cut short by the writer: decode what is there.
                values = _bitWidth == 0 ? values : (long)available * 8 / _bitWidth;
                bytes = available;
            }

            _bitPosition = (long)_position * 8;
            _packedLeft = values;
            _position += (int)bytes;
        }

        return true;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void Unpack(Span<int> destination)
    {
        var width = _bitWidth;
        if (width == 0)
        {
            destination.Clear();
            return;
        }

        var data = _data;
        var bit = _bitPosition;
        var mask = _mask;
        var safeEnd = data.Length - 8;
        for (var i = 0; i < destination.Length; i++)
        {
            var byteIndex = (int)(bit >> 3);
            ulong word;
            if (byteIndex <= safeEnd)
            {
                word = BinaryPrimitives.ReadUInt64LittleEndian(data.AsSpan(byteIndex, 8));
            }
            else
            {
                word = 0;
                for (var k = 0; byteIndex + k < data.Length && k < 8; k++)
                {
                    word |= (ulong)data[byteIndex + k] << (8 * k);
                }
            }

            destination[i] = (int)((uint)(word >> (int)(bit & 7)) & mask);
            bit += width;
        }

        _bitPosition = bit;
    }

    private ulong ReadVarUInt()
    {
        ulong result = 0;
        for (var shift = 0; shift < 64; shift += 7)
        {
            if (_position >= _end)
            {
                throw new InvalidDataException("run header cut short");
            }

            var b = _data[_position++];
            result |= (ulong)(b & 0x7F) << shift;
            if ((b & 0x80) == 0)
            {
                return result;
            }
        }

        throw new InvalidDataException("run header varint too long");
    }
}
