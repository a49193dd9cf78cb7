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

    /// <summary>Rewrites the page header at <paramref name="offset"/>, moving what follows and fixing the footer's offsets.</summary>
    public static byte[] WithPageHeader(byte[] file, long offset, Action<PageHeader> change)
    {
        var reader = new CompactReader(file, (int)offset, file.Length - (int)offset);
        var header = ParquetThrift.ReadPageHeader(reader);
        var length = reader.Position - (int)offset;
        change(header);
        var writer = new CompactWriter();
        ParquetThrift.Write(writer, header);
        var delta = writer.Length - length;
        var footer = ReadFooter(file);
        var data = DataLength(file);
        var moved = new byte[data + delta];
        file.AsSpan(0, (int)offset).CopyTo(moved);
        writer.WrittenSpan.CopyTo(moved.AsSpan((int)offset));
        file.AsSpan((int)offset + length, data - (int)offset - length).CopyTo(moved.AsSpan((int)offset + writer.Length));
        foreach (var group in footer.RowGroups)
        {
            foreach (var chunk in group.Columns)
            {
                var meta = chunk.MetaData!;
                var start = Math.Min(meta.DataPageOffset, meta.DictionaryPageOffset ?? long.MaxValue);
                if (start <= offset && offset < start + meta.TotalCompressedSize)
                {
                    meta.TotalCompressedSize += delta;
                }

                if (meta.DataPageOffset > offset)
                {
                    meta.DataPageOffset += delta;
                }

                if (meta.DictionaryPageOffset > offset)
                {
                    meta.DictionaryPageOffset += delta;
                }
            }
        }

        var footerWriter = new CompactWriter();
        ParquetThrift.Write(footerWriter, footer);
        var footerBytes = footerWriter.ToArray();
        var result = new byte[moved.Length + footerBytes.Length + 8];
        moved.CopyTo(result, 0);
        footerBytes.CopyTo(result, moved.Length);
        BinaryPrimitives.WriteInt32LittleEndian(result.AsSpan(moved.Length + footerBytes.Length), footerBytes.Length);
        "PAR1"u8.CopyTo(result.AsSpan(result.Length - 4));
        return result;
    }

    public static (int Offset, int Length) PageHeaderSpan(byte[] file, long offset)
    {
        var reader = new CompactReader(file, (int)offset, file.Length - (int)offset);
        ParquetThrift.ReadPageHeader(reader);
        return ((int)offset, reader.Position - (int)offset);
    }
}
