using System.Diagnostics;
using Lambda.Core.Contracts;

namespace Lambda.Speed.Benchmarks.Runs;

/// <summary>
/// What reading our own klines costs by the two ways <see cref="EventSerializer"/> knows: the written-layout reader
/// (<see cref="EventSerializer.Deserialize(string, ReadOnlySpan{byte})"/>, what every layer calls) and the
/// source-generated serializer (<see cref="EventSerializer.Deserialize{T}"/>), over the same serialized messages.
/// It is why the hand-written reader is kept: it must stay several times cheaper, or it is not worth its code.
/// </summary>
public static class ReaderComparison
{
    public sealed record Result(string Path, double NanosecondsPerMessage, double BytesPerMessage);

    public static IReadOnlyList<Result> Run(int messages, int passes)
    {
        var random = new Random(200_000);
        var json = new byte[messages][];
        var openTime = 1_767_225_600_000L;
        for (var i = 0; i < messages; i++)
        {
            var open = Math.Round(60_000 + random.NextDouble() * 1_000, 2);
            json[i] = EventSerializer.Serialize(new KlineEvent
            {
                Exchange = Exchanges.Binance, Symbol = "SYM" + (i % 24), EventTime = openTime + 59_999, Source = EventSources.WebSocket,
                Interval = "1m", OpenTime = openTime, CloseTime = openTime + 59_999, Open = open, High = open + 5.5, Low = open - 4.25,
                Close = Math.Round(open + random.NextDouble(), 2), Volume = Math.Round(random.NextDouble() * 10, 5),
                QuoteVolume = Math.Round(random.NextDouble() * 600_000, 4), Trades = random.Next(1, 5_000), IsClosed = i % 3 == 0,
            });
            openTime += 60_000;
        }

        return
        [
            Measure("written-layout reader (EventSerializer.Deserialize by topic)", json, passes, static m => EventSerializer.Deserialize(Topics.Klines, m)),
            Measure("source-generated serializer (EventSerializer.Deserialize<KlineEvent>)", json, passes, static m => EventSerializer.Deserialize<KlineEvent>(m)),
        ];
    }

    private static Result Measure(string path, byte[][] json, int passes, Func<byte[], MarketEvent> read)
    {
        foreach (var message in json.AsSpan(0, Math.Min(json.Length, 20_000)))
        {
            read(message);
        }

        var times = new List<double>();
        var bytes = new List<double>();
        for (var pass = 0; pass < passes; pass++)
        {
            var allocated = GC.GetAllocatedBytesForCurrentThread();
            var started = Stopwatch.GetTimestamp();
            foreach (var message in json)
            {
                read(message);
            }

            times.Add(Stopwatch.GetElapsedTime(started).TotalNanoseconds / json.Length);
            bytes.Add((double)(GC.GetAllocatedBytesForCurrentThread() - allocated) / json.Length);
        }

        return new Result(path, Median(times), Median(bytes));
    }

    private static double Median(List<double> values)
    {
        values.Sort();
        return values[values.Count / 2];
    }
}
