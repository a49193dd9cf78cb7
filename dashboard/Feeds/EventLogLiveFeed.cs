using System.Text.Json;
using Lambda.Core.Contracts;
using Lambda.Core.Transport;
using Lambda.Core.Transport.Kafka;
using Lambda.Dashboard.Board;
using Lambda.Dashboard.Hosting;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Lambda.Dashboard.Feeds;

/// <summary>
/// Live events without Redis: tails the event log (the embedded topic files, or Kafka) through the
/// same sources the layers use, every topic from its beginning, never committing (a reader of its
/// own that leaves no checkpoint and no group offsets behind). If reading fails (Kafka unreachable,
/// a file removed), it says so on the status line and starts again after a pause.
/// </summary>
public sealed partial class EventLogLiveFeed(KafkaOptions kafka, DashboardSettings settings, MarketBoard board, ILoggerFactory loggers, ILogger<EventLogLiveFeed> logger) : BackgroundService
{
    private static readonly TimeSpan RetryAfter = TimeSpan.FromSeconds(2);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        board.Source = EventLog.Describe(kafka, settings.DataDirectory);
        while (!stoppingToken.IsCancellationRequested)
        {
            // A new name each start: no checkpoint file or committed offsets to resume from, so the page shows the whole log.
            var consumer = $"dashboard-{Guid.NewGuid():N}";
            try
            {
                await using var source = EventLog.CreateSource(kafka, settings.DataDirectory, consumer, Topics.All, stopAtEnd: false, loggers);
                board.Connected = true;
                board.MarkStatusChanged();
                await foreach (var message in source.ReadAsync(stoppingToken).ConfigureAwait(false))
                {
                    try
                    {
                        board.Apply(EventSerializer.Deserialize(message.Topic, message.Value.Span));
                    }
                    catch (Exception e) when (e is JsonException or ArgumentException)
                    {
                        board.RecordUnreadable();
                    }
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or EventLogException or InvalidOperationException)
            {
                board.Connected = false;
                board.MarkStatusChanged();
                LogFailed(e, board.Source);
                await Task.Delay(RetryAfter, stoppingToken).ConfigureAwait(false);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Reading the {Source} failed; trying again")]
    private partial void LogFailed(Exception exception, string source);
}
