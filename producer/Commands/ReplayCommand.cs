using System.CommandLine;
using Lambda.Core.CommandLine;
using Lambda.Producer.Hosting;
using Lambda.Producer.Replay;
using Microsoft.Extensions.Logging;

namespace Lambda.Producer.Commands;

/// <summary><c>producer replay FILE…</c>: recorded data through the live pipeline.</summary>
internal static class ReplayCommand
{
    public static Command Build()
    {
        var files = new Argument<FileInfo[]>("FILE")
        {
            Description = "Capture files ('<unix seconds> [tag]: <frame>' lines) or klines CSVs (Binance 12-column or timestamp|date,open,high,low,close,volume)",
            Arity = ArgumentArity.OneOrMore,
        };
        files.AcceptExistingOnly();
        var speed = ProducerCommand.Speed();
        var exchange = ProducerCommand.Exchange(allowAll: false);
        var symbol = ProducerCommand.Symbol();
        var interval = ProducerCommand.Interval();
        var from = CommonOptions.Day("--from", "Skip input before this UTC day");

        var command = new Command("replay", "Replay recorded frames or klines CSVs through the producer pipeline into the event log.")
        {
            files, speed, exchange, symbol, interval, from,
        };
        ProducerCommand.AddPipelineOptions(command);
        command.SetAction((parseResult, cancellationToken) => RunAsync(
            parseResult,
            new ReplayOptions(parseResult.GetRequiredValue(files), parseResult.GetRequiredValue(speed), parseResult.GetRequiredValue(exchange),
                parseResult.GetValue(symbol), parseResult.GetValue(interval), parseResult.GetValue(from)),
            cancellationToken));
        return command;
    }

    private static Task<int> RunAsync(ParseResult parseResult, ReplayOptions replay, CancellationToken cancellationToken) =>
        ProducerCommand.WithSetupAsync(parseResult, async setup =>
        {
            var output = parseResult.InvocationConfiguration.Output;
            var runtime = setup.CreateRuntime(output, knownSymbolsOnly: false);
            var job = new ReplayJob(replay, runtime, setup.Clock, setup.Loggers.CreateLogger<ReplayJob>());
            output.WriteLine($"Replaying {replay.Files.Count} file(s) into the {runtime.EventLogDescription}");
            var completed = false;
            try
            {
                await job.RunAsync(cancellationToken).ConfigureAwait(false);
                completed = true;
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                output.WriteLine("Interrupted: flushing what was replayed so far.");
            }
            catch (InvalidDataException e)
            {
                await parseResult.InvocationConfiguration.Error.WriteLineAsync(e.Message).ConfigureAwait(false);
            }

            var delivered = await runtime.ShutdownAsync().ConfigureAwait(false);
            return completed && delivered ? 0 : 1;
        });
}
