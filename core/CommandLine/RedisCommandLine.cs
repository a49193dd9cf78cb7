using System.CommandLine;
using Lambda.Core.Transport.Live;

namespace Lambda.Core.CommandLine;

/// <summary><c>--redis HOST:PORT</c> and <c>--redis-prefix PREFIX</c>, the same for the producer and the dashboard.</summary>
public static class RedisCommandLine
{
    public static Option<string?> Endpoint(string description)
    {
        var option = new Option<string?>("--redis") { Description = description, HelpName = "HOST:PORT" };
        option.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<string?>() is { } value && !RedisOptions.IsEndpoint(value))
            {
                result.AddError($"--redis '{value}' is not HOST:PORT (e.g. 127.0.0.1:6379)");
            }
        });
        return option;
    }

    public static Option<string?> ChannelPrefix()
    {
        var option = new Option<string?>("--redis-prefix")
        {
            Description = "Prefix of the Redis channel names (default none: tickers, trades, klines, price_alerts, dead_letters)",
            HelpName = "PREFIX",
        };
        option.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<string?>() is { } value && !RedisOptions.IsChannelPrefix(value))
            {
                result.AddError($"--redis-prefix '{value}' must be at most 100 characters without spaces or control characters");
            }
        });
        return option;
    }
}
