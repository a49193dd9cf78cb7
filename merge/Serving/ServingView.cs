using System.Text.Json;
using Lambda.Core.Views;
using Lambda.Core.Storage;

namespace Lambda.Merge.Serving;

/// <summary>The files of the serving view under <c>views/serving/</c>.</summary>
public static class ServingView
{
    public const string ManifestFile = "daily_candles.manifest.json";
}

/// <summary>
/// Writes the serving view without a reader ever seeing a half-written file: the Parquet and the CSV
/// are streamed to temporary files beside their targets; <see cref="Commit"/> flushes both to disk,
/// then renames the Parquet file, then the CSV, then writes the manifest
/// (<c>daily_candles.manifest.json</c>: the merge id and both files' sizes and rows) atomically.
/// Each file is always whole; a failure or Ctrl+C before the commit leaves all three as they were.
/// Between the renames (microseconds) a reader may see a new Parquet file beside the old CSV: one
/// that needs the two to match compares the Parquet file's <c>lambda.serving.merge_id</c> and the
/// CSV's size with the manifest.
/// </summary>
public sealed class ServingViewWriter : IDisposable
{
    /// <summary>Rows per row group: bounds the writer's memory (two row groups' column buffers) and is the unit a filtered read skips.</summary>
    public const int RowGroupRows = 256 * 1024;

    private readonly string _directory;
    private readonly PendingFile _parquetFile;
    private readonly PendingFile _csvFile;
    private readonly ParquetWriterOptions _options;
    private readonly ParquetFileWriter _parquet;
    private readonly ServingCsvWriter _csv;
    private bool _committed;

    public ServingViewWriter(string directory)
    {
        _directory = directory;
        PendingFile.DeleteAbandoned(directory, ViewLayout.Serving.ParquetFile);
        PendingFile.DeleteAbandoned(directory, ViewLayout.Serving.CsvFile);
        _parquetFile = PendingFile.Create(Path.Combine(directory, ViewLayout.Serving.ParquetFile), 1 << 20);
        _csvFile = PendingFile.Create(Path.Combine(directory, ViewLayout.Serving.CsvFile), 1 << 16);
        _options = new ParquetWriterOptions { Compression = ParquetCompression.Snappy, RowGroupRows = RowGroupRows };
        _parquet = new ParquetFileWriter(_parquetFile.Stream, ServingCandleMap.Instance.Schema, _options);
        _csv = new ServingCsvWriter(_csvFile.Stream);
    }

    public string ParquetPath => _parquetFile.Path;

    public string CsvPath => _csvFile.Path;

    public string ManifestPath => Path.Combine(_directory, ServingView.ManifestFile);

    public long Rows => _parquet.RowsWritten;

    public void Write(ServingCandle row)
    {
        _parquet.Write(row, ServingCandleMap.Instance);
        _csv.Write(row);
    }

    /// <summary>Closes both files with <paramref name="metadata"/> in the Parquet footer and puts them in place.</summary>
    public async Task CommitAsync(IReadOnlyDictionary<string, string> metadata, CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_committed, this);
        var mergeId = Guid.NewGuid().ToString("N");
        foreach (var (key, value) in metadata)
        {
            _options.KeyValueMetadata[key] = value;
        }

        _options.KeyValueMetadata[ViewLayout.Serving.MergeIdKey] = mergeId;
        _parquet.Close();
        _csv.Dispose();
        var manifest = JsonSerializer.SerializeToUtf8Bytes(new Dictionary<string, object>
        {
            ["merge_id"] = mergeId,
            ["merged_at"] = metadata.TryGetValue(ViewLayout.Serving.MergedAtKey, out var at) ? at : "",
            ["rows"] = _parquet.RowsWritten,
            [ViewLayout.Serving.ParquetFile] = _parquetFile.Stream.Length,
            [ViewLayout.Serving.CsvFile] = _csvFile.Stream.Length,
        }, new JsonSerializerOptions { WriteIndented = true });
        cancellationToken.ThrowIfCancellationRequested();
        PendingFile.CommitAll(_parquetFile, _csvFile);
        _committed = true;
        await AtomicFile.WriteAsync(ManifestPath, manifest, CancellationToken.None).ConfigureAwait(false);
    }

    public void Dispose()
    {
        if (!_committed)
        {
            try
            {
                _parquet.Dispose();
            }
            catch (Exception e) when (e is IOException or ParquetException or InvalidOperationException)
            {
                // the output is being thrown away: a failure to finish it does not matter
            }
        }

        _csv.Dispose();
        _parquetFile.Dispose();
        _csvFile.Dispose();
    }
}
