using Lambda.Core.Contracts;

namespace Lambda.Core.Transport.Live;

/// <summary>
/// The live fan-out's pub/sub channels (the names of the WebSocket trading pipeline this project grew
/// from): one per topic of the event log, each message one event as its JSON contract. Dead letters
/// get a channel too, so a live screen can count them without reading the log.
/// </summary>
public static class LiveChannels
{
    public const string Tickers = "tickers";
    public const string Trades = "trades";
    public const string Klines = "klines";
    public const string Alerts = "price_alerts";
    public const string DeadLetters = "dead_letters";

    /// <summary>In the order of <see cref="Topics.All"/>.</summary>
    public static IReadOnlyList<string> All { get; } = [Tickers, Klines, Trades, Alerts, DeadLetters];

    public static string ForTopic(string topic) => topic switch
    {
        Topics.Prices => Tickers,
        Topics.Klines => Klines,
        Topics.Trades => Trades,
        Topics.Alerts => Alerts,
        Topics.DeadLetter => DeadLetters,
        _ => throw new ArgumentException($"No live channel for topic '{topic}'", nameof(topic)),
    };

    /// <summary>The topic whose contract a channel's messages follow, or null for a channel that is not ours.</summary>
    public static string? TopicOf(string channel) => channel switch
    {
        Tickers => Topics.Prices,
        Klines => Topics.Klines,
        Trades => Topics.Trades,
        Alerts => Topics.Alerts,
        DeadLetters => Topics.DeadLetter,
        _ => null,
    };

    /// <summary>Index of a topic in <see cref="All"/>, for per-channel counters in arrays.</summary>
    public static int IndexOfTopic(string topic) => topic switch
    {
        Topics.Prices => 0,
        Topics.Klines => 1,
        Topics.Trades => 2,
        Topics.Alerts => 3,
        Topics.DeadLetter => 4,
        _ => throw new ArgumentException($"No live channel for topic '{topic}'", nameof(topic)),
    };
}
