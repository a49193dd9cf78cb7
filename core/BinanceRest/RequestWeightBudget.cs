using System.Globalization;

namespace Lambda.Core.BinanceRest;

/// <summary>
/// Binance's request-weight budget: every REST request costs weight, at most a limit (6000) per
/// minute per IP; <c>X-MBX-USED-WEIGHT-1M</c> on each response says what the current minute has used.
/// Before a request we check it fits; if not, we wait for the next minute instead of being refused.
/// Shared by every Binance REST client (the producer's ticker poller, the batch layer's backfill).
/// Not thread-safe: one client sends its requests one after another.
/// </summary>
/// <param name="window">
/// The length of the budget's window, aligned to the clock like Binance's minute (Unix time
/// multiples). Binance's is one minute; a local test server may use a shorter one.
/// </param>
public sealed class RequestWeightBudget(int limitPerMinute, TimeProvider clock, TimeSpan? window = null)
{
    /// <summary>Weight of one <c>/api/v3/klines</c> request (any limit up to 1000 rows).</summary>
    public const int KlinesWeight = 2;

    /// <summary>The response header in which Binance reports the weight used this minute.</summary>
    public const string UsedWeightHeader = "X-MBX-USED-WEIGHT-1M";

    private readonly long _windowMs = WindowMilliseconds(window ?? TimeSpan.FromMinutes(1));

    private long _window = long.MinValue;
    private int _used;

    public int Limit => limitPerMinute;

    /// <summary>The weight used in the current window (ours, or more when the server said so).</summary>
    public int UsedThisMinute => CurrentWindow() == _window ? _used : 0;

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

        var nowMs = clock.GetUtcNow().ToUnixTimeMilliseconds();
        var nextWindowMs = (Math.Floor((double)nowMs / _windowMs) + 1) * _windowMs;
        // A little past the boundary, so that the server has rolled its window too.
        return TimeSpan.FromMilliseconds(nextWindowMs - nowMs + 50);
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

    /// <summary>Takes <see cref="UsedWeightHeader"/> from a response, when it is there.</summary>
    public void Observe(HttpResponseMessage response)
    {
        ArgumentNullException.ThrowIfNull(response);
        if (response.Headers.TryGetValues(UsedWeightHeader, out var values)
            && int.TryParse(values.FirstOrDefault(), NumberStyles.None, CultureInfo.InvariantCulture, out var used))
        {
            Observe(used);
        }
    }

    private static long WindowMilliseconds(TimeSpan window) => window >= TimeSpan.FromMilliseconds(1)
        ? (long)window.TotalMilliseconds
        : throw new ArgumentOutOfRangeException(nameof(window), "The weight window must be at least 1 ms.");

    private void Roll()
    {
        var current = CurrentWindow();
        if (current != _window)
        {
            _window = current;
            _used = 0;
        }
    }

    private long CurrentWindow() => (long)Math.Floor((double)clock.GetUtcNow().ToUnixTimeMilliseconds() / _windowMs);
}
