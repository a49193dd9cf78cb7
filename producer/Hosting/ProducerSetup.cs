using System.CommandLine;
using System.CommandLine.Parsing;
using Lambda.Core.CommandLine;
using Lambda.Core.Configuration;
using Lambda.Core.Telemetry;
using Lambda.Core.Transport.Kafka;
using Lambda.Core.Transport.Live;
using Lambda.Producer.Pipeline;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Lambda.Producer.Hosting;

/// <summary>
/// Configuration, logging and options of one producer invocation: <c>appsettings.json</c>, then
/// environment variables, then the command line, validated with messages that name the setting.
/// </summary>
public sealed class ProducerSetup : IDisposable
{
    private readonly LambdaTelemetry? _telemetry;

    private ProducerSetup(IConfigurationRoot configuration, KafkaOptions kafka, ProducerOptions producer, string dataDirectory, RedisOptions redis, ILoggerFactory? loggers = null)
    {
        Configuration = configuration;
        Redis = redis;
        Kafka = kafka;
        Producer = producer;
        DataDirectory = dataDirectory;
        Statistics = new IngestStatistics(Clock);
        _telemetry = loggers is null ? LambdaTelemetry.Start(configuration, "producer") : null;
        Loggers = loggers ?? _telemetry!.Loggers;
    }

    public IConfigurationRoot Configuration { get; }

    public KafkaOptions Kafka { get; }

    public ProducerOptions Producer { get; }

    /// <summary>The live fan-out (<c>--redis</c>); not configured means none.</summary>
    public RedisOptions Redis { get; }

    public string DataDirectory { get; }

    public ILoggerFactory Loggers { get; }

    public TimeProvider Clock { get; } = TimeProvider.System;

    public IngestStatistics Statistics { get; }

    /// <exception cref="OptionsValidationException">A setting is wrong; the messages say which.</exception>
    public static ProducerSetup From(ParseResult parseResult)
    {
        var (configuration, kafka, dataDirectory) = CommandLineSetup.From(parseResult);
        var producer = (configuration.GetSection(ProducerOptions.Section).Get<ProducerOptions>() ?? new ProducerOptions()).FillDefaults();
        ApplyCommandLine(producer, parseResult);
        if (producer.RecordPath is { } record)
        {
            // Like every file the producer writes, a relative capture path is under --data-dir.
            producer.RecordPath = Path.GetFullPath(record, dataDirectory);
        }

        var validation = new ProducerOptionsValidator().Validate(null, producer);
        if (validation.Failed)
        {
            throw new OptionsValidationException(ProducerOptions.Section, typeof(ProducerOptions), validation.Failures);
        }

        var redis = RedisOptions.From(configuration, parseResult.GetValue<string?>("--redis"), parseResult.GetValue<string?>("--redis-prefix"));
        var redisValidation = new RedisOptionsValidator().Validate(null, redis);
        if (redisValidation.Failed)
        {
            throw new OptionsValidationException(RedisOptions.Section, typeof(RedisOptions), redisValidation.Failures);
        }

        return new ProducerSetup(configuration, kafka, producer, dataDirectory, redis);
    }

    /// <summary>A setup from options made in code (tests, embedding); they are validated the same way.</summary>
    public static ProducerSetup Create(ProducerOptions producer, KafkaOptions kafka, string dataDirectory, ILoggerFactory loggers, RedisOptions? redis = null)
    {
        producer.FillDefaults();
        var validation = new ProducerOptionsValidator().Validate(null, producer);
        if (validation.Failed)
        {
            throw new OptionsValidationException(ProducerOptions.Section, typeof(ProducerOptions), validation.Failures);
        }

        return new ProducerSetup(new ConfigurationBuilder().Build(), kafka, producer, dataDirectory, redis ?? new RedisOptions(), loggers);
    }

    public ProducerRuntime CreateRuntime(TextWriter output, bool knownSymbolsOnly) =>
        new(Producer, Kafka, DataDirectory, output, Loggers, Clock, Statistics, knownSymbolsOnly, Redis);

    public void Dispose()
    {
        // The telemetry first: its last export at exit reads the statistics' instruments.
        if (_telemetry is not null)
        {
            _telemetry.Dispose();
        }
        else
        {
            Loggers.Dispose();
        }

        Statistics.Dispose();
    }

    /// <summary>Options given on the command line win over configuration; absent ones leave it alone.</summary>
    private static void ApplyCommandLine(ProducerOptions options, ParseResult parseResult)
    {
        T? Given<T>(string name) => parseResult.GetResult(name) is OptionResult { Implicit: false } ? parseResult.GetValue<T>(name) : default;

        // A replay's --exchange names its input's exchange, not the exchanges to connect to.
        if (parseResult.CommandResult.Command.Name == "run" && Given<string>("--exchange") is { } exchange)
        {
            options.Exchanges = exchange == "all" ? [.. Lambda.Core.Contracts.Exchanges.All] : [exchange];
        }

        if (Given<string>("--symbols") is { } symbols)
        {
            options.Symbols = [.. CommonOptions.SplitList(symbols)];
        }

        if (Given<string>("--streams") is { } streams)
        {
            options.Streams = [.. CommonOptions.SplitList(streams)];
        }

        if (Given<string>("--mode") is { } mode)
        {
            options.Mode = mode;
        }

        if (Given<FileInfo>("--record") is { } record)
        {
            options.RecordPath = record.ToString();
        }

        if (Given<double?>("--alert-threshold") is { } threshold)
        {
            options.AlertThresholdPercent = threshold;
        }

        if (Given<double?>("--min-quote-volume") is { } minimum)
        {
            options.MinQuoteVolume = minimum;
        }

        if (Given<int?>("--stats-every") is { } every)
        {
            options.StatisticsEvery = every;
        }

        if (Given<bool>("--console"))
        {
            options.Console = true;
        }

        if (Given<bool>("--rest-fallback"))
        {
            options.RestFallback = true;
        }
    }
}
