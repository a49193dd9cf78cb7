using System.Text;
using Lambda.Producer.Connectors;
using Lambda.Producer.Replay;

namespace Lambda.Producer.Recording;

/// <summary>
/// Writes every raw frame with its receive time and normalizer tag to a capture file
/// (<c>&lt;unix seconds&gt; &lt;tag&gt;: &lt;frame&gt;</c>), which <c>producer replay</c> reads back.
/// A frame's line breaks (JSON whitespace) become spaces so that one frame stays one line.
/// </summary>
public sealed class CaptureRecorder : IAsyncDisposable
{
    private readonly StreamWriter _writer;

    public CaptureRecorder(string path)
    {
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(path))!);
        _writer = new StreamWriter(new FileStream(path, FileMode.Append, FileAccess.Write, FileShare.Read, 64 * 1024), new UTF8Encoding(false));
        Path = path;
        if (_writer.BaseStream.Position == 0)
        {
            _writer.WriteLine(CaptureFile.Header);
        }
    }

    public string Path { get; }

    public long Frames { get; private set; }

    public void Record(ReceivedFrame frame)
    {
        var text = Encoding.UTF8.GetString(frame.Frame.Span);
        if (text.Contains('\n', StringComparison.Ordinal) || text.Contains('\r', StringComparison.Ordinal))
        {
            text = text.Replace('\r', ' ').Replace('\n', ' ');
        }

        _writer.WriteLine(CaptureFile.Format(frame.ReceivedAt, frame.Tag, text));
        Frames++;
    }

    public Task FlushAsync() => _writer.FlushAsync();

    public ValueTask DisposeAsync() => _writer.DisposeAsync();
}
