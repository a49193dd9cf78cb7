using System.CommandLine;
using Lambda.BatchLayer.Archive;
using Lambda.BatchLayer.Backfill;
using Lambda.Core.CommandLine;
using Lambda.BatchLayer.Build;
using Lambda.BatchLayer.Import;
using Lambda.Core.Contracts;

namespace Lambda.BatchLayer;

/// <summary>The batch layer's command line: <c>import</c>, <c>backfill</c>, <c>archive</c>, <c>build</c>.</summary>
public static class BatchLayerCommand
{
    public static RootCommand Build()
    {
        var root = new RootCommand("Lambda batch layer: the immutable master dataset (master/) and batch views recomputed from it (views/batch/).");
        root.Options.Add(CommonOptions.DataDir());
        root.Options.Add(CommonOptions.Kafka());
        root.Options.Add(CommonOptions.Metrics());

        var paths = new Argument<string[]>("PATH") { Description = "Files, folders or globs: Binance dumps (CSV or .zip) or simple OHLCV CSVs", Arity = ArgumentArity.OneOrMore };
        var symbol = new Option<string?>("--symbol") { Description = "Symbol of files whose name does not say (BTCUSDT-1d.csv says BTCUSDT)" };
        symbol.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<string?>() is { } value && !SymbolFormat.IsValid(value.Trim().ToUpperInvariant()))
            {
                result.AddError($"--symbol '{value}' is not letters and digits (e.g. BTCUSDT)");
            }
        });
        var exchange = new Option<string>("--exchange") { Description = "Exchange of the data", DefaultValueFactory = _ => Exchanges.Binance };
        exchange.Validators.Add(result =>
        {
            var value = result.GetValueOrDefault<string>() ?? "";
            if (value.Trim().Length is 0 or > 32 || !value.Trim().All(char.IsAsciiLetterOrDigit))
            {
                result.AddError($"--exchange '{value}' is not a name of letters and digits (e.g. binance)");
            }
        });
        var interval = new Option<string?>("--interval") { Description = "Interval of files whose name does not say (inferred from the timestamps otherwise)", HelpName = "1m|1h|4h|1d…" };
        interval.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<string?>() is { } value && !KlineIntervals.TryGetLength(value, out _))
            {
                result.AddError($"--interval '{value}' is not a kline interval ({string.Join(", ", KlineIntervals.All)})");
            }
        });
        var import = new Command("import", "Import klines history into the master dataset (idempotent).")
        {
            paths,
            symbol,
            exchange,
            interval,
            new Option<bool>("--allow-bad-rows") { Description = "Exit 0 even when rows were rejected (they are still reported)" },
        };
        import.SetAction(ImportCommand.RunAsync);

        var backfill = BackfillCommandLine();

        var archive = ArchiveCommandLine();

        var build = new Command("build", "Recompute the batch views from the master dataset.")
        {
            CommonOptions.Day("--until", "Batch horizon: the last UTC day the batch views cover"),
            new Option<bool>("--allow-empty") { Description = "Publish an empty batch view even over a non-empty one (refused otherwise: the previous views stay)" },
        };
        build.SetAction(BuildCommand.RunAsync);

        root.Subcommands.Add(import);
        root.Subcommands.Add(backfill);
        root.Subcommands.Add(archive);
        root.Subcommands.Add(build);
        return root;
    }

    private static Command ArchiveCommandLine()
    {
        var batchSize = new Option<int>("--batch-size") { Description = "Messages per master write and commit", DefaultValueFactory = _ => ArchiveJob.DefaultBatchSize }
            .Accepts(value => value > 0, "a positive whole number");
        var archive = new Command("archive", "Copy closed kline events of crypto-klines from the event log into the master dataset, from this job's committed positions to the current end.")
        {
            new Option<string?>("--group") { Description = $"Kafka consumer group / embedded checkpoint name (default: Batch:Archive:Group, else {ArchiveJob.DefaultConsumer})" },
            batchSize,
        };
        archive.SetAction(ArchiveCommand.RunAsync);
        return archive;
    }

    private static Command BackfillCommandLine()
    {
        var interval = new Option<string>("--interval") { Description = "Kline interval (1m, 4h, 1d…)", DefaultValueFactory = _ => "1d" };
        interval.Validators.Add(result =>
        {
            var value = result.GetValueOrDefault<string>();
            if (!KlineIntervals.TryGetLength(value, out _))
            {
                result.AddError($"--interval '{value}' is not one of {string.Join(", ", KlineIntervals.All)}");
            }
        });
        var backfill = new Command("backfill", "Fetch klines from the Binance REST API (Batch:Binance:RestBaseUrl) into the master dataset; resumes where an interrupted run stopped.")
        {
            new Option<string>("--symbols") { Description = "Comma-separated symbols", Required = true },
            interval,
            CommonOptions.Day("--from", "First UTC day to fetch").Required(),
            CommonOptions.Day("--to", "Last UTC day to fetch, inclusive (default: today; the still-open kline is never stored)"),
        };
        backfill.SetAction(BackfillCommand.RunAsync);
        return backfill;
    }
}
