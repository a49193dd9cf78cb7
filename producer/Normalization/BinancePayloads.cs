using System.Text.Json;
using Lambda.Core.Contracts;

namespace Lambda.Producer.Normalization;

/// <summary>The Binance stream events we turn into contracts, by their <c>e</c>.</summary>
internal enum BinanceEventType
{
    None,

    /// <summary><c>24hrTicker</c> of <c>&lt;symbol&gt;@ticker</c>.</summary>
    Ticker,

    /// <summary><c>kline</c> of <c>&lt;symbol&gt;@kline_&lt;interval&gt;</c>.</summary>
    Kline,

    /// <summary><c>trade</c> of <c>&lt;symbol&gt;@trade</c>: one raw trade, id <c>t</c>.</summary>
    Trade,

    /// <summary><c>aggTrade</c> of <c>&lt;symbol&gt;@aggTrade</c>: the fills of one taker order at one price, id <c>a</c>.</summary>
    AggTrade,
}

/// <summary>
/// Reads the payload object (the <c>data</c> of a combined stream) of a Binance spot stream event in one pass of
/// <see cref="Utf8JsonReader"/>, straight into an event: only the fields we map, matched case-sensitively because
/// Binance's keys differ only by case (<c>e</c>/<c>E</c>, <c>c</c>/<c>C</c>, <c>q</c>/<c>Q</c>, <c>t</c>/<c>T</c>).
/// Each method expects the reader on the payload's <c>{</c> and leaves it on its <c>}</c>; it returns the problem
/// naming the field, or null with the event.
/// </summary>
internal static class BinancePayloads
{
    public static string? Read(BinanceEventType type, ref Utf8JsonReader reader, string source, TimeProvider clock, out MarketEvent? marketEvent)
    {
        switch (type)
        {
            case BinanceEventType.Ticker:
                return ReadTicker(ref reader, source, clock, out marketEvent);
            case BinanceEventType.Kline:
                return ReadKline(ref reader, source, out marketEvent);
            case BinanceEventType.Trade:
                return ReadTrade(ref reader, source, (byte)'t', "t", out marketEvent);
            case BinanceEventType.AggTrade:
                // In a raw trade `a` was once the seller's order id; only an aggTrade's `a` is a trade id.
                return ReadTrade(ref reader, source, (byte)'a', "a", out marketEvent);
            default:
                reader.Skip();
                marketEvent = null;
                return null;
        }
    }

    // In the builders below, GetValueOrDefault() and ! follow a FirstMissing check that proved every value present.
    private static string? ReadTicker(ref Utf8JsonReader reader, string source, TimeProvider clock, out MarketEvent? ticker)
    {
        ticker = null;
        long? eventTime = null, trades = null;
        string? symbol = null;
        double? last = null, open = null, high = null, low = null, volume = null, quoteVolume = null, change = null, changePercent = null;
        string? problem = null;
        while (problem is null && JsonFields.NextProperty(ref reader))
        {
            problem = JsonFields.SingleByteName(ref reader) switch
            {
                (byte)'E' => JsonFields.Int64(ref reader, "E", ref eventTime),
                (byte)'s' => JsonFields.String(ref reader, "s", ref symbol),
                (byte)'c' => JsonFields.Double(ref reader, "c", ref last),
                (byte)'o' => JsonFields.Double(ref reader, "o", ref open),
                (byte)'h' => JsonFields.Double(ref reader, "h", ref high),
                (byte)'l' => JsonFields.Double(ref reader, "l", ref low),
                (byte)'v' => JsonFields.Double(ref reader, "v", ref volume),
                (byte)'q' => JsonFields.Double(ref reader, "q", ref quoteVolume),
                (byte)'n' => JsonFields.Int64(ref reader, "n", ref trades),
                (byte)'p' => JsonFields.Double(ref reader, "p", ref change),
                (byte)'P' => JsonFields.Double(ref reader, "P", ref changePercent),
                _ => JsonFields.Skip(ref reader),
            };
        }

        problem ??= JsonFields.FirstMissing(
            (eventTime.HasValue, "E"), (symbol is not null, "s"), (last.HasValue, "c"), (open.HasValue, "o"),
            (high.HasValue, "h"), (low.HasValue, "l"), (volume.HasValue, "v"), (quoteVolume.HasValue, "q"),
            (trades.HasValue, "n"), (change.HasValue, "p"), (changePercent.HasValue, "P"));
        if (problem is not null)
        {
            return problem;
        }

        ticker = new TickerEvent
        {
            Exchange = Exchanges.Binance,
            Symbol = Symbols.ToContract(symbol!),
            EventTime = eventTime.GetValueOrDefault(),
            Source = source,
            Price = last.GetValueOrDefault(),
            Open = open.GetValueOrDefault(),
            High = high.GetValueOrDefault(),
            Low = low.GetValueOrDefault(),
            Volume = volume.GetValueOrDefault(),
            QuoteVolume = quoteVolume.GetValueOrDefault(),
            NumberTrades = trades.GetValueOrDefault(),
            PriceChange = change.GetValueOrDefault(),
            PriceChangePercent = changePercent.GetValueOrDefault(),
            Timestamp = clock.GetUtcNow(),
        };
        return null;
    }

    private static string? ReadKline(ref Utf8JsonReader reader, string source, out MarketEvent? kline)
    {
        kline = null;
        long? eventTime = null;
        string? symbol = null;
        Candle? candle = null;
        string? problem = null;
        while (problem is null && JsonFields.NextProperty(ref reader))
        {
            problem = JsonFields.SingleByteName(ref reader) switch
            {
                (byte)'E' => JsonFields.Int64(ref reader, "E", ref eventTime),
                (byte)'s' => JsonFields.String(ref reader, "s", ref symbol),
                (byte)'k' => ReadCandle(ref reader, ref candle),
                _ => JsonFields.Skip(ref reader),
            };
        }

        problem ??= JsonFields.FirstMissing((eventTime.HasValue, "E"), (symbol is not null, "s"), (candle.HasValue, "k"));
        if (problem is not null)
        {
            return problem;
        }

        var k = candle.GetValueOrDefault();
        kline = new KlineEvent
        {
            Exchange = Exchanges.Binance,
            Symbol = Symbols.ToContract(symbol!),
            EventTime = eventTime.GetValueOrDefault(),
            Source = source,
            Interval = k.Interval,
            OpenTime = k.OpenTime,
            CloseTime = k.CloseTime,
            Open = k.Open,
            High = k.High,
            Low = k.Low,
            Close = k.Close,
            Volume = k.Volume,
            QuoteVolume = k.QuoteVolume,
            Trades = k.Trades,
            IsClosed = k.IsClosed,
        };
        return null;
    }

    /// <summary>Reads the candle <c>k</c> of a kline event; its fields are named <c>k.o</c>… in problems.</summary>
    private static string? ReadCandle(ref Utf8JsonReader reader, ref Candle? candle)
    {
        reader.Read();
        if (reader.TokenType == JsonTokenType.Null)
        {
            return null;
        }

        if (reader.TokenType != JsonTokenType.StartObject)
        {
            reader.Skip();
            return JsonFields.Problem("k", "is not an object");
        }

        long? openTime = null, closeTime = null, trades = null;
        string? interval = null;
        double? open = null, close = null, high = null, low = null, volume = null, quoteVolume = null;
        bool? isClosed = null;
        string? problem = null;
        while (problem is null && JsonFields.NextProperty(ref reader))
        {
            problem = JsonFields.SingleByteName(ref reader) switch
            {
                (byte)'t' => JsonFields.Int64(ref reader, "k.t", ref openTime),
                (byte)'T' => JsonFields.Int64(ref reader, "k.T", ref closeTime),
                (byte)'i' => JsonFields.String(ref reader, "k.i", ref interval),
                (byte)'o' => JsonFields.Double(ref reader, "k.o", ref open),
                (byte)'c' => JsonFields.Double(ref reader, "k.c", ref close),
                (byte)'h' => JsonFields.Double(ref reader, "k.h", ref high),
                (byte)'l' => JsonFields.Double(ref reader, "k.l", ref low),
                (byte)'v' => JsonFields.Double(ref reader, "k.v", ref volume),
                (byte)'n' => JsonFields.Int64(ref reader, "k.n", ref trades),
                (byte)'x' => JsonFields.Boolean(ref reader, "k.x", ref isClosed),
                (byte)'q' => JsonFields.Double(ref reader, "k.q", ref quoteVolume),
                _ => JsonFields.Skip(ref reader),
            };
        }

        problem ??= JsonFields.FirstMissing(
            (openTime.HasValue, "k.t"), (closeTime.HasValue, "k.T"), (interval is not null, "k.i"), (open.HasValue, "k.o"),
            (close.HasValue, "k.c"), (high.HasValue, "k.h"), (low.HasValue, "k.l"), (volume.HasValue, "k.v"),
            (trades.HasValue, "k.n"), (isClosed.HasValue, "k.x"), (quoteVolume.HasValue, "k.q"));
        if (problem is not null)
        {
            return problem;
        }

        candle = new Candle(
            openTime.GetValueOrDefault(), closeTime.GetValueOrDefault(), interval!, open.GetValueOrDefault(),
            high.GetValueOrDefault(), low.GetValueOrDefault(), close.GetValueOrDefault(), volume.GetValueOrDefault(),
            quoteVolume.GetValueOrDefault(), trades.GetValueOrDefault(), isClosed.GetValueOrDefault());
        return null;
    }

    /// <summary>A trade or an aggTrade: the same fields but for the key of the id.</summary>
    private static string? ReadTrade(ref Utf8JsonReader reader, string source, byte idKey, string idName, out MarketEvent? trade)
    {
        trade = null;
        long? eventTime = null, id = null, tradeTime = null;
        string? symbol = null;
        double? price = null, quantity = null;
        bool? isBuyerMaker = null;
        string? problem = null;
        while (problem is null && JsonFields.NextProperty(ref reader))
        {
            var key = JsonFields.SingleByteName(ref reader);
            problem = key == idKey ? JsonFields.Int64(ref reader, idName, ref id) : key switch
            {
                (byte)'E' => JsonFields.Int64(ref reader, "E", ref eventTime),
                (byte)'s' => JsonFields.String(ref reader, "s", ref symbol),
                (byte)'p' => JsonFields.Double(ref reader, "p", ref price),
                (byte)'q' => JsonFields.Double(ref reader, "q", ref quantity),
                (byte)'T' => JsonFields.Int64(ref reader, "T", ref tradeTime),
                (byte)'m' => JsonFields.Boolean(ref reader, "m", ref isBuyerMaker),
                _ => JsonFields.Skip(ref reader),
            };
        }

        problem ??= JsonFields.FirstMissing(
            (eventTime.HasValue, "E"), (symbol is not null, "s"), (id.HasValue, idName), (price.HasValue, "p"),
            (quantity.HasValue, "q"), (tradeTime.HasValue, "T"), (isBuyerMaker.HasValue, "m"));
        if (problem is not null)
        {
            return problem;
        }

        trade = new TradeEvent
        {
            Exchange = Exchanges.Binance,
            Symbol = Symbols.ToContract(symbol!),
            EventTime = eventTime.GetValueOrDefault(),
            Source = source,
            TradeId = id.GetValueOrDefault(),
            Price = price.GetValueOrDefault(),
            Quantity = quantity.GetValueOrDefault(),
            TradeTime = tradeTime.GetValueOrDefault(),
            IsBuyerMaker = isBuyerMaker.GetValueOrDefault(),
        };
        return null;
    }

    private readonly record struct Candle(
        long OpenTime, long CloseTime, string Interval, double Open, double High, double Low, double Close,
        double Volume, double QuoteVolume, long Trades, bool IsClosed);
}
