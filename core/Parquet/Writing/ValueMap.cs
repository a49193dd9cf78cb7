using System.Numerics;
using System.Runtime.CompilerServices;

namespace Lambda.Core.Parquet.Writing;

/// <summary>
/// An open-addressing hash map from 32- or 64-bit value bit patterns to dictionary indexes, for building
/// numeric dictionaries: cheaper than <see cref="Dictionary{TKey, TValue}"/> on this hot path.
/// </summary>
internal sealed class ValueMap<T>
    where T : unmanaged, IBinaryInteger<T>
{
    private T[] _keys = new T[1024];
    private int[] _values = new int[1024]; // index + 1; 0 = empty
    private int _mask = 1023;
    private int _shift = 64 - 10; // Fibonacci hashing: the top log2(capacity) bits of the product

    public int Count { get; private set; }

    public void Clear()
    {
        if (Count > 0)
        {
            Array.Clear(_values);
            Count = 0;
        }
    }

    /// <summary>The index of <paramref name="key"/>, adding it as the next index when new.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public int GetOrAdd(T key, out bool added)
    {
        var slot = Hash(key, _shift);
        while (true)
        {
            var value = _values[slot];
            if (value == 0)
            {
                _keys[slot] = key;
                _values[slot] = ++Count;
                added = true;
                if (Count * 2 > _mask)
                {
                    Grow();
                }

                return Count - 1;
            }

            if (_keys[slot] == key)
            {
                added = false;
                return value - 1;
            }

            slot = (slot + 1) & _mask;
        }
    }

    /// <summary>
    /// The slot of <paramref name="key"/>: the top bits of the product, which depend on every bit of the key.
    /// (The low bits would not: doubles such as 100.25 differ only in their high bits, and all collided.)
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int Hash(T key, int shift)
    {
        var bits = ulong.CreateTruncating(key);
        return (int)((bits * 0x9E3779B97F4A7C15UL) >> shift);
    }

    private void Grow()
    {
        var keys = _keys;
        var values = _values;
        _keys = new T[keys.Length * 2];
        _values = new int[keys.Length * 2];
        _mask = _keys.Length - 1;
        _shift--;
        for (var i = 0; i < keys.Length; i++)
        {
            if (values[i] != 0)
            {
                var slot = Hash(keys[i], _shift);
                while (_values[slot] != 0)
                {
                    slot = (slot + 1) & _mask;
                }

                _keys[slot] = keys[i];
                _values[slot] = values[i];
            }
        }
    }
}
