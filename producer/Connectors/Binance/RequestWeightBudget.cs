namespace Lambda.Producer.Connectors.Binance;

/// <summary>
/// Binance's request-weight budget: every REST request costs weight, at most a limit (6000) per
/// minute per IP; <c>X-MBX-USED-WEIGHT-1M</c> on each response says what the current minute has used.
/// Before a request we check it fits; if not, we wait for the next minute instead of being refused.
/// </summary>
public sealed class RequestWeightBudget(int limitPerMinute, TimeProvider clock)
{
    private long _minute = long.MinValue;
    private int _used;

    public int UsedThisMinute => CurrentMinute() == _minute ? _used : 0;

    /// <summary>The weight of <c>/api/v3/ticker/24hr</c> for a number of symbols (Binance's tiers).</summary>
    public static int Ticker24h(int symbols) => symbols switch
    {
        <= 0 => 80,
        <= 20 => 2,
        <= 100 => 40,
        _ => 80,
    };

    /// <summary>How long to wait before a request of <paramref name="weight"/> fits; zero when it fits now.</summary>
    public TimeSpan WaitFor(int weight)
    {
        if (UsedThisMinute + weight <= limitPerMinute)
        {
            return TimeSpan.Zero;
        }

        var now = clock.GetUtcNow();
        var nextMinute = new DateTimeOffset(now.Year, now.Month, now.Day, now.Hour, now.Minute, 0, TimeSpan.Zero).AddMinutes(1);
        return nextMinute - now + TimeSpan.FromMilliseconds(50);
    }

    /// <summary>Charges a request we are about to send.</summary>
    public void Charge(int weight)
    {
        Roll();
        _used += weight;
    }

    /// <summary>What the server said this minute's weight is (it counts every client on our IP).</summary>
    public void Observe(int usedWeight)
    {
        Roll();
        _used = Math.Max(_used, usedWeight);
    }

    private void Roll()
    {
        var minute = CurrentMinute();
        if (minute != _minute)
        {
            _minute = minute;
            _used = 0;
        }
    }

    private long CurrentMinute() => clock.GetUtcNow().ToUnixTimeSeconds() / 60;
}
