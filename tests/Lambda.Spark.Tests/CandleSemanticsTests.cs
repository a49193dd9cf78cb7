using Lambda.Core.Contracts;
using Lambda.Core.Klines;
using Lambda.Core.Views;
using Lambda.Core.Windows;

namespace Lambda.Spark.Tests;

/// <summary>
/// The one description of the candle semantics (<see cref="CandleSemantics"/>) against the embedded
/// engine: the recipe the Spark plan is built from, read literally, gives exactly the embedded
/// engine's rows. Changing either without the other fails here.
/// </summary>
public sealed class CandleSemanticsTests
{
    private static readonly TimeSpan Day = TimeSpan.FromDays(1);

    [Fact]
    public void The_kline_recipe_gives_the_embedded_engines_candles_on_real_4h_klines_each_delivered_twice()
    {
        using var reader = new StreamReader(Path.Combine(AppContext.BaseDirectory, "samples", "binance", "BTCUSDT-4h.csv"));
        var klines = KlinesCsvReader.Read(reader).Select(r => r.Kline!).ToList();
        // Every closed kline twice (a replayed log read again), the copy with a later event time; and klines of another interval.
        var events = klines.SelectMany(k => new[] { Kline(k, k.CloseTime, "4h"), Kline(k, k.CloseTime + 5_000, "4h") })
            .Concat(klines.Take(10).Select(k => Kline(k, k.CloseTime, "1h")))
            .ToList();

        var engine = new CandleWindowEngine(new CandleWindowOptions { KlineInterval = "4h", AllowedLateness = TimeSpan.FromDays(3650) });
        foreach (var e in events.Where(e => e.Interval == "4h"))
        {
            engine.Add(e);
        }

        var embedded = engine.Flush().KlineCandles.Select(c => c.Candle).ToList();
        var recipe = RecipeInterpreter.Evaluate(CandleSemantics.Klines, events.Where(e => e.Interval == "4h"), Day, TimeSpan.FromHours(4))
            .Select(Candle).ToList();

        embedded.Should().HaveCountGreaterThan(2000);
        recipe.Should().Equal(embedded);
    }

    [Fact]
    public void The_trade_recipe_gives_the_embedded_engines_candles_with_repeated_trade_ids_and_ties_in_time()
    {
        var start = new DateTimeOffset(2026, 8, 1, 0, 0, 0, TimeSpan.Zero).ToUnixTimeMilliseconds();
        var trades = new List<TradeEvent>();
        for (var i = 0; i < 300; i++)
        {
            var time = start + (i * 17 * 60_000L % (3 * 86_400_000L)); // three days, out of order
            trades.Add(Trade("BTCUSDT", i, time, 60_000 + (i * 37 % 500), 0.001 * (1 + (i % 7))));
            trades.Add(Trade("ETHUSDT", i, time, 3_000 + (i * 13 % 90), 0.01 * (1 + (i % 5))));
            if (i % 10 == 0)
            {
                trades.Add(Trade("BTCUSDT", i, time, 99_999, 5)); // the same trade id again: must not count
                trades.Add(Trade("BTCUSDT", 100_000 + i, time, 60_123, 0.5)); // the same time, another id
            }
        }

        var engine = new CandleWindowEngine(new CandleWindowOptions { AllowedLateness = TimeSpan.FromDays(10) });
        foreach (var t in trades)
        {
            engine.Add(t);
        }

        var embedded = engine.Flush().TradeCandles.Select(c => c.Candle).ToList();
        var recipe = RecipeInterpreter.Evaluate(CandleSemantics.Trades, trades, Day, null).Select(Candle).ToList();

        embedded.Should().HaveCount(6);
        recipe.Should().BeEquivalentTo(embedded, o => o.WithStrictOrdering()
            .Using<double>(c => c.Subject.Should().BeApproximately(c.Expectation, Math.Abs(c.Expectation) * 1e-12)).WhenTypeIs<double>());
    }

    [Fact]
    public void The_ticker_recipe_gives_the_embedded_engines_ticker_statistics()
    {
        var start = new DateTimeOffset(2026, 8, 1, 0, 0, 0, TimeSpan.Zero).ToUnixTimeMilliseconds();
        var ticks = Enumerable.Range(0, 200).Select(i => Ticker("BTCUSDT", start + (i * 1_000_003L * 7), 60_000 + (i * 71 % 900), 1_000 + i)).ToList();
        var engine = new CandleWindowEngine(new CandleWindowOptions { AllowedLateness = TimeSpan.FromDays(10) });
        foreach (var t in ticks)
        {
            engine.Add(t);
        }

        var embedded = engine.Flush().TickerStats;
        var recipe = RecipeInterpreter.Evaluate(CandleSemantics.Tickers, ticks, Day, null).Select(r => new TickerDayStats(
            (string)r["exchange"], (string)r["symbol"], (DateOnly)r["day"], (DateTimeOffset)r["window_start"], (DateTimeOffset)r["window_end"],
            (double)r["first_price"], (double)r["last_price"], (double)r["min_price"], (double)r["max_price"], (double)r["avg_price"],
            (double)r["volume_24h"], (double)r["quote_volume_24h"], (long)r["ticks"], (string)r["source"], (bool)r["complete"],
            (DateTimeOffset)r["first_event_time"], (DateTimeOffset)r["last_event_time"])).ToList();

        embedded.Should().HaveCountGreaterThan(1);
        recipe.Should().BeEquivalentTo(embedded, o => o.WithStrictOrdering()
            .Using<double>(c => c.Subject.Should().BeApproximately(c.Expectation, Math.Abs(c.Expectation) * 1e-12)).WhenTypeIs<double>());
    }

    [Fact]
    public void The_recipes_output_columns_are_the_views_columns_in_file_order()
    {
        // The DailyCandle record's properties in snake_case, in declaration order, are the view's columns.
        var record = typeof(DailyCandle).GetConstructors().Single().GetParameters().Select(p => Snake(p.Name!));
        CandleSemantics.DailyCandleColumns.Should().Equal(record);
        var ticker = typeof(TickerDayStats).GetConstructors().Single().GetParameters().Select(p => Snake(p.Name!).Replace("24_h", "_24h", StringComparison.Ordinal));
        CandleSemantics.TickerStatsColumns.Should().Equal(ticker);
    }

    private static string Snake(string name) =>
        string.Concat(name.Select((c, i) => char.IsUpper(c) ? (i > 0 ? "_" : "") + char.ToLowerInvariant(c) : char.IsDigit(c) && i > 0 && !char.IsDigit(name[i - 1]) ? "_" + c : c.ToString()));

    private static DailyCandle Candle(Dictionary<string, object> r) => new(
        (string)r["exchange"], (string)r["symbol"], (DateOnly)r["day"], (double)r["open"], (double)r["high"], (double)r["low"], (double)r["close"],
        (double)r["volume"], (double)r["quote_volume"], (long)r["trades"], (string)r["source"], (bool)r["complete"],
        (DateTimeOffset)r["first_event_time"], (DateTimeOffset)r["last_event_time"]);

    private static KlineEvent Kline(Kline k, long eventTime, string interval) => new()
    {
        Exchange = "binance", Symbol = "BTCUSDT", EventTime = eventTime, Source = EventSources.Replay, Interval = interval,
        OpenTime = k.OpenTime, CloseTime = k.CloseTime, Open = k.Open, High = k.High, Low = k.Low, Close = k.Close,
        Volume = k.Volume, QuoteVolume = k.QuoteVolume, Trades = k.Trades, IsClosed = true,
    };

    private static TradeEvent Trade(string symbol, long id, long time, double price, double quantity) => new()
    {
        Exchange = "binance", Symbol = symbol, EventTime = time + 3, Source = EventSources.Replay,
        TradeId = id, Price = price, Quantity = quantity, TradeTime = time, IsBuyerMaker = id % 2 == 0,
    };

    private static TickerEvent Ticker(string symbol, long time, double price, double volume) => new()
    {
        Exchange = "binance", Symbol = symbol, EventTime = time, Source = EventSources.Replay, Price = price, Open = price, High = price, Low = price,
        Volume = volume, QuoteVolume = volume * price, NumberTrades = 10, PriceChange = 0, PriceChangePercent = 0,
        Timestamp = DateTimeOffset.FromUnixTimeMilliseconds(time),
    };
}
