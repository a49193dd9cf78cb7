namespace Lambda.BatchLayer.Master;

/// <summary>
/// The master dataset's single-writer lock: <c>master/.lock</c> opened exclusively. On Linux and macOS
/// .NET takes an advisory <c>flock</c> on it, on Windows a sharing lock; either way the operating system
/// releases it when the process ends, so a crashed writer never leaves the dataset locked. The file
/// itself stays: deleting it on release would let two writers lock two different files.
/// </summary>
internal sealed class MasterWriteLock : IDisposable
{
    private readonly FileStream _file;

    private MasterWriteLock(FileStream file)
    {
        _file = file;
    }

    public static MasterWriteLock Acquire(string masterDirectory)
    {
        Directory.CreateDirectory(masterDirectory);
        var path = Path.Combine(masterDirectory, ".lock");
        try
        {
            return new MasterWriteLock(new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None));
        }
        catch (IOException e) when (e is not (FileNotFoundException or DirectoryNotFoundException or PathTooLongException))
        {
            throw new MasterDatasetLockedException(
                $"The master dataset {masterDirectory} is being written by another batch-layer command (the lock {path} is held). Wait until it has finished, then run this again.", e);
        }
    }

    public void Dispose() => _file.Dispose();
}

/// <summary>Another writer holds the master dataset's lock.</summary>
public sealed class MasterDatasetLockedException : IOException
{
    public MasterDatasetLockedException()
    {
    }

    public MasterDatasetLockedException(string message) : base(message)
    {
    }

    public MasterDatasetLockedException(string message, Exception innerException) : base(message, innerException)
    {
    }
}
