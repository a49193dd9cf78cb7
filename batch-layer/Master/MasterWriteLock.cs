using Lambda.Core.Storage;

namespace Lambda.BatchLayer.Master;

/// <summary>The master dataset's single-writer lock: the <see cref="WriterLock"/> of <c>master/</c>.</summary>
internal static class MasterWriteLock
{
    public static WriterLock Acquire(string masterDirectory)
    {
        try
        {
            return WriterLock.Acquire(masterDirectory, path =>
                $"The master dataset {masterDirectory} is being written by another batch-layer command (the lock {path} is held). Wait until it has finished, then run this again.");
        }
        catch (WriterLockedException e)
        {
            throw new MasterDatasetLockedException(e.Message, e.InnerException ?? e);
        }
    }
}

/// <summary>Another writer holds the master dataset's lock.</summary>
public sealed class MasterDatasetLockedException : WriterLockedException
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
