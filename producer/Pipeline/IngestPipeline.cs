using System.Text;
using Lambda.Core.Contracts;
using Lambda.Core.Transport;
using Lambda.Core.Validation;
using Lambda.Producer.Normalization;

namespace Lambda.Producer.Pipeline;

/// <summary>What the pipeline does beyond validating: alerts and the ticker volume filter.</summary>
/// <param name="Alerts">Detects price moves; null for no alerts.</param>
/// <param name="MinQuoteVolume">Tickers with a lower 24 h quote volume are filtered out (counted).</param>
public sealed record IngestRules(PriceAlertDetector? Alerts = null, double MinQuoteVolume = 0);

/// <summary>
/// The producer's path for every input, live or replayed: normalizer → validator → filter → sinks,
/// then the alert detector. Input that fails is dead-lettered with its reason and counted, never
/// dropped and never fatal. One pipeline takes frames one at a time, in order (it is not thread-safe).
/// </summary>
public sealed class IngestPipeline(EventValidator validator, IReadOnlyList<IEventSink> sinks, IngestStatistics statistics, TimeProvider clock, IngestRules? rules = null)
{
    private readonly IngestRules _rules = rules ?? new IngestRules();

    private readonly List<MarketEvent> _normalized = [];

    public IngestStatistics Statistics => statistics;

    /// <summary>One raw frame from an exchange connection (or a capture of one).</summary>
    public async ValueTask AcceptFrameAsync(ReadOnlyMemory<byte> frame, IFrameNormalizer normalizer, string exchange, string source, CancellationToken cancellationToken)
    {
        statistics.RecordFrame();
        _normalized.Clear();
        var outcome = normalizer.Normalize(frame.Span, source, _normalized);
        switch (outcome.Kind)
        {
            case FrameKind.Ignored:
                statistics.RecordIgnored();
                return;
            case FrameKind.Malformed:
                await DeadLetterAsync(exchange, "", source, "malformed", outcome.Reason ?? "malformed frame", new RawInput(frame, null), cancellationToken).ConfigureAwait(false);
                return;
        }

        foreach (var marketEvent in _normalized)
        {
            await AcceptAsync(marketEvent, new RawInput(frame, null), cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>An event made directly from a line of text (a klines CSV row), with that line for the dead letter.</summary>
    public ValueTask AcceptEventAsync(MarketEvent marketEvent, string raw, CancellationToken cancellationToken) =>
        AcceptAsync(marketEvent, new RawInput(default, raw), cancellationToken);

    private async ValueTask AcceptAsync(MarketEvent marketEvent, RawInput raw, CancellationToken cancellationToken)
    {
        var result = validator.Validate(marketEvent);
        if (!result.IsValid)
        {
            await DeadLetterAsync(marketEvent.Exchange, marketEvent.Symbol, marketEvent.Source, result.Rule!, result.ToString(), raw, cancellationToken).ConfigureAwait(false);
            return;
        }

        if (marketEvent is TickerEvent ticker && ticker.QuoteVolume < _rules.MinQuoteVolume)
        {
            statistics.RecordFiltered();
            return;
        }

        await PublishAsync(marketEvent, cancellationToken).ConfigureAwait(false);
        if (_rules.Alerts?.Observe(marketEvent) is { } alert)
        {
            await PublishAsync(alert, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Input that never became an event (a CSV row that does not parse).</summary>
    public ValueTask RejectAsync(string exchange, string symbol, string source, string reason, ReadOnlyMemory<byte> raw, CancellationToken cancellationToken) =>
        DeadLetterAsync(exchange, symbol, source, "malformed", reason, new RawInput(raw, null), cancellationToken);

    /// <summary>A line of text that never became an event (a CSV row that does not parse).</summary>
    public ValueTask RejectAsync(string exchange, string symbol, string source, string reason, string raw, CancellationToken cancellationToken) =>
        DeadLetterAsync(exchange, symbol, source, "malformed", reason, new RawInput(default, raw), cancellationToken);

    private async ValueTask DeadLetterAsync(string exchange, string symbol, string source, string rule, string reason, RawInput raw, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        statistics.RecordDeadLetter(rule);
        await PublishAsync(new DeadLetter
        {
            Exchange = Exchanges.All.Contains(exchange) ? exchange : Exchanges.Binance,
            Symbol = symbol,
            EventTime = now.ToUnixTimeMilliseconds(),
            Source = source,
            Reason = reason,
            Raw = raw.Text ?? Encoding.UTF8.GetString(raw.Bytes.Span),
            ReceivedAt = now,
        }, cancellationToken).ConfigureAwait(false);
    }

    private async ValueTask PublishAsync(MarketEvent marketEvent, CancellationToken cancellationToken)
    {
        statistics.RecordEvent(marketEvent);
        // By index: a foreach over the interface would allocate an enumerator for every event.
        for (var i = 0; i < sinks.Count; i++)
        {
            await sinks[i].PublishAsync(marketEvent, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// What an event was made from, as it came: a frame's bytes or a CSV row's text. It becomes a dead letter's text
    /// only when one is written, so the events that pass (nearly all) cost no copy of their input.
    /// </summary>
    private readonly record struct RawInput(ReadOnlyMemory<byte> Bytes, string? Text);
}
