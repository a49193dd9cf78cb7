using Lambda.Core.Contracts;

namespace Lambda.Speed.Benchmarks.DataSet;

/// <summary>
/// A deterministic market, minute by minute from <see cref="Start"/>: 12 symbols on two exchanges (24 pairs).
/// Every pair trades (1–7 trades a minute, ids ascending per pair); 18 of them also stream 1m klines, each
/// kline sent as three open updates (15 s, 30 s, 45 s into its minute) and a closed one at its end, the way
/// Binance's <c>@kline_1m</c> stream does. The other 6 pairs are trade-only, so the combined speed view holds
/// both kline candles and trade candles. Prices are random walks rounded to the symbol's tick.
/// </summary>
public sealed class MarketSimulator
{
    public const string KlineInterval = "1m";
    public const long MinuteMs = 60_000;
    public const int KlineUpdatesPerMinute = 4;

    public static readonly DateTimeOffset Start = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private static readonly (string Symbol, double Price, int Decimals)[] Symbols =
    [
        ("BTCUSDT", 60_000, 2), ("ETHUSDT", 3_000, 2), ("BNBUSDT", 600, 2), ("SOLUSDT", 150, 2),
        ("XRPUSDT", 0.6, 4), ("ADAUSDT", 0.45, 4), ("DOGEUSDT", 0.12, 5), ("AVAXUSDT", 35, 3),
        ("DOTUSDT", 7, 3), ("LINKUSDT", 15, 3), ("LTCUSDT", 80, 2), ("TRXUSDT", 0.12, 5),
    ];

    private readonly Pair[] _pairs;
    private readonly Random _random = new(20_260_101);

    public MarketSimulator()
    {
        var pairs = new List<Pair>();
        foreach (var exchange in Exchanges.All)
        {
            foreach (var (symbol, price, decimals) in Symbols)
            {
                // Every fourth pair streams trades only.
                pairs.Add(new Pair(exchange, symbol, decimals, HasKlines: pairs.Count % 4 != 3) { Price = price });
            }
        }

        _pairs = [.. pairs];
    }

    public int Pairs => _pairs.Length;

    public int KlinePairs => _pairs.Count(p => p.HasKlines);

    /// <summary>The first <paramref name="count"/> events of the market, in the order a producer would write them.</summary>
    public IEnumerable<MarketEvent> Events(long count)
    {
        var emitted = 0L;
        var minute = Start.ToUnixTimeMilliseconds();
        var klines = new (Pair Pair, KlineMinute Kline)[_pairs.Length];
        var trades = new List<TradeEvent>();
        while (true)
        {
            var klineCount = 0;
            trades.Clear();
            foreach (var pair in _pairs)
            {
                if (pair.HasKlines)
                {
                    klines[klineCount++] = (pair, NextKline(pair));
                }

                AddTrades(pair, minute, trades);
            }

            for (var update = 0; update < KlineUpdatesPerMinute; update++)
            {
                for (var i = 0; i < klineCount; i++)
                {
                    if (emitted++ == count)
                    {
                        yield break;
                    }

                    yield return KlineUpdate(klines[i].Pair, klines[i].Kline, minute, update);
                }
            }

            foreach (var trade in trades)
            {
                if (emitted++ == count)
                {
                    yield break;
                }

                yield return trade;
            }

            minute += MinuteMs;
        }
    }

    /// <summary>The minute's path in quarters: price after each quarter, volume and trades in each.</summary>
    private KlineMinute NextKline(Pair pair)
    {
        var open = pair.KlinePrice ??= pair.Price;
        var closes = new double[KlineUpdatesPerMinute];
        var volumes = new double[KlineUpdatesPerMinute];
        var trades = new int[KlineUpdatesPerMinute];
        var price = open;
        for (var q = 0; q < KlineUpdatesPerMinute; q++)
        {
            price = Step(price, pair.Decimals, 0.0008);
            closes[q] = price;
            volumes[q] = Math.Round(_random.NextDouble() * 50 / Math.Sqrt(open), 5);
            trades[q] = _random.Next(5, 200);
        }

        pair.KlinePrice = price;
        return new KlineMinute(open, closes, volumes, trades);
    }

    private KlineEvent KlineUpdate(Pair pair, KlineMinute kline, long openTime, int update)
    {
        double high = kline.Open, low = kline.Open, volume = 0, quoteVolume = 0;
        long trades = 0;
        for (var q = 0; q <= update; q++)
        {
            high = Math.Max(high, kline.Closes[q]);
            low = Math.Min(low, kline.Closes[q]);
            volume += kline.Volumes[q];
            quoteVolume += kline.Volumes[q] * kline.Closes[q];
            trades += kline.Trades[q];
        }

        var closed = update == KlineUpdatesPerMinute - 1;
        return new KlineEvent
        {
            Exchange = pair.Exchange,
            Symbol = pair.Symbol,
            EventTime = closed ? openTime + MinuteMs : openTime + (update + 1) * (MinuteMs / KlineUpdatesPerMinute),
            Source = EventSources.WebSocket,
            Interval = KlineInterval,
            OpenTime = openTime,
            CloseTime = openTime + MinuteMs - 1,
            Open = kline.Open,
            High = high,
            Low = low,
            Close = kline.Closes[update],
            Volume = Math.Round(volume, 5),
            QuoteVolume = Math.Round(quoteVolume, 4),
            Trades = trades,
            IsClosed = closed,
        };
    }

    private void AddTrades(Pair pair, long minute, List<TradeEvent> trades)
    {
        var count = _random.Next(1, 8);
        var offsets = new int[count];
        for (var i = 0; i < count; i++)
        {
            offsets[i] = _random.Next(0, (int)MinuteMs);
        }

        Array.Sort(offsets);
        foreach (var offset in offsets)
        {
            pair.Price = Step(pair.Price, pair.Decimals, 0.0004);
            var tradeTime = minute + offset;
            trades.Add(new TradeEvent
            {
                Exchange = pair.Exchange,
                Symbol = pair.Symbol,
                EventTime = tradeTime + _random.Next(0, 30),
                Source = EventSources.WebSocket,
                TradeId = ++pair.TradeId,
                Price = pair.Price,
                Quantity = Math.Round(0.00001 + (_random.NextDouble() * 20 / Math.Sqrt(pair.Price)), 5),
                TradeTime = tradeTime,
                IsBuyerMaker = _random.Next(2) == 0,
            });
        }
    }

    /// <summary>One step of a random walk of relative size up to <paramref name="scale"/>, rounded to the tick, never below one tick.</summary>
    private double Step(double price, int decimals, double scale)
    {
        var next = Math.Round(price * (1 + ((_random.NextDouble() - 0.5) * 2 * scale)), decimals);
        return Math.Max(next, Math.Pow(10, -decimals));
    }

    private sealed record KlineMinute(double Open, double[] Closes, double[] Volumes, int[] Trades);

    private sealed record Pair(string Exchange, string Symbol, int Decimals, bool HasKlines)
    {
        public double Price { get; set; }

        public double? KlinePrice { get; set; }

        public long TradeId { get; set; }
    }
}
