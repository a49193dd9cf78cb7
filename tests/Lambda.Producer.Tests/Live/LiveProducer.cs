using System.Text;
using Lambda.Core.Contracts;
using Lambda.Core.Transport.Kafka;
using Lambda.FakeExchange;
using Lambda.Producer.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Lambda.Producer.Tests.Live;

/// <summary>
/// The producer running as it does in production (the hosted service, its connectors, the
/// pipeline, the sinks) against a local exchange server, with timings shortened so that faults
/// play out in seconds. Events land in the embedded topics of a temporary data directory, or in
/// Kafka when options say so.
/// </summary>
internal sealed class LiveProducer : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly StringWriter _output = new();
    private readonly Task<int> _running;

    private LiveProducer(FakeExchangeServer exchange, ProducerOptions options, KafkaOptions kafka, string dataDirectory)
    {
        Exchange = exchange;
        Options = options;
        DataDirectory = dataDirectory;
        var setup = ProducerSetup.Create(options, kafka, dataDirectory, NullLoggerFactory.Instance);
        _running = Task.Run(async () =>
        {
            using (setup)
            {
                return await ProducerHost.RunAsync(setup, TextWriter.Synchronized(_output), _stop.Token);
            }
        });
    }

    public FakeExchangeServer Exchange { get; }

    public ProducerOptions Options { get; }

    public string DataDirectory { get; }

    /// <summary>What the producer printed (the final statistics once stopped).</summary>
    public string Output => _output.ToString();

    /// <summary>Options pointing at the local exchange, with fast reconnects and a short watchdog.</summary>
    public static ProducerOptions OptionsFor(FakeExchangeServer exchange, params string[] streams)
    {
        var options = new ProducerOptions
        {
            Symbols = ["BTCUSDT"],
            Streams = [.. streams],
            StatisticsEvery = 0,
            AlertThresholdPercent = 1000,
            WatchdogSilence = TimeSpan.FromSeconds(2),
            Reconnect = new() { InitialDelay = TimeSpan.FromMilliseconds(50), MaxDelay = TimeSpan.FromMilliseconds(250), StableAfter = TimeSpan.FromSeconds(30) },
        };
        options.Binance.WebSocketUrl = exchange.WebSocketBase;
        options.Binance.RestUrl = exchange.HttpBase;
        options.Binance.RotationGrace = TimeSpan.FromMilliseconds(200);
        options.Binance.MaxRotationOverlap = TimeSpan.FromSeconds(3);
        options.Bybit.WebSocketUrl = new Uri(exchange.WebSocketBase, "v5/public/spot");
        return options;
    }

    public static LiveProducer Start(FakeExchangeServer exchange, ProducerOptions options, KafkaOptions? kafka = null) =>
        new(exchange, options, kafka ?? new KafkaOptions(), Directory.CreateTempSubdirectory("lambda-live-").FullName);

    /// <summary>Stops the producer like Ctrl+C does and returns its exit code.</summary>
    public async Task<int> StopAsync()
    {
        await _stop.CancelAsync();
        return await _running.WaitAsync(TimeSpan.FromSeconds(30));
    }

    /// <summary>The events of a topic in the embedded log.</summary>
    public List<T> Events<T>(string topic) where T : MarketEvent
    {
        var directory = Path.Combine(DataDirectory, "topics", topic);
        return !Directory.Exists(directory) ? [] : Directory.GetFiles(directory, "*.jsonl").Order()
            .SelectMany(File.ReadAllLines)
            .Select(line => EventSerializer.Deserialize<T>(Encoding.UTF8.GetBytes(line)))
            .ToList();
    }

    /// <summary>Waits until the embedded topic holds at least <paramref name="count"/> events.</summary>
    public async Task<List<T>> WaitForEventsAsync<T>(string topic, int count, TimeSpan? timeout = null) where T : MarketEvent
    {
        var deadline = DateTimeOffset.UtcNow + (timeout ?? TimeSpan.FromSeconds(15));
        while (true)
        {
            var events = Events<T>(topic);
            if (events.Count >= count || DateTimeOffset.UtcNow > deadline)
            {
                return events;
            }

            await Task.Delay(50);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!_running.IsCompleted)
        {
            await StopAsync();
        }

        _stop.Dispose();
        Directory.Delete(DataDirectory, recursive: true);
    }
}

/// <summary>Binance payloads the tests publish: trades numbered so loss and duplicates show.</summary>
internal static class BinancePayload
{
    public static string Trade(long id, string symbol = "BTCUSDT") =>
        $$"""{"e":"trade","E":{{Time(id)}},"s":"{{symbol}}","t":{{id}},"p":"{{90000 + id % 100}}.5","q":"0.01","T":{{Time(id)}},"m":false,"M":true}""";

    public static string Ticker(string symbol, double price, double quoteVolume = 1e9) =>
        $$"""{"e":"24hrTicker","E":{{Time(0)}},"s":"{{symbol}}","p":"1","P":"0.5","w":"1","x":"1","c":"{{price}}","Q":"1","b":"1","B":"1","a":"1","A":"1","o":"{{price - 1}}","h":"{{price + 10}}","l":"{{price - 10}}","v":"100","q":"{{quoteVolume}}","O":0,"C":1,"F":0,"L":1,"n":5}""";

    private static long Time(long id) => new DateTimeOffset(2026, 11, 21, 0, 0, 0, TimeSpan.Zero).ToUnixTimeMilliseconds() + id;
}
