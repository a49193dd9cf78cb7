using System.Globalization;
using System.Text;
using Lambda.Core.Storage;

namespace Lambda.SpeedLayer.Stream;

/// <summary>
/// Fencing of one shard. A member that is given the shard takes the next epoch: it increments the counter
/// <c>shard-&lt;n&gt;.epoch</c> in the group's checkpoint folder. Every write of the shard's output (parts, live view,
/// checkpoint) happens under the exclusive lock <c>shard-&lt;n&gt;.lock</c> beside it, after checking that the counter
/// still holds the member's epoch. A member that stalled past its session timeout while the group gave the
/// shard to another (a zombie) finds a larger epoch when it wakes, and its write is refused.
/// </summary>
/// <remarks>
/// The lock is an advisory <c>flock</c> (what <see cref="FileShare.None"/> takes on Unix), so the members must share
/// the data directory on a file system that honours it (local disks, NFSv4). Taking the epoch waits for a write
/// in progress under the previous epoch to finish, so the new holder loads the checkpoint that write produced.
/// </remarks>
internal sealed class ShardFence
{
    private static readonly TimeSpan Retry = TimeSpan.FromMilliseconds(20);

    private readonly string _epochPath;
    private readonly string _lockPath;

    private ShardFence(string epochPath, string lockPath, long epoch)
    {
        _epochPath = epochPath;
        _lockPath = lockPath;
        Epoch = epoch;
    }

    /// <summary>This member's epoch of the shard.</summary>
    public long Epoch { get; }

    /// <summary>No member took the shard since this epoch (read without the lock: a hint, the writes still check under it).</summary>
    public bool IsCurrent => Current(_epochPath) == Epoch;

    /// <summary>The epoch a fence would check against now (0 before any member took the shard).</summary>
    public static long Current(string epochPath) =>
        File.Exists(epochPath) ? long.Parse(File.ReadAllText(epochPath).Trim(), NumberStyles.None, CultureInfo.InvariantCulture) : 0;

    /// <summary>Takes the next epoch of the shard: from now on, writes under an earlier epoch are refused.</summary>
    public static ShardFence Take(SpeedStreamLayout layout, int shard, CancellationToken cancellationToken)
    {
        var (epochPath, lockPath) = (layout.EpochPath(shard), layout.FenceLockPath(shard));
        Directory.CreateDirectory(Path.GetDirectoryName(epochPath)!);
        using var held = Lock(lockPath, cancellationToken);
        var epoch = Current(epochPath) + 1;
        AtomicFile.Write(epochPath, Encoding.ASCII.GetBytes(epoch.ToString(CultureInfo.InvariantCulture) + "\n"));
        return new ShardFence(epochPath, lockPath, epoch);
    }

    /// <summary>
    /// The lock for one write of the shard's output, or null when another member took a later epoch (the
    /// write must not happen; <paramref name="current"/> tells the epoch found).
    /// </summary>
    public IDisposable? Enter(out long current, CancellationToken cancellationToken)
    {
        var held = Lock(_lockPath, cancellationToken);
        current = Current(_epochPath);
        if (current == Epoch)
        {
            return held;
        }

        held.Dispose();
        return null;
    }

    private static FileStream Lock(string path, CancellationToken cancellationToken)
    {
        while (true)
        {
            try
            {
                return new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            }
            catch (IOException) when (File.Exists(path))
            {
                // Held by another member for one write: wait for it (it is short; a frozen holder is waited for, since
                // its write, under the epoch it holds, is legitimate and the checkpoint it leaves is the one to load).
                cancellationToken.WaitHandle.WaitOne(Retry);
                cancellationToken.ThrowIfCancellationRequested();
            }
        }
    }
}
