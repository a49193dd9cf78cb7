using Lambda.Core.Contracts;

namespace Lambda.Windows.Tests;

/// <summary>Event builders: times as ISO text (UTC) to keep tests readable.</summary>
internal static class Events
{
    public const long Hour = 3_600_000;

    public static long Ms(string iso) => DateTimeOffset.Parse(iso + (iso.EndsWith('Z') ? "" : "Z"), System.Globalization.CultureInfo.InvariantCulture).ToUnixTimeMilliseconds();

    public static KlineEvent Kline(string openTime, double open, double high, double low, double close, double volume,
        bool closed = true, long? eventTime = null, long trades = 10, string interval = "4h", string symbol = "BTCUSDT", string exchange = "binance")
    {
        var length = interval switch { "1h" => Hour, "4h" => 4 * Hour, "1d" => 24 * Hour, _ => throw new ArgumentException(interval) };
        var start = Ms(openTime);
        return new KlineEvent
        {
            Exchange = exchange,
            Symbol = symbol,
            EventTime = eventTime ?? start + length - 1,
            Source = EventSources.Replay,
            Interval = interval,
            OpenTime = start,
            CloseTime = start + length - 1,
            Open = open,
            High = high,
            Low = low,
            Close = close,
            Volume = volume,
            QuoteVolume = volume * close,
            Trades = trades,
            IsClosed = closed,
        };
    }

    public static TradeEvent Trade(string time, long id, double price, double quantity, string symbol = "BTCUSDT", long? eventTime = null) => new()
    {
        Exchange = "binance",
        Symbol = symbol,
        EventTime = eventTime ?? Ms(time),
        Source = EventSources.WebSocket,
        TradeId = id,
        Price = price,
        Quantity = quantity,
        TradeTime = Ms(time),
        IsBuyerMaker = false,
    };

    public static TickerEvent Ticker(string time, double price, double volume, string symbol = "BTCUSDT") => new()
    {
        Exchange = "binance",
        Symbol = symbol,
        EventTime = Ms(time),
        Source = EventSources.WebSocket,
        Price = price,
        Open = price,
        High = price,
        Low = price,
        Volume = volume,
        QuoteVolume = volume * price,
        NumberTrades = 1,
        PriceChange = 0,
        PriceChangePercent = 0,
        Timestamp = DateTimeOffset.FromUnixTimeMilliseconds(Ms(time)),
    };
}
