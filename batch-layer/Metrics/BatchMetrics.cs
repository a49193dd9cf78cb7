using System.Diagnostics.Metrics;
using Lambda.BatchLayer.Master;
using Lambda.Core.Transport;

namespace Lambda.BatchLayer.Metrics;

/// <summary>
/// The batch layer's instruments, meter <c>Lambda.BatchLayer</c>, each tagged with the command that did the
/// work: rows read (CSV rows, fetched klines, messages, master rows), klines added to the master dataset,
/// rows refused (bad, conflicting, undeserializable), rows written to the batch views, and, where a command
/// reads the log (<c>archive</c>), its consumer lag per partition. Recorded as each command finishes.
/// </summary>
/// <remarks>Made by the command before its telemetry and disposed after it, so the last export at exit sees the figures.</remarks>
public sealed class BatchMetrics : IDisposable
{
    public const string MeterName = "Lambda.BatchLayer";

    private readonly Meter _meter;
    private readonly KeyValuePair<string, object?> _command;
    private readonly Counter<long> _rowsRead;
    private readonly Counter<long> _klinesAdded;
    private readonly Counter<long> _rejected;
    private readonly Counter<long> _viewRows;
    private Func<IReadOnlyList<PartitionLag>> _lag = static () => [];

    public BatchMetrics(string command, IMeterFactory? meters = null)
    {
        _command = new("command", command);
        _meter = meters?.Create(MeterName) ?? new Meter(MeterName);
        _rowsRead = _meter.CreateCounter<long>("lambda.batch.rows_read", "{row}", "Rows, klines or messages read");
        _klinesAdded = _meter.CreateCounter<long>("lambda.batch.klines_added", "{kline}", "Klines added to the master dataset");
        _rejected = _meter.CreateCounter<long>("lambda.batch.rejected", "{row}", "Rows or messages refused (bad, conflicting, undeserializable)");
        _viewRows = _meter.CreateCounter<long>("lambda.batch.view_rows", "{row}", "Rows written to the batch views, by view");
        _meter.CreateObservableGauge("lambda.batch.consumer_lag", ObserveLag, "{message}", "Messages behind the end of each partition read");
    }

    /// <summary>Where the consumer lag is read from while a command reads the log; null when it is done.</summary>
    public void ObserveLag(IEventSource? source) => _lag = source is null ? static () => [] : source.Lag;

    /// <summary>What a command that writes the master dataset did.</summary>
    public void Stored(long read, MasterWriteResult written, long refused)
    {
        ArgumentNullException.ThrowIfNull(written);
        _rowsRead.Add(read, _command);
        _klinesAdded.Add(written.Added, _command);
        _rejected.Add(refused + written.Conflicting, _command);
    }

    /// <summary>What <c>build</c> read and wrote.</summary>
    public void Built(long read, long candles, long metrics)
    {
        _rowsRead.Add(read, _command);
        _viewRows.Add(candles, _command, new("view", "daily_candles"));
        _viewRows.Add(metrics, _command, new("view", "daily_metrics"));
    }

    public void Dispose() => _meter.Dispose();

    private IEnumerable<Measurement<long>> ObserveLag()
    {
        foreach (var lag in _lag())
        {
            yield return new Measurement<long>(lag.Messages, _command, new("topic", lag.Topic), new("partition", lag.Partition));
        }
    }
}
