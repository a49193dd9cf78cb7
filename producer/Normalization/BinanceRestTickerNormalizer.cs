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
                if (TryMapNext(frame, ref reader, source, now, tickers) is { } problem)
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

                    if (TryMapNext(frame, ref reader, source, now, tickers) is { } problem)
                    {
                        return FrameOutcome.Malformed($"element {index}: {problem}");
                    }
                }
            }
            else
            {
                return FrameOutcome.Malformed("body is neither a ticker object nor an array of them");
            }

            if (reader.Read())
            {
                throw new JsonException("content after the JSON value");
            }
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

    /// <summary>Maps the object the reader stands on and moves past it; returns the problem, or null when mapped.</summary>
    private static string? TryMapNext(ReadOnlySpan<byte> frame, ref Utf8JsonReader reader, string source, DateTimeOffset now, List<MarketEvent> tickers)
    {
        var start = (int)reader.TokenStartIndex;
        reader.Skip();
        var json = frame[start..(int)reader.BytesConsumed];

        if (!PayloadReader.TryRead(json, NormalizationJsonContext.Default.BinanceRestTickerPayload, out var p, out var problem))
        {
            return problem;
        }

        if (p.Symbol is null && p.Code is { } code)
        {
            return $"error response {code}: {p.Message}";
        }

        if (p.FirstMissingField() is { } missing)
        {
            return PayloadReader.Missing(missing);
        }

        // GetValueOrDefault() after FirstMissingField() proved every value present.
        tickers.Add(new TickerEvent
        {
            Exchange = Exchanges.Binance,
            Symbol = Symbols.ToContract(p.Symbol!),
            EventTime = p.CloseTime.GetValueOrDefault(),
            Source = source,
            Price = p.LastPrice.GetValueOrDefault(),
            Open = p.OpenPrice.GetValueOrDefault(),
            High = p.HighPrice.GetValueOrDefault(),
            Low = p.LowPrice.GetValueOrDefault(),
            Volume = p.Volume.GetValueOrDefault(),
            QuoteVolume = p.QuoteVolume.GetValueOrDefault(),
            NumberTrades = p.Count.GetValueOrDefault(),
            PriceChange = p.PriceChange.GetValueOrDefault(),
            PriceChangePercent = p.PriceChangePercent.GetValueOrDefault(),
            Timestamp = now,
        });
        return null;
    }
}
