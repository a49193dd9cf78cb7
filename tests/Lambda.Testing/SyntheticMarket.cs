using System.Globalization;
using System.Text;

namespace Lambda.Testing;

/// <summary>
/// Binance combined-stream frames (24hrTicker, trade, 1m kline) of a seeded random walk, for captures
/// that the producer replays: the same input always gives the same events.
/// </summary>
public static class SyntheticMarket
{
    /// <summary>Writes <paramref name="rounds"/> rounds of one ticker, one trade and one kline update per symbol, a second apart, as capture lines; plus one malformed frame (a dead letter).</summary>
    public static void WriteCapture(string path, IReadOnlyList<string> symbols, int rounds, int seed = 17)
    {
        var random = new Random(seed);
        var prices = symbols.ToDictionary(s => s, _ => 100 + random.NextDouble() * 100);
        var start = new DateTimeOffset(2026, 11, 20, 0, 0, 0, TimeSpan.Zero).ToUnixTimeMilliseconds();
        using var writer = new StreamWriter(path, append: false, new UTF8Encoding(false));
        for (var round = 0; round < rounds; round++)
        {
            var time = start + round * 1000L;
            foreach (var symbol in symbols)
            {
                // A walk of up to ±1 % a step: enough to fire the alert detector now and then.
                var price = prices[symbol] *= 1 + (random.NextDouble() - 0.5) * 0.02;
                Line(writer, time, Frame(symbol, "ticker", Invariant($$"""{"e":"24hrTicker","E":{{time}},"s":"{{symbol}}","p":"1.5","P":"1.20","w":"{{price}}","x":"{{price}}","c":"{{price}}","Q":"1","b":"{{price}}","B":"1","a":"{{price}}","A":"1","o":"{{price}}","h":"{{price * 1.01}}","l":"{{price * 0.99}}","v":"1000","q":"{{price * 1000}}","O":{{time - 86_400_000}},"C":{{time}},"F":1,"L":100,"n":100}""")));
                Line(writer, time, Frame(symbol, "trade", Invariant($$"""{"e":"trade","E":{{time}},"s":"{{symbol}}","t":{{round + 1}},"p":"{{price}}","q":"0.5","T":{{time}},"m":{{(round % 2 == 0 ? "true" : "false")}},"M":true}""")));
                var open = time - time % 60_000;
                Line(writer, time, Frame(symbol, "kline_1m", Invariant($$$"""{"e":"kline","E":{{{time}}},"s":"{{{symbol}}}","k":{"t":{{{open}}},"T":{{{open + 59_999}}},"s":"{{{symbol}}}","i":"1m","f":1,"L":2,"o":"{{{price}}}","c":"{{{price}}}","h":"{{{price}}}","l":"{{{price}}}","v":"1","n":2,"x":false,"q":"{{{price}}}","V":"0.5","Q":"1","B":"0"}}""")));
            }
        }

        Line(writer, start + rounds * 1000L, """{"stream":"btcusdt@trade","data":{"e":"trade","E":1,"s":"BTCUSDT","p":"not a number"}}""");
    }

    private static string Frame(string symbol, string stream, string data) =>
        $$"""{"stream":"{{symbol.ToLowerInvariant()}}@{{stream}}","data":{{data}}}""";

    private static void Line(StreamWriter writer, long timeMs, string frame) =>
        writer.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{timeMs / 1000.0:0.000} binance: {frame}"));

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
