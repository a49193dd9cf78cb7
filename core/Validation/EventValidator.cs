using System.Globalization;
using Lambda.Core.Contracts;

namespace Lambda.Core.Validation;

/// <summary>What an event must satisfy before it reaches the log.</summary>
public sealed class EventValidatorOptions
{
    /// <summary>When non-empty, only these symbols are accepted (rule <c>symbol.known</c>).</summary>
    public IReadOnlySet<string> KnownSymbols { get; init; } = new HashSet<string>();

    /// <summary>How far an event time may lie ahead of the clock (rule <c>event_time.range</c>).</summary>
    public TimeSpan MaxClockSkew { get; init; } = TimeSpan.FromHours(1);
}

/// <summary>
/// Checks events against the contract rules of DESIGN.md and names the rule an event broke. Rule
/// names are stable (<c>price.positive</c>, <c>kline.interval</c>…) so dead letters can be counted by rule.
/// </summary>
public sealed class EventValidator(EventValidatorOptions options, TimeProvider clock)
{
    /// <summary>Eight years before the first exchange we speak to existed: older times are bugs.</summary>
    private static readonly long EarliestEventTime = new DateTimeOffset(2009, 1, 1, 0, 0, 0, TimeSpan.Zero).ToUnixTimeMilliseconds();

    private static readonly HashSet<string> KnownSources = [EventSources.WebSocket, EventSources.Rest, EventSources.Replay];

    public EventValidator() : this(new EventValidatorOptions(), TimeProvider.System)
    {
    }

    public ValidationResult Validate(MarketEvent marketEvent)
    {
        var common = ValidateCommon(marketEvent);
        if (!common.IsValid)
        {
            return common;
        }

        return marketEvent switch
        {
            TickerEvent t => ValidateTicker(t),
            KlineEvent k => ValidateKline(k),
            TradeEvent t => ValidateTrade(t),
            AlertEvent a => ValidateAlert(a),
            _ => ValidationResult.Valid,
        };
    }

    private ValidationResult ValidateCommon(MarketEvent e)
    {
        if (!Exchanges.All.Contains(e.Exchange))
        {
            return ValidationResult.Broke("exchange.known", $"exchange '{e.Exchange}' is not one of {string.Join(", ", Exchanges.All)}");
        }

        if (e is DeadLetter)
        {
            return ValidationResult.Valid;
        }

        if (!SymbolFormat.IsValid(e.Symbol))
        {
            return ValidationResult.Broke("symbol.format", $"symbol '{e.Symbol}' is not upper-case letters and digits");
        }

        if (options.KnownSymbols.Count > 0 && !options.KnownSymbols.Contains(e.Symbol))
        {
            return ValidationResult.Broke("symbol.known", $"symbol '{e.Symbol}' is not among the configured symbols");
        }

        if (!KnownSources.Contains(e.Source))
        {
            return ValidationResult.Broke("source.known", $"source '{e.Source}' is not websocket, rest or replay");
        }

        var latest = clock.GetUtcNow().Add(options.MaxClockSkew).ToUnixTimeMilliseconds();
        if (e.EventTime < EarliestEventTime || e.EventTime > latest)
        {
            return ValidationResult.Broke("event_time.range", $"event_time {e.EventTime} is before 2009 or more than {options.MaxClockSkew} ahead of the clock");
        }

        return ValidationResult.Valid;
    }

    private static ValidationResult ValidateTicker(TickerEvent t) =>
        FirstBroken(
            Price("price", t.Price),
            Price("open", t.Open),
            Price("high", t.High),
            Price("low", t.Low),
            Amount("volume", t.Volume),
            Amount("quote_volume", t.QuoteVolume),
            Count("number_trades", t.NumberTrades),
            Finite("price_change", t.PriceChange),
            Finite("price_change_percent", t.PriceChangePercent),
            t.High >= t.Low ? ValidationResult.Valid : ValidationResult.Broke("range.high_low", $"high {F(t.High)} is below low {F(t.Low)}"));

    private static ValidationResult ValidateKline(KlineEvent k)
    {
        if (!KlineIntervals.TryGetLength(k.Interval, out var length))
        {
            return ValidationResult.Broke("kline.interval", $"interval '{k.Interval}' is not a Binance kline interval");
        }

        return FirstBroken(
            Price("open", k.Open),
            Price("high", k.High),
            Price("low", k.Low),
            Price("close", k.Close),
            Amount("volume", k.Volume),
            Amount("quote_volume", k.QuoteVolume),
            Count("trades", k.Trades),
            k.CloseTime > k.OpenTime && (length == TimeSpan.Zero || k.CloseTime - k.OpenTime < (long)length.TotalMilliseconds)
                ? ValidationResult.Valid
                : ValidationResult.Broke("kline.time_order", $"close_time {k.CloseTime} does not end a {k.Interval} candle opened at {k.OpenTime}"),
            k.Low <= Math.Min(k.Open, k.Close) && k.High >= Math.Max(k.Open, k.Close)
                ? ValidationResult.Valid
                : ValidationResult.Broke("range.high_low", $"open {F(k.Open)} and close {F(k.Close)} must lie within low {F(k.Low)} and high {F(k.High)}"));
    }

    private static ValidationResult ValidateTrade(TradeEvent t) =>
        FirstBroken(
            Price("price", t.Price),
            t.Quantity > 0 && double.IsFinite(t.Quantity) ? ValidationResult.Valid : ValidationResult.Broke("quantity.positive", $"quantity is {F(t.Quantity)}"),
            t.TradeId >= 0 ? ValidationResult.Valid : ValidationResult.Broke("trade_id.non_negative", $"trade_id is {t.TradeId}"),
            t.TradeTime > 0 ? ValidationResult.Valid : ValidationResult.Broke("trade_time.positive", $"trade_time is {t.TradeTime}"));

    private static ValidationResult ValidateAlert(AlertEvent a) =>
        FirstBroken(Price("previous_price", a.PreviousPrice), Price("price", a.Price), Finite("change_percent", a.ChangePercent));

    private static ValidationResult FirstBroken(params ReadOnlySpan<ValidationResult> results)
    {
        foreach (var result in results)
        {
            if (!result.IsValid)
            {
                return result;
            }
        }

        return ValidationResult.Valid;
    }

    private static ValidationResult Price(string field, double value) =>
        !double.IsFinite(value) ? ValidationResult.Broke($"{field}.finite", $"{field} is {F(value)}")
        : value <= 0 ? ValidationResult.Broke($"{field}.positive", $"{field} is {F(value)}")
        : ValidationResult.Valid;

    private static ValidationResult Amount(string field, double value) =>
        !double.IsFinite(value) ? ValidationResult.Broke($"{field}.finite", $"{field} is {F(value)}")
        : value < 0 ? ValidationResult.Broke($"{field}.non_negative", $"{field} is {F(value)}")
        : ValidationResult.Valid;

    private static ValidationResult Count(string field, long value) =>
        value < 0 ? ValidationResult.Broke($"{field}.non_negative", $"{field} is {value}") : ValidationResult.Valid;

    private static ValidationResult Finite(string field, double value) =>
        double.IsFinite(value) ? ValidationResult.Valid : ValidationResult.Broke($"{field}.finite", $"{field} is {F(value)}");

    private static string F(double value) => value.ToString(CultureInfo.InvariantCulture);
}
