using Lambda.Testing;
using System.CommandLine;
using Lambda.BatchLayer;
using Lambda.Merge;
using Lambda.Producer.Commands;
using Lambda.SpeedLayer;

namespace Lambda.Cli.Tests;

public sealed class HelpAndValidationTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("lambda-validation-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    public static TheoryData<string, string[]> Help() => new()
    {
        { "producer", ["--help"] },
        { "producer", ["replay", "--help"] },
        { "producer", ["run", "--help"] },
        { "speed-layer", ["--help"] },
        { "speed-layer", ["stream", "--help"] },
        { "speed-layer", ["batch", "--help"] },
        { "batch-layer", ["--help"] },
        { "batch-layer", ["import", "--help"] },
        { "batch-layer", ["backfill", "--help"] },
        { "batch-layer", ["archive", "--help"] },
        { "batch-layer", ["build", "--help"] },
        { "merge", ["--help"] },
        { "merge", ["show", "--help"] },
    };

    public static TheoryData<string, string[], string> Rejected() => new()
    {
        { "producer", ["replay"], "Required argument missing for command: 'replay'" },
        { "producer", ["replay", "/no/such/file.csv"], "/no/such/file.csv" },
        { "producer", ["replay", "x", "--speed", "fast"], "--speed 'fast' must be a positive number or 'max'" },
        { "producer", ["replay", "x", "--speed", "0"], "--speed '0'" },
        { "producer", ["replay", "x", "--from", "2026-02-30"], "--from '2026-02-30' is not a day" },
        { "producer", ["replay", "x", "--interval", "7m"], "--interval '7m' is not one of" },
        { "producer", ["replay", "x", "--symbol", "btc-usdt"], "--symbol 'btc-usdt' must be upper-case" },
        { "producer", ["replay", "x", "--exchange", "kraken"], "--exchange 'kraken' is not one of binance, bybit" },
        { "producer", ["--kafka", "localhost", "replay", "x"], "--kafka 'localhost' is not a list of HOST:PORT" },
        { "producer", ["run", "--symbols", "BTCUSDT,eth"], "--symbols: 'eth' must be upper-case" },
        { "producer", ["run", "--streams", "ticker,kline_7m"], "--streams: 'kline_7m'" },
        { "producer", ["run", "--mode", "carrier-pigeon"], "--mode 'carrier-pigeon' is not one of websocket, rest" },
        { "producer", ["run", "--bogus"], "--bogus" },
        { "speed-layer", ["stream", "--window", "0s"], "--window '0s' is not a positive duration" },
        { "speed-layer", ["batch", "--lateness", "soon"], "--lateness 'soon'" },
        { "speed-layer", ["batch", "--topics", "crypto-klines,nope"], "--topics: 'nope'" },
        { "speed-layer", ["batch", "--interval", "7m"], "--interval '7m' is not one of" },
        { "batch-layer", ["import"], "Required argument missing for command: 'import'" },
        { "batch-layer", ["backfill", "--interval", "1d"], "--symbols" },
        { "batch-layer", ["backfill", "--symbols", "BTCUSDT", "--interval", "2d", "--from", "2026-01-01"], "--interval '2d'" },
        { "batch-layer", ["backfill", "--symbols", "BTCUSDT"], "--from' is required" },
        { "batch-layer", ["backfill", "--symbols", "btc-usdt", "--from", "2026-01-01"], "'btc-usdt' is not a Binance symbol" },
        { "batch-layer", ["backfill", "--symbols", "BTCUSDT", "--from", "2026-02-01", "--to", "2026-01-01"], "--from 2026-02-01 is after --to 2026-01-01" },
        { "batch-layer", ["archive", "--batch-size", "0"], "--batch-size '0' is not a positive whole number" },
        { "batch-layer", ["build", "--until", "yesterday"], "--until 'yesterday'" },
        { "merge", ["show", "/no/such.parquet"], "/no/such.parquet" },
        { "producer", ["--metrics", "otlp", "replay", "x"], "--metrics 'otlp' is not one of none, console, prometheus" },
        { "speed-layer", ["batch", "--metrics", "graphite"], "--metrics 'graphite' is not one of none, console, prometheus" },
        { "batch-layer", ["build", "--metrics", "yes"], "--metrics 'yes' is not one of none, console, prometheus" },
        { "merge", ["--metrics", "Console"], "--metrics 'Console' is not one of none, console, prometheus" },
        { "merge", ["show", "x", "--format", "xml"], "--format 'xml' is not one of table, csv, json" },
        { "merge", ["--tolerance", "-1"], "--tolerance '-1' is not a finite number, zero or more" },
        { "merge", ["--last", "-2"], "--last '-2' is not a whole number, zero or more" },
    };

    private static RootCommand Command(string name) => name switch
    {
        "producer" => ProducerCommand.Build(),
        "speed-layer" => SpeedLayerCommand.Build(),
        "batch-layer" => BatchLayerCommand.Build(),
        "merge" => MergeCommand.Build(),
        _ => throw new ArgumentOutOfRangeException(nameof(name)),
    };

    [Theory]
    [MemberData(nameof(Help))]
    public async Task Every_command_prints_help_and_exits_zero(string executable, string[] args)
    {
        var run = await CommandRun.InvokeAsync(Command(executable), args);

        run.ExitCode.Should().Be(0);
        run.Output.Should().Contain("Usage:").And.Contain("--data-dir");
    }

    [Theory]
    [MemberData(nameof(Rejected))]
    public async Task Bad_options_are_rejected_with_a_message_and_a_nonzero_exit_code(string executable, string[] args, string message)
    {
        var run = await CommandRun.InvokeAsync(Command(executable), args);

        run.ExitCode.Should().NotBe(0);
        run.Error.Should().Contain(message);
    }

    public static TheoryData<string> Executables() => ["producer", "speed-layer", "batch-layer", "merge"];

    /// <summary>
    /// Every option of every command whose value can fail to convert (numbers,
    /// durations, days, enumerations, flags with a value) refuses a bad value with one line naming the
    /// option, the value and what is accepted, exit 1, no stack trace and no page of help.
    /// </summary>
    [Theory]
    [MemberData(nameof(Executables))]
    public async Task Every_typed_option_of_every_command_refuses_a_bad_value_in_one_line(string executable)
    {
        var checkedOptions = 0;
        foreach (var (path, option) in TypedOptions(Command(executable)))
        {
            var run = await CommandRun.InvokeAsync(Command(executable), [.. path, option.Name, "abc"]);

            var because = $"{executable} {string.Join(' ', path)} {option.Name} abc";
            run.ExitCode.Should().Be(1, because);
            run.Error.Should().Contain($"{option.Name} 'abc'", because).And.NotContain("   at ", because).And.NotContain("Exception", because);
            run.Output.Should().NotContain("Usage:", because);
            checkedOptions++;
        }

        checkedOptions.Should().BeGreaterThan(2);
    }

    /// <summary>A data directory that is a file, or below a file, and a folder given as a file: one line, exit 1.</summary>
    [Theory]
    [MemberData(nameof(Executables))]
    public async Task Unusable_paths_are_refused_in_one_line(string executable)
    {
        var file = Path.Combine(_folder, "a-file");
        await File.WriteAllTextAsync(file, "not a folder");
        var command = Command(executable).Subcommands.FirstOrDefault(c => c.Name is "build" or "batch" or "replay")?.Name;
        string[] rest = command switch
        {
            null => [],
            "replay" => ["replay", file],
            _ => [command],
        };

        foreach (var (dataDir, message) in new[] { (file, "is a file, not a folder"), (Path.Combine(file, "below"), "cannot be created") })
        {
            var run = await CommandRun.InvokeAsync(Command(executable), ["--data-dir", dataDir, .. rest]);

            run.ExitCode.Should().Be(1);
            run.Error.Should().Contain($"--data-dir '{dataDir}' {message}").And.NotContain("   at ");
        }
    }

    [Fact]
    public async Task Merge_show_given_a_folder_says_so()
    {
        var run = await CommandRun.InvokeAsync(MergeCommand.Build(), "show", _folder);

        run.ExitCode.Should().Be(1);
        run.Error.Should().Contain($"FILE '{_folder}' is a folder; give a file").And.NotContain("   at ");
    }

    [Fact]
    public async Task Help_shows_durations_as_they_are_typed_and_marks_required_options()
    {
        var stream = await CommandRun.InvokeAsync(SpeedLayerCommand.Build(), "stream", "--help");
        var backfill = await CommandRun.InvokeAsync(BatchLayerCommand.Build(), "backfill", "--help");

        stream.Output.Should().Contain("[default: 1d]").And.Contain("[default: 10m]").And.NotContain("00:00");
        backfill.Output.Should().MatchRegex(@"--from <yyyy-MM-dd> +\(REQUIRED\)").And.MatchRegex(@"--symbols <symbols> +\(REQUIRED\)");
    }

    /// <summary>
    /// Each option whose value type is not free text, with the subcommand path that reaches it. Flags
    /// are left out: System.CommandLine gives them only a token that reads as true or false, so 'abc'
    /// is an unmatched argument, refused as such.
    /// </summary>
    private static IEnumerable<(string[] Path, Option Option)> TypedOptions(Command root)
    {
        var pending = new Stack<(string[] Path, Command Command)>([([], root)]);
        var seen = new HashSet<Option>();
        while (pending.TryPop(out var current))
        {
            foreach (var option in current.Command.Options.Where(o => o.ValueType != typeof(string) && o.ValueType != typeof(DirectoryInfo)
                && o.ValueType != typeof(FileInfo) && o.ValueType != typeof(bool) && o is not System.CommandLine.Help.HelpOption and not VersionOption))
            {
                if (seen.Add(option))
                {
                    yield return (current.Path, option);
                }
            }

            foreach (var option in current.Command.Options.Where(o => o.ValueType == typeof(string) && o.CompletionSources.Count > 0 && seen.Add(o)))
            {
                yield return (current.Path, option);
            }

            foreach (var subcommand in current.Command.Subcommands)
            {
                pending.Push(([.. current.Path, subcommand.Name], subcommand));
            }
        }
    }
}
