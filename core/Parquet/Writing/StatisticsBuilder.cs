using System.Buffers.Binary;
using System.Numerics;
using System.Runtime.InteropServices;
using Lambda.Core.Parquet.Thrift;

namespace Lambda.Core.Parquet.Writing;

/// <summary>
/// Column-chunk statistics: null count, and min / max in the column's sort order (signed for numbers, dates
/// and timestamps; unsigned byte-wise for strings), PLAIN-encoded. Floating-point min / max leave NaN out and
/// follow the spec's zero rule (min -0.0, max +0.0). The legacy min / max fields are also written where the
/// order is signed, for old readers.
/// </summary>
internal static class StatisticsBuilder
{
    /// <summary>Strings longer than this get no min / max (footers stay small).</summary>
    private const int MaxStringStatistic = 1024;

    /// <summary>
    /// Statistics of the buffered column; when the chunk is dictionary-encoded, <paramref name="dictionary"/>
    /// holds its PLAIN entries and min / max come from those (fewer values, same result).
    /// </summary>
    public static Statistics Build(ColumnBuffer c, int rows, ReadOnlySpan<byte> dictionary = default)
    {
        var statistics = new Statistics { NullCount = rows - c.Count };
        var count = c.Count;
        if (count == 0)
        {
            return statistics;
        }

        byte[]? min = null, max = null;
        switch (c.Type)
        {
            case ParquetType.Boolean:
            {
                var bools = c.Bools.AsSpan(0, count);
                min = [bools.Contains(false) ? (byte)0 : (byte)1];
                max = [bools.Contains(true) ? (byte)1 : (byte)0];
                break;
            }

            case ParquetType.Int32:
            {
                var values = dictionary.IsEmpty ? c.Ints.AsSpan(0, count) : MemoryMarshal.Cast<byte, int>(dictionary);
                var (lo, hi) = MinMax(values);

                min = new byte[4];
                max = new byte[4];
                BinaryPrimitives.WriteInt32LittleEndian(min, lo);
                BinaryPrimitives.WriteInt32LittleEndian(max, hi);
                break;
            }

            case ParquetType.Int64:
            {
                var values = dictionary.IsEmpty ? c.Longs.AsSpan(0, count) : MemoryMarshal.Cast<byte, long>(dictionary);
                var (lo, hi) = MinMax(values);

                min = new byte[8];
                max = new byte[8];
                BinaryPrimitives.WriteInt64LittleEndian(min, lo);
                BinaryPrimitives.WriteInt64LittleEndian(max, hi);
                break;
            }

            case ParquetType.Float:
            {
                var lo = float.PositiveInfinity;
                var hi = float.NegativeInfinity;
                foreach (var v in dictionary.IsEmpty ? c.Floats.AsSpan(0, count) : MemoryMarshal.Cast<byte, float>(dictionary))
                {
                    // comparisons with NaN are false: NaN never becomes min or max
                    lo = v < lo ? v : lo;
                    hi = v > hi ? v : hi;
                }

                if (hi >= lo)
                {
                    min = new byte[4];
                    max = new byte[4];
                    BinaryPrimitives.WriteSingleLittleEndian(min, lo == 0 ? -0.0f : lo);
                    BinaryPrimitives.WriteSingleLittleEndian(max, hi == 0 ? 0.0f : hi);
                }

                break;
            }

            case ParquetType.Double:
            {
                var lo = double.PositiveInfinity;
                var hi = double.NegativeInfinity;
                foreach (var v in dictionary.IsEmpty ? c.Doubles.AsSpan(0, count) : MemoryMarshal.Cast<byte, double>(dictionary))
                {
                    lo = v < lo ? v : lo;
                    hi = v > hi ? v : hi;
                }

                if (hi >= lo)
                {
                    min = new byte[8];
                    max = new byte[8];
                    BinaryPrimitives.WriteDoubleLittleEndian(min, lo == 0 ? -0.0 : lo);
                    BinaryPrimitives.WriteDoubleLittleEndian(max, hi == 0 ? 0.0 : hi);
                }

                break;
            }

            case ParquetType.ByteArray:
                StringMinMax(c, out min, out max);
                statistics.MinValue = min;
                statistics.MaxValue = max;
                return statistics; // no legacy min / max: their signed byte order differs for non-ASCII text
        }

        statistics.MinValue = min;
        statistics.MaxValue = max;
        statistics.Min = min;
        statistics.Max = max;
        return statistics;
    }

    private static (T Min, T Max) MinMax<T>(ReadOnlySpan<T> values)
        where T : unmanaged, INumber<T>
    {
        T lo = values[0], hi = values[0];
        var i = 0;
        if (Vector.IsHardwareAccelerated && values.Length >= 2 * Vector<T>.Count)
        {
            var min = new Vector<T>(values);
            var max = min;
            for (i = Vector<T>.Count; i <= values.Length - Vector<T>.Count; i += Vector<T>.Count)
            {
                var v = new Vector<T>(values[i..]);
                min = Vector.Min(min, v);
                max = Vector.Max(max, v);
            }

            for (var k = 0; k < Vector<T>.Count; k++)
            {
                lo = T.Min(lo, min[k]);
                hi = T.Max(hi, max[k]);
            }
        }

        for (; i < values.Length; i++)
        {
            lo = T.Min(lo, values[i]);
            hi = T.Max(hi, values[i]);
        }

        return (lo, hi);
    }

    private static void StringMinMax(ColumnBuffer c, out byte[]? min, out byte[]? max)
    {
        var s = c.Strings!;
        ReadOnlySpan<byte> lo = default, hi = default;
        var any = false;
        if (s.Dictionary)
        {
            var bytes = s.EntryBytes.Array;
            foreach (var (offset, length) in CollectionsMarshal.AsSpan(s.Entries))
            {
                Consider(bytes.AsSpan(offset, length), ref lo, ref hi, ref any);
            }
        }
        else
        {
            var data = s.Plain.Array;
            var begin = 0;
            foreach (var end in c.Ints.AsSpan(0, c.Count))
            {
                Consider(data.AsSpan(begin, end - begin), ref lo, ref hi, ref any);
                begin = end;
            }
        }

        if (!any || lo.Length > MaxStringStatistic || hi.Length > MaxStringStatistic)
        {
            min = max = null;
            return;
        }

        min = lo.ToArray();
        max = hi.ToArray();
    }

    private static void Consider(ReadOnlySpan<byte> value, ref ReadOnlySpan<byte> lo, ref ReadOnlySpan<byte> hi, ref bool any)
    {
        if (!any)
        {
            lo = hi = value;
            any = true;
            return;
        }

        if (value.SequenceCompareTo(lo) < 0)
        {
            lo = value;
        }
        else if (value.SequenceCompareTo(hi) > 0)
        {
            hi = value;
        }
    }
}
