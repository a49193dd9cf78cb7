using System.CommandLine;
using Lambda.Core.CommandLine;
using Lambda.Core.Contracts;
using Lambda.Producer.Hosting;
using Lambda.Producer.Replay;
using Microsoft.Extensions.Options;

namespace Lambda.Producer.Commands;

/// <summary>The producer's command line: <c>producer run</c> (live) and <c>producer replay FILE…</c>.</summary>
public static class ProducerCommand
{
    public static RootCommand Build()
    {
        var root = new RootCommand("Lambda producer: exchange market data → normalize → validate → event log (Kafka or embedded topic files).");
        root.Options.Add(CommonOptions.DataDir());
        root.Options.Add(CommonOptions.Kafka());
        root.Options.Add(CommonOptions.Metrics());
        root.Subcommands.Add(RunCommand.Build());
        root.Subcommands.Add(ReplayCommand.Build());
        return root;
    }

    /// <summary>Builds the setup (configuration and options) and runs <paramref name="run"/> with it; a wrong setting is reported, not thrown.</summary>
    internal static async Task<int> WithSetupAsync(ParseResult parseResult, Func<ProducerSetup, Task<int>> run)
    {
        ProducerSetup setup;
        try
        {
            setup = ProducerSetup.From(parseResult);
        }
        catch (OptionsValidationException e)
        {
            foreach (var failure in e.Failures)
            {
                await parseResult.InvocationConfiguration.Error.WriteLineAsync(failure).ConfigureAwait(false);
            }

            return 1;
        }

        using (setup)
        {
            return await run(setup).ConfigureAwait(false);
        }
    }

    /// <summary>Options of the pipeline itself, shared by <c>run</c> and <c>replay</c>; absent ones keep the configured values.</summary>
    internal static void AddPipelineOptions(Command command)
    {
        var threshold = new Option<double?>("--alert-threshold") { Description = "Alert when a price moved at least this many percent since the last alert (default 0.5)" }
            .Accepts(value => value is > 0 and < double.PositiveInfinity, "a positive percentage (e.g. 0.5)");
        var minimum = new Option<double?>("--min-quote-volume") { Description = "Drop tickers whose 24 h quote volume is below this (default 0: keep all)" }
            .Accepts(value => value is >= 0 and < double.PositiveInfinity, "a number, zero or more");
        var every = new Option<int?>("--stats-every") { Description = "Print per-symbol statistics every N events (default 100; 0: never)" }
            .Accepts(value => value >= 0, "a whole number, zero or more");
        command.Options.Add(threshold);
        command.Options.Add(minimum);
        command.Options.Add(every);
        command.Options.Add(new Option<bool>("--console") { Description = "Also print every event as a readable line" });
        command.Options.Add(RedisCommandLine.Endpoint("Also publish every event to Redis pub/sub (channels tickers, trades, klines, price_alerts, dead_letters): the live fan-out beside the event log"));
        command.Options.Add(RedisCommandLine.ChannelPrefix());
    }

    /// <summary><c>1</c>, <c>10</c>, any positive speed-up, or <c>max</c>.</summary>
    internal static Option<ReplaySpeed> Speed() => new("--speed")
    {
        Description = "Replay speed: 1 (as recorded), 10 (ten times faster), any positive number, or max",
        HelpName = "1|10|max",
        DefaultValueFactory = _ => ReplaySpeed.Max,
        CustomParser = result =>
        {
            var text = result.Tokens.Single().Value;
            if (ReplaySpeed.TryParse(text, out var speed))
            {
                return speed;
            }

            result.AddError($"--speed '{text}' must be a positive number or 'max'");
            return ReplaySpeed.Max;
        },
    };

    internal static Option<string> Exchange(bool allowAll)
    {
        var option = new Option<string>("--exchange")
        {
            Description = allowAll ? "Exchange to connect to" : "Exchange of input that does not say",
            DefaultValueFactory = _ => Exchanges.Binance,
        };
        option.AcceptsOneOf(allowAll ? [.. Exchanges.All, "all"] : [.. Exchanges.All]);
        return option;
    }

    internal static Option<string?> Interval()
    {
        var option = new Option<string?>("--interval") { Description = "Kline interval (1m, 4h, 1d…) of CSVs that do not say; inferred from the timestamps otherwise" };
        option.Validators.Add(result =>
        {
            var value = result.GetValueOrDefault<string?>();
            if (value is not null && !KlineIntervals.TryGetLength(value, out _))
            {
                result.AddError($"--interval '{value}' is not one of {string.Join(", ", KlineIntervals.All)}");
            }
        });
        return option;
    }

    internal static Option<string?> Symbol()
    {
        var option = new Option<string?>("--symbol") { Description = "Symbol (e.g. BTCUSDT) of CSVs whose name does not say" };
        option.Validators.Add(result =>
        {
            var value = result.GetValueOrDefault<string?>();
            if (value is not null && !SymbolFormat.IsValid(value))
            {
                result.AddError($"--symbol '{value}' must be upper-case letters and digits, e.g. BTCUSDT");
            }
        });
        return option;
    }
}
