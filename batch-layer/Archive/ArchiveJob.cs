using System.Diagnostics;
using System.Text.Json;
using Lambda.BatchLayer.Master;
using Lambda.Core.Progress;
using Lambda.Core.Contracts;
using Lambda.Core.Klines;
using Lambda.Core.Transport;

namespace Lambda.BatchLayer.Archive;

/// <summary>What one <c>batch-layer archive</c> run read, stored and skipped.</summary>
/// <param name="Rejected">Closed klines the master dataset cannot hold (<see cref="KlineRules"/>, malformed names): counted and shown, never stored.</param>
/// <param name="Examples">Up to ten undeserializable or rejected messages, with their log position and reason.</param>
/// <param name="Interrupted">Ctrl+C stopped the reading; what was read up to then was stored and committed.</param>
public sealed record ArchiveResult(
    long MessagesRead,
    long Closed,
    long OpenSkipped,
    long Undeserializable,
    long Rejected,
    MasterWriteResult Written,
    int Commits,
    IReadOnlyList<string> Examples,
    TimeSpan Elapsed,
    bool Interrupted);

/// <summary>
/// <c>batch-layer archive</c>: reads <c>crypto-klines</c> from this job's own committed positions to
/// the end of the log as of the start, keeps the closed klines (an open kline is a provisional update
/// that its closed version supersedes), and stores them in the master dataset with origin
/// <c>archive</c>, in batches: each batch is written to the master dataset first and its positions
/// are committed only after that succeeded. A crash between the two re-reads the batch next time and
/// the master's idempotence makes that harmless; a second run reads nothing it has committed.
/// </summary>
public sealed class ArchiveJob(IEventSource source, MasterDataset master, int batchSize = ArchiveJob.DefaultBatchSize)
{
    public const int DefaultBatchSize = 50_000;
    public const string DefaultConsumer = "batch-layer-archive";

    private const int MaxExamples = 10;

    private readonly Dictionary<(string Exchange, string Symbol, string Interval), List<Kline>> _pending = [];
    private readonly Dictionary<(string Topic, string Partition), LogPosition> _positions = [];
    private readonly List<string> _examples = [];
    private long _read, _closed, _open, _undeserializable, _rejected;
    private int _inBatch, _commits;
    private MasterWriteResult _written = MasterWriteResult.None;

    /// <param name="progress">Counts committed batches as steps and messages read as rows.</param>
    /// <exception cref="ArgumentException">Never for bad events (they are counted); only for programming errors.</exception>
    public async Task<ArchiveResult> RunAsync(WorkProgress progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(progress);
        var clock = Stopwatch.StartNew();
        var interrupted = false;
        try
        {
            await foreach (var message in source.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                _read++;
                progress.AddRows(1);
                _positions[(message.Position.Topic, message.Position.Partition)] = message.Position;
                _inBatch++;
                Take(message);
                if (_inBatch >= batchSize)
                {
                    await StoreAndCommitAsync(progress, cancellationToken).ConfigureAwait(false);
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            interrupted = true;
        }

        // Ctrl+C included: what was read is stored and committed, so the next run goes on from there.
        await StoreAndCommitAsync(progress, CancellationToken.None).ConfigureAwait(false);
        return new ArchiveResult(_read, _closed, _open, _undeserializable, _rejected, _written, _commits, _examples, clock.Elapsed, interrupted);
    }

    private void Take(ConsumedMessage message)
    {
        if (!EventSerializer.TryDeserialize(Topics.Klines, message.Value.Span, out var marketEvent, out var unreadable))
        {
            _undeserializable++;
            Example(message, $"undeserializable: {unreadable}");
            return;
        }

        var kline = (KlineEvent)marketEvent;

        if (!kline.IsClosed)
        {
            _open++;
            return;
        }

        var candle = new Kline(kline.OpenTime, kline.CloseTime, kline.Open, kline.High, kline.Low, kline.Close, kline.Volume, kline.QuoteVolume, kline.Trades);
        var problem = !SymbolFormat.IsValid(kline.Symbol) ? $"symbol '{kline.Symbol}' is not upper-case letters and digits"
            : kline.Exchange.Length is 0 or > 32 || !kline.Exchange.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c)) ? $"exchange '{kline.Exchange}' is not lower-case letters and digits"
            : KlineRules.Problem(candle, kline.Interval);
        if (problem is not null)
        {
            _rejected++;
            Example(message, $"rejected: {problem}");
            return;
        }

        _closed++;
        var key = (kline.Exchange, kline.Symbol, kline.Interval);
        if (!_pending.TryGetValue(key, out var list))
        {
            _pending[key] = list = [];
        }

        list.Add(candle);
    }

    private async Task StoreAndCommitAsync(WorkProgress progress, CancellationToken cancellationToken)
    {
        if (_inBatch == 0)
        {
            return;
        }

        foreach (var ((exchange, symbol, interval), klines) in _pending)
        {
            progress.Working($"{exchange} {symbol} {interval}");
            _written += await master.AddAsync(exchange, symbol, interval, klines, MasterOrigins.Archive, cancellationToken).ConfigureAwait(false);
        }

        // Only now, with the klines durable in the master dataset, may the log forget them.
        await source.CommitAsync(_positions.Values, cancellationToken).ConfigureAwait(false);
        _commits++;
        progress.StepDone();
        _pending.Clear();
        _positions.Clear();
        _inBatch = 0;
    }

    private void Example(ConsumedMessage message, string reason)
    {
        if (_examples.Count < MaxExamples)
        {
            _examples.Add($"{message.Topic} {message.Position.Partition}@{message.Position.Offset}: {reason}");
        }
    }
}
