using System.Globalization;

namespace Lambda.Speed.Benchmarks;

/// <summary>The benchmark's command line. A few numbers, so no framework: <c>--help</c> lists them.</summary>
public sealed record BenchOptions
{
    public long Events { get; init; } = 20_000_000;

    public int Runs { get; init; } = 3;

    public bool Kafka { get; init; } = true;

    public bool DuckDb { get; init; } = true;

    public bool Quick { get; init; }

    /// <summary>librdkafka consumer settings for the Kafka run on top of our defaults (<c>-X name=value</c>).</summary>
    public IReadOnlyList<(string Name, string Value)> ConsumerSettings { get; init; } = [];

    /// <summary>Where generated data sets are kept between runs (one folder per parameter set).</summary>
    public string CacheDirectory { get; init; } = DefaultCache();

    public const string Usage = """
        Lambda speed-layer benchmark: daily candles from kline and trade events, computed by `speed-layer batch`'s
        job (SpeedBatchJob) from the embedded topic files and from Kafka (librdkafka's mock cluster), and by DuckDB
        (read_ndjson over the same topic files, SET threads = 1) in the same run. The candles must agree.

        Options:
          --events N     events in the data set (default 20000000); generated once, then cached
          --quick        smoke run: 1000000 events, one run
          --runs N       measured runs per engine, medians reported (default 3)
          --no-kafka     skip the Kafka run
          --no-duckdb    skip DuckDB (then nothing checks the candles)
          -X NAME=VALUE  a librdkafka consumer setting for the Kafka run (Kafka:Consumer), e.g. fetch.queue.backoff.ms=10
          --cache DIR    where data sets are cached (default $LAMBDA_CACHE/bench-speed or ~/.cache/lambda/bench-speed)
          --help
        """;

    /// <summary>Parses the arguments; null (after printing usage or the problem) when there is nothing to run.</summary>
    public static BenchOptions? Parse(string[] args, TextWriter output, TextWriter error)
    {
        var options = new BenchOptions();
        long? events = null;
        int? runs = null;
        try
        {
            for (var i = 0; i < args.Length; i++)
            {
                var arg = args[i];
                string Value() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{arg} needs a value");
                long Count() => long.TryParse(Value(), NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n > 0
                    ? n : throw new ArgumentException($"{arg} needs a positive whole number");
                switch (arg)
                {
                    case "--quick": options = options with { Quick = true, Events = 1_000_000, Runs = 1 }; break;
                    case "--events": events = Count(); break;
                    case "--runs": runs = checked((int)Count()); break;
                    case "--no-kafka": options = options with { Kafka = false }; break;
                    case "--no-duckdb": options = options with { DuckDb = false }; break;
                    case "-X":
                        var setting = Value().Split('=', 2);
                        options = setting.Length == 2 && setting[0].Length > 0
                            ? options with { ConsumerSettings = [.. options.ConsumerSettings, (setting[0], setting[1])] }
                            : throw new ArgumentException("-X needs NAME=VALUE");
                        break;
                    case "--cache": options = options with { CacheDirectory = Path.GetFullPath(Value()) }; break;
                    case "--help" or "-h": output.WriteLine(Usage); return null;
                    default: throw new ArgumentException($"unknown option {arg}");
                }
            }
        }
        catch (Exception e) when (e is ArgumentException or OverflowException)
        {
            error.WriteLine($"error: {e.Message}\n\n{Usage}");
            return null;
        }

        return options with { Events = events ?? options.Events, Runs = runs ?? options.Runs };
    }

    private static string DefaultCache()
    {
        var root = Environment.GetEnvironmentVariable("LAMBDA_CACHE") is { Length: > 0 } cache
            ? cache
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache", "lambda");
        return Path.Combine(root, "bench-speed");
    }
}
