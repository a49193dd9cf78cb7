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
        FieldRules.FirstBroken(
            FieldRules.Price("price", t.Price),
            FieldRules.Price("open", t.Open),
            FieldRules.Price("high", t.High),
            FieldRules.Price("low", t.Low),
            FieldRules.Amount("volume", t.Volume),
            FieldRules.Amount("quote_volume", t.QuoteVolume),
            FieldRules.Count("number_trades", t.NumberTrades),
            FieldRules.Finite("price_change", t.PriceChange),
            FieldRules.Finite("price_change_percent", t.PriceChangePercent),
            t.High >= t.Low ? ValidationResult.Valid : ValidationResult.Broke("range.high_low", $"high {FieldRules.F(t.High)} is below low {FieldRules.F(t.Low)}"));

    private static ValidationResult ValidateKline(KlineEvent k) =>
        KlineValidation.Validate(k.Interval, k.OpenTime, k.CloseTime, k.Open, k.High, k.Low, k.Close, k.Volume, k.QuoteVolume, k.Trades);

    private static ValidationResult ValidateTrade(TradeEvent t) =>
        FieldRules.FirstBroken(
            FieldRules.Price("price", t.Price),
            t.Quantity > 0 && double.IsFinite(t.Quantity) ? ValidationResult.Valid : ValidationResult.Broke("quantity.positive", $"quantity is {FieldRules.F(t.Quantity)}"),
            t.TradeId >= 0 ? ValidationResult.Valid : ValidationResult.Broke("trade_id.non_negative", $"trade_id is {t.TradeId}"),
            t.TradeTime > 0 ? ValidationResult.Valid : ValidationResult.Broke("trade_time.positive", $"trade_time is {t.TradeTime}"));

    private static ValidationResult ValidateAlert(AlertEvent a) =>
        FieldRules.FirstBroken(FieldRules.Price("previous_price", a.PreviousPrice), FieldRules.Price("price", a.Price), FieldRules.Finite("change_percent", a.ChangePercent));
}
