using System.Buffers;
using Lambda.Core.Contracts;
using Lambda.Core.Storage;
using Microsoft.Extensions.Logging;

namespace Lambda.Core.Transport.Embedded;

/// <summary>
/// The embedded event log's writer: appends each event as one JSON line to the topic's segment of
/// the day. Lines reach the file system at least every <see cref="FlushInterval"/> and are fsynced
/// by <see cref="FlushAsync"/>; an event counts as acked once it is on disk.
/// </summary>
/// <remarks>
/// One writer per log: the sink holds the <see cref="WriterLock"/> of <c>topics/</c> from construction to
/// disposal, and a second writer (another process, or another sink in this one) is refused with
/// <see cref="WriterLockedException"/>. Two appenders would each write at their own file position and
/// overwrite each other's lines, so acked events would be lost.
/// </remarks>
public sealed partial class EmbeddedTopicSink : IEventSink, IDisposable
{
    private static readonly TimeSpan FlushInterval = TimeSpan.FromMilliseconds(200);

    private readonly TopicLayout _layout;
    private readonly TimeProvider _clock;
    private readonly ILogger _logger;
    private readonly Lock _gate = new();
    private readonly Dictionary<string, SegmentWriter> _writers = new(StringComparer.Ordinal);
    private readonly ArrayBufferWriter<byte> _line = new(1024);
    private readonly ITimer _flushTimer;
    private readonly WriterLock _writerLock;
    private long _notYetDurable;
    private bool _disposed;

    /// <exception cref="WriterLockedException">Another writer appends to this log.</exception>
    public EmbeddedTopicSink(TopicLayout layout, TimeProvider clock, ILogger<EmbeddedTopicSink> logger)
    {
        ArgumentNullException.ThrowIfNull(layout);
        var topics = layout.TopicsDirectory;
        _writerLock = WriterLock.Acquire(topics, path =>
            $"The embedded log {topics} is being written by another process (the lock {path} is held): one writer at a time appends to it. "
            + "Wait until the other producer has finished, or give this one another --data-dir.");
        _layout = layout;
        _clock = clock;
        _logger = logger;
        _flushTimer = clock.CreateTimer(_ => FlushToFileSystem(), null, FlushInterval, FlushInterval);
    }

    public string Name => "embedded";

    public SinkStatistics Statistics { get; } = new();

    public ValueTask PublishAsync(MarketEvent marketEvent, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            _line.ResetWrittenCount();
            EventSerializer.Serialize(marketEvent, _line);
            _line.Write("\n"u8);
            try
            {
                WriterFor(marketEvent.Topic).Append(_line.WrittenSpan);
            }
            catch (IOException)
            {
                Statistics.RecordFailed();
                throw;
            }

            _notYetDurable++;
            Statistics.RecordSent();
        }

        return ValueTask.CompletedTask;
    }

    public Task<FlushResult> FlushAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            foreach (var writer in _writers.Values)
            {
                writer.Flush(toDisk: true);
            }

            Statistics.RecordAcked(_notYetDurable);
            _notYetDurable = 0;
        }

        return Task.FromResult(new FlushResult(0));
    }

    public async ValueTask DisposeAsync()
    {
        await _flushTimer.DisposeAsync().ConfigureAwait(false);
        await FlushAsync(Timeout.InfiniteTimeSpan, CancellationToken.None).ConfigureAwait(false);
        CloseWriters();
    }

    public void Dispose()
    {
        _flushTimer.Dispose();
        FlushAsync(Timeout.InfiniteTimeSpan, CancellationToken.None).GetAwaiter().GetResult();
        CloseWriters();
    }

    private void CloseWriters()
    {
        lock (_gate)
        {
            foreach (var writer in _writers.Values)
            {
                writer.Dispose();
            }

            _writers.Clear();
            if (!_disposed)
            {
                _writerLock.Dispose();
            }

            _disposed = true;
        }
    }

    private void FlushToFileSystem()
    {
        lock (_gate)
        {
            foreach (var writer in _writers.Values)
            {
                writer.Flush(toDisk: false);
            }
        }
    }

    private SegmentWriter WriterFor(string topic)
    {
        var day = DateOnly.FromDateTime(_clock.GetUtcNow().UtcDateTime);
        if (_writers.TryGetValue(topic, out var writer) && writer.Day == day)
        {
            return writer;
        }

        if (writer is not null)
        {
            // The day rolled over: the old segment is complete.
            writer.Flush(toDisk: true);
            writer.Dispose();
        }

        writer = SegmentWriter.Open(_layout.SegmentPath(topic, day), day, out var tornBytes);
        if (tornBytes > 0)
        {
            LogTornTail(writer.Path, tornBytes);
        }

        _writers[topic] = writer;
        return writer;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Path} ended in a torn line ({Bytes} bytes, a crash mid-write); moved it to the .torn file beside it")]
    private partial void LogTornTail(string path, long bytes);
}
