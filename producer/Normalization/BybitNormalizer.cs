using System.Text.Json;
using System.Text.Unicode;
using Lambda.Core.Contracts;

namespace Lambda.Producer.Normalization;

/// <summary>
/// Bybit v5 public spot frames: <c>tickers.{symbol}</c> snapshots → <see cref="TickerEvent"/>,
/// <c>publicTrade.{symbol}</c> → one <see cref="TradeEvent"/> per element of <c>data</c>. Replies to
/// subscribe and ping (<c>{"op":…}</c>, <c>{"ret_msg":"pong"…}</c>) and other topics are ignored.
/// </summary>
/// <param name="clock">Stamps a ticker's processing time (<see cref="TickerEvent.Timestamp"/>).</param>
public sealed class BybitNormalizer(TimeProvider clock) : IFrameNormalizer
{
    private static readonly NormalizationJsonContext Json = NormalizationJsonContext.Default;

    public BybitNormalizer() : this(TimeProvider.System)
    {
    }

    private enum Topic
    {
        None,
        Ticker,
        Trade,
        Other,
    }

    public FrameOutcome Normalize(ReadOnlySpan<byte> frame, string source, ICollection<MarketEvent> output)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(output);

        if (!Utf8.IsValid(frame))
        {
            return FrameOutcome.Malformed(FrameOutcome.NotUtf8);
        }

        Envelope envelope;
        try
        {
            if (!TryScan(frame, out envelope, out var problem))
            {
                return FrameOutcome.Malformed(problem);
            }
        }
        catch (JsonException ex)
        {
            return FrameOutcome.Malformed("invalid JSON: " + ex.Message);
        }

        switch (envelope.Topic)
        {
            case Topic.None:
                return FrameOutcome.Ignored(envelope.ControlLabel ?? "frame without topic");
            case Topic.Other:
                return FrameOutcome.Ignored($"topic '{envelope.TopicName}'");
            case Topic.Ticker when envelope.IsDelta:
                // Spot sends snapshots only; a delta (linear/inverse) holds just the changed fields.
                return FrameOutcome.Ignored("ticker delta");
        }

        if (envelope.TimestampProblem is { } tsProblem)
        {
            return FrameOutcome.Malformed(tsProblem);
        }

        if (envelope.DataKind == JsonTokenType.None)
        {
            return FrameOutcome.Malformed(PayloadReader.Missing("data"));
        }

        var data = frame[envelope.Data];
        return envelope.Topic == Topic.Ticker
            ? Ticker(data, envelope.DataKind, envelope.Timestamp, source, output)
            : Trades(data, envelope.DataKind, envelope.Timestamp, source, output);
    }

    private FrameOutcome Ticker(ReadOnlySpan<byte> json, JsonTokenType kind, long timestamp, string source, ICollection<MarketEvent> output)
    {
        if (kind != JsonTokenType.StartObject)
        {
            return FrameOutcome.Malformed("field 'data' is not an object");
        }

        if (!PayloadReader.TryRead(json, Json.BybitTickerPayload, out var p, out var problem))
        {
            return FrameOutcome.Malformed(problem);
        }

        if (p.FirstMissingField() is { } missing)
        {
            return FrameOutcome.Malformed(PayloadReader.Missing(missing));
        }

        // GetValueOrDefault() after FirstMissingField() proved every value present.
        var last = p.LastPrice.GetValueOrDefault();
        var previous = p.PrevPrice24h.GetValueOrDefault();
        output.Add(new TickerEvent
        {
            Exchange = Exchanges.Bybit,
            Symbol = Symbols.ToContract(p.Symbol!),
            EventTime = timestamp,
            Source = source,
            Price = last,
            Open = previous,
            High = p.HighPrice24h.GetValueOrDefault(),
            Low = p.LowPrice24h.GetValueOrDefault(),
            Volume = p.Volume24h.GetValueOrDefault(),
            QuoteVolume = p.Turnover24h.GetValueOrDefault(),
            // Bybit does not count trades; zero keeps the seed's field with an honest "unknown".
            NumberTrades = 0,
            PriceChange = last - previous,
            PriceChangePercent = p.Price24hFraction.GetValueOrDefault() * 100,
            Timestamp = clock.GetUtcNow(),
        });
        return FrameOutcome.Events;
    }

    private static FrameOutcome Trades(ReadOnlySpan<byte> json, JsonTokenType kind, long timestamp, string source, ICollection<MarketEvent> output)
    {
        if (kind != JsonTokenType.StartArray)
        {
            return FrameOutcome.Malformed("field 'data' is not an array");
        }

        // The syntax was checked by the scan; collect first so a bad element leaves no half frame behind.
        var trades = new List<MarketEvent>(capacity: 4);
        var reader = new Utf8JsonReader(json);
        reader.Read();
        for (var index = 0; reader.Read() && reader.TokenType != JsonTokenType.EndArray; index++)
        {
            if (reader.TokenType != JsonTokenType.StartObject)
            {
                return FrameOutcome.Malformed($"element {index}: not an object");
            }

            var start = (int)reader.TokenStartIndex;
            reader.Skip();
            if (!PayloadReader.TryRead(json[start..(int)reader.BytesConsumed], Json.BybitTradePayload, out var p, out var problem))
            {
                return FrameOutcome.Malformed($"element {index}: {problem}");
            }

            if (p.FirstMissingField() is { } missing)
            {
                return FrameOutcome.Malformed($"element {index}: {PayloadReader.Missing(missing)}");
            }

            trades.Add(new TradeEvent
            {
                Exchange = Exchanges.Bybit,
                Symbol = Symbols.ToContract(p.Symbol!),
                EventTime = timestamp,
                Source = source,
                TradeId = p.TradeId.GetValueOrDefault(),
                Price = p.Price.GetValueOrDefault(),
                Quantity = p.Quantity.GetValueOrDefault(),
                TradeTime = p.TradeTime.GetValueOrDefault(),
                IsBuyerMaker = p.IsBuyerMaker.GetValueOrDefault(),
            });
        }

        if (trades.Count == 0)
        {
            return FrameOutcome.Ignored("no trades");
        }

        foreach (var trade in trades)
        {
            output.Add(trade);
        }

        return FrameOutcome.Events;
    }

    /// <summary>
    /// One pass over the envelope: checks the JSON syntax of the whole frame and notes the topic, <c>ts</c>,
    /// <c>type</c>, where <c>data</c> is, and for control frames a label. Throws <see cref="JsonException"/> on
    /// invalid JSON; returns false with the problem for an envelope field of the wrong kind.
    /// </summary>
    private static bool TryScan(ReadOnlySpan<byte> frame, out Envelope envelope, out string problem)
    {
        envelope = default;
        problem = "";
        var reader = new Utf8JsonReader(frame);
        reader.Read();
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            reader.Skip();
            EnsureEnd(ref reader);
            problem = "frame is not a JSON object";
            return false;
        }

        var topic = Topic.None;
        string? topicName = null;
        long? timestamp = null;
        string? timestampProblem = null;
        var isDelta = false;
        var data = default(Range);
        var dataKind = JsonTokenType.None;
        string? op = null;
        string? message = null;
        bool? success = null;

        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("topic"u8))
            {
                reader.Read();
                if (reader.TokenType != JsonTokenType.String)
                {
                    reader.Skip();
                    problem = "field 'topic' is not a string";
                    return false;
                }

                topic = reader.ValueSpan.StartsWith("tickers."u8) ? Topic.Ticker
                    : reader.ValueSpan.StartsWith("publicTrade."u8) ? Topic.Trade
                    : Topic.Other;
                topicName = topic == Topic.Other ? reader.GetString() : null;
            }
            else if (reader.ValueTextEquals("ts"u8))
            {
                reader.Read();
                if (ExchangeNumbers.TryReadInt64(ref reader, out var ts))
                {
                    timestamp = ts;
                }
                else
                {
                    timestampProblem = "field 'ts' " + ExchangeNumbers.NotAnInteger;
                    reader.Skip();
                }
            }
            else if (reader.ValueTextEquals("type"u8))
            {
                reader.Read();
                isDelta = reader.TokenType == JsonTokenType.String && reader.ValueTextEquals("delta"u8);
                reader.Skip();
            }
            else if (reader.ValueTextEquals("data"u8))
            {
                reader.Read();
                dataKind = reader.TokenType;
                var start = (int)reader.TokenStartIndex;
                reader.Skip();
                data = start..(int)reader.BytesConsumed;
            }
            else if (reader.ValueTextEquals("op"u8))
            {
                reader.Read();
                op = reader.TokenType == JsonTokenType.String ? reader.GetString() : null;
                reader.Skip();
            }
            else if (reader.ValueTextEquals("ret_msg"u8))
            {
                reader.Read();
                message = reader.TokenType == JsonTokenType.String ? reader.GetString() : null;
                reader.Skip();
            }
            else if (reader.ValueTextEquals("success"u8))
            {
                reader.Read();
                success = reader.TokenType switch
                {
                    JsonTokenType.True => true,
                    JsonTokenType.False => false,
                    _ => null,
                };
                reader.Skip();
            }
            else
            {
                reader.Skip();
            }
        }

        EnsureEnd(ref reader);

        envelope = new Envelope(
            topic,
            topicName,
            timestamp.GetValueOrDefault(),
            timestamp is null ? timestampProblem ?? PayloadReader.Missing("ts") : null,
            isDelta,
            data,
            dataKind,
            ControlLabel(op, message, success));
        return true;
    }

    /// <summary>A short label for a reply to our own requests, or null when the frame is not one.</summary>
    private static string? ControlLabel(string? op, string? message, bool? success)
    {
        if (success == false)
        {
            return $"rejected {op ?? "request"}: {message}";
        }

        if (message == "pong" || op is "pong" or "ping")
        {
            return "pong";
        }

        return op is null ? null : op + " reply";
    }

    private static void EnsureEnd(ref Utf8JsonReader reader)
    {
        if (reader.Read())
        {
            throw new JsonException("content after the JSON value");
        }
    }

    /// <summary>What the scan found in a frame's envelope.</summary>
    private readonly record struct Envelope(
        Topic Topic,
        string? TopicName,
        long Timestamp,
        string? TimestampProblem,
        bool IsDelta,
        Range Data,
        JsonTokenType DataKind,
        string? ControlLabel);
}
