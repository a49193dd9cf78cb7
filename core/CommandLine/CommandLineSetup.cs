using System.CommandLine;
using Lambda.Core.Configuration;
using Lambda.Core.Telemetry;
using Lambda.Core.Transport.Kafka;
using Microsoft.Extensions.Configuration;

namespace Lambda.Core.CommandLine;

/// <summary>
/// What every executable takes from its command line the same way: the configuration (with
/// <c>--kafka</c> as the last word on the bootstrap servers and <c>--metrics</c> on the exporter), the Kafka
/// options, the data directory.
/// </summary>
public sealed record CommandLineSetup(IConfigurationRoot Configuration, KafkaOptions Kafka, string DataDirectory)
{
    public static CommandLineSetup From(ParseResult parseResult)
    {
        ArgumentNullException.ThrowIfNull(parseResult);
        var configuration = LambdaConfiguration.Build([
            new("Kafka:BootstrapServers", parseResult.GetValue<string?>("--kafka")),
            LambdaTelemetry.CommandLineOverride(parseResult.GetValue<string?>("--metrics")),
        ]);
        var kafka = configuration.GetSection(KafkaOptions.Section).Get<KafkaOptions>() ?? new KafkaOptions();
        return new CommandLineSetup(configuration, kafka, parseResult.GetRequiredValue<DirectoryInfo>("--data-dir").FullName);
    }

    /// <summary>Logging and metrics export for the executable <paramref name="service"/>, as configured.</summary>
    public LambdaTelemetry StartTelemetry(string service, params string[] otherMeters) => LambdaTelemetry.Start(Configuration, service, otherMeters);
}
