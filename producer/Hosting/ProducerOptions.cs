using Lambda.Core.Contracts;
using Lambda.Producer.Connectors;

namespace Lambda.Producer.Hosting;

/// <summary>The <c>Producer</c> configuration section; the command line's options override it.</summary>
public sealed class ProducerOptions
{
    public const string Section = "Producer";

    // The lists start empty and get their defaults after binding (FillDefaults): the configuration
    // binder appends to a list that already has items, so configured lists would add to defaults.

    /// <summary><c>binance</c>, <c>bybit</c>, or both (default binance).</summary>
    public List<string> Exchanges { get; set; } = [];

    /// <summary>Default BTCUSDT, ETHUSDT.</summary>
    public List<string> Symbols { get; set; } = [];

    /// <summary><c>ticker</c>, <c>trade</c>, <c>kline_&lt;interval&gt;</c> (default ticker, kline_1m, trade).</summary>
    public List<string> Streams { get; set; } = [];

    /// <summary><c>websocket</c> (streams) or <c>rest</c> (polling <c>/api/v3/ticker/24hr</c>, Binance only).</summary>
    public string Mode { get; set; } = "websocket";

    /// <summary>Also write every raw frame with its receive time to this capture file.</summary>
    public string? RecordPath { get; set; }

    /// <summary>An alert fires when a symbol's price moved at least this much since its last alert.</summary>
    public double AlertThresholdPercent { get; set; } = 0.5;

    /// <summary>Tickers whose 24 h quote volume is below this are filtered out (counted, not published).</summary>
    public double MinQuoteVolume { get; set; }

    /// <summary>Print the per-symbol statistics every this many events (0: never).</summary>
    public int StatisticsEvery { get; set; } = 100;

    /// <summary>Print every event as a line on the console (the human-readable sink).</summary>
    public bool Console { get; set; }

    /// <summary>A stream silent for longer than this is reconnected.</summary>
    public TimeSpan WatchdogSilence { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Poll Binance's REST tickers while every Binance WebSocket is down for longer than <see cref="RestFallbackAfter"/>.</summary>
    public bool RestFallback { get; set; }

    public TimeSpan RestFallbackAfter { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Frames waiting for the pipeline; when full, connectors wait (back-pressure) rather than drop.</summary>
    public int FrameQueueCapacity { get; set; } = 65_536;

    public ReconnectOptions Reconnect { get; set; } = new();

    public BinanceOptions Binance { get; set; } = new();

    public BybitOptions Bybit { get; set; } = new();

    /// <summary>Gives the lists nothing configured their defaults; returns the options for chaining.</summary>
    public ProducerOptions FillDefaults()
    {
        if (Exchanges.Count == 0)
        {
            Exchanges = [Lambda.Core.Contracts.Exchanges.Binance];
        }

        if (Symbols.Count == 0)
        {
            Symbols = ["BTCUSDT", "ETHUSDT"];
        }

        if (Streams.Count == 0)
        {
            Streams = ["ticker", "kline_1m", "trade"];
        }

        return this;
    }
}

public sealed class BinanceOptions
{
    public Uri WebSocketUrl { get; set; } = new("wss://stream.binance.com:9443");

    public Uri RestUrl { get; set; } = new("https://api.binance.com");

    /// <summary>Binance allows 1024 streams per connection; more are spread over several connections.</summary>
    public int MaxStreamsPerConnection { get; set; } = 1024;

    /// <summary>Streams beyond what fits in a URL of this length are subscribed by SUBSCRIBE messages.</summary>
    public int MaxUrlLength { get; set; } = 8_000;

    /// <summary>Binance closes a connection that sends more than 5 messages a second (1008).</summary>
    public int MaxOutgoingPerSecond { get; set; } = 5;

    /// <summary>Connections are replaced (new one first) after this long, ahead of Binance's 24 h limit.</summary>
    public TimeSpan ConnectionLifetime { get; set; } = TimeSpan.FromHours(23);

    /// <summary>After a replacement connection delivers what the old one did, the old one stays this long.</summary>
    public TimeSpan RotationGrace { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>The longest both connections run side by side during a replacement.</summary>
    public TimeSpan MaxRotationOverlap { get; set; } = TimeSpan.FromSeconds(30);

    public TimeSpan ConnectTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>How often <c>--mode rest</c> polls the 24 h tickers.</summary>
    public TimeSpan RestInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Binance's request-weight budget per minute (6000); we stay under it.</summary>
    public int WeightLimitPerMinute { get; set; } = 6_000;
}

public sealed class BybitOptions
{
    public Uri WebSocketUrl { get; set; } = new("wss://stream.bybit.com/v5/public/spot");

    /// <summary>Bybit expects an application-level <c>{"op":"ping"}</c> every 20 s.</summary>
    public TimeSpan PingInterval { get; set; } = TimeSpan.FromSeconds(20);

    /// <summary>Bybit refuses a subscribe request with more than 10 args.</summary>
    public int MaxArgsPerSubscribe { get; set; } = 10;

    public TimeSpan ConnectTimeout { get; set; } = TimeSpan.FromSeconds(10);
}
