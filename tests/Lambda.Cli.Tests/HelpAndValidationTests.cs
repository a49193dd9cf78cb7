using System.CommandLine;
using Lambda.BatchLayer;
using Lambda.Merge;
using Lambda.Producer.Commands;
using Lambda.SpeedLayer;

namespace Lambda.Cli.Tests;

public sealed class HelpAndValidationTests
{
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
        { "producer", ["replay", "x", "--exchange", "kraken"], "kraken" },
        { "producer", ["--kafka", "localhost", "replay", "x"], "--kafka 'localhost' is not a list of HOST:PORT" },
        { "producer", ["run", "--symbols", "BTCUSDT,eth"], "--symbols: 'eth' must be upper-case" },
        { "producer", ["run", "--streams", "ticker,kline_7m"], "--streams: 'kline_7m'" },
        { "producer", ["run", "--mode", "carrier-pigeon"], "carrier-pigeon" },
        { "producer", ["run", "--bogus"], "--bogus" },
        { "speed-layer", ["stream", "--window", "0s"], "--window '0s' is not a positive duration" },
        { "speed-layer", ["batch", "--lateness", "soon"], "--lateness 'soon'" },
        { "speed-layer", ["batch", "--topics", "crypto-klines,nope"], "--topics: 'nope'" },
        { "speed-layer", ["batch", "--interval", "7m"], "--interval '7m' is not one of" },
        { "batch-layer", ["import"], "Required argument missing for command: 'import'" },
        { "batch-layer", ["backfill", "--interval", "1d"], "--symbols" },
        { "batch-layer", ["backfill", "--symbols", "BTCUSDT", "--interval", "2d", "--from", "2026-01-01"], "--interval '2d'" },
        { "batch-layer", ["backfill", "--symbols", "BTCUSDT"], "--from: say the first UTC day" },
        { "batch-layer", ["backfill", "--symbols", "btc-usdt", "--from", "2026-01-01"], "'btc-usdt' is not a Binance symbol" },
        { "batch-layer", ["backfill", "--symbols", "BTCUSDT", "--from", "2026-02-01", "--to", "2026-01-01"], "--from 2026-02-01 is after --to 2026-01-01" },
        { "batch-layer", ["archive", "--batch-size", "0"], "--batch-size must be positive" },
        { "batch-layer", ["build", "--until", "yesterday"], "--until 'yesterday'" },
        { "merge", ["show", "/no/such.parquet"], "/no/such.parquet" },
        { "merge", ["show", "x", "--format", "xml"], "xml" },
        { "merge", ["--tolerance", "-1"], "--tolerance must be" },
        { "merge", ["--last", "-2"], "--last must be zero or more" },
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
}
