namespace Lambda.Core.Transport.Embedded;

/// <summary>
/// Appends lines to one segment file. Opening repairs a torn tail (bytes after the last newline,
/// left by a crash mid-write): they are moved to <c>&lt;segment&gt;.torn</c> so that the next line
/// does not glue onto them, and readers never saw them because readers stop at the last newline.
/// </summary>
internal sealed class SegmentWriter : IDisposable
{
    private const int BufferSize = 64 * 1024;

    private readonly FileStream _stream;

    private SegmentWriter(string path, DateOnly day, FileStream stream)
    {
        Path = path;
        Day = day;
        _stream = stream;
    }

    public string Path { get; }

    public DateOnly Day { get; }

    public static SegmentWriter Open(string path, DateOnly day, out long tornBytes)
    {
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(path)!);
        var stream = new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.Read | FileShare.Delete, BufferSize);
        try
        {
            tornBytes = RepairTornTail(stream, path);
            stream.Seek(0, SeekOrigin.End);
            return new SegmentWriter(path, day, stream);
        }
        catch
        {
            stream.Dispose();
            throw;
        }
    }

    public void Append(ReadOnlySpan<byte> line) => _stream.Write(line);

    public void Flush(bool toDisk) => _stream.Flush(toDisk);

    public void Dispose() => _stream.Dispose();

    private static long RepairTornTail(FileStream stream, string path)
    {
        var length = stream.Length;
        if (length == 0)
        {
            return 0;
        }

        var completeLength = LengthUpToLastNewline(stream, length);
        if (completeLength == length)
        {
            return 0;
        }

        var torn = new byte[length - completeLength];
        stream.Position = completeLength;
        stream.ReadExactly(torn);
        using (var keep = new FileStream(path + ".torn", FileMode.Append, FileAccess.Write))
        {
            keep.Write(torn);
            keep.Write("\n"u8);
            keep.Flush(flushToDisk: true);
        }

        stream.SetLength(completeLength);
        stream.Flush(flushToDisk: true);
        return torn.Length;
    }

    /// <summary>The file length cut after its last newline (0 when it has none).</summary>
    private static long LengthUpToLastNewline(FileStream stream, long length)
    {
        Span<byte> chunk = stackalloc byte[4096];
        var end = length;
        while (end > 0)
        {
            var size = (int)Math.Min(chunk.Length, end);
            stream.Position = end - size;
            stream.ReadExactly(chunk[..size]);
            var newline = chunk[..size].LastIndexOf((byte)'\n');
            if (newline >= 0)
            {
                return end - size + newline + 1;
            }

            end -= size;
        }

        return 0;
    }
}
