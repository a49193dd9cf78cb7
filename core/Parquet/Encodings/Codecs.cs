using System.IO.Compression;
using Lambda.Core.Parquet.Thrift;

namespace Lambda.Core.Parquet.Encodings;

/// <summary>Page compression: Snappy (IronSnappy to compress, <see cref="SnappyDecoder"/> to decompress), GZIP (System.IO.Compression) or none.</summary>
internal static class Codecs
{
    public static int ToCodecId(ParquetCompression compression) => compression switch
    {
        ParquetCompression.Uncompressed => CodecId.Uncompressed,
        ParquetCompression.Snappy => CodecId.Snappy,
        ParquetCompression.Gzip => CodecId.Gzip,
        _ => throw new ArgumentOutOfRangeException(nameof(compression), compression, "unknown compression"),
    };

    public static ParquetCompression? FromCodecId(int codec) => codec switch
    {
        CodecId.Uncompressed => ParquetCompression.Uncompressed,
        CodecId.Snappy => ParquetCompression.Snappy,
        CodecId.Gzip => ParquetCompression.Gzip,
        _ => null,
    };

    /// <summary>Compresses <paramref name="input"/> and appends the result to <paramref name="output"/>.</summary>
    public static void Compress(ParquetCompression compression, ReadOnlySpan<byte> input, ByteBuffer output)
    {
        switch (compression)
        {
            case ParquetCompression.Uncompressed:
                output.Write(input);
                break;
            case ParquetCompression.Snappy:
                output.Write(IronSnappy.Snappy.Encode(input));
                break;
            case ParquetCompression.Gzip:
            {
                using var memory = new MemoryStream(input.Length / 2 + 64);
                using (var gzip = new GZipStream(memory, CompressionLevel.Optimal, leaveOpen: true))
                {
                    gzip.Write(input);
                }

                output.Write(memory.GetBuffer().AsSpan(0, (int)memory.Length));
                break;
            }

            default:
                throw new ArgumentOutOfRangeException(nameof(compression), compression, "unknown compression");
        }
    }

    /// <summary>
    /// The largest uncompressed size a codec can honestly produce from <paramref name="compressedSize"/> bytes:
    /// a lying header cannot make the reader allocate more than this.
    /// </summary>
    public static long MaxExpansion(int codec, long compressedSize) => codec switch
    {
        CodecId.Uncompressed => compressedSize,
        CodecId.Snappy => compressedSize * 24 + 64, // a 3-byte copy element yields at most 64 bytes
        CodecId.Gzip => compressedSize * 1032 + 1024, // DEFLATE's limit is about 1032:1
        _ => compressedSize * 1032 + 1024,
    };

    /// <summary>
    /// Decompresses exactly <paramref name="output"/>.Length bytes; throws <see cref="InvalidDataException"/>
    /// when the data is damaged or does not decompress to that size.
    /// </summary>
    public static void Decompress(int codec, byte[] source, int offset, int length, Span<byte> output)
    {
        var input = source.AsSpan(offset, length);
        switch (codec)
        {
            case CodecId.Uncompressed:
                if (input.Length != output.Length)
                {
                    throw new InvalidDataException($"uncompressed page of {input.Length} bytes declares {output.Length} bytes");
                }

                input.CopyTo(output);
                break;
            case CodecId.Snappy:
                SnappyDecoder.Decode(input, output);
                break;
            case CodecId.Gzip:
                GzipDecompress(source, offset, length, output);
                break;
            default:
                throw new InvalidDataException($"compression codec {CodecId.Name(codec)} is not supported");
        }
    }

    private static void GzipDecompress(byte[] data, int offset, int length, Span<byte> output)
    {
        try
        {
            {
                using var source = new MemoryStream(data, offset, length, writable: false);
                using var gzip = new GZipStream(source, CompressionMode.Decompress);
                var total = 0;
                while (total < output.Length)
                {
                    var read = gzip.Read(output[total..]);
                    if (read == 0)
                    {
                        throw new InvalidDataException($"gzip data ended after {total} of {output.Length} bytes");
                    }

                    total += read;
                }

                Span<byte> probe = stackalloc byte[1];
                if (gzip.Read(probe) != 0)
                {
                    throw new InvalidDataException($"gzip data is longer than the declared {output.Length} bytes");
                }
            }
        }
        catch (InvalidDataException)
        {
            throw;
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            throw new InvalidDataException($"gzip decompression failed: {e.Message}", e);
        }
    }
}
