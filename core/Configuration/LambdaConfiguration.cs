using Microsoft.Extensions.Configuration;

namespace Lambda.Core.Configuration;

/// <summary>
/// Every executable's configuration, lowest precedence first: <c>appsettings.json</c> (beside the
/// executable, then in the working directory), environment variables (<c>LAMBDA_</c> prefix with
/// <c>__</c> between sections, e.g. <c>LAMBDA_Kafka__BootstrapServers</c>; and the conventional
/// <c>KAFKA_BOOTSTRAP_SERVERS</c>), then the command line's options.
/// </summary>
public static class LambdaConfiguration
{
    public const string EnvironmentPrefix = "LAMBDA_";

    public static IConfigurationRoot Build(IEnumerable<KeyValuePair<string, string?>> commandLineOverrides)
    {
        var builder = new ConfigurationBuilder()
            .AddJsonFile(Path.Combine(AppContext.BaseDirectory, "appsettings.json"), optional: true)
            .AddJsonFile(Path.Combine(Directory.GetCurrentDirectory(), "appsettings.json"), optional: true)
            .AddInMemoryCollection(ConventionalEnvironment())
            .AddEnvironmentVariables(EnvironmentPrefix)
            .AddInMemoryCollection(commandLineOverrides.Where(o => o.Value is not null));
        return builder.Build();
    }

    /// <summary>The variable docker-compose files and Kafka tooling use by convention.</summary>
    private static Dictionary<string, string?> ConventionalEnvironment()
    {
        var bootstrap = Environment.GetEnvironmentVariable("KAFKA_BOOTSTRAP_SERVERS");
        return string.IsNullOrWhiteSpace(bootstrap) ? [] : new() { ["Kafka:BootstrapServers"] = bootstrap };
    }
}
