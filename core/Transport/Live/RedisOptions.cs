using System.Globalization;
using System.Net;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace Lambda.Core.Transport.Live;

/// <summary>
/// The <c>Redis</c> configuration section: where the live fan-out publishes (producer) and where the
/// dashboard subscribes. Pub/sub is fire-and-forget: Kafka (or the embedded log) stays the record.
/// </summary>
public sealed class RedisOptions
{
    public const string Section = "Redis";

    /// <summary><c>HOST:PORT</c> of the Redis server; empty means no live fan-out.</summary>
    public string? Endpoint { get; set; }

    /// <summary>Prepended to every channel name (<c>class-a.tickers</c>), so several classes can share one server.</summary>
    public string ChannelPrefix { get; set; } = "";

    /// <summary>Events waiting to be published; beyond it (Redis far slower than the log) they are counted as failed, never waited for.</summary>
    public int QueueCapacity { get; set; } = 100_000;

    /// <summary>How long one connection attempt may take; the client keeps retrying in the background.</summary>
    public TimeSpan ConnectTimeout { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>The longest pause between reconnection attempts (they back off exponentially up to it).</summary>
    public TimeSpan MaxReconnectDelay { get; set; } = TimeSpan.FromSeconds(2);

    public bool IsConfigured => !string.IsNullOrWhiteSpace(Endpoint);

    public string Channel(string name) => ChannelPrefix + name;

    /// <summary>The section, then <paramref name="endpoint"/> and <paramref name="prefix"/> when given (the command line wins).</summary>
    public static RedisOptions From(IConfiguration configuration, string? endpoint, string? prefix)
    {
        var options = configuration.GetSection(Section).Get<RedisOptions>() ?? new RedisOptions();
        if (endpoint is not null)
        {
            options.Endpoint = endpoint;
        }

        if (prefix is not null)
        {
            options.ChannelPrefix = prefix;
        }

        return options;
    }

    /// <summary><c>HOST:PORT</c> with a port in 1..65535 (an IPv6 address in brackets: <c>[::1]:6379</c>).</summary>
    public static bool IsEndpoint(string value)
    {
        var colon = value.LastIndexOf(':');
        return colon > 0
            && !value.AsSpan(0, colon).ContainsAny(" \t,")
            && int.TryParse(value.AsSpan(colon + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var port)
            && port is > 0 and <= IPEndPoint.MaxPort;
    }

    /// <summary>Channel names are sent as they are: no whitespace or control characters, so they read the same in redis-cli.</summary>
    public static bool IsChannelPrefix(string value) => value.Length <= 100 && !value.Any(c => char.IsWhiteSpace(c) || char.IsControl(c));
}

/// <summary>Checks the <c>Redis</c> section at start, naming the setting that is wrong.</summary>
public sealed class RedisOptionsValidator : IValidateOptions<RedisOptions>
{
    public ValidateOptionsResult Validate(string? name, RedisOptions options)
    {
        var failures = new List<string>();
        if (options.IsConfigured && !RedisOptions.IsEndpoint(options.Endpoint!))
        {
            failures.Add($"Redis:Endpoint '{options.Endpoint}' is not HOST:PORT (e.g. 127.0.0.1:6379)");
        }

        if (!RedisOptions.IsChannelPrefix(options.ChannelPrefix))
        {
            failures.Add($"Redis:ChannelPrefix '{options.ChannelPrefix}' must be at most 100 characters without spaces or control characters");
        }

        if (options.QueueCapacity <= 0)
        {
            failures.Add("Redis:QueueCapacity must be positive");
        }

        if (options.ConnectTimeout <= TimeSpan.Zero || options.MaxReconnectDelay <= TimeSpan.Zero)
        {
            failures.Add("Redis:ConnectTimeout and Redis:MaxReconnectDelay must be positive");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
