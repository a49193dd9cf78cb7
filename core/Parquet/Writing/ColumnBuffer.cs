using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Lambda.Core.Parquet.Encodings;

namespace Lambda.Core.Parquet.Writing;

/// <summary>
/// One column's values for the current row group, in a typed array (non-null values only, densely), plus one
/// definition level per row for optional columns. Strings are dictionary-encoded as they arrive while the
/// dictionary stays under its limit, and kept as UTF-8 bytes after that.
/// </summary>
internal sealed class ColumnBuffer
{
    public ColumnBuffer(ParquetColumn column, int index, bool dictionary, int dictionaryLimit)
    {
        Column = column;
        Index = index;
        Type = column.Type;
        Nullable = column.Nullable;
        UseDictionary = dictionary;
        DictionaryLimit = dictionaryLimit;
        Resize(0, 0);
        if (Type == ParquetType.ByteArray)
        {
            Strings = new StringData();
            ResetStrings();
        }
    }

    public ParquetColumn Column { get; }

    public int Index { get; }

    public ParquetType Type { get; }

    public bool Nullable { get; }

    public bool UseDictionary { get; }

    public int DictionaryLimit { get; }

    /// <summary>Non-null values buffered.</summary>
    public int Count;

    /// <summary>Non-null values of the rows committed by EndRow (a partial row is rolled back to this).</summary>
    public int CommittedCount;

    /// <summary>The row (within the row group) this column was last set in.</summary>
    public int LastRow = -1;

    /// <summary>Per row: 1 = a value, 0 = null (optional columns only).</summary>
    public byte[] Defs = [];

    public bool[]? Bools;
    public int[]? Ints;
    public long[]? Longs;
    public float[]? Floats;
    public double[]? Doubles;
    public StringData? Strings;

    /// <summary>Grows every array to hold <paramref name="capacity"/> rows.</summary>
    public void Resize(int oldCapacity, int capacity)
    {
        _ = oldCapacity;
        if (Nullable)
        {
            Array.Resize(ref Defs, capacity);
        }

        switch (Type)
        {
            case ParquetType.Boolean:
                Array.Resize(ref Bools, capacity);
                break;
            case ParquetType.Int32:
                Array.Resize(ref Ints, capacity);
                break;
            case ParquetType.Int64:
            case ParquetType.Int96: // UTC ticks, written as INT96 (tests only)
                Array.Resize(ref Longs, capacity);
                break;
            case ParquetType.Float:
                Array.Resize(ref Floats, capacity);
                break;
            case ParquetType.Double:
                Array.Resize(ref Doubles, capacity);
                break;
            case ParquetType.ByteArray:
                Array.Resize(ref Ints, capacity); // dictionary indices, or end offsets once PLAIN
                break;
        }
    }

    /// <summary>Forgets the values of a row that was not committed.</summary>
    public void Rollback()
    {
        Count = CommittedCount;
        if (Strings is { Dictionary: false } strings)
        {
            strings.Plain.Length = Count == 0 ? 0 : Ints![Count - 1];
        }
    }

    /// <summary>Empties the buffer for the next row group (arrays are kept).</summary>
    public void Reset()
    {
        Count = 0;
        CommittedCount = 0;
        LastRow = -1;
        if (Strings is not null)
        {
            ResetStrings();
        }
    }

    private void ResetStrings()
    {
        var s = Strings!;
        s.Lookup.Clear();
        s.Entries.Clear();
        s.EntryBytes.Clear();
        s.Plain.Clear();
        s.PlainBytes = 0;
        s.Last = null;
        s.LastIndex = -1;
        Array.Clear(s.Recent);
        s.Dictionary = UseDictionary;
    }

    public void AddString(string value)
    {
        var s = Strings!;
        if (s.Dictionary)
        {
            int index;
            if (ReferenceEquals(value, s.Last))
            {
                index = s.LastIndex;
            }
            else
            {
                // the same string objects tend to come back (symbols, exchanges): look them up by identity first
                var recent = RuntimeHelpers.GetHashCode(value) & (StringData.RecentSize - 1);
                if (ReferenceEquals(s.Recent[recent], value))
                {
                    index = s.RecentIndex[recent];
                }
                else
                {
                    ref var slot = ref CollectionsMarshal.GetValueRefOrAddDefault(s.Lookup, value, out var exists);
                    if (!exists)
                    {
                        slot = s.AddEntry(value);
                    }

                    index = slot;
                    s.Recent[recent] = value;
                    s.RecentIndex[recent] = index;
                }

                s.Last = value;
                s.LastIndex = index;
            }

            Ints![Count++] = index;
            s.PlainBytes += 4 + s.Entries[index].Length;
            if (s.EntryBytes.Length > DictionaryLimit)
            {
                FallBackToPlain();
            }
        }
        else
        {
            var plain = s.Plain;
            var max = System.Text.Encoding.UTF8.GetMaxByteCount(value.Length);
            var span = plain.GetSpan(max);
            var written = System.Text.Encoding.UTF8.GetBytes(value, span);
            plain.Advance(written);
            Ints![Count++] = plain.Length;
            s.PlainBytes += 4 + written;
        }
    }

    /// <summary>The dictionary grew too large: rewrite the values so far as UTF-8 bytes and continue PLAIN.</summary>
    private void FallBackToPlain()
    {
        var s = Strings!;
        var plain = s.Plain;
        plain.Clear();
        var entries = CollectionsMarshal.AsSpan(s.Entries);
        var bytes = s.EntryBytes.Array;
        for (var i = 0; i < Count; i++)
        {
            var entry = entries[Ints![i]];
            plain.Write(bytes.AsSpan(entry.Offset, entry.Length));
            Ints[i] = plain.Length;
        }

        s.Dictionary = false;
        s.Lookup.Clear();
        s.Entries.Clear();
        s.EntryBytes.Clear();
        s.Last = null;
        Array.Clear(s.Recent);
    }

    /// <summary>String column state: a dictionary (value → index, UTF-8 entries) or PLAIN bytes with end offsets.</summary>
    internal sealed class StringData
    {
        public readonly Dictionary<string, int> Lookup = new();
        public readonly List<(int Offset, int Length)> Entries = [];
        public readonly ByteBuffer EntryBytes = new(256);
        public readonly ByteBuffer Plain = new(256);

        /// <summary>The size these values would take PLAIN-encoded (4-byte length + bytes each).</summary>
        public long PlainBytes;

        public const int RecentSize = 64;
        public readonly string?[] Recent = new string?[RecentSize];
        public readonly int[] RecentIndex = new int[RecentSize];

        public string? Last;
        public int LastIndex;

        /// <summary>True while values are dictionary indices (in Ints); false once they are PLAIN (Ints = end offsets).</summary>
        public bool Dictionary;

        public int AddEntry(string value)
        {
            var max = System.Text.Encoding.UTF8.GetMaxByteCount(value.Length);
            var span = EntryBytes.GetSpan(max);
            var written = System.Text.Encoding.UTF8.GetBytes(value, span);
            Entries.Add((EntryBytes.Length, written));
            EntryBytes.Advance(written);
            return Entries.Count - 1;
        }
    }
}
