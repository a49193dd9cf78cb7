using Confluent.Kafka;
using Lambda.Core.Contracts;
using Microsoft.Extensions.Logging;

namespace Lambda.Core.Transport.Kafka;

/// <summary>
/// Publishes events to Kafka with one long-lived producer: key <c>{exchange}:{symbol}</c>,
/// acks=all and idempotence by default, every delivery report counted, and on disposal a flush
/// bounded by <see cref="KafkaOptions.FlushTimeout"/> that reports what was not delivered.
/// </summary>
public sealed partial class KafkaEventSink : IEventSink
{
    private static readonly TimeSpan QueueFullBackoff = TimeSpan.FromMilliseconds(50);

    private readonly KafkaOptions _options;
    private readonly ILogger _logger;
    private readonly IProducer<byte[], byte[]> _producer;
    private readonly Action<DeliveryReport<byte[], byte[]>> _onDelivery;
    private readonly KafkaErrorLog _errors = new();
    private int _disposed;
    private long _sentAtLastFlush = -1;

    public KafkaEventSink(KafkaOptions options, ILogger<KafkaEventSink> logger)
    {
        _options = options;
        _logger = logger;
        KafkaNativeLibrary.EnsureLoaded();
        _producer = new ProducerBuilder<byte[], byte[]>(KafkaClientSettings.ForProducer(options))
            .SetErrorHandler((_, error) =>
            {
                if (error.IsFatal || _errors.IsNew(error.Code.ToString(), error.Reason))
                {
                    LogClientError(error.Code, error.Reason, error.IsFatal);
                }
            })
            .SetLogHandler((_, message) => LogLibrdkafka(message.Facility, message.Message))
            .Build();
        _onDelivery = OnDelivery;
    }

    public string Name => "kafka";

    public SinkStatistics Statistics { get; } = new();

    public async ValueTask PublishAsync(MarketEvent marketEvent, CancellationToken cancellationToken)
    {
        var message = new Message<byte[], byte[]> { Key = EventKey.Utf8For(marketEvent.Exchange, marketEvent.Symbol), Value = EventSerializer.Serialize(marketEvent) };
        var topic = _options.PhysicalTopic(marketEvent.Topic);
        while (true)
        {
            try
            {
                _producer.Produce(topic, message, _onDelivery);
                Statistics.RecordSent();
                return;
            }
            catch (ProduceException<byte[], byte[]> e) when (e.Error.Code == ErrorCode.Local_QueueFull)
            {
                // Back-pressure: librdkafka's queue is full while the broker is slow or away. Wait for
                // deliveries to drain rather than dropping the event.
                await Task.Delay(QueueFullBackoff, cancellationToken).ConfigureAwait(false);
            }
            catch (KafkaException e)
            {
                throw new EventLogException($"Kafka at {_options.BootstrapServers}: publishing to {topic} failed: {e.Error.Reason} ({e.Error.Code})", e);
            }
        }
    }

    public Task<FlushResult> FlushAsync(TimeSpan timeout, CancellationToken cancellationToken) =>
        Task.Run(() =>
        {
            var sent = Statistics.Sent;
            var result = new FlushResult(_producer.Flush(timeout));
            Interlocked.Exchange(ref _sentAtLastFlush, sent);
            return result;
        }, cancellationToken);

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        // A caller that flushed already (and published nothing since) has had its wait and its report.
        if (Interlocked.Read(ref _sentAtLastFlush) != Statistics.Sent)
        {
            var result = await FlushAsync(_options.FlushTimeout, CancellationToken.None).ConfigureAwait(false);
            if (!result.Complete)
            {
                LogUndelivered(result.Undelivered, _options.FlushTimeout);
            }
        }

        _producer.Dispose();
    }

    private void OnDelivery(DeliveryReport<byte[], byte[]> report)
    {
        if (report.Error.IsError)
        {
            Statistics.RecordFailed();
            LogDeliveryFailed(report.Error.Code, report.Error.Reason);
        }
        else
        {
            Statistics.RecordAcked();
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Kafka delivery failed: {Code} {Reason}")]
    private partial void LogDeliveryFailed(ErrorCode code, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "{Undelivered} messages were not delivered within the flush timeout {Timeout}")]
    private partial void LogUndelivered(long undelivered, TimeSpan timeout);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Kafka producer: {Code} {Reason} (fatal: {IsFatal})")]
    private partial void LogClientError(ErrorCode code, string reason, bool isFatal);

    [LoggerMessage(Level = LogLevel.Debug, Message = "librdkafka {Facility}: {Message}")]
    private partial void LogLibrdkafka(string facility, string message);
}
