namespace Lambda.Producer.Connectors;

/// <summary>How a connector waits between connection attempts.</summary>
public sealed class ReconnectOptions
{
    /// <summary>The first wait after a failure.</summary>
    public TimeSpan InitialDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>No wait is longer than this.</summary>
    public TimeSpan MaxDelay { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>A connection that lived this long was healthy: the next failure starts from <see cref="InitialDelay"/> again.</summary>
    public TimeSpan StableAfter { get; set; } = TimeSpan.FromSeconds(60);
}

/// <summary>
/// Exponential backoff with "full jitter" (a uniform wait between zero and the exponential bound,
/// capped): thousands of clients dropped by one exchange outage do not all come back in the same
/// second. A connection that stayed up for <see cref="ReconnectOptions.StableAfter"/> resets it.
/// </summary>
public sealed class ReconnectBackoff(ReconnectOptions options, Random random)
{
    private int _failures;

    public ReconnectBackoff(ReconnectOptions options) : this(options, Random.Shared)
    {
    }

    /// <summary>Consecutive failures so far.</summary>
    public int Failures => _failures;

    /// <summary>The wait before the next attempt, after a connection (or attempt) that lasted <paramref name="lived"/>.</summary>
    public TimeSpan Next(TimeSpan lived)
    {
        if (lived >= options.StableAfter)
        {
            _failures = 0;
        }

        var bound = Math.Min(options.MaxDelay.TotalMilliseconds, options.InitialDelay.TotalMilliseconds * Math.Pow(2, Math.Min(_failures, 30)));
        _failures++;
        return TimeSpan.FromMilliseconds(random.NextDouble() * bound);
    }

    /// <summary>After a success: the next failure waits the shortest again.</summary>
    public void Reset() => _failures = 0;

    /// <summary>The ceiling of the wait the next call would return (for logs and tests).</summary>
    public TimeSpan Ceiling => TimeSpan.FromMilliseconds(Math.Min(options.MaxDelay.TotalMilliseconds, options.InitialDelay.TotalMilliseconds * Math.Pow(2, Math.Min(_failures, 30))));
}
