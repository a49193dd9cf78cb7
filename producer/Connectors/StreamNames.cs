using Lambda.Core.Contracts;

namespace Lambda.Producer.Connectors;

/// <summary>The stream kinds a user asks for (<c>ticker</c>, <c>trade</c>, <c>kline_1m</c>) and their names on each exchange.</summary>
public static class StreamNames
{
    public static bool IsValid(string stream) =>
        stream is "ticker" or "trade"
        || (stream.StartsWith("kline_", StringComparison.Ordinal) && KlineIntervals.TryGetLength(stream["kline_".Length..], out _));

    /// <summary>Binance stream names: <c>btcusdt@ticker</c>, <c>btcusdt@trade</c>, <c>btcusdt@kline_1m</c>.</summary>
    public static IReadOnlyList<string> Binance(IEnumerable<string> symbols, IEnumerable<string> streams) =>
        symbols.SelectMany(symbol => streams.Select(stream => $"{symbol.ToLowerInvariant()}@{stream}")).ToList();

    /// <summary>Bybit v5 spot topics: <c>tickers.BTCUSDT</c>, <c>publicTrade.BTCUSDT</c>; klines are not normalized from Bybit.</summary>
    public static IReadOnlyList<string> Bybit(IEnumerable<string> symbols, IEnumerable<string> streams) =>
        symbols.SelectMany(symbol => streams.Select(stream => stream switch
        {
            "ticker" => $"tickers.{symbol}",
            "trade" => $"publicTrade.{symbol}",
            _ => null,
        }).OfType<string>()).ToList();
}
