using System.Diagnostics;
using Lambda.Core.Contracts;
using Lambda.Core.Transport.Kafka;
using Lambda.SpeedLayer.Batch;
using Lambda.Speed.Benchmarks.DataSet;
using Microsoft.Extensions.Logging.Abstractions;

namespace Lambda.Speed.Benchmarks.Runs;

/// <summary>
/// One run of <c>speed-layer batch</c>'s job (<see cref="SpeedBatchJob"/>, the shipped code path): read klines and
/// trades to the end of the log, aggregate daily windows, flush, write the speed view. Timed from the job's start
/// to its view being written.
/// </summary>
public static class SpeedJobRun
{
    public static SpeedBatchOptions Options(DataSetManifest data)
    {
        ArgumentNullException.ThrowIfNull(data);
        // speed-layer batch's default lateness: the data is in event-time order per input, and each input (topic, or
        // topic-partition on Kafka) keeps its own watermark, so however the transports interleave the topics nothing is late.
        var lateness = TimeSpan.FromMinutes(10);
        return new SpeedBatchOptions([Topics.Klines, Topics.Trades], TimeSpan.FromDays(1), lateness, "bench-speed", From: null, MarketSimulator.KlineInterval);
    }

    public static async Task<(SpeedBatchResult Result, Measurement Measurement)> RunAsync(
        SpeedBatchOptions options, KafkaOptions kafka, string dataDirectory, CancellationToken cancellationToken)
    {
        // Start each run from a collected heap, so one run's garbage is not the next one's cost.
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        using var process = Process.GetCurrentProcess();
        var cpu = process.TotalProcessorTime;
        var gc = GcActivity.Now();
        var watch = Stopwatch.StartNew();
        var job = new SpeedBatchJob(options, kafka, dataDirectory, NullLoggerFactory.Instance, Console.Out);
        var result = await job.RunAsync(cancellationToken).ConfigureAwait(false);
        var elapsed = watch.Elapsed;
        process.Refresh();
        return (result, new Measurement(result.EventsRead, elapsed, process.TotalProcessorTime - cpu) { Gc = GcActivity.Now().Since(gc) });
    }
}
