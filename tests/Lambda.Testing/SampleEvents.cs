using Lambda.Core.Contracts;

namespace Lambda.Testing;

/// <summary>Events as a test or a benchmark publishes them: valid contracts with the fields that matter given.</summary>
public static class SampleEvents
{
    public static TickerEvent Ticker(string symbol, double price, DateTime time, double changePercent = 1.5, string exchange = Exchanges.Binance) => new()
    {
        Exchange = exchange,
        Symbol = symbol,
        EventTime = new DateTimeOffset(time, TimeSpan.Zero).ToUnixTimeMilliseconds(),
        Source = EventSources.WebSocket,
        Price = price,
        Open = price,
        High = price,
        Low = price,
        Volume = 10,
        QuoteVolume = 10 * price,
        NumberTrades = 5,
        PriceChange = 0,
        PriceChangePercent = changePercent,
        Timestamp = DateTimeOffset.UtcNow,
    };

    public static KlineEvent Kline(string symbol, DateTime openTime, double open, double high, double low, double close) => new()
    {
        Exchange = Exchanges.Binance,
        Symbol = symbol,
        EventTime = new DateTimeOffset(openTime, TimeSpan.Zero).ToUnixTimeMilliseconds() + 1000,
        Source = EventSources.WebSocket,
        Interval = "4h",
        OpenTime = new DateTimeOffset(openTime, TimeSpan.Zero).ToUnixTimeMilliseconds(),
        CloseTime = new DateTimeOffset(openTime, TimeSpan.Zero).ToUnixTimeMilliseconds() + 4 * 3_600_000 - 1,
        Open = open,
        High = high,
        Low = low,
        Close = close,
        Volume = 1,
        QuoteVolume = close,
        Trades = 1,
        IsClosed = false,
    };

    public static AlertEvent Alert(string symbol, double previous, double price, DateTime time, string exchange = Exchanges.Binance) => new()
    {
        Exchange = exchange,
        Symbol = symbol,
        EventTime = new DateTimeOffset(time, TimeSpan.Zero).ToUnixTimeMilliseconds(),
        Source = EventSources.WebSocket,
        PreviousPrice = previous,
        Price = price,
        ChangePercent = (price / previous - 1) * 100,
        ThresholdPercent = 0.5,
    };
}
