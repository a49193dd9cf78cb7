using System.Diagnostics;
using System.Globalization;

namespace Lambda.Core.Storage;

/// <summary>
/// A file being written under a temporary name beside its target (<c>.&lt;name&gt;.&lt;pid&gt;.&lt;guid&gt;.tmp</c>),
/// which becomes the target only on <see cref="Commit"/>: flushed to disk, then renamed over it
/// (atomic on POSIX file systems). Disposed without a commit, the temporary file is deleted, so
/// readers of the target see the old content or the new one, never a part. For output streamed
/// row by row, where <see cref="AtomicFile"/> would need the whole content in memory.
/// </summary>
public sealed class PendingFile : IDisposable
{
    private const string Suffix = ".tmp";
    private bool _finished;

    private PendingFile(string path, string temporaryPath, FileStream stream)
    {
        Path = path;
        TemporaryPath = temporaryPath;
        Stream = stream;
    }

    /// <summary>The file this one replaces on commit.</summary>
    public string Path { get; }

    /// <summary>Where the content is written until the commit.</summary>
    public string TemporaryPath { get; }

    /// <summary>Write the content here; do not dispose it (the pending file does).</summary>
    public FileStream Stream { get; }

    public static PendingFile Create(string path, int bufferSize = 1 << 16)
    {
        var full = System.IO.Path.GetFullPath(path);
        var directory = System.IO.Path.GetDirectoryName(full)!;
        Directory.CreateDirectory(directory);
        var temporary = System.IO.Path.Combine(directory,
            string.Create(CultureInfo.InvariantCulture, $".{System.IO.Path.GetFileName(full)}.{Environment.ProcessId}.{Guid.NewGuid():N}{Suffix}"));
        var stream = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None, bufferSize);
        return new PendingFile(full, temporary, stream);
    }

    /// <summary>Flushes to disk and renames over the target.</summary>
    public void Commit() => CommitAll(this);

    /// <summary>
    /// Commits several files together: every one is flushed to disk before the first rename, so a
    /// failure while writing or flushing leaves all targets as they were; the renames then follow one
    /// another in the order given (each atomic on its own).
    /// </summary>
    public static void CommitAll(params PendingFile[] files)
    {
        ArgumentNullException.ThrowIfNull(files);
        foreach (var file in files)
        {
            ObjectDisposedException.ThrowIf(file._finished, file);
            file.Stream.Flush(flushToDisk: true);
        }

        foreach (var file in files)
        {
            file.Stream.Dispose();
            File.Move(file.TemporaryPath, file.Path, overwrite: true);
            file._finished = true;
        }
    }

    public void Dispose()
    {
        if (_finished)
        {
            return;
        }

        _finished = true;
        Stream.Dispose();
        File.Delete(TemporaryPath);
    }

    /// <summary>
    /// Deletes the temporary files of <paramref name="fileName"/> in <paramref name="directory"/> left by
    /// processes that no longer run (killed before their commit). Returns how many were deleted.
    /// </summary>
    public static int DeleteAbandoned(string directory, string fileName)
    {
        if (!Directory.Exists(directory))
        {
            return 0;
        }

        var deleted = 0;
        foreach (var temporary in Directory.EnumerateFiles(directory, $".{fileName}.*{Suffix}"))
        {
            var parts = System.IO.Path.GetFileName(temporary)[(fileName.Length + 2)..].Split('.');
            if (parts.Length == 3 && int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var pid) && !IsRunning(pid))
            {
                File.Delete(temporary);
                deleted++;
            }
        }

        return deleted;
    }

    private static bool IsRunning(int pid)
    {
        try
        {
            using var process = Process.GetProcessById(pid);
            return !process.HasExited;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }
}
