using System.Text.Json;
using System.Text.Unicode;
using Lambda.Core.Contracts;

namespace Lambda.Producer.Normalization;

/// <summary>
/// The body of Binance's REST <c>GET /api/v3/ticker/24hr</c>: one ticker object (one symbol asked for) or an
/// array of them, each becoming a <see cref="TickerEvent"/> whose event time is the statistics' <c>closeTime</c>.
/// One broken element makes the whole body malformed, with the element's index in the reason: a poll answer is
/// one unit, and a partial answer would hide the damage.
/// </summary>
/// <param name="clock">Stamps the processing time (<see cref="TickerEvent.Timestamp"/>).</param>
public sealed class BinanceRestTickerNormalizer(TimeProvider clock) : IFrameNormalizer
{
    public BinanceRestTickerNormalizer() : this(TimeProvider.System)
    {
    }

    public FrameOutcome Normalize(ReadOnlySpan<byte> frame, string source, ICollection<MarketEvent> output)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(output);

        if (!Utf8.IsValid(frame))
        {
            return FrameOutcome.Malformed(FrameOutcome.NotUtf8);
        }

        var now = clock.GetUtcNow();
        var tickers = new List<MarketEvent>();
        try
        {
            var reader = new Utf8JsonReader(frame);
            reader.Read();
            if (reader.TokenType == JsonTokenType.StartObject)
            {
                if (ReadTicker(ref reader, source, now, tickers) is { } problem)
                {
                    return FrameOutcome.Malformed(problem);
                }
            }
            else if (reader.TokenType == JsonTokenType.StartArray)
            {
                for (var index = 0; reader.Read() && reader.TokenType != JsonTokenType.EndArray; index++)
                {
                    if (reader.TokenType != JsonTokenType.StartObject)
                    {
                        return FrameOutcome.Malformed($"element {index}: not an object");
                    }

                    if (ReadTicker(ref reader, source, now, tickers) is { } problem)
                    {
                        return FrameOutcome.Malformed($"element {index}: {problem}");
                    }
                }
            }
            else
            {
                return FrameOutcome.Malformed("body is neither a ticker object nor an array of them");
            }

            JsonFields.EnsureEnd(ref reader);
        }
        catch (JsonException ex)
        {
            return FrameOutcome.Malformed("invalid JSON: " + ex.Message);
        }

        if (tickers.Count == 0)
        {
            return FrameOutcome.Ignored("no tickers");
        }

        foreach (var ticker in tickers)
        {
            output.Add(ticker);
        }

        return FrameOutcome.Events;
    }

    /// <summary>Reads the ticker object the reader stands on, to its end; returns the problem, or null when added.</summary>
    private static string? ReadTicker(ref Utf8JsonReader reader, string source, DateTimeOffset now, List<MarketEvent> tickers)
    {
        string? symbol = null, errorMessage = null;
        double? change = null, changePercent = null, last = null, open = null, high = null, low = null, volume = null, quoteVolume = null;
        long? count = null, closeTime = null, errorCode = null;
        string? problem = null;
        while (problem is null && JsonFields.NextProperty(ref reader))
        {
            problem = reader.ValueTextEquals("symbol"u8) ? JsonFields.String(ref reader, "symbol", ref symbol)
                : reader.ValueTextEquals("lastPrice"u8) ? JsonFields.Double(ref reader, "lastPrice", ref last)
                : reader.ValueTextEquals("openPrice"u8) ? JsonFields.Double(ref reader, "openPrice", ref open)
                : reader.ValueTextEquals("highPrice"u8) ? JsonFields.Double(ref reader, "highPrice", ref high)
                : reader.ValueTextEquals("lowPrice"u8) ? JsonFields.Double(ref reader, "lowPrice", ref low)
                : reader.ValueTextEquals("volume"u8) ? JsonFields.Double(ref reader, "volume", ref volume)
                : reader.ValueTextEquals("quoteVolume"u8) ? JsonFields.Double(ref reader, "quoteVolume", ref quoteVolume)
                : reader.ValueTextEquals("priceChange"u8) ? JsonFields.Double(ref reader, "priceChange", ref change)
                : reader.ValueTextEquals("priceChangePercent"u8) ? JsonFields.Double(ref reader, "priceChangePercent", ref changePercent)
                : reader.ValueTextEquals("count"u8) ? JsonFields.Int64(ref reader, "count", ref count)
                : reader.ValueTextEquals("closeTime"u8) ? JsonFields.Int64(ref reader, "closeTime", ref closeTime)
                // An error body instead of a ticker: {"code":-1121,"msg":"Invalid symbol."}.
                : reader.ValueTextEquals("code"u8) ? JsonFields.Int64(ref reader, "code", ref errorCode)
                : reader.ValueTextEquals("msg"u8) ? JsonFields.String(ref reader, "msg", ref errorMessage)
                : JsonFields.Skip(ref reader);
        }

        if (problem is null && symbol is null && errorCode is { } code)
        {
            return $"error response {code}: {errorMessage}";
        }

        problem ??= JsonFields.FirstMissing(
            (symbol is not null, "symbol"), (change.HasValue, "priceChange"), (changePercent.HasValue, "priceChangePercent"),
            (last.HasValue, "lastPrice"), (open.HasValue, "openPrice"), (high.HasValue, "highPrice"), (low.HasValue, "lowPrice"),
            (volume.HasValue, "volume"), (quoteVolume.HasValue, "quoteVolume"), (count.HasValue, "count"), (closeTime.HasValue, "closeTime"));
        if (problem is not null)
        {
            return problem;
        }

        // GetValueOrDefault() and ! follow the FirstMissing check that proved every value present.
        tickers.Add(new TickerEvent
        {
            Exchange = Exchanges.Binance,
            Symbol = Symbols.ToContract(symbol!),
            EventTime = closeTime.GetValueOrDefault(),
            Source = source,
            Price = last.GetValueOrDefault(),
            Open = open.GetValueOrDefault(),
            High = high.GetValueOrDefault(),
            Low = low.GetValueOrDefault(),
            Volume = volume.GetValueOrDefault(),
            QuoteVolume = quoteVolume.GetValueOrDefault(),
            NumberTrades = count.GetValueOrDefault(),
            PriceChange = change.GetValueOrDefault(),
            PriceChangePercent = changePercent.GetValueOrDefault(),
            Timestamp = now,
        });
        return null;
    }
}
