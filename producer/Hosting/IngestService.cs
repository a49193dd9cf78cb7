using System.Threading.Channels;
using Lambda.Producer.Connectors;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Lambda.Producer.Hosting;

/// <summary>
/// Runs the connectors and feeds their frames, in arrival order, through the one pipeline. On stop
/// (Ctrl+C) the connectors close, the frames already received are still processed, the sinks are
/// flushed and the final statistics printed.
/// </summary>
public sealed partial class IngestService(
    ProducerRuntime runtime,
    IEnumerable<IConnector> connectors,
    ProducerOptions options,
    IHostApplicationLifetime lifetime,
    ILogger<IngestService> logger) : BackgroundService
{
    /// <summary>True once everything received was delivered and no connector failed; the exit code follows it.</summary>
    public bool Succeeded => _delivered && Volatile.Read(ref _connectorFailed) == 0;

    private bool _delivered;
    private int _connectorFailed;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var channel = Channel.CreateBounded<ReceivedFrame>(new BoundedChannelOptions(options.FrameQueueCapacity)
        {
            SingleReader = true,
            FullMode = BoundedChannelFullMode.Wait,
        });
        var running = connectors.Select(connector => RunConnectorAsync(connector, channel.Writer, stoppingToken)).ToList();
        _ = Task.WhenAll(running).ContinueWith(_ => channel.Writer.TryComplete(), TaskScheduler.Default);

        // Not cancelled by stopping: what was received is processed before the sinks close.
        await foreach (var frame in channel.Reader.ReadAllAsync(CancellationToken.None).ConfigureAwait(false))
        {
            await runtime.AcceptAsync(frame, CancellationToken.None).ConfigureAwait(false);
        }

        _delivered = await runtime.ShutdownAsync().ConfigureAwait(false);
        lifetime.StopApplication();
    }

    private async Task RunConnectorAsync(IConnector connector, ChannelWriter<ReceivedFrame> frames, CancellationToken stoppingToken)
    {
        LogStarting(connector.Name);
        try
        {
            await connector.RunAsync(frames, stoppingToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping, as asked.
        }
        catch (Exception e)
        {
            // A connector that fails outright is a bug, not an exchange hiccup: stop, flush and report.
            LogCrashed(e, connector.Name);
            Interlocked.Exchange(ref _connectorFailed, 1);
            lifetime.StopApplication();
        }

        LogStopped(connector.Name);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "{Connector}: starting")]
    private partial void LogStarting(string connector);

    [LoggerMessage(Level = LogLevel.Information, Message = "{Connector}: stopped")]
    private partial void LogStopped(string connector);

    [LoggerMessage(Level = LogLevel.Critical, Message = "{Connector} failed")]
    private partial void LogCrashed(Exception exception, string connector);
}
