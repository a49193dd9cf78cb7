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

        var topic = Topic.None;
        string? topicName = null;
        long? timestamp = null;
        bool? isDelta = null;
        var data = default(Range);
        var hasData = false;
        BybitTicker? ticker = null;
        List<BybitTrade>? trades = null;
        string? op = null;
        string? message = null;
        bool? success = null;
        string? problem = null;

        while (problem is null && JsonFields.NextProperty(ref reader))
        {
            if (reader.ValueTextEquals("topic"u8))
            {
                reader.Read();
                if (reader.TokenType != JsonTokenType.String)
                {
                    return FrameOutcome.Malformed(JsonFields.Problem("topic", "is not a string"));
                }

                topic = reader.ValueSpan.StartsWith("tickers."u8) ? Topic.Ticker
                    : reader.ValueSpan.StartsWith("publicTrade."u8) ? Topic.Trade
                    : Topic.Other;
                topicName = topic == Topic.Other ? reader.GetString() : null;
            }
            else if (reader.ValueTextEquals("ts"u8))
            {
                problem = JsonFields.Int64(ref reader, "ts", ref timestamp);
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
                hasData = true;
                if (topic == Topic.Trade)
                {
                    trades = new List<BybitTrade>(capacity: 4);
                    problem = BybitPayloads.ReadTrades(ref reader, trades);
                }
                else if (topic == Topic.Ticker && isDelta == false)
                {
                    problem = BybitPayloads.ReadTicker(ref reader, out var read);
                    ticker = read;
                }
                else
                {
                    var start = (int)reader.TokenStartIndex;
                    reader.Skip();
                    data = start..(int)reader.BytesConsumed;
                }
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

        if (problem is not null)
        {
            return FrameOutcome.Malformed(problem);
        }

        JsonFields.EnsureEnd(ref reader);

        switch (topic)
        {
            case Topic.None:
                return FrameOutcome.Ignored(ControlLabel(op, message, success) ?? "frame without topic");
            case Topic.Other:
                return FrameOutcome.Ignored($"topic '{topicName}'");
            case Topic.Ticker when isDelta == true:
                // Spot sends snapshots only; a delta (linear/inverse) holds just the changed fields.
                return FrameOutcome.Ignored("ticker delta");
        }

        if (!hasData)
        {
            return FrameOutcome.Malformed(JsonFields.Missing("data"));
        }

        if (timestamp is not { } ts)
        {
            return FrameOutcome.Malformed(JsonFields.Missing("ts"));
        }

        if (ticker is null && trades is null)
        {
            var dataReader = new Utf8JsonReader(frame[data]);
            dataReader.Read();
            if (topic == Topic.Ticker)
            {
                problem = BybitPayloads.ReadTicker(ref dataReader, out var read);
                ticker = read;
            }
            else
            {
                trades = new List<BybitTrade>(capacity: 4);
                problem = BybitPayloads.ReadTrades(ref dataReader, trades);
            }

            if (problem is not null)
            {
                return FrameOutcome.Malformed(problem);
            }
        }

        return topic == Topic.Ticker
            ? Ticker(ticker.GetValueOrDefault(), ts, source, output)
            : Trades(trades!, ts, source, output);
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
}
