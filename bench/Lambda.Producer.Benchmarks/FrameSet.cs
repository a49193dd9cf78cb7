namespace Lambda.Producer.Benchmarks;

/// <summary>
/// Raw frames held in memory before measuring, so that reading and splitting the capture file is not
/// part of what is measured. Frames live in a few large chunks rather than a million small arrays.
/// </summary>
public sealed class FrameSet
{
    private const int ChunkSize = 16 << 20;

    private readonly List<ReadOnlyMemory<byte>> _frames = [];
    private byte[] _chunk = [];
    private int _used;

    public FrameSet(string description) => Description = description;

    public string Description { get; }

    public int Count => _frames.Count;

    public long Bytes { get; private set; }

    /// <summary>Events the frames hold when all are good (counted by the builder).</summary>
    public long Events { get; set; }

    public ReadOnlyMemory<byte>[] ToArray() => [.. _frames];

    public void Add(ReadOnlySpan<byte> frame)
    {
        if (_chunk.Length - _used < frame.Length)
        {
            _chunk = new byte[Math.Max(ChunkSize, frame.Length)];
            _used = 0;
        }

        frame.CopyTo(_chunk.AsSpan(_used));
        _frames.Add(new ReadOnlyMemory<byte>(_chunk, _used, frame.Length));
        _used += frame.Length;
        Bytes += frame.Length;
    }
}
