using System.Globalization;
using Lambda.Core.Contracts;
using Lambda.Core.Transport;
using Lambda.Core.Transport.Kafka;
using Microsoft.Extensions.Logging.Abstractions;

namespace Lambda.Cli.Tests;

/// <summary>
/// Kline events built from the real 4h sample for any symbols (each symbol gets the sample's prices),
/// interleaved by time so that no symbol runs ahead of the others' watermark, and written to the log
/// through the producer's own sinks.
/// </summary>
internal static class SyntheticKlines
{
    public static readonly DateOnly From = new(2026, 6, 1);

    private static string Sample(string name) => Path.Combine(AppContext.BaseDirectory, "samples", "binance", name);

    /// <summary>The closed 4h klines from <see cref="From"/> on, one per symbol per interval, in time order.</summary>
    public static List<KlineEvent> FourHour(IReadOnlyList<string> symbols)
    {
        var fromMs = new DateTimeOffset(From.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero).ToUnixTimeMilliseconds();
        var rows = File.ReadLines(Sample("BTCUSDT-4h.csv")).Skip(1).Select(l => l.Split(','))
            .Where(f => long.Parse(f[0], CultureInfo.InvariantCulture) >= fromMs).ToList();
        return [.. rows.SelectMany(f => symbols.Select(symbol => Kline(symbol, f)))];
    }

    public static KlineEvent Kline(string symbol, string[] f)
    {
        double D(int i) => double.Parse(f[i], CultureInfo.InvariantCulture);
        var close = long.Parse(f[6], CultureInfo.InvariantCulture);
        return new KlineEvent
        {
            Exchange = Exchanges.Binance, Symbol = symbol, EventTime = close, Source = EventSources.Replay, Interval = "4h",
            OpenTime = long.Parse(f[0], CultureInfo.InvariantCulture), CloseTime = close,
            Open = D(1), High = D(2), Low = D(3), Close = D(4), Volume = D(5), QuoteVolume = D(7), Trades = long.Parse(f[8], CultureInfo.InvariantCulture), IsClosed = true,
        };
    }

    /// <summary>A closed 4h kline of <paramref name="symbol"/> opening at <paramref name="openTime"/>, whose event time is <paramref name="eventTime"/>.</summary>
    public static KlineEvent At(string symbol, DateTimeOffset openTime, DateTimeOffset eventTime, double price) => new()
    {
        Exchange = Exchanges.Binance, Symbol = symbol, EventTime = eventTime.ToUnixTimeMilliseconds(), Source = EventSources.Replay, Interval = "4h",
        OpenTime = openTime.ToUnixTimeMilliseconds(), CloseTime = openTime.AddHours(4).ToUnixTimeMilliseconds() - 1,
        Open = price, High = price + 1, Low = price - 1, Close = price, Volume = 1, QuoteVolume = price, Trades = 1, IsClosed = true,
    };

    /// <summary>Publishes the events through the transport's sink (Kafka when configured, else the embedded log) and checks every one was delivered.</summary>
    public static async Task PublishAsync(KafkaOptions kafka, string dataDir, IEnumerable<MarketEvent> events)
    {
        await using var sink = EventLog.CreateSink(kafka, dataDir, NullLoggerFactory.Instance, TimeProvider.System);
        foreach (var e in events)
        {
            await sink.PublishAsync(e, CancellationToken.None);
        }

        (await sink.FlushAsync(TimeSpan.FromSeconds(30), CancellationToken.None)).Complete.Should().BeTrue();
        sink.Statistics.Failed.Should().Be(0);
    }
}
