using System.Text.Json;
using System.Text.Json.Serialization;
using Lambda.Core.Contracts;
using Lambda.Core.Transport.Embedded;
using Microsoft.Extensions.Logging.Abstractions;

namespace Lambda.Speed.Benchmarks.DataSet;

/// <summary>What a cached data set holds; written last, so a folder without it is an unfinished generation.</summary>
public sealed record DataSetManifest(
    int Version,
    long Events,
    long KlineEvents,
    long TradeEvents,
    long KlineBytes,
    long TradeBytes,
    int Pairs,
    int KlinePairs,
    long FirstEventTime,
    long LastEventTime);

/// <summary>
/// The benchmark's input: <see cref="MarketSimulator"/>'s events written by the producer's own writer
/// (<see cref="EmbeddedTopicSink"/>, so <see cref="EventSerializer"/>'s JSON lines in day segments) into
/// <c>&lt;cache&gt;/&lt;events&gt;-v&lt;version&gt;/topics/</c>. Generated once per event count, then reused.
/// </summary>
public sealed class TopicFileDataSet
{
    /// <summary>Bump when the simulator changes, so old caches are not taken for the new data.</summary>
    public const int Version = 1;

    private const string ManifestFile = "dataset.json";

    private TopicFileDataSet(string directory, DataSetManifest manifest)
    {
        Directory = directory;
        Manifest = manifest;
    }

    /// <summary>The data directory: its <c>topics/</c> folder is the embedded log.</summary>
    public string Directory { get; }

    public DataSetManifest Manifest { get; }

    public string TopicDirectory(string topic) => new TopicLayout(Directory).TopicDirectory(topic);

    /// <summary>The segment files of a topic, as a glob for DuckDB.</summary>
    public string Glob(string topic) => Path.Combine(TopicDirectory(topic), "*" + TopicLayout.SegmentExtension);

    public static async Task<TopicFileDataSet> OpenOrCreateAsync(string cache, long events, CancellationToken cancellationToken)
    {
        var directory = Path.Combine(cache, $"{events}-v{Version}");
        var manifestPath = Path.Combine(directory, ManifestFile);
        if (File.Exists(manifestPath))
        {
            var manifest = JsonSerializer.Deserialize(await File.ReadAllBytesAsync(manifestPath, cancellationToken).ConfigureAwait(false), DataSetJsonContext.Default.DataSetManifest);
            if (manifest is { Version: Version } && manifest.Events == events)
            {
                Console.WriteLine($"  data set: cached in {directory}");
                return new(directory, manifest);
            }
        }

        if (System.IO.Directory.Exists(directory))
        {
            System.IO.Directory.Delete(directory, recursive: true);
        }

        var created = await GenerateAsync(directory, events, cancellationToken).ConfigureAwait(false);
        await File.WriteAllBytesAsync(manifestPath, JsonSerializer.SerializeToUtf8Bytes(created, DataSetJsonContext.Default.DataSetManifest), cancellationToken).ConfigureAwait(false);
        return new(directory, created);
    }

    private static async Task<DataSetManifest> GenerateAsync(string directory, long events, CancellationToken cancellationToken)
    {
        var simulator = new MarketSimulator();
        var clock = new DataClock();
        long klines = 0, trades = 0, first = long.MaxValue, last = long.MinValue;
        var layout = new TopicLayout(directory);
        await LongWork.RunAsync($"generating {events:N0} events into {layout.DataDirectory}", events, async report =>
        {
            // The producer's writer, with a clock that follows the events, so each data day gets its own segment
            // as if the producer had run live through those days.
            await using var sink = new EmbeddedTopicSink(layout, clock, NullLogger<EmbeddedTopicSink>.Instance);
            var written = 0L;
            foreach (var marketEvent in simulator.Events(events))
            {
                clock.Now = DateTimeOffset.FromUnixTimeMilliseconds(marketEvent.EventTime);
                await sink.PublishAsync(marketEvent, cancellationToken).ConfigureAwait(false);
                _ = marketEvent is KlineEvent ? klines++ : trades++;
                first = Math.Min(first, marketEvent.EventTime);
                last = Math.Max(last, marketEvent.EventTime);
                if (++written % 65_536 == 0)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    report(written);
                }
            }

            var flush = await sink.FlushAsync(TimeSpan.FromMinutes(5), cancellationToken).ConfigureAwait(false);
            if (flush.Undelivered != 0 || sink.Statistics.Acked != events)
            {
                throw new InvalidOperationException($"the embedded sink acked {sink.Statistics.Acked:N0} of {events:N0} events");
            }
        }).ConfigureAwait(false);

        static long Bytes(TopicLayout layout, string topic) =>
            layout.Segments(topic).Sum(s => new FileInfo(Path.Combine(layout.TopicDirectory(topic), s)).Length);

        return new DataSetManifest(Version, events, klines, trades, Bytes(layout, Topics.Klines), Bytes(layout, Topics.Trades),
            simulator.Pairs, simulator.KlinePairs, first, last);
    }

    /// <summary>A clock set by hand: the time of the event being written.</summary>
    private sealed class DataClock : TimeProvider
    {
        public DateTimeOffset Now { get; set; } = MarketSimulator.Start;

        public override DateTimeOffset GetUtcNow() => Now;
    }
}

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower, WriteIndented = true)]
[JsonSerializable(typeof(DataSetManifest))]
internal sealed partial class DataSetJsonContext : JsonSerializerContext;
