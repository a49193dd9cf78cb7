using System.CommandLine;
using Lambda.Core.Configuration;
using Lambda.Core.Transport.Kafka;
using Microsoft.Extensions.Configuration;

namespace Lambda.Core.CommandLine;

/// <summary>
/// What every executable takes from its command line the same way: the configuration (with
/// <c>--kafka</c> as the last word on the bootstrap servers), the Kafka options, the data directory.
/// </summary>
public sealed record CommandLineSetup(IConfigurationRoot Configuration, KafkaOptions Kafka, string DataDirectory)
{
    public static CommandLineSetup From(ParseResult parseResult)
    {
        var configuration = LambdaConfiguration.Build([new("Kafka:BootstrapServers", parseResult.GetValue<string?>("--kafka"))]);
        var kafka = configuration.GetSection(KafkaOptions.Section).Get<KafkaOptions>() ?? new KafkaOptions();
        return new CommandLineSetup(configuration, kafka, parseResult.GetRequiredValue<DirectoryInfo>("--data-dir").FullName);
    }
}
