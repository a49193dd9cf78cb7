using System.Globalization;

namespace Lambda.Producer.Benchmarks;

/// <summary>The benchmark's command line. A few numbers, so no framework: <c>--help</c> lists them.</summary>
public sealed record BenchOptions
{
    public int Runs { get; init; } = 5;

    /// <summary>Events in the event-dense capture (one event per frame).</summary>
    public int DenseEvents { get; init; } = 1_000_000;

    /// <summary>How many times the real capture is replayed per run.</summary>
    public int CaptureRepeats { get; init; } = 2_000;

    /// <summary>Events produced to the mock cluster per run (a prefix of the dense capture).</summary>
    public int KafkaEvents { get; init; } = 500_000;

    public bool Kafka { get; init; } = true;

    public bool Breakdown { get; init; } = true;

    public string Kcat { get; init; } = "kcat";

    /// <summary>librdkafka settings given to all three Kafka paths on top of KafkaEventSink's defaults (<c>-X name=value</c>).</summary>
    public IReadOnlyList<(string Name, string Value)> KafkaSettings { get; init; } = [];

    public string DataDirectory { get; init; } = Path.Combine(AppContext.BaseDirectory, "data");

    public bool Quick { get; init; }

    public const string Usage = """
        Lambda producer benchmark: replays captures through normalize → validate → serialize into a null sink
        and into Kafka (librdkafka's mock cluster, in this process), with kcat -P as the reference.

        Options:
          --quick               smoke run: small inputs, one run
          --runs N              measured runs per case, medians reported (default 5)
          --events N            events in the event-dense capture (default 1000000)
          --capture-repeats N   times the real capture is replayed per run (default 2000)
          --kafka-events N      events produced to Kafka per run, the first of the dense capture (default 500000)
          --no-kafka            only the null sink
          --no-breakdown        skip the per-stage cost breakdown
          -X NAME=VALUE         a librdkafka setting for all three Kafka paths (ours, bare, kcat); repeatable
          --kcat PATH           the kcat executable (default: kcat on PATH)
          --data DIR            where the capture and payload files are (default: data/ next to the program)
          --help
        """;

    /// <summary>Parses the arguments; null (after printing usage or the problem) when there is nothing to run.</summary>
    public static BenchOptions? Parse(string[] args, TextWriter output, TextWriter error)
    {
        var options = new BenchOptions();
        int? kafkaEvents = null;
        try
        {
            for (var i = 0; i < args.Length; i++)
            {
                var arg = args[i];
                string Value() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{arg} needs a value");
                int Count() => int.TryParse(Value(), NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n > 0
                    ? n : throw new ArgumentException($"{arg} needs a positive whole number");
                switch (arg)
                {
                    case "--quick": options = options with { Quick = true, Runs = 1, DenseEvents = 20_000, CaptureRepeats = 40 }; break;
                    case "--runs": options = options with { Runs = Count() }; break;
                    case "--events": options = options with { DenseEvents = Count() }; break;
                    case "--capture-repeats": options = options with { CaptureRepeats = Count() }; break;
                    case "--kafka-events": kafkaEvents = Count(); break;
                    case "--no-kafka": options = options with { Kafka = false }; break;
                    case "--no-breakdown": options = options with { Breakdown = false }; break;
                    case "-X":
                        var setting = Value().Split('=', 2);
                        options = setting.Length == 2 && setting[0].Length > 0
                            ? options with { KafkaSettings = [.. options.KafkaSettings, (setting[0], setting[1])] }
                            : throw new ArgumentException("-X needs NAME=VALUE");
                        break;
                    case "--kcat": options = options with { Kcat = Value() }; break;
                    case "--data": options = options with { DataDirectory = Value() }; break;
                    case "--help" or "-h": output.WriteLine(Usage); return null;
                    default: throw new ArgumentException($"unknown option {arg}");
                }
            }
        }
        catch (ArgumentException e)
        {
            error.WriteLine($"error: {e.Message}\n\n{Usage}");
            return null;
        }

        return options with { KafkaEvents = Math.Min(kafkaEvents ?? options.KafkaEvents, options.DenseEvents) };
    }
}
