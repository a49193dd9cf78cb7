namespace Lambda.Core.Storage;

/// <summary>
/// A single-writer lock on a folder: <c>&lt;folder&gt;/.lock</c> opened exclusively and held for the
/// writer's lifetime. On Linux and macOS .NET takes an advisory <c>flock</c> on it, on Windows a
/// sharing lock; either way the operating system releases it when the process ends, so a crashed
/// writer never leaves the folder locked. The file itself stays: deleting it on release would let two
/// writers lock two different files. Readers need no lock.
/// </summary>
public sealed class WriterLock : IDisposable
{
    public const string FileName = ".lock";

    private readonly FileStream _file;

    private WriterLock(FileStream file)
    {
        _file = file;
    }

    /// <param name="directory">The folder one writer at a time may write (created when absent).</param>
    /// <param name="refusal">The message when another writer holds the lock: what is locked and what to do.</param>
    /// <exception cref="WriterLockedException">Another writer (process or instance) holds the lock.</exception>
    public static WriterLock Acquire(string directory, Func<string, string> refusal)
    {
        ArgumentNullException.ThrowIfNull(refusal);
        Directory.CreateDirectory(directory);
        var path = Path.Combine(directory, FileName);
        try
        {
            return new WriterLock(new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None));
        }
        catch (IOException e) when (e is not (FileNotFoundException or DirectoryNotFoundException or PathTooLongException))
        {
            throw new WriterLockedException(refusal(path), e);
        }
    }

    public void Dispose() => _file.Dispose();
}

/// <summary>Another writer holds a <see cref="WriterLock"/>; the message says what is locked and what to do.</summary>
public class WriterLockedException : IOException
{
    public WriterLockedException()
    {
    }

    public WriterLockedException(string message) : base(message)
    {
    }

    public WriterLockedException(string message, Exception innerException) : base(message, innerException)
    {
    }
}
