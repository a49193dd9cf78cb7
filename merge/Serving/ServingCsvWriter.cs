using System.Globalization;
using System.Text;

namespace Lambda.Merge.Serving;

/// <summary>
/// The serving view as CSV: a header with the Parquet column names, then one line per row. Numbers
/// in invariant culture, doubles as the shortest text that reads back to the same value, days as
/// yyyy-MM-dd, times as ISO 8601 UTC with microseconds, booleans as true/false; text quoted only
/// when it holds a comma, quote or line break. Lines are formatted into one reused buffer.
/// </summary>
public sealed class ServingCsvWriter : IDisposable
{
    private readonly StreamWriter _writer;
    private char[] _line = new char[512];
    private int _length;
    private bool _disposed;

    public ServingCsvWriter(Stream output)
    {
        _writer = new StreamWriter(output, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false), 1 << 16, leaveOpen: true) { NewLine = "\n" };
        _writer.WriteLine(string.Join(',', ServingCandleMap.Instance.Schema.Columns.Select(c => c.Name)));
    }

    public void Write(ServingCandle row)
    {
        var c = row.Candle;
        _length = 0;
        Text(c.Exchange);
        Text(c.Symbol);
        Format(c.Day, "yyyy-MM-dd");
        Number(c.Open);
        Number(c.High);
        Number(c.Low);
        Number(c.Close);
        Number(c.Volume);
        Number(c.QuoteVolume);
        Format(c.Trades, default);
        Text(c.Source);
        Text(c.Complete ? "true" : "false");
        Format(c.FirstEventTime.UtcDateTime, "yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'");
        Format(c.LastEventTime.UtcDateTime, "yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'");
        Text(row.Lineage);
        _line[_length - 1] = '\n';
        _writer.Write(_line, 0, _length);
    }

    /// <summary>Writes what is buffered to the stream and lets it go (the stream stays open: its owner flushes it to disk).</summary>
    public void Dispose()
    {
        // StreamWriter with leaveOpen flushes the stream again on every Dispose, even after its owner closed it.
        if (!_disposed)
        {
            _disposed = true;
            _writer.Dispose();
        }
    }

    private void Number(double value) => Format(value, default);

    private void Format<T>(T value, ReadOnlySpan<char> format)
        where T : ISpanFormattable
    {
        int written;
        while (!value.TryFormat(_line.AsSpan(_length), out written, format, CultureInfo.InvariantCulture))
        {
            Grow();
        }

        _length += written;
        Separator();
    }

    private void Text(string value)
    {
        if (value.AsSpan().IndexOfAny(",\"\n\r") < 0)
        {
            Append(value);
        }
        else
        {
            Append("\"");
            Append(value.Replace("\"", "\"\"", StringComparison.Ordinal));
            Append("\"");
        }

        Separator();
    }

    private void Append(string value)
    {
        while (_line.Length - _length < value.Length)
        {
            Grow();
        }

        value.CopyTo(_line.AsSpan(_length));
        _length += value.Length;
    }

    private void Separator()
    {
        if (_length == _line.Length)
        {
            Grow();
        }

        _line[_length++] = ',';
    }

    private void Grow() => Array.Resize(ref _line, _line.Length * 2);
}
