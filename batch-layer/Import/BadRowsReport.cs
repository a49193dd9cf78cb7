using System.Globalization;

namespace Lambda.BatchLayer.Import;

/// <summary>
/// Every rejected row of an import, written to <c>reports/import-bad-rows-&lt;time&gt;.csv</c> as it is
/// found (file, line, reason, raw row), so that no rejected row is lost even when there are millions;
/// the first ones are also kept to print.
/// </summary>
internal sealed class BadRowsReport(string reportsDirectory, DateTimeOffset started) : IDisposable
{
    public const int ExamplesKept = 50;

    private readonly List<BadRow> _examples = [];
    private StreamWriter? _writer;

    public long Count { get; private set; }

    public IReadOnlyList<BadRow> Examples => _examples;

    public string? Path { get; private set; }

    public void Add(BadRow row)
    {
        Count++;
        if (_examples.Count < ExamplesKept)
        {
            _examples.Add(row);
        }

        if (_writer is null)
        {
            Directory.CreateDirectory(reportsDirectory);
            Path = System.IO.Path.Combine(reportsDirectory, $"import-bad-rows-{started:yyyyMMdd'T'HHmmss'Z'}-{Environment.ProcessId}.csv");
            _writer = new StreamWriter(Path, append: false);
            _writer.WriteLine("file,line,reason,raw");
        }

        _writer.WriteLine(string.Join(',', Quote(row.File), row.Line.ToString(CultureInfo.InvariantCulture), Quote(row.Reason), Quote(row.Raw)));
    }

    public void Dispose() => _writer?.Dispose();

    private static string Quote(string text) => "\"" + text.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
}
