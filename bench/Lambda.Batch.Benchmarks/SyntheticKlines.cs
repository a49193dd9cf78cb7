using Lambda.BatchLayer.Master;
using Lambda.Core.Klines;

namespace Lambda.Batch.Benchmarks;

/// <summary>
/// The benchmark's master dataset: 1h klines of <c>symbols</c> made-up symbols over <c>years</c> years from
/// 2016-01-01, a seeded random walk per symbol (so every machine gets the same data), written through
/// <see cref="MasterDataset"/> and cached: the data set is built once per size.
/// </summary>
internal static class SyntheticKlines
{
    private const long HourMs = 3_600_000;
    private static readonly long Start = new DateTimeOffset(2016, 1, 1, 0, 0, 0, TimeSpan.Zero).ToUnixTimeMilliseconds();

    public static async Task<string> EnsureAsync(string cacheRoot, int symbols, int years, TextWriter log)
    {
        var data = Path.Combine(cacheRoot, $"{symbols}-symbols-{years}-years");
        var marker = Path.Combine(data, "complete");
        if (File.Exists(marker))
        {
            await log.WriteLineAsync($"  data set cached in {data}").ConfigureAwait(false);
            return data;
        }

        if (Directory.Exists(data))
        {
            Directory.Delete(data, recursive: true); // an interrupted generation
        }

        var end = new DateTimeOffset(2016 + years, 1, 1, 0, 0, 0, TimeSpan.Zero).ToUnixTimeMilliseconds();
        var hours = (int)((end - Start) / HourMs);
        var clock = System.Diagnostics.Stopwatch.StartNew();
        using (var master = new MasterDataset(data))
        {
            for (var s = 0; s < symbols; s++)
            {
                var klines = Walk(s, hours);
                await master.AddAsync("binance", Symbol(s), "1h", klines, MasterOrigins.Import, CancellationToken.None).ConfigureAwait(false);
                if ((s + 1) % 10 == 0 || s + 1 == symbols)
                {
                    await log.WriteLineAsync($"  generated {s + 1}/{symbols} symbols ({(s + 1L) * hours:N0} klines, {clock.Elapsed.TotalSeconds:F0} s)").ConfigureAwait(false);
                }
            }
        }

        await File.WriteAllTextAsync(marker, $"{(long)symbols * hours}\n").ConfigureAwait(false);
        return data;
    }

    public static string Symbol(int index) => $"SYM{index:D3}USDT";

    private static List<Kline> Walk(int symbol, int hours)
    {
        var random = new Random(1000 + symbol);
        var price = 10 + symbol * 7.5;
        var klines = new List<Kline>(hours);
        for (var h = 0; h < hours; h++)
        {
            var open = price;
            var close = Math.Round(open * Math.Exp((random.NextDouble() - 0.5) * 0.02), 4);
            var high = Math.Round(Math.Max(open, close) * (1 + random.NextDouble() * 0.004), 4);
            var low = Math.Round(Math.Min(open, close) * (1 - random.NextDouble() * 0.004), 4);
            var volume = Math.Round(100 + random.NextDouble() * 1000, 6);
            var openTime = Start + h * HourMs;
            klines.Add(new Kline(openTime, openTime + HourMs - 1, open, high, low, close, volume, Math.Round(volume * (open + close) / 2, 6), random.Next(100, 10_000)));
            price = close;
        }

        return klines;
    }
}
