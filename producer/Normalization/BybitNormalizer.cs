using System.Text.Json;
using System.Text.Unicode;
using Lambda.Core.Contracts;

namespace Lambda.Producer.Normalization;

/// <summary>
/// Bybit v5 public spot frames: <c>tickers.{symbol}</c> snapshots → <see cref="TickerEvent"/>,
/// <c>publicTrade.{symbol}</c> → one <see cref="TradeEvent"/> per element of <c>data</c>. Replies to
/// subscribe and ping (<c>{"op":…}</c>, <c>{"ret_msg":"pong"…}</c>) and other topics are ignored.
/// </summary>
/// <remarks>
/// One pass of <see cref="Utf8JsonReader"/>: <c>data</c> is read in place when the fields before it already said
/// what it is (<c>topic</c>, and for tickers <c>type</c>), as Bybit orders them; otherwise its position is noted
/// and it is read once the envelope has been.
/// </remarks>
/// <param name="clock">Stamps a ticker's processing time (<see cref="TickerEvent.Timestamp"/>).</param>
public sealed class BybitNormalizer(TimeProvider clock) : IFrameNormalizer
{
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

        try
        {
            return Read(frame, source, output);
        }
        catch (JsonException ex)
        {
            return FrameOutcome.Malformed("invalid JSON: " + ex.Message);
        }
    }

    private FrameOutcome Read(ReadOnlySpan<byte> frame, string source, ICollection<MarketEvent> output)
    {
        var reader = new Utf8JsonReader(frame);
        reader.Read();
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            reader.Skip();
            JsonFields.EnsureEnd(ref reader);
            return FrameOutcome.Malformed("frame is not a JSON object");
        }

        var envelope = default(Envelope);
        if (ReadEnvelope(ref reader, ref envelope) is { } problem)
        {
            return FrameOutcome.Malformed(problem);
        }

        JsonFields.EnsureEnd(ref reader);
        if (NotMarketData(envelope) is { } ignored)
        {
            return ignored;
        }

        if (!envelope.HasData)
        {
            return FrameOutcome.Malformed(JsonFields.Missing("data"));
        }

        if (envelope.Timestamp is not { } ts)
        {
            return FrameOutcome.Malformed(JsonFields.Missing("ts"));
        }

        if (envelope.Ticker is null && envelope.Trades is null && ReadNotedData(frame, ref envelope) is { } dataProblem)
        {
            return FrameOutcome.Malformed(dataProblem);
        }

        return envelope.Topic == Topic.Ticker
            ? Ticker(envelope.Ticker.GetValueOrDefault(), ts, source, output)
            : Trades(envelope.Trades!, ts, source, output);
    }

    /// <summary>The frame's fields, one pass; the first problem ends it.</summary>
    private static string? ReadEnvelope(ref Utf8JsonReader reader, ref Envelope envelope)
    {
        while (JsonFields.NextProperty(ref reader))
        {
            var problem = reader.ValueTextEquals("topic"u8) ? ReadTopic(ref reader, ref envelope)
                : reader.ValueTextEquals("ts"u8) ? JsonFields.Int64(ref reader, "ts", ref envelope.Timestamp)
                : reader.ValueTextEquals("data"u8) ? ReadData(ref reader, ref envelope)
                : ReadOther(ref reader, ref envelope);
            if (problem is not null)
            {
                return problem;
            }
        }

        return null;
    }

    private static string? ReadTopic(ref Utf8JsonReader reader, ref Envelope envelope)
    {
        reader.Read();
        if (reader.TokenType != JsonTokenType.String)
        {
            return JsonFields.Problem("topic", "is not a string");
        }

        envelope.Topic = reader.ValueSpan.StartsWith("tickers."u8) ? Topic.Ticker
            : reader.ValueSpan.StartsWith("publicTrade."u8) ? Topic.Trade
            : Topic.Other;
        envelope.TopicName = envelope.Topic == Topic.Other ? reader.GetString() : null;
        return null;
    }

    /// <summary><c>data</c> read in place when <c>topic</c> (and for tickers <c>type</c>) came before it, else its place noted.</summary>
    private static string? ReadData(ref Utf8JsonReader reader, ref Envelope envelope)
    {
        reader.Read();
        envelope.HasData = true;
        if (envelope.Topic == Topic.Trade)
        {
            envelope.Trades = new List<BybitTrade>(capacity: 4);
            return BybitPayloads.ReadTrades(ref reader, envelope.Trades);
        }

        if (envelope.Topic == Topic.Ticker && envelope.IsDelta == false)
        {
            var problem = BybitPayloads.ReadTicker(ref reader, out var ticker);
            envelope.Ticker = ticker;
            return problem;
        }

        var start = (int)reader.TokenStartIndex;
        reader.Skip();
        envelope.Data = start..(int)reader.BytesConsumed;
        return null;
    }

    /// <summary><c>type</c> and the fields of replies to our requests (<c>op</c>, <c>ret_msg</c>, <c>success</c>); anything else is skipped.</summary>
    private static string? ReadOther(ref Utf8JsonReader reader, ref Envelope envelope)
    {
        if (reader.ValueTextEquals("type"u8))
        {
            reader.Read();
            envelope.IsDelta = reader.TokenType == JsonTokenType.String && reader.ValueTextEquals("delta"u8);
        }
        else if (reader.ValueTextEquals("op"u8))
        {
            reader.Read();
            envelope.Op = reader.TokenType == JsonTokenType.String ? reader.GetString() : null;
        }
        else if (reader.ValueTextEquals("ret_msg"u8))
        {
            reader.Read();
            envelope.Message = reader.TokenType == JsonTokenType.String ? reader.GetString() : null;
        }
        else if (reader.ValueTextEquals("success"u8))
        {
            reader.Read();
            envelope.Success = reader.TokenType switch
            {
                JsonTokenType.True => true,
                JsonTokenType.False => false,
                _ => null,
            };
        }
        else
        {
            reader.Read();
        }

        // An object or array value is skipped whole; a plain value is already read.
        reader.Skip();
        return null;
    }

    /// <summary>What a frame that carries no market data is, or null when it does.</summary>
    private static FrameOutcome? NotMarketData(in Envelope envelope) => envelope.Topic switch
    {
        Topic.None => FrameOutcome.Ignored(ControlLabel(envelope.Op, envelope.Message, envelope.Success) ?? "frame without topic"),
        Topic.Other => FrameOutcome.Ignored($"topic '{envelope.TopicName}'"),
        // Spot sends snapshots only; a delta (linear/inverse) holds just the changed fields.
        Topic.Ticker when envelope.IsDelta == true => FrameOutcome.Ignored("ticker delta"),
        _ => null,
    };

    /// <summary>Reads <c>data</c> from its noted place, now that the envelope said what it is.</summary>
    private static string? ReadNotedData(ReadOnlySpan<byte> frame, ref Envelope envelope)
    {
        var reader = new Utf8JsonReader(frame[envelope.Data]);
        reader.Read();
        if (envelope.Topic == Topic.Ticker)
        {
            var problem = BybitPayloads.ReadTicker(ref reader, out var ticker);
            envelope.Ticker = ticker;
            return problem;
        }

        envelope.Trades = new List<BybitTrade>(capacity: 4);
        return BybitPayloads.ReadTrades(ref reader, envelope.Trades);
    }

    private FrameOutcome Ticker(BybitTicker t, long timestamp, string source, ICollection<MarketEvent> output)
    {
        output.Add(new TickerEvent
        {
            Exchange = Exchanges.Bybit,
            Symbol = Symbols.ToContract(t.Symbol),
            EventTime = timestamp,
            Source = source,
            Price = t.LastPrice,
            Open = t.PrevPrice24h,
            High = t.HighPrice24h,
            Low = t.LowPrice24h,
            Volume = t.Volume24h,
            QuoteVolume = t.Turnover24h,
            // Bybit does not count trades; zero keeps the ticker contract's field with an honest "unknown".
            NumberTrades = 0,
            PriceChange = t.LastPrice - t.PrevPrice24h,
            PriceChangePercent = t.ChangeFraction * 100,
            Timestamp = clock.GetUtcNow(),
        });
        return FrameOutcome.Events;
    }

    /// <summary>All trades of the message, read in full before the first is added: no half message leaves.</summary>
    private static FrameOutcome Trades(List<BybitTrade> trades, long timestamp, string source, ICollection<MarketEvent> output)
    {
        if (trades.Count == 0)
        {
            return FrameOutcome.Ignored("no trades");
        }

        foreach (var t in trades)
        {
            output.Add(new TradeEvent
            {
                Exchange = Exchanges.Bybit,
                Symbol = Symbols.ToContract(t.Symbol),
                EventTime = timestamp,
                Source = source,
                TradeId = t.TradeId,
                Price = t.Price,
                Quantity = t.Quantity,
                TradeTime = t.TradeTime,
                IsBuyerMaker = t.IsBuyerMaker,
            });
        }

        return FrameOutcome.Events;
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

    /// <summary>What the fields of one frame said, as they are read.</summary>
    private struct Envelope
    {
        public Topic Topic;
        public string? TopicName;
        public long? Timestamp;
        public bool? IsDelta;
        public Range Data;
        public bool HasData;
        public BybitTicker? Ticker;
        public List<BybitTrade>? Trades;
        public string? Op;
        public string? Message;
        public bool? Success;
    }
}
