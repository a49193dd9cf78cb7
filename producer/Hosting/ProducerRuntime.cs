using Lambda.Core.Transport;
using Lambda.Core.Transport.Kafka;
using Lambda.Core.Transport.Live;
using Lambda.Core.Validation;
using Lambda.Producer.Connectors;
using Lambda.Producer.Pipeline;
using Lambda.Producer.Recording;
using Lambda.Producer.Sinks;
using Microsoft.Extensions.Logging;

namespace Lambda.Producer.Hosting;

/// <summary>
/// The producer's one pipeline and everything around it, shared by live runs and replays: the
/// event-log sink (Kafka or embedded), the console sink, the capture recorder, statistics printed
/// every N events, and at the end a flush bounded by the Kafka flush timeout and the final statistics.
/// </summary>
public sealed class ProducerRuntime
{
    private readonly ProducerOptions _options;
    private readonly KafkaOptions _kafka;
    private readonly TextWriter _output;
    private readonly List<IEventSink> _sinks = [];
    private readonly CaptureRecorder? _recorder;
    private long _nextReport;

    public ProducerRuntime(ProducerOptions options, KafkaOptions kafka, string dataDirectory, TextWriter output, ILoggerFactory loggers, TimeProvider clock, IngestStatistics statistics, bool knownSymbolsOnly, RedisOptions? redis = null)
    {
        _options = options;
        _kafka = kafka;
        _output = output;
        Statistics = statistics;
        EventLogDescription = EventLog.Describe(kafka, dataDirectory);
        _sinks.Add(EventLog.CreateSink(kafka, dataDirectory, loggers, clock));
        if (redis is { IsConfigured: true })
        {
            // After the log's sink: an event is handed to the record first, then fanned out.
            _sinks.Add(new RedisSink(redis, loggers.CreateLogger<RedisSink>()));
            EventLogDescription += $" and Redis pub/sub at {redis.Endpoint}";
        }
        if (options.Console)
        {
            _sinks.Add(new ConsoleSink(output));
        }

        if (options.RecordPath is { } path)
        {
            _recorder = new CaptureRecorder(path);
        }

        var validator = new EventValidator(
            new EventValidatorOptions { KnownSymbols = knownSymbolsOnly ? options.Symbols.ToHashSet(StringComparer.Ordinal) : new HashSet<string>() },
            clock);
        Pipeline = new IngestPipeline(validator, _sinks, statistics, clock,
            new IngestRules(new PriceAlertDetector(options.AlertThresholdPercent), options.MinQuoteVolume));
        _nextReport = options.StatisticsEvery;
    }

    public IngestPipeline Pipeline { get; }

    public IngestStatistics Statistics { get; }

    public string EventLogDescription { get; }

    /// <summary>Records a live frame (when recording) and runs it through the pipeline.</summary>
    public async ValueTask AcceptAsync(ReceivedFrame frame, CancellationToken cancellationToken)
    {
        _recorder?.Record(frame);
        await Pipeline.AcceptFrameAsync(frame.Frame, frame.Normalizer, frame.Exchange, frame.Source, cancellationToken).ConfigureAwait(false);
        ReportWhenDue();
    }

    /// <summary>The statistics table every <see cref="ProducerOptions.StatisticsEvery"/> events.</summary>
    public void ReportWhenDue()
    {
        if (_options.StatisticsEvery <= 0 || Statistics.Events < _nextReport)
        {
            return;
        }

        _nextReport = Statistics.Events + _options.StatisticsEvery;
        ProducerReport.WriteSymbols(_output, Statistics);
    }

    /// <summary>Flushes and closes every sink, prints the final statistics, and says whether everything was delivered.</summary>
    public async Task<bool> ShutdownAsync()
    {
        var results = new List<(IEventSink, FlushResult)>();
        foreach (var sink in _sinks)
        {
            var flush = await sink.FlushAsync(_kafka.FlushTimeout, CancellationToken.None).ConfigureAwait(false);
            await sink.DisposeAsync().ConfigureAwait(false);
            results.Add((sink, flush));
        }

        if (_recorder is not null)
        {
            await _recorder.DisposeAsync().ConfigureAwait(false);
            _output.WriteLine($"Recorded {_recorder.Frames} frames to {_recorder.Path}");
        }

        ProducerReport.WriteFinal(_output, Statistics, results);
        // Redis is the live fan-out, fire-and-forget by nature: its failures are reported, not a failed run.
        return results.Where(r => r.Item1 is not RedisSink).All(r => r.Item2.Complete && r.Item1.Statistics.Failed == 0);
    }
}
