using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Lambda.Core.Parquet.Encodings;

/// <summary>
/// Decodes a raw Snappy block (the format Parquet's SNAPPY codec uses: a varint length, then literals and
/// back-references) straight into the caller's buffer, without allocating. Every element is checked against
/// both buffers, so damaged input ends in <see cref="InvalidDataException"/>.
/// </summary>
internal static class SnappyDecoder
{
    /// <summary>The uncompressed length the block declares.</summary>
    public static long DeclaredLength(ReadOnlySpan<byte> input, out int headerLength)
    {
        ulong result = 0;
        for (var i = 0; i < 5; i++)
        {
            if (i >= input.Length)
            {
                throw new InvalidDataException("snappy data cut short");
            }

            var b = input[i];
            result |= (ulong)(b & 0x7F) << (7 * i);
            if ((b & 0x80) == 0)
            {
                headerLength = i + 1;
                return (long)result;
            }
        }

        throw new InvalidDataException("snappy length varint too long");
    }

    /// <summary>Decodes <paramref name="input"/>, which must produce exactly <paramref name="output"/>.Length bytes.</summary>
    public static void Decode(ReadOnlySpan<byte> input, Span<byte> output)
    {
        var declared = DeclaredLength(input, out var position);
        if (declared != output.Length)
        {
            throw new InvalidDataException($"snappy data declares {declared} bytes, expected {output.Length}");
        }

        var written = 0;
        var end = input.Length;
        while (position < end)
        {
            var tag = input[position++];
            int length;
            int offset;
            switch (tag & 3)
            {
                case 0:
                {
                    length = tag >> 2;
                    if (length >= 60)
                    {
                        var extra = length - 59;
                        if (end - position < extra)
                        {
                            throw Damaged("literal length cut short");
                        }

                        uint value = 0;
                        for (var k = 0; k < extra; k++)
                        {
                            value |= (uint)input[position + k] << (8 * k);
                        }

                        position += extra;
                        if (value >= int.MaxValue)
                        {
                            throw Damaged("literal too long");
                        }

                        length = (int)value;
                    }

                    length++;
                    if (length <= 16 && end - position >= 16 && output.Length - written >= 16)
                    {
                        // short literal with room on both sides: one blind 16-byte copy
                        Unsafe.WriteUnaligned(
                            ref Unsafe.Add(ref MemoryMarshal.GetReference(output), written),
                            Unsafe.ReadUnaligned<Vector128<byte>>(ref Unsafe.Add(ref MemoryMarshal.GetReference(input), position)));
                        position += length;
                        written += length;
                        continue;
                    }

                    if (length > end - position || length > output.Length - written)
                    {
                        throw Damaged("literal runs past the end of the data");
                    }

                    input.Slice(position, length).CopyTo(output[written..]);
                    position += length;
                    written += length;
                    continue;
                }

                case 1:
                    if (position >= end)
                    {
                        throw Damaged("copy cut short");
                    }

                    length = 4 + ((tag >> 2) & 7);
                    offset = ((tag >> 5) << 8) | input[position++];
                    break;
                case 2:
                    if (end - position < 2)
                    {
                        throw Damaged("copy cut short");
                    }

                    length = 1 + (tag >> 2);
                    offset = BinaryPrimitives.ReadUInt16LittleEndian(input[position..]);
                    position += 2;
                    break;
                default:
                {
                    if (end - position < 4)
                    {
                        throw Damaged("copy cut short");
                    }

                    length = 1 + (tag >> 2);
                    var big = BinaryPrimitives.ReadUInt32LittleEndian(input[position..]);
                    if (big > int.MaxValue)
                    {
                        throw Damaged("copy offset out of range");
                    }

                    offset = (int)big;
                    position += 4;
                    break;
                }
            }

            if (offset == 0 || offset > written)
            {
                throw Damaged($"copy offset {offset} outside the {written} bytes decoded so far");
            }

            if (length > output.Length - written)
            {
                throw Damaged("copy runs past the declared length");
            }

            Copy(output, written, offset, length);
            written += length;
        }

        if (written != output.Length)
        {
            throw new InvalidDataException($"snappy data decoded to {written} bytes, expected {output.Length}");
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Copy(Span<byte> output, int written, int offset, int length)
    {
        var source = written - offset;
        ref var start = ref MemoryMarshal.GetReference(output);
        if (offset >= 16 && length <= 16 && output.Length - written >= 16)
        {
            // short copy with room: one blind 16-byte copy (source and target do not overlap)
            Unsafe.WriteUnaligned(ref Unsafe.Add(ref start, written), Unsafe.ReadUnaligned<Vector128<byte>>(ref Unsafe.Add(ref start, source)));
            return;
        }

        if (offset >= length)
        {
            output.Slice(source, length).CopyTo(output[written..]);
            return;
        }

        // overlapping: the pattern of `offset` bytes repeats; copy it in chunks that double in size
        var target = written;
        while (length > 0)
        {
            var chunk = Math.Min(target - source, length);
            output.Slice(source, chunk).CopyTo(output[target..]);
            target += chunk;
            length -= chunk;
        }
    }

    private static InvalidDataException Damaged(string problem) => new($"snappy data is damaged: {problem}");
}
