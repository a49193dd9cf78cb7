namespace Lambda.Core.BinanceRest;

/// <summary>
/// Binance refusing a REST request for its rate limits: 429 (slow down) or 418 (banned after
/// ignoring 429s), both with <c>Retry-After</c> seconds. A client must wait that long; retrying
/// earlier turns a 429 into a 418 and lengthens the ban.
/// </summary>
/// <param name="Status">429 or 418.</param>
/// <param name="RetryAfter">How long to wait: the header, or the fallback when it is missing.</param>
public sealed record BinanceRefusal(int Status, TimeSpan RetryAfter)
{
    public const int RateLimited = 429;
    public const int Banned = 418;

    /// <summary>How the refusal is counted and logged: <c>429 rate limited</c> or <c>418 banned</c>.</summary>
    public string Label => Status == RateLimited ? "429 rate limited" : "418 banned";

    /// <summary>The refusal in a response; null when the response is not one.</summary>
    public static BinanceRefusal? From(HttpResponseMessage response, TimeSpan fallbackRetryAfter)
    {
        ArgumentNullException.ThrowIfNull(response);
        var status = (int)response.StatusCode;
        if (status is not (RateLimited or Banned))
        {
            return null;
        }

        var header = response.Headers.RetryAfter;
        var retryAfter = header?.Delta
            ?? (header?.Date is { } until ? Max(until - DateTimeOffset.UtcNow, TimeSpan.Zero) : fallbackRetryAfter);
        return new BinanceRefusal(status, retryAfter);
    }

    private static TimeSpan Max(TimeSpan a, TimeSpan b) => a > b ? a : b;
}
