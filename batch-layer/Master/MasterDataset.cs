using System.Globalization;
using Lambda.Core.Contracts;
using Lambda.Core.Klines;
using Lambda.Core.Views;
using Lambda.Core.Storage;

namespace Lambda.BatchLayer.Master;

/// <summary>
/// The immutable master dataset under <c>&lt;data&gt;/master/klines/</c>: Parquet, partitioned
/// <c>exchange=&lt;ex&gt;/symbol=&lt;SYM&gt;/interval=&lt;iv&gt;/month=&lt;yyyy-MM&gt;/klines.parquet</c> (hive style, so
/// DuckDB and Spark read it with <c>hive_partitioning</c>). Rows of a file are in open_time order, one
/// row per open time.
/// </summary>
/// <remarks>
/// One writer per data directory: the first <see cref="AddAsync"/> takes <c>master/.lock</c> and holds it
/// until <see cref="Dispose"/> (or the process ends), so a second writer fails at once with a
/// <see cref="MasterDatasetLockedException"/> instead of interleaving month rewrites. Readers need no lock:
/// every month file is replaced atomically, so they see it before or after a write, never half of it.
/// </remarks>
public sealed class MasterDataset(string dataDirectory) : IDisposable
{
    public const string FileName = "klines.parquet";

    private WriterLock? _lock;
    private bool _disposed;

    /// <summary><c>&lt;data&gt;/master</c>, where the lock file lives.</summary>
    public string MasterDirectory { get; } = Path.Combine(Path.GetFullPath(dataDirectory), "master");

    /// <summary><c>&lt;data&gt;/master/klines</c>, the root of the partitions (what DuckDB globs: <c>klines/**/*.parquet</c>).</summary>
    public string KlinesDirectory => Path.Combine(MasterDirectory, "klines");

    /// <summary>
    /// Adds klines (times in Unix ms, Binance style close inclusive) of one exchange/symbol/interval;
    /// idempotent: a kline already present (same open_time) is left as it is; a different value for an
    /// existing open_time is counted as Conflicting and not written (first write wins, also within one
    /// call); rewrites the touched month files atomically.
    /// </summary>
    /// <param name="exchange">Lower-cased; letters and digits.</param>
    /// <param name="symbol">Upper-cased; letters and digits (<see cref="SymbolFormat"/>).</param>
    /// <param name="origin">One of <see cref="MasterOrigins"/>.</param>
    /// <exception cref="ArgumentException">A name is malformed, or a kline breaks <see cref="KlineRules"/> (nothing is written then).</exception>
    /// <exception cref="MasterDatasetLockedException">Another writer holds the lock.</exception>
    public async Task<MasterWriteResult> AddAsync(string exchange, string symbol, string interval, IReadOnlyCollection<Kline> klines, string origin, CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        ArgumentNullException.ThrowIfNull(klines);
        (exchange, symbol) = CheckNames(exchange, symbol, interval);
        if (!MasterOrigins.All.Contains(origin))
        {
            throw new ArgumentException($"origin '{origin}' is not one of {string.Join(", ", MasterOrigins.All)}", nameof(origin));
        }

        foreach (var kline in klines)
        {
            if (KlineRules.Problem(kline, interval) is { } problem)
            {
                throw new ArgumentException($"{exchange} {symbol} {interval}: kline {kline.OpenTime} cannot be stored: {problem}", nameof(klines));
            }
        }

        if (klines.Count == 0)
        {
            return MasterWriteResult.None;
        }

        _lock ??= MasterWriteLock.Acquire(MasterDirectory);
        var ingestedAt = DateTimeOffset.UtcNow;
        var total = MasterWriteResult.None;
        foreach (var month in klines.GroupBy(k => MonthOf(k.OpenTime)).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            cancellationToken.ThrowIfCancellationRequested();
            var path = PartitionPath(exchange, symbol, interval, month.Key);
            total += await MergeMonthAsync(new MasterPartition(exchange, symbol, interval, month.Key, path), month, origin, ingestedAt, cancellationToken).ConfigureAwait(false);
        }

        return total;
    }

    /// <summary>What is stored, ordered by exchange, symbol, interval and month.</summary>
    public IReadOnlyList<MasterPartition> Partitions()
    {
        var partitions = new List<MasterPartition>();
        if (!Directory.Exists(KlinesDirectory))
        {
            return partitions;
        }

        foreach (var exchangeDir in Directory.EnumerateDirectories(KlinesDirectory, "exchange=*"))
        {
            foreach (var symbolDir in Directory.EnumerateDirectories(exchangeDir, "symbol=*"))
            {
                foreach (var intervalDir in Directory.EnumerateDirectories(symbolDir, "interval=*"))
                {
                    foreach (var monthDir in Directory.EnumerateDirectories(intervalDir, "month=*"))
                    {
                        var file = Path.Combine(monthDir, FileName);
                        if (File.Exists(file))
                        {
                            partitions.Add(new MasterPartition(Value(exchangeDir), Value(symbolDir), Value(intervalDir), Value(monthDir), file));
                        }
                    }
                }
            }
        }

        partitions.Sort(static (a, b) =>
        {
            var c = string.CompareOrdinal(a.Exchange, b.Exchange);
            c = c != 0 ? c : string.CompareOrdinal(a.Symbol, b.Symbol);
            c = c != 0 ? c : string.CompareOrdinal(a.Interval, b.Interval);
            return c != 0 ? c : string.CompareOrdinal(a.Month, b.Month);
        });
        return partitions;
    }

    /// <summary>The rows of one partition in open_time order.</summary>
    /// <exception cref="ParquetException">The file is damaged (the message names it).</exception>
    public IEnumerable<MasterKline> Read(MasterPartition partition)
    {
        ArgumentNullException.ThrowIfNull(partition);
        using var reader = ParquetFileReader.Open(partition.Path);
        foreach (var row in reader.Read(MasterKlineMap.Instance))
        {
            yield return row;
        }
    }

    /// <summary>The klines of one partition in open_time order, reading only the kline columns (no origin, no ingestion time).</summary>
    public IEnumerable<Kline> ReadKlines(MasterPartition partition)
    {
        ArgumentNullException.ThrowIfNull(partition);
        using var reader = ParquetFileReader.Open(partition.Path);
        foreach (var row in reader.ReadRows(new ParquetReadOptions { Columns = MasterKlineMap.Instance.KlineColumns }))
        {
            yield return MasterKlineMap.ReadKline(row);
        }
    }

    /// <summary>Rows stored in one partition, from its footer.</summary>
    public static long CountRows(MasterPartition partition)
    {
        ArgumentNullException.ThrowIfNull(partition);
        using var reader = ParquetFileReader.Open(partition.Path);
        return reader.RowCount;
    }

    /// <summary>The partition (<c>yyyy-MM</c>) of a kline: the UTC month of its open time.</summary>
    public static string MonthOf(long openTime) =>
        DateTimeOffset.FromUnixTimeMilliseconds(openTime).ToString("yyyy-MM", CultureInfo.InvariantCulture);

    public string PartitionPath(string exchange, string symbol, string interval, string month) =>
        Path.Combine(KlinesDirectory, $"exchange={exchange}", $"symbol={symbol}", $"interval={interval}", $"month={month}", FileName);

    public void Dispose()
    {
        _disposed = true;
        _lock?.Dispose();
        _lock = null;
    }

    private static (string Exchange, string Symbol) CheckNames(string exchange, string symbol, string interval)
    {
        ArgumentNullException.ThrowIfNull(exchange);
        ArgumentNullException.ThrowIfNull(symbol);
        ArgumentNullException.ThrowIfNull(interval);
        var ex = exchange.Trim().ToLowerInvariant();
        if (ex.Length is 0 or > 32 || !ex.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c)))
        {
            throw new ArgumentException($"exchange '{exchange}' is not a name of letters and digits", nameof(exchange));
        }

        var sym = symbol.Trim().ToUpperInvariant();
        if (!SymbolFormat.IsValid(sym))
        {
            throw new ArgumentException($"symbol '{symbol}' is not letters and digits (e.g. BTCUSDT)", nameof(symbol));
        }

        if (!KlineIntervals.TryGetLength(interval, out _))
        {
            throw new ArgumentException($"interval '{interval}' is not a Binance kline interval ({string.Join(", ", KlineIntervals.All)})", nameof(interval));
        }

        return (ex, sym);
    }

    private async Task<MasterWriteResult> MergeMonthAsync(MasterPartition partition, IEnumerable<Kline> incoming, string origin, DateTimeOffset ingestedAt, CancellationToken cancellationToken)
    {
        var rows = new Dictionary<long, MasterKline>();
        if (File.Exists(partition.Path))
        {
            foreach (var row in Read(partition))
            {
                rows.TryAdd(row.Kline.OpenTime, row);
            }
        }

        long added = 0, unchanged = 0, conflicting = 0;
        foreach (var kline in incoming)
        {
            if (rows.TryGetValue(kline.OpenTime, out var stored))
            {
                if (stored.Kline.Equals(kline))
                {
                    unchanged++;
                }
                else
                {
                    conflicting++;
                }

                continue;
            }

            rows.Add(kline.OpenTime, new MasterKline(kline, origin, ingestedAt));
            added++;
        }

        if (added > 0)
        {
            var ordered = rows.Values.OrderBy(r => r.Kline.OpenTime).ToList();
            await AtomicFile.WriteAsync(partition.Path, Encode(partition, ordered), cancellationToken).ConfigureAwait(false);
        }

        return new MasterWriteResult(added, unchanged, conflicting);
    }

    private static byte[] Encode(MasterPartition partition, List<MasterKline> rows)
    {
        var options = new ParquetWriterOptions { Compression = ParquetCompression.Snappy };
        options.KeyValueMetadata[ViewLayout.LayerKey] = ViewLayout.Master.Layer;
        options.KeyValueMetadata[ViewLayout.Master.PartitionKey] = $"exchange={partition.Exchange}/symbol={partition.Symbol}/interval={partition.Interval}/month={partition.Month}";
        using var stream = new MemoryStream();
        using (var writer = new ParquetFileWriter(stream, MasterKlineMap.Instance.Schema, options))
        {
            foreach (var row in rows)
            {
                writer.Write(row, MasterKlineMap.Instance);
            }

            writer.Close();
        }

        return stream.ToArray();
    }

    private static string Value(string directory)
    {
        var name = Path.GetFileName(directory);
        return name[(name.IndexOf('=', StringComparison.Ordinal) + 1)..];
    }
}
