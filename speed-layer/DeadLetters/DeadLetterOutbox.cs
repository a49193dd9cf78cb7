using Lambda.Core.Contracts;
using Lambda.Core.Transport;
using Lambda.Core.Transport.Kafka;
using Microsoft.Extensions.Logging;

namespace Lambda.SpeedLayer.DeadLetters;

/// <summary>
/// Delivers the speed layer's dead letters to the dead-letter topic and waits until they are durable.
/// The sink is opened at the first delivery, so a run without late events opens none.
/// </summary>
/// <remarks>
/// Kafka: the <c>crypto-deadletter</c> topic the producer also writes. Embedded: the embedded log has one
/// writer per directory (the producer's segment writer is not safe against a second process appending to the
/// same file), so the speed layer writes its own embedded log under
/// <c>&lt;data-dir&gt;/speed-layer/&lt;writer&gt;/topics/crypto-deadletter/</c>, readable like any embedded topic.
/// </remarks>
public sealed class DeadLetterOutbox(KafkaOptions kafka, string dataDirectory, string writer, ILoggerFactory loggers) : IAsyncDisposable
{
    private IEventSink? _sink;

    /// <summary>Dead letters delivered and flushed by this outbox.</summary>
    public long Delivered { get; private set; }

    /// <summary>Where the dead letters of <paramref name="writer"/> go, for messages.</summary>
    public static string Describe(KafkaOptions kafka, string dataDirectory, string writer) =>
        $"{Topics.DeadLetter} in the " + EventLog.Describe(kafka, EmbeddedRoot(dataDirectory, writer));

    /// <summary>The root of the speed layer's own embedded dead-letter log for one writer (e.g. <c>stream-speed-layer</c>).</summary>
    public static string EmbeddedRoot(string dataDirectory, string writer) => Path.Combine(dataDirectory, "speed-layer", writer);

    /// <summary>Publishes the letters and flushes.</summary>
    /// <exception cref="IOException">Some were not delivered within <see cref="KafkaOptions.FlushTimeout"/>; the caller must not checkpoint past them.</exception>
    public async Task DeliverAsync(IReadOnlyList<DeadLetter> letters, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(letters);
        if (letters.Count == 0)
        {
            return;
        }

        _sink ??= EventLog.CreateSink(kafka, EmbeddedRoot(dataDirectory, writer), loggers, TimeProvider.System);
        var failedBefore = _sink.Statistics.Failed;
        foreach (var letter in letters)
        {
            await _sink.PublishAsync(letter, cancellationToken).ConfigureAwait(false);
        }

        var flushed = await _sink.FlushAsync(kafka.FlushTimeout, cancellationToken).ConfigureAwait(false);
        var failed = _sink.Statistics.Failed - failedBefore;
        if (!flushed.Complete || failed > 0)
        {
            throw new IOException($"{flushed.Undelivered + failed} dead letter(s) of late events were not delivered to {_sink.Name} within {kafka.FlushTimeout}; "
                + "nothing is checkpointed past them, a restart sends them again");
        }

        Delivered += letters.Count;
    }

    public async ValueTask DisposeAsync()
    {
        if (_sink is not null)
        {
            await _sink.DisposeAsync().ConfigureAwait(false);
        }
    }
}
