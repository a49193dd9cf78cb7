using Lambda.Core.Contracts;

namespace Lambda.Core.Transport;

/// <summary>
/// Where the producer's events go: Kafka, the embedded topic files, the console. Publishing hands an
/// event over; <see cref="FlushAsync"/> waits until what was handed over is delivered.
/// </summary>
public interface IEventSink : IAsyncDisposable
{
    /// <summary>A short name for logs and statistics, e.g. <c>kafka</c>.</summary>
    string Name { get; }

    SinkStatistics Statistics { get; }

    /// <summary>Hands one event over. Completes synchronously unless the sink must apply back-pressure.</summary>
    ValueTask PublishAsync(MarketEvent marketEvent, CancellationToken cancellationToken);

    /// <summary>Waits at most <paramref name="timeout"/> for every published event to be delivered.</summary>
    /// <returns>How many events were still undelivered when it returned.</returns>
    Task<FlushResult> FlushAsync(TimeSpan timeout, CancellationToken cancellationToken);
}

/// <summary>The outcome of a flush: zero undelivered means everything published is durable.</summary>
public readonly record struct FlushResult(long Undelivered)
{
    public bool Complete => Undelivered == 0;
}
