using System.Globalization;

namespace Lambda.Core.Views;

/// <summary>
/// The contract between the layers' files, written once: where each view lives under the data directory,
/// the key-value metadata keys its Parquet files carry, and the source tags of served rows. Every layer
/// that writes or reads a view (the embedded and Spark speed engines, the batch build, the merge, the
/// dashboard) takes them from here, so a rename on one side cannot make another silently skip or
/// mislabel data.
/// </summary>
public static class ViewLayout
{
    /// <summary>The folder under the data directory that holds every layer's views.</summary>
    public const string Views = "views";

    /// <summary>Metadata key naming the layer that wrote a file: <c>speed</c>, <c>batch</c>, <c>serving</c> or <c>master</c>.</summary>
    public const string LayerKey = "lambda.layer";

    /// <summary>The <c>source</c> column of a daily candle: which layer computed it.</summary>
    public static class Sources
    {
        public const string Batch = "batch";
        public const string Speed = "speed";
    }

    /// <summary><c>views/speed/</c>: whatever a speed engine writes; a reader takes every DailyCandle-schema file below it.</summary>
    public static class Speed
    {
        public const string Layer = "speed";
        public const string CandlesFile = "daily_candles.parquet";
        public const string TickerStatsFile = "ticker_stats.parquet";

        /// <summary>
        /// Where the rows of a file come from, which the merge keeps as their lineage:
        /// <c>stream:&lt;group&gt;:shard-&lt;n&gt;:part-&lt;seq&gt;</c>, <c>stream:&lt;group&gt;:shard-&lt;n&gt;:live@&lt;checkpoint time&gt;</c>,
        /// <c>batch:&lt;run time&gt;</c> or <c>spark:&lt;query&gt;:&lt;query id&gt;:live@&lt;time&gt;</c>.
        /// </summary>
        public const string LineageKey = "lambda.speed.lineage";

        /// <summary>The window length (TimeSpan's invariant "c" format, e.g. <c>1.00:00:00</c>); the merge joins day windows only.</summary>
        public const string WindowKey = "lambda.speed.window";

        public const string ModeKey = "lambda.speed.mode";
        public const string TopicsKey = "lambda.speed.topics";
        public const string LatenessKey = "lambda.speed.lateness";
        public const string KlineIntervalKey = "lambda.speed.kline_interval";
        public const string FromKey = "lambda.speed.from";
        public const string EventsReadKey = "lambda.speed.events_read";
        public const string WrittenAtKey = "lambda.speed.written_at";

        /// <summary>The metadata every speed view file carries, whichever mode wrote it; a mode adds its own keys.</summary>
        public static Dictionary<string, string> Metadata(string mode, IEnumerable<string> topics, TimeSpan window, TimeSpan lateness, string? klineInterval) =>
            new(StringComparer.Ordinal)
            {
                [LayerKey] = Layer,
                [ModeKey] = mode,
                [TopicsKey] = string.Join(',', topics),
                [WindowKey] = window.ToString("c", CultureInfo.InvariantCulture),
                [LatenessKey] = lateness.ToString("c", CultureInfo.InvariantCulture),
                [KlineIntervalKey] = klineInterval ?? "",
            };

        /// <summary><c>views/speed</c>, relative to the data directory, as reports and metadata name it.</summary>
        public const string RelativeDirectory = Views + "/" + Layer;

        public static string Directory(string dataDirectory) => Path.Combine(dataDirectory, Views, Layer);

        /// <summary>The stream engine's closed windows: <c>closed/shard-&lt;n&gt;/part-&lt;seq&gt;.parquet</c>.</summary>
        public static string ClosedDirectory(string dataDirectory) => Path.Combine(Directory(dataDirectory), "closed");

        /// <summary>The stream engine's open windows: <c>live/shard-&lt;n&gt;.parquet</c>.</summary>
        public static string LiveDirectory(string dataDirectory) => Path.Combine(Directory(dataDirectory), "live");

        /// <summary>What the Spark engine and Spark itself write.</summary>
        public static string SparkDirectory(string dataDirectory) => Path.Combine(Directory(dataDirectory), "spark");
    }

    /// <summary><c>views/batch/</c>: the batch build's views, replaced whole at each build.</summary>
    public static class Batch
    {
        public const string Layer = "batch";
        public const string CandlesFile = "daily_candles.parquet";
        public const string MetricsFile = "daily_metrics.parquet";
        public const string BuildIdKey = "lambda.batch.build_id";

        /// <summary>The last day the build covers (<c>yyyy-MM-dd</c>), or empty for all of the master dataset.</summary>
        public const string HorizonKey = "lambda.batch.horizon";

        public const string InputsKey = "lambda.batch.inputs";
        public const string BuiltAtKey = "lambda.batch.built_at";

        /// <summary><c>views/batch/daily_candles.parquet</c>, relative to the data directory, as reports and metadata name it.</summary>
        public const string RelativeCandlesPath = Views + "/" + Layer + "/" + CandlesFile;

        public static string Directory(string dataDirectory) => Path.Combine(Path.GetFullPath(dataDirectory), Views, Layer);
    }

    /// <summary><c>views/serving/</c>: the merge's output.</summary>
    public static class Serving
    {
        public const string Layer = "serving";
        public const string ParquetFile = "daily_candles.parquet";
        public const string CsvFile = "daily_candles.csv";
        public const string MergeIdKey = "lambda.serving.merge_id";
        public const string MergedAtKey = "lambda.serving.merged_at";
        public const string BatchBuildIdKey = "lambda.serving.batch_build_id";
        public const string BatchHorizonKey = "lambda.serving.batch_horizon";
        public const string BatchBuiltAtKey = "lambda.serving.batch_built_at";
        public const string InputsKey = "lambda.serving.inputs";
        public const string RowsFromBatchKey = "lambda.serving.rows_from_batch";
        public const string RowsFromSpeedKey = "lambda.serving.rows_from_speed";

        public static string Directory(string dataDirectory) => Path.Combine(dataDirectory, Views, Layer);
    }

    /// <summary><c>master/</c>: the immutable master dataset of the batch layer.</summary>
    public static class Master
    {
        public const string Layer = "master";
        public const string PartitionKey = "lambda.master.partition";
    }
}
