using System.Text.Json.Serialization;

namespace Lambda.Dashboard.Board;

/// <summary>A symbol's tile: last price, 24 h change, rate.</summary>
/// <param name="ChangePercent">The ticker's own 24 h change, else computed from the prices seen 24 h of event time earlier; null until known.</param>
/// <param name="Rate">Events a second over the last ten seconds of arrival.</param>
public sealed record Tile(string Key, string Exchange, string Symbol, double Price, double? ChangePercent, double Rate, long Events, long LastEventTime);

/// <summary>A price alert as the page lists it.</summary>
public sealed record AlertItem(string Key, string Exchange, string Symbol, double PreviousPrice, double Price, double ChangePercent, double ThresholdPercent, long EventTime);

/// <summary>One daily candle on the chart. <c>Time</c> is the day's start in Unix seconds (what the chart takes).</summary>
/// <param name="Source"><c>batch</c> or <c>speed</c> (from the views) or <c>live</c> (grown from live events).</param>
public sealed record Bar(long Time, double Open, double High, double Low, double Close, string Source, bool Complete);

/// <summary>Every daily candle of one symbol, oldest first.</summary>
public sealed record Series(string Key, IReadOnlyList<Bar> Candles);

/// <summary>One candle changed (today's live candle growing).</summary>
public sealed record CandleUpdate(string Key, Bar Candle);

/// <summary>The status line.</summary>
/// <param name="LastEventAgeMs">Milliseconds since the last live event arrived; null before the first.</param>
public sealed record Status(string Source, bool Connected, long? LastEventAgeMs, long DeadLetters, long Events, long Unreadable, string Views);

/// <summary>Everything the page shows, sent when it connects.</summary>
public sealed record Snapshot(Status Status, IReadOnlyList<Tile> Tiles, IReadOnlyList<AlertItem> Alerts, IReadOnlyList<Series> Series);

/// <summary>Source-generated JSON for what goes to the browser (a hot path: every live event becomes one of these).</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower)]
[JsonSerializable(typeof(Tile))]
[JsonSerializable(typeof(AlertItem))]
[JsonSerializable(typeof(Series))]
[JsonSerializable(typeof(CandleUpdate))]
[JsonSerializable(typeof(Status))]
[JsonSerializable(typeof(Snapshot))]
internal sealed partial class BoardJsonContext : JsonSerializerContext;
