namespace Lambda.BatchLayer.Backfill;

/// <summary>
/// The <c>Batch:Binance</c> configuration section (appsettings.json, then <c>LAMBDA_Batch__Binance__…</c>
/// environment variables): where the REST API is and how politely to use it.
/// </summary>
public sealed class BinanceBackfillSettings
{
    public const string Section = "Batch:Binance";

    /// <summary>The REST API's base URL; a local server that speaks the API in tests and classrooms.</summary>
    public Uri RestBaseUrl { get; set; } = new("https://api.binance.com");

    /// <summary>Binance's request-weight limit (6000 a minute per IP); we stay under it.</summary>
    public int WeightLimitPerMinute { get; set; } = 6_000;

    /// <summary>The limit's window: Binance's is one minute. Shorter only for a local test server.</summary>
    public TimeSpan WeightWindow { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>How long one request may take before it counts as failed.</summary>
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Attempts of one page on network errors and 5xx answers before the run gives up (429/418 waits do not count).</summary>
    public int MaxAttempts { get; set; } = 5;

    /// <summary>The wait after a 429/418 that carries no <c>Retry-After</c>.</summary>
    public TimeSpan DefaultRetryAfter { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>The problems with these settings, each naming its key; empty when they are usable.</summary>
    public IReadOnlyList<string> Validate()
    {
        var problems = new List<string>();
        if (RestBaseUrl is null || !RestBaseUrl.IsAbsoluteUri || RestBaseUrl.Scheme is not ("http" or "https"))
        {
            problems.Add($"{Section}:RestBaseUrl '{RestBaseUrl}' must be an absolute http(s) URL");
        }

        if (WeightLimitPerMinute < RequestWeightBudgetWeight)
        {
            problems.Add($"{Section}:WeightLimitPerMinute must be at least {RequestWeightBudgetWeight} (one klines request)");
        }

        if (WeightWindow < TimeSpan.FromMilliseconds(1))
        {
            problems.Add($"{Section}:WeightWindow must be positive");
        }

        if (RequestTimeout <= TimeSpan.Zero)
        {
            problems.Add($"{Section}:RequestTimeout must be positive");
        }

        if (MaxAttempts < 1)
        {
            problems.Add($"{Section}:MaxAttempts must be at least 1");
        }

        if (DefaultRetryAfter < TimeSpan.Zero)
        {
            problems.Add($"{Section}:DefaultRetryAfter must not be negative");
        }

        return problems;
    }

    private const int RequestWeightBudgetWeight = Core.BinanceRest.RequestWeightBudget.KlinesWeight;
}
