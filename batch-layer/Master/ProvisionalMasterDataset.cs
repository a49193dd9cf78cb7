using System.Globalization;
using System.Text.Json;
using Lambda.Core.Klines;
using Lambda.Core.Storage;

namespace Lambda.BatchLayer.Master;

// PROVISIONAL: the master dataset is built on branch batch-import (Parquet partitions). This file
// only carries its agreed public API, with a small JSON-lines implementation, so that backfill and
// archive can be written and tested before that branch lands. It is deleted when batch-import is
// merged into this branch.

/// <summary>The immutable master dataset under <c>master/</c>: one file per exchange/symbol/interval/month.</summary>
public sealed class MasterDataset(string dataDirectory)
{
    private readonly string _root = Path.Combine(dataDirectory, "master");
    private readonly SemaphoreSlim _gate = new(1, 1);

    /// <summary>Stores klines not stored yet; idempotent, the first write of an open time wins.</summary>
    public async Task<MasterWriteResult> AddAsync(string exchange, string symbol, string interval, IReadOnlyCollection<Kline> klines, string origin, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(klines);
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var result = MasterWriteResult.None;
            foreach (var month in klines.GroupBy(k => Month(k.OpenTime)))
            {
                var path = Path.Combine(_root, exchange, symbol, interval, month.Key + ".jsonl");
                var stored = ReadFile(path).ToDictionary(k => k.Kline.OpenTime);
                long added = 0, unchanged = 0, conflicting = 0;
                foreach (var kline in month)
                {
                    if (!stored.TryGetValue(kline.OpenTime, out var existing))
                    {
                        stored[kline.OpenTime] = new MasterKline(kline, origin, DateTimeOffset.UtcNow);
                        added++;
                    }
                    else if (existing.Kline == kline)
                    {
                        unchanged++;
                    }
                    else
                    {
                        conflicting++;
                    }
                }

                if (added > 0)
                {
                    var lines = stored.Values.OrderBy(k => k.Kline.OpenTime).Select(k => JsonSerializer.Serialize(new Row(k.Kline, k.Origin, k.IngestedAt.ToUnixTimeMilliseconds())));
                    await AtomicFile.WriteAsync(path, System.Text.Encoding.UTF8.GetBytes(string.Join('\n', lines) + "\n"), cancellationToken).ConfigureAwait(false);
                }

                result += new MasterWriteResult(added, unchanged, conflicting);
            }

            return result;
        }
        finally
        {
            _gate.Release();
        }
    }

    public IReadOnlyList<MasterPartition> Partitions() => !Directory.Exists(_root)
        ? []
        : [.. Directory.EnumerateFiles(_root, "*.jsonl", SearchOption.AllDirectories).Order(StringComparer.Ordinal).Select(path =>
        {
            var parts = Path.GetRelativePath(_root, path).Split(Path.DirectorySeparatorChar);
            return new MasterPartition(parts[0], parts[1], parts[2], Path.GetFileNameWithoutExtension(parts[3]), path);
        })];

    public IEnumerable<MasterKline> Read(MasterPartition partition)
    {
        ArgumentNullException.ThrowIfNull(partition);
        return ReadFile(partition.Path);
    }

    private static IEnumerable<MasterKline> ReadFile(string path) => !File.Exists(path)
        ? []
        : File.ReadLines(path).Where(l => l.Length > 0).Select(l => JsonSerializer.Deserialize<Row>(l)!)
            .Select(r => new MasterKline(r.Kline, r.Origin, DateTimeOffset.FromUnixTimeMilliseconds(r.IngestedAt))).ToList();

    private static string Month(long openTime) =>
        DateTimeOffset.FromUnixTimeMilliseconds(openTime).ToString("yyyy-MM", CultureInfo.InvariantCulture);

    private sealed record Row(Kline Kline, string Origin, long IngestedAt);
}

public sealed record MasterKline(Kline Kline, string Origin, DateTimeOffset IngestedAt);

public static class MasterOrigins
{
    public const string Import = "import";
    public const string Backfill = "backfill";
    public const string Archive = "archive";
}

public sealed record MasterPartition(string Exchange, string Symbol, string Interval, string Month, string Path);

public sealed record MasterWriteResult(long Added, long Unchanged, long Conflicting)
{
    public static MasterWriteResult None { get; } = new(0, 0, 0);

    public long Total => Added + Unchanged + Conflicting;

    public static MasterWriteResult operator +(MasterWriteResult left, MasterWriteResult right) =>
        new(left.Added + right.Added, left.Unchanged + right.Unchanged, left.Conflicting + right.Conflicting);

    public static MasterWriteResult Add(MasterWriteResult left, MasterWriteResult right) => left + right;
}
