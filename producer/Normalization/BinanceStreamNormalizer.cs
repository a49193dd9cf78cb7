using System.Text.Unicode;
using Lambda.Core.Contracts;

namespace Lambda.Producer.Normalization;

/// <summary>
/// Binance spot WebSocket frames, combined-stream envelopes (<c>{"stream":…,"data":{…}}</c>) and raw-stream
/// payloads alike: <c>24hrTicker</c> → <see cref="TickerEvent"/>, <c>kline</c> → <see cref="KlineEvent"/>,
/// <c>trade</c> and <c>aggTrade</c> → <see cref="TradeEvent"/>. Depth, bookTicker, replies to requests and
/// connection events are <see cref="FrameKind.Ignored"/>.
/// </summary>
/// <param name="clock">Stamps a ticker's processing time (<see cref="TickerEvent.Timestamp"/>).</param>
public sealed class BinanceStreamNormalizer(TimeProvider clock) : IFrameNormalizer
{
    private static readonly NormalizationJsonContext Json = NormalizationJsonContext.Default;

    public BinanceStreamNormalizer() : this(TimeProvider.System)
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

        if (!BinanceFrameScanner.TryLocateEvent(frame, out var type, out var range, out var verdict))
        {
            return verdict;
        }

        var payload = frame[range];
        return type switch
        {
            BinanceEventType.Ticker => Ticker(payload, source, output),
            BinanceEventType.Kline => Kline(payload, source, output),
            BinanceEventType.Trade => Trade(payload, source, output),
            BinanceEventType.AggTrade => AggTrade(payload, source, output),
            _ => FrameOutcome.Ignored("payload without event type"),
        };
    }

    // In the mappings below, GetValueOrDefault() follows a FirstMissingField() check that proved every value present.
    private FrameOutcome Ticker(ReadOnlySpan<byte> json, string source, ICollection<MarketEvent> output)
    {
        if (!PayloadReader.TryRead(json, Json.BinanceTickerPayload, out var p, out var problem))
        {
            return FrameOutcome.Malformed(problem);
        }

        if (p.FirstMissingField() is { } missing)
        {
            return FrameOutcome.Malformed(PayloadReader.Missing(missing));
        }

        output.Add(new TickerEvent
        {
            Exchange = Exchanges.Binance,
            Symbol = Symbols.ToContract(p.Symbol!),
            EventTime = p.EventTime.GetValueOrDefault(),
            Source = source,
            Price = p.LastPrice.GetValueOrDefault(),
            Open = p.OpenPrice.GetValueOrDefault(),
            High = p.HighPrice.GetValueOrDefault(),
            Low = p.LowPrice.GetValueOrDefault(),
            Volume = p.Volume.GetValueOrDefault(),
            QuoteVolume = p.QuoteVolume.GetValueOrDefault(),
            NumberTrades = p.NumberTrades.GetValueOrDefault(),
            PriceChange = p.PriceChange.GetValueOrDefault(),
            PriceChangePercent = p.PriceChangePercent.GetValueOrDefault(),
            Timestamp = clock.GetUtcNow(),
        });
        return FrameOutcome.Events;
    }

    private static FrameOutcome Kline(ReadOnlySpan<byte> json, string source, ICollection<MarketEvent> output)
    {
        if (!PayloadReader.TryRead(json, Json.BinanceKlinePayload, out var p, out var problem))
        {
            return FrameOutcome.Malformed(problem);
        }

        if (p.FirstMissingField() is { } missing)
        {
            return FrameOutcome.Malformed(PayloadReader.Missing(missing));
        }

        var k = p.Kline!;
        output.Add(new KlineEvent
        {
            Exchange = Exchanges.Binance,
            Symbol = Symbols.ToContract(p.Symbol!),
            EventTime = p.EventTime.GetValueOrDefault(),
            Source = source,
            Interval = k.Interval!,
            OpenTime = k.OpenTime.GetValueOrDefault(),
            CloseTime = k.CloseTime.GetValueOrDefault(),
            Open = k.Open.GetValueOrDefault(),
            High = k.High.GetValueOrDefault(),
            Low = k.Low.GetValueOrDefault(),
            Close = k.Close.GetValueOrDefault(),
            Volume = k.Volume.GetValueOrDefault(),
            QuoteVolume = k.QuoteVolume.GetValueOrDefault(),
            Trades = k.Trades.GetValueOrDefault(),
            IsClosed = k.IsClosed.GetValueOrDefault(),
        });
        return FrameOutcome.Events;
    }

    private static FrameOutcome Trade(ReadOnlySpan<byte> json, string source, ICollection<MarketEvent> output)
    {
        if (!PayloadReader.TryRead(json, Json.BinanceTradePayload, out var p, out var problem))
        {
            return FrameOutcome.Malformed(problem);
        }

        if (p.FirstMissingField() is { } missing)
        {
            return FrameOutcome.Malformed(PayloadReader.Missing(missing));
        }

        output.Add(new TradeEvent
        {
            Exchange = Exchanges.Binance,
            Symbol = Symbols.ToContract(p.Symbol!),
            EventTime = p.EventTime.GetValueOrDefault(),
            Source = source,
            TradeId = p.TradeId.GetValueOrDefault(),
            Price = p.Price.GetValueOrDefault(),
            Quantity = p.Quantity.GetValueOrDefault(),
            TradeTime = p.TradeTime.GetValueOrDefault(),
            IsBuyerMaker = p.IsBuyerMaker.GetValueOrDefault(),
        });
        return FrameOutcome.Events;
    }

    private static FrameOutcome AggTrade(ReadOnlySpan<byte> json, string source, ICollection<MarketEvent> output)
    {
        if (!PayloadReader.TryRead(json, Json.BinanceAggTradePayload, out var p, out var problem))
        {
            return FrameOutcome.Malformed(problem);
        }

        if (p.FirstMissingField() is { } missing)
        {
            return FrameOutcome.Malformed(PayloadReader.Missing(missing));
        }

        output.Add(new TradeEvent
        {
            Exchange = Exchanges.Binance,
            Symbol = Symbols.ToContract(p.Symbol!),
            EventTime = p.EventTime.GetValueOrDefault(),
            Source = source,
            TradeId = p.AggregateTradeId.GetValueOrDefault(),
            Price = p.Price.GetValueOrDefault(),
            Quantity = p.Quantity.GetValueOrDefault(),
            TradeTime = p.TradeTime.GetValueOrDefault(),
            IsBuyerMaker = p.IsBuyerMaker.GetValueOrDefault(),
        });
        return FrameOutcome.Events;
    }
}
