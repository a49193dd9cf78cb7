namespace Lambda.Core.Transport.Embedded;

/// <summary>
/// Reads one topic's segments in order from a starting place, yielding complete lines only. Keeps
/// the current segment open between calls so a continuous reader polls cheaply.
/// </summary>
internal sealed class TopicReader(TopicLayout layout, string topic, TopicCheckpoint? start) : IDisposable
{
    private string? _segment = start?.Segment;
    private long _offset = start?.Offset ?? 0;
    private FileStream? _stream;
    private byte[] _buffer = [];

    /// <summary>
    /// The complete lines available now (up to <paramref name="ends"/> when given: segment → length),
    /// moving on to later segments when the current one is exhausted.
    /// </summary>
    public IEnumerable<ConsumedMessage> ReadAvailable(IReadOnlyDictionary<string, long>? ends, int chunkSize)
    {
        foreach (var segment in layout.Segments(topic))
        {
            var order = _segment is null ? 1 : string.CompareOrdinal(segment, _segment);
            if (order < 0)
            {
                continue;
            }

            if (order > 0)
            {
                // Moving on: a later segment only exists once the earlier one is no longer written to.
                Open(segment, offset: 0);
            }

            long limit;
            if (ends is not null)
            {
                if (!ends.TryGetValue(segment, out limit))
                {
                    yield break;
                }
            }
            else
            {
                limit = long.MaxValue;
            }

            foreach (var message in ReadLines(segment, limit, chunkSize))
            {
                yield return message;
            }
        }
    }

    public void Dispose() => _stream?.Dispose();

    private void Open(string segment, long offset)
    {
        _stream?.Dispose();
        _stream = null;
        _segment = segment;
        _offset = offset;
    }

    private IEnumerable<ConsumedMessage> ReadLines(string segment, long limit, int chunkSize)
    {
        _stream ??= new FileStream(Path.Combine(layout.TopicDirectory(topic), segment), FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, bufferSize: 1);
        while (true)
        {
            var available = Math.Min(limit, _stream.Length) - _offset;
            if (available <= 0)
            {
                yield break;
            }

            var size = (int)Math.Min(available, Math.Max(chunkSize, _buffer.Length));
            // A fresh chunk for every read: the messages are slices of it (no copy per line), and a message kept
            // by its reader is never overwritten by the next read. Uninitialized: the read fills what is used.
            _buffer = GC.AllocateUninitializedArray<byte>(size);
            _stream.Position = _offset;
            var read = _stream.ReadAtLeast(_buffer.AsSpan(0, size), size, throwOnEndOfStream: false);
            var chunk = _buffer.AsMemory(0, read);
            var consumed = 0;
            while (true)
            {
                var newline = chunk.Span[consumed..].IndexOf((byte)'\n');
                if (newline < 0)
                {
                    break;
                }

                var line = chunk.Slice(consumed, newline);
                var lineStart = _offset + consumed;
                consumed += newline + 1;
                if (line.Length > 0)
                {
                    yield return new ConsumedMessage(topic, null, line, new LogPosition(topic, segment, lineStart, _offset + consumed));
                }
            }

            if (consumed == 0)
            {
                if (read < size || available <= size)
                {
                    // Only an incomplete line remains: wait for its newline.
                    yield break;
                }

                // A line longer than the buffer: read again with room for it.
                _buffer = new byte[_buffer.Length * 2];
                continue;
            }

            _offset += consumed;
        }
    }
}
