using System.Diagnostics.Metrics;
using Lambda.Core.Transport;

namespace Lambda.SpeedLayer.Metrics;

/// <summary>A run's figures so far, as the meter reads them.</summary>
/// <param name="Events">Messages read from the log.</param>
/// <param name="WindowsClosed">Windows closed and written (candles and ticker stats).</param>
/// <param name="PartsWritten">View files written (stream mode: closed parts; batch mode: the views).</param>
public readonly record struct SpeedFigures(long Events, long Undeserializable, long Late, long Duplicates, long WindowsClosed, long PartsWritten, long DeadLetters);

/// <summary>
/// The speed layer's instruments, meter <c>Lambda.SpeedLayer</c>, tagged with the mode (<c>batch</c>,
/// <c>stream</c>): events, undeserializable, late, duplicates, windows closed, parts written, dead letters,
/// and in stream mode the consumer lag per partition. They are observable: the meter reads the run's own
/// totals when an exporter collects, so the hot path pays nothing for them.
/// </summary>
/// <remarks>
/// Made by the command before its telemetry and disposed after it, so the exporter's last collection at exit
/// still finds the instruments and reads the final figures.
/// </remarks>
public sealed class SpeedMetrics : IDisposable
{
    public const string MeterName = "Lambda.SpeedLayer";

    private readonly Meter _meter;
    private readonly KeyValuePair<string, object?> _mode;
    private Func<SpeedFigures> _figures = static () => default;
    private Func<IReadOnlyList<PartitionLag>> _lag = static () => [];

    public SpeedMetrics(string mode, IMeterFactory? meters = null)
    {
        _mode = new("mode", mode);
        _meter = meters?.Create(MeterName) ?? new Meter(MeterName);
        Counter("lambda.speed.events", "{event}", "Events read from the log", f => f.Events);
        Counter("lambda.speed.undeserializable", "{message}", "Messages that are not events", f => f.Undeserializable);
        Counter("lambda.speed.late", "{event}", "Events behind the watermark", f => f.Late);
        Counter("lambda.speed.duplicates", "{event}", "Events already counted (replayed klines, repeated trade ids)", f => f.Duplicates);
        Counter("lambda.speed.windows_closed", "{window}", "Windows closed", f => f.WindowsClosed);
        Counter("lambda.speed.parts_written", "{file}", "View files written", f => f.PartsWritten);
        Counter("lambda.speed.dead_letters", "{event}", "Late events sent to the dead-letter topic", f => f.DeadLetters);
        _meter.CreateObservableGauge("lambda.speed.consumer_lag", ObserveLag, "{message}", "Messages behind the end of each partition read");
    }

    public Meter Meter => _meter;

    /// <summary>Where the instruments read from: the running job's totals and its source's lag.</summary>
    public void Observe(Func<SpeedFigures> figures, Func<IReadOnlyList<PartitionLag>>? lag = null)
    {
        _figures = figures;
        _lag = lag ?? (static () => []);
    }

    public void Dispose() => _meter.Dispose();

    private void Counter(string name, string unit, string description, Func<SpeedFigures, long> figure) =>
        _meter.CreateObservableCounter(name, () => new Measurement<long>(figure(_figures()), _mode), unit, description);

    private IEnumerable<Measurement<long>> ObserveLag()
    {
        foreach (var lag in _lag())
        {
            yield return new Measurement<long>(lag.Messages, _mode, new("topic", lag.Topic), new("partition", lag.Partition));
        }
    }
}
