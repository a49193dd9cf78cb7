using System.Buffers.Binary;
using System.Text;

namespace Lambda.Core.Parquet.Thrift;

/// <summary>Type ids of the Thrift compact protocol (field headers and list element types).</summary>
internal static class CompactType
{
    public const byte Stop = 0;
    public const byte BooleanTrue = 1;
    public const byte BooleanFalse = 2;
    public const byte Byte = 3;
    public const byte I16 = 4;
    public const byte I32 = 5;
    public const byte I64 = 6;
    public const byte Double = 7;
    public const byte Binary = 8;
    public const byte List = 9;
    public const byte Set = 10;
    public const byte Map = 11;
    public const byte Struct = 12;
    public const byte Uuid = 13;
}

/// <summary>Malformed Thrift input: the caller turns it into a <see cref="ParquetException"/> naming the file.</summary>
internal sealed class ThriftException : Exception
{
    public ThriftException(string message) : base(message)
    {
    }

    public ThriftException()
    {
    }

    public ThriftException(string message, Exception innerException) : base(message, innerException)
    {
    }
}

/// <summary>
/// Reads the Thrift compact protocol from a byte range. Every length and count is checked against the bytes
/// that remain before anything is allocated, nesting is limited, and unknown fields are skipped.
/// </summary>
internal sealed class CompactReader
{
    private const int MaxDepth = 64;
    private readonly byte[] _data;
    private readonly int _end;
    private int _position;
    private int _depth;
    private readonly short[] _lastFieldIds = new short[MaxDepth + 1];

    public CompactReader(byte[] data, int offset, int length)
    {
        ArgumentNullException.ThrowIfNull(data);
        if ((uint)offset > (uint)data.Length || (uint)length > (uint)(data.Length - offset))
        {
            throw new ArgumentOutOfRangeException(nameof(length));
        }

        _data = data;
        _position = offset;
        _end = offset + length;
    }

    public CompactReader(byte[] data) : this(data, 0, data.Length)
    {
    }

    public int Position => _position;

    public int Remaining => _end - _position;

    /// <summary>Enters a struct: field id deltas restart from zero.</summary>
    public void StructBegin()
    {
        if (_depth >= MaxDepth)
        {
            throw new ThriftException($"structures nested deeper than {MaxDepth} levels");
        }

        _depth++;
        _lastFieldIds[_depth] = 0;
    }

    public void StructEnd() => _depth--;

    /// <summary>Reads the next field header; false at the stop field. Boolean field values live in the type.</summary>
    public bool ReadFieldHeader(out byte type, out short id)
    {
        var header = ReadByte();
        type = (byte)(header & 0x0F);
        if (type == CompactType.Stop)
        {
            id = 0;
            return false;
        }

        var delta = header >> 4;
        if (delta != 0)
        {
            id = (short)(_lastFieldIds[_depth] + delta);
        }
        else
        {
            id = ReadI16();
        }

        _lastFieldIds[_depth] = id;
        return true;
    }

    public static bool BooleanFromFieldType(byte type) => type == CompactType.BooleanTrue;

    public byte ReadByte()
    {
        if (_position >= _end)
        {
            throw new ThriftException("unexpected end of data");
        }

        return _data[_position++];
    }

    public short ReadI16()
    {
        var value = ReadI32();
        if (value is < short.MinValue or > short.MaxValue)
        {
            throw new ThriftException($"i16 value {value} out of range");
        }

        return (short)value;
    }

    public int ReadI32()
    {
        var raw = ReadVarUInt64(5);
        if (raw > uint.MaxValue)
        {
            throw new ThriftException("i32 varint too long");
        }

        var zigzag = (uint)raw;
        return (int)(zigzag >> 1) ^ -(int)(zigzag & 1);
    }

    public long ReadI64()
    {
        var zigzag = ReadVarUInt64(10);
        return (long)(zigzag >> 1) ^ -(long)(zigzag & 1);
    }

    public double ReadDouble()
    {
        Need(8);
        var value = BinaryPrimitives.ReadDoubleLittleEndian(_data.AsSpan(_position, 8));
        _position += 8;
        return value;
    }

    public byte[] ReadBinary()
    {
        var length = ReadLength();
        var value = _data.AsSpan(_position, length).ToArray();
        _position += length;
        return value;
    }

    public string ReadString()
    {
        var length = ReadLength();
        var value = Encoding.UTF8.GetString(_data, _position, length);
        _position += length;
        return value;
    }

    /// <summary>Reads a list (or set) header; the count is at most the bytes left, since every element takes one byte or more.</summary>
    public int ReadListHeader(out byte elementType)
    {
        var header = ReadByte();
        elementType = (byte)(header & 0x0F);
        var count = header >> 4;
        if (count == 15)
        {
            var big = ReadVarUInt64(5);
            if (big > int.MaxValue)
            {
                throw new ThriftException("list size out of range");
            }

            count = (int)big;
        }

        if (count > Remaining)
        {
            throw new ThriftException($"list of {count} elements in only {Remaining} bytes");
        }

        return count;
    }

    /// <summary>A boolean list element: 1 is true; 0 or 2 is false.</summary>
    public bool ReadBoolElement() => ReadByte() == 1;

    /// <summary>Skips a value of the given type, including nested structures and containers.</summary>
    public void Skip(byte type)
    {
        switch (type)
        {
            case CompactType.BooleanTrue:
            case CompactType.BooleanFalse:
                return; // field booleans carry their value in the header
            case CompactType.Byte:
                Need(1);
                _position++;
                return;
            case CompactType.I16:
            case CompactType.I32:
            case CompactType.I64:
                ReadVarUInt64(10);
                return;
            case CompactType.Double:
                Need(8);
                _position += 8;
                return;
            case CompactType.Binary:
            {
                var length = ReadLength(); // read before adding: the varint moves the position
                _position += length;
                return;
            }
            case CompactType.Uuid:
                Need(16);
                _position += 16;
                return;
            case CompactType.List:
            case CompactType.Set:
            {
                var count = ReadListHeader(out var element);
                EnterContainer();
                for (var i = 0; i < count; i++)
                {
                    SkipElement(element);
                }

                _depth--;
                return;
            }

            case CompactType.Map:
            {
                var big = ReadVarUInt64(5);
                if (big == 0)
                {
                    return;
                }

                if (big > (ulong)Remaining)
                {
                    throw new ThriftException($"map of {big} entries in only {Remaining} bytes");
                }

                var kinds = ReadByte();
                EnterContainer();
                for (var i = 0; i < (int)big; i++)
                {
                    SkipElement((byte)(kinds >> 4));
                    SkipElement((byte)(kinds & 0x0F));
                }

                _depth--;
                return;
            }

            case CompactType.Struct:
                StructBegin();
                while (ReadFieldHeader(out var fieldType, out _))
                {
                    Skip(fieldType);
                }

                StructEnd();
                return;
            default:
                throw new ThriftException($"unknown compact type {type}");
        }
    }

    private void SkipElement(byte type)
    {
        if (type is CompactType.BooleanTrue or CompactType.BooleanFalse)
        {
            ReadByte(); // inside containers a boolean is one byte
            return;
        }

        Skip(type);
    }

    private void EnterContainer()
    {
        if (_depth >= MaxDepth)
        {
            throw new ThriftException($"structures nested deeper than {MaxDepth} levels");
        }

        _depth++;
        _lastFieldIds[_depth] = 0;
    }

    private int ReadLength()
    {
        var length = ReadVarUInt64(5);
        if (length > (ulong)Remaining)
        {
            throw new ThriftException($"binary of {length} bytes but only {Remaining} bytes left");
        }

        return (int)length;
    }

    private ulong ReadVarUInt64(int maxBytes)
    {
        ulong result = 0;
        for (var shift = 0; shift < maxBytes * 7; shift += 7)
        {
            var b = ReadByte();
            result |= (ulong)(b & 0x7F) << shift;
            if ((b & 0x80) == 0)
            {
                return result;
            }
        }

        throw new ThriftException("varint too long");
    }

    private void Need(int count)
    {
        if (Remaining < count)
        {
            throw new ThriftException("unexpected end of data");
        }
    }
}

/// <summary>Writes the Thrift compact protocol into a growable buffer.</summary>
internal sealed class CompactWriter
{
    private const int MaxDepth = 64;
    private readonly short[] _lastFieldIds = new short[MaxDepth + 1];
    private byte[] _buffer;
    private int _length;
    private int _depth;

    public CompactWriter(int capacity = 256)
    {
        _buffer = new byte[Math.Max(16, capacity)];
    }

    public int Length => _length;

    public ReadOnlySpan<byte> WrittenSpan => _buffer.AsSpan(0, _length);

    public byte[] ToArray() => WrittenSpan.ToArray();

    public void Clear()
    {
        _length = 0;
        _depth = 0;
    }

    public void StructBegin()
    {
        if (_depth >= MaxDepth)
        {
            throw new InvalidOperationException("structures nested too deep");
        }

        _depth++;
        _lastFieldIds[_depth] = 0;
    }

    /// <summary>Writes the stop field and leaves the struct.</summary>
    public void StructEnd()
    {
        WriteByte(CompactType.Stop);
        _depth--;
    }

    public void FieldHeader(byte type, short id)
    {
        var delta = id - _lastFieldIds[_depth];
        if (delta is > 0 and <= 15)
        {
            WriteByte((byte)((delta << 4) | type));
        }
        else
        {
            WriteByte(type);
            WriteZigZag32(id);
        }

        _lastFieldIds[_depth] = id;
    }

    public void BoolField(short id, bool value) => FieldHeader(value ? CompactType.BooleanTrue : CompactType.BooleanFalse, id);

    public void ByteField(short id, sbyte value)
    {
        FieldHeader(CompactType.Byte, id);
        WriteByte((byte)value);
    }

    public void I16Field(short id, short value)
    {
        FieldHeader(CompactType.I16, id);
        WriteZigZag32(value);
    }

    public void I32Field(short id, int value)
    {
        FieldHeader(CompactType.I32, id);
        WriteZigZag32(value);
    }

    public void I64Field(short id, long value)
    {
        FieldHeader(CompactType.I64, id);
        WriteZigZag64(value);
    }

    public void BinaryField(short id, ReadOnlySpan<byte> value)
    {
        FieldHeader(CompactType.Binary, id);
        WriteBinary(value);
    }

    public void StringField(short id, string value)
    {
        FieldHeader(CompactType.Binary, id);
        WriteString(value);
    }

    /// <summary>A struct-typed field: header, then the caller writes the fields and calls <see cref="StructEnd"/>.</summary>
    public void StructField(short id)
    {
        FieldHeader(CompactType.Struct, id);
        StructBegin();
    }

    /// <summary>A list-typed field header followed by the list header; the caller writes the elements.</summary>
    public void ListField(short id, byte elementType, int count)
    {
        FieldHeader(CompactType.List, id);
        ListHeader(elementType, count);
    }

    public void ListHeader(byte elementType, int count)
    {
        if (count < 15)
        {
            WriteByte((byte)((count << 4) | elementType));
        }
        else
        {
            WriteByte((byte)(0xF0 | elementType));
            WriteVarUInt64((uint)count);
        }
    }

    public void WriteBinary(ReadOnlySpan<byte> value)
    {
        WriteVarUInt64((uint)value.Length);
        Ensure(value.Length);
        value.CopyTo(_buffer.AsSpan(_length));
        _length += value.Length;
    }

    public void WriteString(string value)
    {
        var count = Encoding.UTF8.GetByteCount(value);
        WriteVarUInt64((uint)count);
        Ensure(count);
        _length += Encoding.UTF8.GetBytes(value, _buffer.AsSpan(_length));
    }

    public void WriteI32(int value) => WriteZigZag32(value);

    public void WriteI64(long value) => WriteZigZag64(value);

    public void WriteBoolElement(bool value) => WriteByte(value ? (byte)1 : (byte)2);

    public void WriteDouble(double value)
    {
        Ensure(8);
        BinaryPrimitives.WriteDoubleLittleEndian(_buffer.AsSpan(_length), value);
        _length += 8;
    }

    /// <summary>An empty struct as a list element or union member body (just the stop byte).</summary>
    public void EmptyStruct() => WriteByte(CompactType.Stop);

    public void WriteByte(byte value)
    {
        Ensure(1);
        _buffer[_length++] = value;
    }

    private void WriteZigZag32(int value) => WriteVarUInt64((uint)((value << 1) ^ (value >> 31)));

    private void WriteZigZag64(long value) => WriteVarUInt64((ulong)((value << 1) ^ (value >> 63)));

    private void WriteVarUInt64(ulong value)
    {
        Ensure(10);
        while (value >= 0x80)
        {
            _buffer[_length++] = (byte)(value | 0x80);
            value >>= 7;
        }

        _buffer[_length++] = (byte)value;
    }

    private void Ensure(int extra)
    {
        if (_length + extra > _buffer.Length)
        {
            Array.Resize(ref _buffer, Math.Max(_buffer.Length * 2, _length + extra));
        }
    }
}
