using System.Buffers.Binary;
using System.Runtime.CompilerServices;

namespace Lambda.Core.Parquet.Encodings;

/// <summary>A growable byte buffer with little-endian appends, reused across pages and row groups.</summary>
internal sealed class ByteBuffer
{
    private byte[] _data;
    private int _length;

    public ByteBuffer(int capacity = 1024)
    {
        _data = new byte[Math.Max(16, capacity)];
    }

    public int Length
    {
        get => _length;
        set
        {
            if ((uint)value > (uint)_data.Length)
            {
                throw new ArgumentOutOfRangeException(nameof(value));
            }

            _length = value;
        }
    }

    /// <summary>The underlying array (valid up to <see cref="Length"/>); changes when the buffer grows.</summary>
    public byte[] Array => _data;

    public Span<byte> WrittenSpan => _data.AsSpan(0, _length);

    public void Clear() => _length = 0;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Ensure(int extra)
    {
        if (_data.Length - _length < extra)
        {
            Grow(extra);
        }
    }

    private void Grow(int extra)
    {
        var needed = (long)_length + extra;
        if (needed > System.Array.MaxLength)
        {
            throw new InvalidOperationException("A Parquet buffer cannot grow beyond 2 GB: use smaller row groups.");
        }

        var size = Math.Max(needed, Math.Min((long)_data.Length * 2, System.Array.MaxLength));
        System.Array.Resize(ref _data, (int)size);
    }

    /// <summary>Reserves <paramref name="count"/> bytes and returns them for the caller to fill.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Span<byte> GetSpan(int count)
    {
        Ensure(count);
        return _data.AsSpan(_length, count);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Advance(int count) => _length += count;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void WriteByte(byte value)
    {
        Ensure(1);
        _data[_length++] = value;
    }

    public void Write(ReadOnlySpan<byte> bytes)
    {
        Ensure(bytes.Length);
        bytes.CopyTo(_data.AsSpan(_length));
        _length += bytes.Length;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void WriteInt32(int value)
    {
        Ensure(4);
        BinaryPrimitives.WriteInt32LittleEndian(_data.AsSpan(_length), value);
        _length += 4;
    }

    public void WriteVarUInt(ulong value)
    {
        Ensure(10);
        while (value >= 0x80)
        {
            _data[_length++] = (byte)(value | 0x80);
            value >>= 7;
        }

        _data[_length++] = (byte)value;
    }
}
