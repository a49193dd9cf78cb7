using System.CommandLine;
using Lambda.Core.CommandLine;
using Lambda.Core.Configuration;
using Lambda.Core.Transport;
using Lambda.Core.Transport.Kafka;
using Lambda.Core.Validation;
using Lambda.Producer.Pipeline;
using Lambda.Producer.Replay;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;

namespace Lambda.Producer.Commands;

/// <summary><c>producer replay FILE…</c>: recorded data through the live pipeline.</summary>
internal static class ReplayCommand
{
    public static Command Build()
    {
        var files = new Argument<FileInfo[]>("FILE")
        {
            Description = "Capture files ('<unix seconds>: <frame>' lines) or klines CSVs (Binance 12-column or timestamp|date,open,high,low,close,volume)",
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
        command.SetAction((parseResult, cancellationToken) => RunAsync(
            parseResult,
            new ReplayOptions(parseResult.GetRequiredValue(files), parseResult.GetRequiredValue(speed), parseResult.GetRequiredValue(exchange),
                parseResult.GetValue(symbol), parseResult.GetValue(interval), parseResult.GetValue(from)),
            cancellationToken));
        return command;
    }

    private static async Task<int> RunAsync(ParseResult parseResult, ReplayOptions options, CancellationToken cancellationToken)
    {
        var output = parseResult.InvocationConfiguration.Output;
        var dataDir = parseResult.GetRequiredValue<DirectoryInfo>("--data-dir").FullName;
        var configuration = LambdaConfiguration.Build([new("Kafka:BootstrapServers", parseResult.GetValue<string?>("--kafka"))]);
        var kafka = configuration.GetSection(KafkaOptions.Section).Get<KafkaOptions>() ?? new KafkaOptions();
        using var loggers = LambdaLogging.Create(configuration);
        var clock = TimeProvider.System;

        var statistics = new IngestStatistics();
        var sink = EventLog.CreateSink(kafka, dataDir, loggers, clock);
        var completed = false;
        FlushResult flush;
        await using (sink.ConfigureAwait(false))
        {
            var pipeline = new IngestPipeline(new EventValidator(), [sink], statistics, clock);
            var job = new ReplayJob(options, pipeline, clock, loggers.CreateLogger<ReplayJob>());
            output.WriteLine($"Replaying {options.Files.Count} file(s) into the {EventLog.Describe(kafka, dataDir)}");
            try
            {
                await job.RunAsync(cancellationToken).ConfigureAwait(false);
                completed = true;
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                output.WriteLine("Interrupted: flushing what was replayed so far.");
            }

            flush = await sink.FlushAsync(kafka.FlushTimeout, CancellationToken.None).ConfigureAwait(false);
        }

        ReplayReport.Write(output, statistics, sink.Statistics, flush);
        return completed && flush.Complete && sink.Statistics.Failed == 0 ? 0 : 1;
    }
}
