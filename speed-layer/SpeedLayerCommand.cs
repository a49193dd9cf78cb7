using System.CommandLine;
using Lambda.Core.CommandLine;
using Lambda.Core.Contracts;
using Lambda.SpeedLayer.Batch;
using Lambda.SpeedLayer.Spark;
using Lambda.SpeedLayer.Stream;

namespace Lambda.SpeedLayer;

/// <summary>The speed layer's command line: <c>stream</c> (continuous) and <c>batch</c> (demo mode).</summary>
public static class SpeedLayerCommand
{
    public static RootCommand Build()
    {
        var root = new RootCommand("Lambda speed layer: event-time windows over the event log → speed views (Parquet) under views/speed/.");
        root.Options.Add(CommonOptions.DataDir());
        root.Options.Add(CommonOptions.Kafka());
        root.Options.Add(CommonOptions.Metrics());

        var stream = new Command("stream", "Consume the event log continuously; write each closed window and refresh the live view of the current one.");
        AddWindowOptions(stream);
        stream.Options.Add(CommonOptions.Duration("--refresh", "How often the live view of the current window is rewritten", TimeSpan.FromSeconds(5)));
        var every = new Option<int>("--checkpoint-every") { Description = "Checkpoint after at most this many events, even before --refresh", DefaultValueFactory = _ => 100_000 }
            .Accepts(value => value > 0, "a positive whole number");
        stream.Options.Add(every);
        stream.Options.Add(Interval("Kline interval to aggregate (1m, 4h…); default: the interval of the first kline each shard reads. Klines of other intervals are ignored"));
        stream.Options.Add(CommonOptions.Duration("--idle-timeout",
            "A partition (embedded: a topic) that delivers nothing this long is left out of its shard's watermark until it delivers again, so a quiet input cannot hold windows open",
            SpeedStreamOptions.DefaultIdleTimeout));
        stream.Options.Add(DeadLetterLate(true, "Send late events (their window already closed) to the dead-letter topic with the reason"));
        stream.SetAction(StreamCommand.RunAsync);

        var batch = new Command("batch", "Demo mode: read the log from the start (or --from) to its end as of now, aggregate, write every window, print them and exit.");
        AddWindowOptions(batch);
        batch.Options.Add(CommonOptions.Day("--from", "Read events from this UTC day on"));
        batch.Options.Add(Interval("Kline interval to aggregate (1m, 4h…); default: the interval of the first kline read. Klines of other intervals are ignored"));
        batch.Options.Add(DeadLetterLate(false,
            "Also send late events to the dead-letter topic (off by default: batch re-reads the whole log each run, so each run would send them again)"));
        batch.SetAction(BatchCommand.RunAsync);

        root.Subcommands.Add(stream);
        root.Subcommands.Add(batch);
        return root;
    }

    private static Option<string?> Interval(string description)
    {
        var interval = new Option<string?>("--interval") { Description = description };
        interval.Validators.Add(result =>
        {
            var value = result.GetValueOrDefault<string?>();
            if (value is not null && !KlineIntervals.TryGetLength(value, out _))
            {
                result.AddError($"--interval '{value}' is not one of {string.Join(", ", KlineIntervals.All)}");
            }
        });
        return interval;
    }

    /// <summary><c>--dead-letter-late [true|false]</c>; the mode decides the default.</summary>
    private static Option<bool> DeadLetterLate(bool defaultValue, string description) =>
        new("--dead-letter-late") { Description = description, DefaultValueFactory = _ => defaultValue, Arity = ArgumentArity.ZeroOrOne };

    private static void AddWindowOptions(Command command)
    {
        command.Options.Add(CommonOptions.Duration("--window", "Tumbling window length (event time)", TimeSpan.FromDays(1)));
        command.Options.Add(CommonOptions.Duration("--lateness", "Allowed lateness: the watermark trails the latest event time by this much", TimeSpan.FromMinutes(10), allowZero: true));
        var topics = new Option<string>("--topics") { Description = "Topics to aggregate: crypto-klines, crypto-trades, crypto-prices", DefaultValueFactory = _ => Topics.Klines };
        topics.Validators.Add(result =>
        {
            foreach (var topic in CommonOptions.SplitList(result.GetValueOrDefault<string>()).Where(t => t is not (Topics.Klines or Topics.Trades or Topics.Prices)))
            {
                result.AddError($"--topics: '{topic}' is not one of {Topics.Klines}, {Topics.Trades}, {Topics.Prices}");
            }
        });
        command.Options.Add(topics);
        command.Options.Add(new Option<string>("--group") { Description = "Consumer group (Kafka) or checkpoint name (embedded)", DefaultValueFactory = _ => "speed-layer" });
        SparkSpeedCommand.AddOptions(command);
    }
}
