using System.Text.Json;
using System.Text.Json.Serialization;
using Lambda.Core.Storage;

namespace Lambda.BatchLayer.Backfill;

/// <summary>How far the backfill of one symbol has come.</summary>
/// <param name="From">Start (Unix ms) of the range fetched without a gap.</param>
/// <param name="NextOpenTime">Every kline opening in [<paramref name="From"/>, this) is durably in the master dataset: the next page starts here.</param>
/// <param name="Pages">Pages stored for this symbol so far (all runs).</param>
/// <param name="Rows">Closed klines stored for this symbol so far (all runs).</param>
public sealed record BackfillSymbolProgress(
    [property: JsonPropertyName("from")] long From,
    [property: JsonPropertyName("next_open_time")] long NextOpenTime,
    [property: JsonPropertyName("pages")] long Pages,
    [property: JsonPropertyName("rows")] long Rows,
    [property: JsonPropertyName("updated_at")] DateTimeOffset UpdatedAt);

/// <summary>
/// <c>checkpoints/batch-backfill-&lt;interval&gt;.json</c>: per symbol, what is already in the master
/// dataset, so a killed backfill resumes at its next page and never fetches a stored page again.
/// Rewritten atomically after each page is durable in the master dataset.
/// </summary>
public sealed class BackfillCheckpoint
{
    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true };

    private readonly Dictionary<string, BackfillSymbolProgress> _symbols;

    private BackfillCheckpoint(string path, string interval, Dictionary<string, BackfillSymbolProgress> symbols)
    {
        Path = path;
        Interval = interval;
        _symbols = symbols;
    }

    public string Path { get; }

    public string Interval { get; }

    public IReadOnlyDictionary<string, BackfillSymbolProgress> Symbols => _symbols;

    public static string PathFor(string dataDirectory, string interval) =>
        System.IO.Path.Combine(dataDirectory, "checkpoints", $"batch-backfill-{interval}.json");

    /// <exception cref="InvalidDataException">The file exists but is not a checkpoint; the message names it.</exception>
    public static BackfillCheckpoint Load(string dataDirectory, string interval)
    {
        var path = PathFor(dataDirectory, interval);
        if (!File.Exists(path))
        {
            return new BackfillCheckpoint(path, interval, new(StringComparer.Ordinal));
        }

        try
        {
            var file = JsonSerializer.Deserialize<CheckpointFile>(File.ReadAllBytes(path), Json)
                ?? throw new InvalidDataException("empty");
            if (file.Interval != interval)
            {
                throw new InvalidDataException($"it is for interval '{file.Interval}'");
            }

            return new BackfillCheckpoint(path, interval, new(file.Symbols ?? new Dictionary<string, BackfillSymbolProgress>(), StringComparer.Ordinal));
        }
        catch (Exception e) when (e is JsonException or InvalidDataException)
        {
            throw new InvalidDataException($"backfill checkpoint {path} is unreadable ({e.Message}); move it away to start over", e);
        }
    }

    public BackfillSymbolProgress? For(string symbol) => _symbols.GetValueOrDefault(symbol);

    /// <summary>Records a symbol's progress and rewrites the file atomically.</summary>
    public async Task SaveAsync(string symbol, BackfillSymbolProgress progress, CancellationToken cancellationToken)
    {
        _symbols[symbol] = progress;
        var file = new CheckpointFile(Interval, new SortedDictionary<string, BackfillSymbolProgress>(_symbols, StringComparer.Ordinal));
        await AtomicFile.WriteAsync(Path, JsonSerializer.SerializeToUtf8Bytes(file, Json), cancellationToken).ConfigureAwait(false);
    }

    private sealed record CheckpointFile(
        [property: JsonPropertyName("interval")] string Interval,
        [property: JsonPropertyName("symbols")] IDictionary<string, BackfillSymbolProgress>? Symbols);
}
