using System.Buffers.Binary;
using Lambda.Core.Parquet.Thrift;

namespace Lambda.Parquet.Tests;

/// <summary>Reads and replaces the footer of a Parquet file, to build damaged files on purpose.</summary>
internal static class FileSurgery
{
    public static FileMetaData ReadFooter(byte[] file)
    {
        var length = BinaryPrimitives.ReadInt32LittleEndian(file.AsSpan(file.Length - 8));
        return ParquetThrift.ReadFileMetaData(new CompactReader(file, file.Length - 8 - length, length));
    }

    public static int DataLength(byte[] file) => file.Length - 8 - BinaryPrimitives.ReadInt32LittleEndian(file.AsSpan(file.Length - 8));

    /// <summary>The file with its footer replaced by <paramref name="footer"/>.</summary>
    public static byte[] WithFooter(byte[] file, FileMetaData footer)
    {
        var writer = new CompactWriter();
        ParquetThrift.Write(writer, footer);
        return WithFooterBytes(file, writer.ToArray());
    }

    public static byte[] WithFooterBytes(byte[] file, byte[] footer)
    {
        var data = DataLength(file);
        var result = new byte[data + footer.Length + 8];
        file.AsSpan(0, data).CopyTo(result);
        footer.CopyTo(result.AsSpan(data));
        BinaryPrimitives.WriteInt32LittleEndian(result.AsSpan(data + footer.Length), footer.Length);
        "PAR1"u8.CopyTo(result.AsSpan(result.Length - 4));
        return result;
    }

    /// <summary>Rewrites the page header at <paramref name="offset"/>; the new header must serialize to the same length.</summary>
    public static byte[] WithPageHeader(byte[] file, long offset, Action<PageHeader> change)
    {
        var reader = new CompactReader(file, (int)offset, file.Length - (int)offset);
        var header = ParquetThrift.ReadPageHeader(reader);
        var length = reader.Position - (int)offset;
        change(header);
        var writer = new CompactWriter();
        ParquetThrift.Write(writer, header);
        if (writer.Length != length)
        {
            throw new InvalidOperationException($"the new page header takes {writer.Length} bytes, the old {length}");
        }

        var result = file.ToArray();
        writer.WrittenSpan.CopyTo(result.AsSpan((int)offset));
        return result;
    }

    public static (int Offset, int Length) PageHeaderSpan(byte[] file, long offset)
    {
        var reader = new CompactReader(file, (int)offset, file.Length - (int)offset);
        ParquetThrift.ReadPageHeader(reader);
        return ((int)offset, reader.Position - (int)offset);
    }
}
