using System.Collections.Concurrent;
using System.IO.Pipelines;
using Microsoft.AspNetCore.Connections;

namespace Lambda.FakeExchange;

/// <summary>
/// The WebSocket control frames of every connection, counted on the wire. ASP.NET Core sends the keep-alive
/// pings and consumes the client's pongs itself, below anything a handler sees, so the bytes on the TCP
/// connection are the one place a test can observe them. Each connection's transport is wrapped (Kestrel
/// connection middleware) by a reader of the bytes as they pass, which never changes them.
/// </summary>
internal sealed class WireFrames
{
    private readonly ConcurrentDictionary<string, WireCount> _byConnection = new(StringComparer.Ordinal);

    /// <summary>The counts of a connection by its Kestrel id (<c>HttpContext.Connection.Id</c>); an empty count when unknown.</summary>
    public WireCount Of(string connectionId) => _byConnection.TryGetValue(connectionId, out var count) ? count : new WireCount();

    public ConnectionDelegate Tap(ConnectionDelegate next) => async context =>
    {
        var count = new WireCount();
        _byConnection[context.ConnectionId] = count;
        var transport = context.Transport;
        context.Transport = new TappedPipe(
            PipeReader.Create(new TappedStream(transport.Input.AsStream(), count.FromClient)),
            PipeWriter.Create(new TappedStream(transport.Output.AsStream(), count.FromServer)));
        try
        {
            await next(context).ConfigureAwait(false);
        }
        finally
        {
            context.Transport = transport;
        }
    };

    private sealed class TappedPipe(PipeReader input, PipeWriter output) : IDuplexPipe
    {
        public PipeReader Input { get; } = input;

        public PipeWriter Output { get; } = output;
    }

    /// <summary>Passes every byte through untouched, showing each to a <see cref="FrameScanner"/> on the way.</summary>
    private sealed class TappedStream(Stream inner, FrameScanner scanner) : Stream
    {
        public override bool CanRead => inner.CanRead;

        public override bool CanSeek => false;

        public override bool CanWrite => inner.CanWrite;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            var read = await inner.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
            scanner.Scan(buffer.Span[..read]);
            return read;
        }

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
        {
            scanner.Scan(buffer.Span);
            return inner.WriteAsync(buffer, cancellationToken);
        }

        public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        public override Task FlushAsync(CancellationToken cancellationToken) => inner.FlushAsync(cancellationToken);

        public override void Flush() => inner.Flush();

        public override int Read(byte[] buffer, int offset, int count)
        {
            var read = inner.Read(buffer, offset, count);
            scanner.Scan(buffer.AsSpan(offset, read));
            return read;
        }

        public override void Write(byte[] buffer, int offset, int count)
        {
            scanner.Scan(buffer.AsSpan(offset, count));
            inner.Write(buffer, offset, count);
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                inner.Dispose();
            }

            base.Dispose(disposing);
        }
    }
}

/// <summary>The WebSocket frames of one connection, by opcode and direction.</summary>
public sealed class WireCount
{
    internal FrameScanner FromServer { get; } = new();

    internal FrameScanner FromClient { get; } = new();

    /// <summary>Ping frames (opcode 0x9) the server sent.</summary>
    public int PingsSent => FromServer.Count(0x9);

    /// <summary>Pong frames (opcode 0xA) the client sent.</summary>
    public int PongsReceived => FromClient.Count(0xA);

    /// <summary>Every frame the server sent, whatever its opcode.</summary>
    public int FramesSent => FromServer.Total;
}

/// <summary>
/// Reads one direction of a connection: the HTTP upgrade up to its blank line, then RFC 6455 frame headers
/// (FIN and opcode; mask bit and a 7-, 16- or 64-bit payload length; the 4-byte mask key of client frames),
/// counting each frame's opcode and skipping its payload. Bytes may arrive in any pieces.
/// </summary>
internal sealed class FrameScanner
{
    private readonly Lock _gate = new();
    private readonly int[] _opcodes = new int[16];
    private readonly byte[] _header = new byte[14];
    private int _headerLength;
    private uint _lastFour;
    private bool _upgraded;
    private long _payloadLeft;

    public int Total
    {
        get
        {
            lock (_gate)
            {
                return _opcodes.Sum();
            }
        }
    }

    public int Count(int opcode)
    {
        lock (_gate)
        {
            return _opcodes[opcode];
        }
    }

    public void Scan(ReadOnlySpan<byte> bytes)
    {
        lock (_gate)
        {
            foreach (var b in bytes)
            {
                Next(b);
            }
        }
    }

    private void Next(byte b)
    {
        if (!_upgraded)
        {
            _lastFour = (_lastFour << 8) | b;
            _upgraded = _lastFour == 0x0D0A0D0A; // "\r\n\r\n" ends the HTTP upgrade
            return;
        }

        if (_payloadLeft > 0)
        {
            _payloadLeft--;
            return;
        }

        _header[_headerLength++] = b;
        if (_headerLength < 2)
        {
            return;
        }

        var length7 = _header[1] & 0x7F;
        var lengthBytes = length7 == 126 ? 2 : length7 == 127 ? 8 : 0;
        var maskBytes = (_header[1] & 0x80) != 0 ? 4 : 0;
        if (_headerLength < 2 + lengthBytes + maskBytes)
        {
            return;
        }

        long payload = length7;
        if (lengthBytes > 0)
        {
            payload = 0;
            for (var i = 0; i < lengthBytes; i++)
            {
                payload = (payload << 8) | _header[2 + i];
            }
        }

        _opcodes[_header[0] & 0x0F]++;
        _payloadLeft = payload;
        _headerLength = 0;
    }
}
