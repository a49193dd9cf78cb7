using Lambda.Core.Contracts;

namespace Lambda.Producer.Pipeline;

/// <summary>
/// Raises an alert when a symbol's price has moved at least the threshold since its last alert
/// (the first price seen is the starting point). Prices come from tickers, trades and candle closes.
/// </summary>
public sealed class PriceAlertDetector(double thresholdPercent)
{
    private readonly Dictionary<string, double> _reference = new(StringComparer.Ordinal);

    public double ThresholdPercent => thresholdPercent;

    public AlertEvent? Observe(MarketEvent marketEvent)
    {
        double? price = marketEvent switch
        {
            TickerEvent t => t.Price,
            TradeEvent t => t.Price,
            KlineEvent k => k.Close,
            _ => null,
        };
        if (price is not { } current)
        {
            return null;
        }

        var key = marketEvent.Key;
        if (!_reference.TryGetValue(key, out var previous))
        {
            _reference[key] = current;
            return null;
        }

        var change = (current - previous) / previous * 100;
        if (Math.Abs(change) < thresholdPercent)
        {
            return null;
        }

        _reference[key] = current;
        return new AlertEvent
        {
            Exchange = marketEvent.Exchange,
            Symbol = marketEvent.Symbol,
            EventTime = marketEvent.EventTime,
            Source = marketEvent.Source,
            PreviousPrice = previous,
            Price = current,
            ChangePercent = Math.Round(change, 6),
            ThresholdPercent = thresholdPercent,
        };
    }
}
