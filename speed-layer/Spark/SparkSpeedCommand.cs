using System.CommandLine;
using System.Globalization;
using Lambda.Core.CommandLine;
using Lambda.Core.Contracts;
using Lambda.Core.Spark;
using Microsoft.Extensions.Configuration;

namespace Lambda.SpeedLayer.Spark;

/// <summary>
/// <c>speed-layer stream|batch --engine spark</c>: the options of the Spark engine and the action
/// that runs a <see cref="SparkSpeedJob"/> (or prints its plans with <c>--dry-run</c>).
/// </summary>
public static class SparkSpeedCommand
{
    public const string DefaultRemote = "sc://localhost:15002";
    public const string KafkaPackage = "org.apache.spark:spark-sql-kafka-0-10_2.13";

    public static void AddOptions(Command command)
    {
        ArgumentNullException.ThrowIfNull(command);
        var engine = new Option<string>("--engine") { Description = "embedded (this process) or spark (a Spark Connect server)", DefaultValueFactory = _ => "embedded" };
        engine.Validators.Add(r =>
        {
            if (r.GetValueOrDefault<string>() is not ("embedded" or "spark"))
            {
                r.AddError($"--engine '{r.GetValueOrDefault<string>()}' is not embedded or spark");
            }
        });
        var remote = new Option<string?>("--spark-remote") { Description = $"Spark Connect server, sc://HOST[:PORT] [SPARK_REMOTE, Spark:Remote, {DefaultRemote}]" };
        remote.Validators.Add(r =>
        {
            if (r.GetValueOrDefault<string?>() is { } text && !SparkRemote.TryParse(text, out _, out var error))
            {
                r.AddError("--spark-remote: " + error);
            }
        });
        var kafka = new Option<string?>("--spark-kafka") { Description = "Kafka bootstrap servers as Spark reaches them (e.g. kafka:19092 inside docker-compose) [Spark:KafkaBootstrapServers, --kafka]" };
        kafka.Validators.Add(r =>
        {
            if (r.GetValueOrDefault<string?>() is { } text && CommonOptions.SplitList(text).Any(s => !s.Contains(':', StringComparison.Ordinal)))
            {
                r.AddError($"--spark-kafka '{text}' is not a HOST:PORT list");
            }
        });
        var map = new Option<string?>("--spark-path-map") { Description = "LOCAL=REMOTE: our data folder as Spark sees it, e.g. ./data=/opt/lambda/data [Spark:PathMap]" };
        map.Validators.Add(r =>
        {
            if (!SparkPathMap.TryParse(r.GetValueOrDefault<string?>(), out _, out var error))
            {
                r.AddError(error);
            }
        });
        var checkpoint = new Option<string?>("--checkpoint-location") { Description = "Spark checkpoint folder as Spark sees it [Spark:CheckpointLocation; default <data>/checkpoints/spark/<group> mapped]" };
        checkpoint.Validators.Add(r =>
        {
            if (r.GetValueOrDefault<string?>() is { } text && text.Trim().Length == 0)
            {
                r.AddError("--checkpoint-location is empty");
            }
        });
        command.Options.Add(engine);
        command.Options.Add(remote);
        command.Options.Add(kafka);
        command.Options.Add(map);
        command.Options.Add(checkpoint);
        command.Options.Add(new Option<bool>("--dry-run") { Description = "With --engine spark: print the Spark plans (pyspark style) and, when a server answers, their analyzed schemas; run nothing" });
    }

    public static bool Selected(ParseResult parseResult) =>
        string.Equals(parseResult?.GetValue<string>("--engine"), "spark", StringComparison.Ordinal);

    public static async Task<int> RunAsync(ParseResult parseResult, bool streaming, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(parseResult);
        var output = parseResult.InvocationConfiguration.Output;
        var error = parseResult.InvocationConfiguration.Error;
        var (configuration, kafka, dataDirectory) = CommandLineSetup.From(parseResult);
        var (options, problem) = Options(parseResult, configuration, kafka.BootstrapServers, kafka.TopicPrefix, dataDirectory, streaming);
        if (options is null)
        {
            await error.WriteLineAsync(problem).ConfigureAwait(false);
            return 1;
        }

        var job = new SparkSpeedJob(options, output);
        if (parseResult.GetValue<bool>("--dry-run"))
        {
            return await DryRunAsync(job, options, streaming, output, error, cancellationToken).ConfigureAwait(false);
        }

        await output.WriteLineAsync($"Speed layer on Spark ({(streaming ? "stream" : "batch")}): {string.Join(", ", job.Views.Select(v => $"{v.Name} from {options.TopicPrefix}{v.Recipe.Topic}"))} "
            + $"via Kafka {options.KafkaBootstrapServers}; paths {options.PathMap}." + (streaming ? " Ctrl+C stops the queries." : "")).ConfigureAwait(false);
        try
        {
            var result = streaming ? await job.StreamAsync(cancellationToken).ConfigureAwait(false) : await job.BatchAsync(cancellationToken).ConfigureAwait(false);
            await output.WriteLineAsync(streaming
                ? string.Create(CultureInfo.InvariantCulture, $"micro-batches    {result.Batches} seen, {result.InputRows} input row(s); live view written {result.LiveWrites} time(s); session restarts {result.SessionRestarts}")
                : string.Create(CultureInfo.InvariantCulture, $"rows written     {result.Rows} (by Spark, under views/speed/spark/*/batch/)")).ConfigureAwait(false);
            return 0;
        }
        catch (SparkConnectException e)
        {
            await error.WriteLineAsync($"speed-layer {(streaming ? "stream" : "batch")} --engine spark failed: {Explain(e, options.Remote)}").ConfigureAwait(false);
            return 1;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            await error.WriteLineAsync("Interrupted: Spark may have written part of the batch views; run again to overwrite them.").ConfigureAwait(false);
            return 1;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidDataException)
        {
            await error.WriteLineAsync($"speed-layer {(streaming ? "stream" : "batch")} --engine spark failed: {e.Message}").ConfigureAwait(false);
            return 1;
        }
    }

    /// <summary>What to tell the user about a failure: what to start or add when we know, Spark's words otherwise.</summary>
    public static string Explain(SparkConnectException e, SparkRemote remote)
    {
        ArgumentNullException.ThrowIfNull(e);
        if (e.IsUnreachable)
        {
            return $"no Spark Connect server answered at {remote}. Start one (docker compose --profile spark up -d, see docs/spark.md) "
                + $"or point --spark-remote / {SparkRemote.EnvironmentVariable} at yours.";
        }

        if (e.ErrorClass is "DATA_SOURCE_NOT_FOUND" || e.ServerMessage.Contains("data source: kafka", StringComparison.OrdinalIgnoreCase))
        {
            return $"the Spark server at {remote} has no Kafka source. Start it with --packages {KafkaPackage}:<its Spark version> "
                + $"(docker-compose's spark profile does). Spark said: {e.ServerMessage}";
        }

        return e.Message;
    }

    private static (SparkSpeedOptions? Options, string Problem) Options(
        ParseResult parseResult, IConfiguration configuration, string? kafkaBootstrap, string topicPrefix, string dataDirectory, bool streaming)
    {
        var remoteText = parseResult.GetValue<string?>("--spark-remote");
        var remoteSource = "--spark-remote";
        if (remoteText is null && Environment.GetEnvironmentVariable(SparkRemote.EnvironmentVariable) is { Length: > 0 } fromEnvironment)
        {
            (remoteText, remoteSource) = (fromEnvironment, SparkRemote.EnvironmentVariable);
        }

        if (remoteText is null && configuration["Spark:Remote"] is { Length: > 0 } fromConfiguration)
        {
            (remoteText, remoteSource) = (fromConfiguration, "Spark:Remote");
        }

        if (!SparkRemote.TryParse(remoteText ?? DefaultRemote, out var remote, out var remoteError))
        {
            return (null, $"{remoteSource}: {remoteError}");
        }

        var topics = CommonOptions.SplitList(parseResult.GetRequiredValue<string>("--topics")).Distinct(StringComparer.Ordinal).ToList();
        if (topics.Count == 0)
        {
            return (null, "--topics: name at least one topic");
        }

        var interval = parseResult.GetValue<string?>("--interval");
        if (topics.Contains(Topics.Klines) && interval is null)
        {
            return (null, "--engine spark with crypto-klines needs --interval (e.g. --interval 4h): Spark cannot wait for the first kline to choose it");
        }

        var bootstrap = parseResult.GetValue<string?>("--spark-kafka") ?? configuration["Spark:KafkaBootstrapServers"] ?? kafkaBootstrap;
        if (string.IsNullOrWhiteSpace(bootstrap))
        {
            return (null, "--engine spark reads the topics from Kafka: give --kafka HOST:PORT (or KAFKA_BOOTSTRAP_SERVERS), and --spark-kafka when Spark reaches Kafka at another address");
        }

        if (!SparkPathMap.TryParse(parseResult.GetValue<string?>("--spark-path-map") ?? configuration["Spark:PathMap"], out var map, out var mapError))
        {
            return (null, mapError);
        }

        var window = parseResult.GetRequiredValue<TimeSpan>("--window");
        var lateness = parseResult.GetRequiredValue<TimeSpan>("--lateness");
        if (window.Ticks % TimeSpan.TicksPerMillisecond != 0 || lateness.Ticks % TimeSpan.TicksPerMillisecond != 0)
        {
            return (null, "--window and --lateness must be whole milliseconds for Spark");
        }

        var refresh = streaming ? parseResult.GetRequiredValue<TimeSpan>("--refresh") : TimeSpan.FromSeconds(5);
        var kafkaSettings = configuration.GetSection("Spark:Kafka").GetChildren().Where(c => c.Value is not null).ToDictionary(c => c.Key, c => c.Value!, StringComparer.Ordinal);
        return (new SparkSpeedOptions(remote, topics, window, lateness, parseResult.GetRequiredValue<string>("--group"), interval, refresh, bootstrap, topicPrefix,
            kafkaSettings, map, parseResult.GetValue<string?>("--checkpoint-location") ?? configuration["Spark:CheckpointLocation"], dataDirectory), "");
    }

    private static async Task<int> DryRunAsync(SparkSpeedJob job, SparkSpeedOptions options, bool streaming, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        using var session = SparkSession.Connect(options.Remote);
        var plans = streaming
            ? job.StreamCommands(session).Select(c => ($"{c.View.Name} {c.Query.ToString().ToLowerInvariant()}", c.Command, c.Plan)).ToList()
            : job.BatchCommands(session).Select(c => ($"{c.View.Name} batch", c.Command, c.Plan)).ToList();
        foreach (var (label, command, _) in plans)
        {
            await output.WriteLineAsync($"# {label}").ConfigureAwait(false);
            await output.WriteLineAsync(PlanText.Command(command)).ConfigureAwait(false);
            await output.WriteLineAsync().ConfigureAwait(false);
        }

        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(TimeSpan.FromSeconds(30));
            await session.SetConfigAsync(SparkSpeedJob.SessionConfiguration, timeout.Token).ConfigureAwait(false);
            foreach (var (label, _, plan) in plans)
            {
                var schema = await plan.SchemaAsync(timeout.Token).ConfigureAwait(false);
                await output.WriteLineAsync($"# {label}: schema analyzed by Spark at {options.Remote}").ConfigureAwait(false);
                await output.WriteLineAsync(Core.Spark.DataTypes.TreeString(schema)).ConfigureAwait(false);
            }

            return 0;
        }
        catch (SparkConnectException e) when (e.IsUnreachable)
        {
            await output.WriteLineAsync($"(no Spark Connect server answered at {options.Remote}: the analyzed schemas are printed when one does)").ConfigureAwait(false);
            return 0;
        }
        catch (SparkConnectException e)
        {
            await error.WriteLineAsync($"The server refused the plan: {Explain(e, options.Remote)}").ConfigureAwait(false);
            return 1;
        }
    }
}
