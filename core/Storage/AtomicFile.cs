namespace Lambda.Core.Storage;

/// <summary>
/// Replaces a file so that readers see either the old or the new content, never a mix: write to a
/// temporary name beside it, flush to disk, then rename over the target (atomic on POSIX file systems).
/// Content streamed in parts goes through a <see cref="PendingFile"/>, which does the same.
/// </summary>
public static class AtomicFile
{
    public static async Task WriteAsync(string path, ReadOnlyMemory<byte> content, CancellationToken cancellationToken)
    {
        using var pending = PendingFile.Create(path, bufferSize: 4096);
        await pending.Stream.WriteAsync(content, cancellationToken).ConfigureAwait(false);
        pending.Commit();
    }

    public static void Write(string path, ReadOnlySpan<byte> content)
    {
        using var pending = PendingFile.Create(path, bufferSize: 4096);
        pending.Stream.Write(content);
        pending.Commit();
    }
}
