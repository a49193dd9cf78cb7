using Lambda.Core.Views;
using System.Globalization;
using Lambda.Core.Contracts;
using Lambda.Core.Spark;
using Lambda.Core.Windows;
using static Lambda.Core.Spark.Functions;

namespace Lambda.SpeedLayer.Spark;

/// <summary>Which query a plan is for: what the sink can take decides how duplicates and completeness are expressed.</summary>
public enum SparkViewQuery
{
    /// <summary>Streaming, append mode: each window once, when the watermark closes it (views/speed/spark/…/closed).</summary>
    Closed,

    /// <summary>Streaming, complete mode into a memory table: every open window as it grows (the live view).</summary>
    Live,

    /// <summary>A batch read of the topic from earliest to latest (<c>speed-layer batch</c>).</summary>
    Batch,
}

/// <summary>What the plan needs to know besides the recipe.</summary>
public sealed record SparkPlanSettings(
    string KafkaBootstrapServers,
    TimeSpan Window,
    TimeSpan Lateness,
    string? KlineInterval,
    IReadOnlyDictionary<string, string> KafkaOptions,
    string TopicPrefix = "");

/// <summary>
/// Builds the speed layer's Spark plan of one view from its <see cref="WindowRecipe"/> (the
/// description of the semantics shared with the embedded engine), in the words of a pyspark job:
/// Kafka source → JSON events → event-time column and watermark → deduplication → 1-day windows →
/// the recipe's measures → the view's columns.
/// </summary>
public static class SparkCandlePlan
{
    /// <summary>The window struct's column.</summary>
    private const string WindowColumn = "window";
    private const string WindowTime = "window_time";
    private const string EventTimestamp = "event_ts";
    private const string KeptRows = "kept_rows";

    public static DataFrame Build(SparkSession spark, WindowRecipe recipe, SparkPlanSettings settings, SparkViewQuery query)
    {
        ArgumentNullException.ThrowIfNull(spark);
        ArgumentNullException.ThrowIfNull(recipe);
        ArgumentNullException.ThrowIfNull(settings);
        var streaming = query != SparkViewQuery.Batch;
        var reader = (streaming ? spark.ReadStream : spark.Read).Format("kafka")
            .Option("kafka.bootstrap.servers", settings.KafkaBootstrapServers)
            .Option("subscribe", settings.TopicPrefix + recipe.Topic)
            .Option("startingOffsets", "earliest")
            // A topic whose old segments were deleted still runs: what is gone is gone.
            .Option("failOnDataLoss", "false");
        if (!streaming)
        {
            reader.Option("endingOffsets", "latest");
        }

        reader.Options(settings.KafkaOptions.Select(o => KeyValuePair.Create("kafka." + o.Key, o.Value)));

        var events = reader.Load()
            .Select(FromJson(Col("value").Cast("string"), CandleSemantics.EventSchema(recipe.Topic)).Alias("e"))
            .Select(Col("e.*"))
            .Filter(Col("exchange").IsNotNull() & Col("symbol").IsNotNull() & Col(recipe.WindowTime).IsNotNull());
        if (recipe.Topic == Topics.Klines)
        {
            events = events.Filter(Col("interval").EqualTo(settings.KlineInterval
                ?? throw new ArgumentException("a kline plan needs the kline interval", nameof(settings))));
        }

        if (recipe.FinalFlag is { } final)
        {
            events = events.Filter(Col(final).EqualTo(true));
        }

        events = events
            .WithColumn(WindowTime, TimestampMillis(Col(recipe.WindowTime)))
            .WithColumn(EventTimestamp, TimestampMillis(Col("event_time")));
        if (streaming)
        {
            events = events.WithWatermark(WindowTime, Interval(settings.Lateness));
        }

        // Trades: one row per trade id. Spark refuses a second stateful operator in complete mode,
        // so the live query counts trades as delivered (docs/spark.md); closed days are exact.
        if (recipe.Deduplication == WindowDeduplication.FirstPerKey && query != SparkViewQuery.Live)
        {
            events = events.DropDuplicates([.. recipe.Key, WindowTime]);
        }

        var grouped = events.GroupBy(Col("exchange"), Col("symbol"), Window(Col(WindowTime), Interval(settings.Window)).Alias(WindowColumn));
        var aggregated = recipe.Deduplication == WindowDeduplication.FinalPerKey
            ? FinalRows(grouped, recipe)
            : grouped.Agg([.. recipe.Measures.Select(m => RowMeasure(m, recipe).Alias(m.Column)),
                Min(Col(EventTimestamp)).Alias("first_event_time"), Max(Col(EventTimestamp)).Alias("last_event_time")]);

        return aggregated.Select([.. recipe.OutputColumns.Select(c => Output(c, recipe, settings, query))]);
    }

    /// <summary>
    /// Final-per-key recipes (klines) keep the set of distinct final rows of the window (one
    /// stateful operator, so it works in every output mode), then drop repeated keys keeping the
    /// earliest by event time, and compute the measures over those rows in the recipe's order.
    /// </summary>
    private static DataFrame FinalRows(GroupedData grouped, WindowRecipe recipe)
    {
        var order = recipe.OrderBy.Concat(["event_time"]).Concat(recipe.Measures.Select(m => m.Input!)).Distinct(StringComparer.Ordinal).ToList();
        var distinct = recipe.Key.Where(k => k is not ("exchange" or "symbol" or "interval")).ToList();
        var sameKey = string.Join(" AND ", distinct.Select(k => $"sorted_rows[i - 1].{k} = r.{k}"));
        return grouped.Agg(CollectSet(Struct([.. order])).Alias("rows"))
            .WithColumn("sorted_rows", Call("array_sort", Col("rows")))
            .WithColumn(KeptRows, Expr($"filter(sorted_rows, (r, i) -> i = 0 OR NOT ({sameKey}))"))
            .Select([Col("exchange"), Col("symbol"), Col(WindowColumn),
                .. recipe.Measures.Select(m => SetMeasure(m).Alias(m.Column)),
                TimestampMillis(Expr($"array_min(transform({KeptRows}, r -> r.event_time))")).Alias("first_event_time"),
                TimestampMillis(Expr($"array_max(transform({KeptRows}, r -> r.event_time))")).Alias("last_event_time"),
                Size(Col(KeptRows)).Alias("kept")]);
    }

    private static Column SetMeasure(WindowMeasure m) => m.Aggregate switch
    {
        WindowAggregate.EarliestByOrder => Expr($"{KeptRows}[0].{m.Input}"),
        WindowAggregate.LatestByOrder => Expr($"element_at({KeptRows}, -1).{m.Input}"),
        WindowAggregate.Maximum => Expr($"array_max(transform({KeptRows}, r -> r.{m.Input}))"),
        WindowAggregate.Minimum => Expr($"array_min(transform({KeptRows}, r -> r.{m.Input}))"),
        // Summed in the recipe's order, as the embedded engine sums (floating-point sums depend on it).
        WindowAggregate.Sum => Expr($"aggregate({KeptRows}, CAST(0 AS {m.Type}), (acc, r) -> acc + r.{m.Input})"),
        WindowAggregate.Count => Size(Col(KeptRows)),
        _ => throw new NotSupportedException($"{m.Aggregate} over final rows"),
    };

    private static Column RowMeasure(WindowMeasure m, WindowRecipe recipe)
    {
        var input = m.Input is null ? Lit(1) : m.Input.All(c => char.IsLetterOrDigit(c) || c == '_') ? Col(m.Input) : Expr(m.Input);
        var order = recipe.OrderBy.Count == 1 ? Col(recipe.OrderBy[0]) : Struct([.. recipe.OrderBy]);
        return m.Aggregate switch
        {
            WindowAggregate.EarliestByOrder => MinBy(input, order),
            WindowAggregate.LatestByOrder => MaxBy(input, order),
            WindowAggregate.Maximum => Max(input),
            WindowAggregate.Minimum => Min(input),
            WindowAggregate.Sum => Sum(input),
            WindowAggregate.Average => Avg(input),
            WindowAggregate.Count => Count(input),
            _ => throw new NotSupportedException(m.Aggregate.ToString()),
        };
    }

    private static Column Output(string column, WindowRecipe recipe, SparkPlanSettings settings, SparkViewQuery query)
    {
        if (recipe.Measures.FirstOrDefault(m => m.Column == column) is { } measure)
        {
            return Col(column).Cast(measure.Type).Alias(column);
        }

        return column switch
        {
            "exchange" or "symbol" or "first_event_time" or "last_event_time" => Col(column),
            // Day of the window's start: the session time zone is set to UTC, so this is the UTC day.
            "day" => ToDate(Col($"{WindowColumn}.start")).Alias("day"),
            "window_start" => Col($"{WindowColumn}.start").Alias("window_start"),
            "window_end" => Col($"{WindowColumn}.end").Alias("window_end"),
            "source" => Lit(ViewLayout.Sources.Speed).Alias("source"),
            "complete" => Complete(recipe, settings, query).Alias("complete"),
            _ => throw new ArgumentException($"the view column '{column}' has no rule in the recipe of {recipe.Topic}", nameof(column)),
        };
    }

    private static Column Complete(WindowRecipe recipe, SparkPlanSettings settings, SparkViewQuery query)
    {
        if (recipe.Completeness == WindowCompleteness.AllIntervals)
        {
            var slots = settings.Window.Ticks / IntervalLength(settings.KlineInterval).Ticks;
            return Col("kept").EqualTo(Lit(slots));
        }

        return query switch
        {
            // Append mode emits a window only once the watermark has passed its end.
            SparkViewQuery.Closed => Lit(true),
            SparkViewQuery.Live => Lit(false),
            // The input went past the window's end (the embedded engine's rule at the end of a batch).
            _ => Col($"{WindowColumn}.end") <= Max(Col("last_event_time")).Over(),
        };
    }

    private static TimeSpan IntervalLength(string? interval) =>
        interval is not null && KlineIntervals.TryGetLength(interval, out var length) && length > TimeSpan.Zero
            ? length
            : throw new ArgumentException($"'{interval}' is not a fixed-length kline interval", nameof(interval));

    /// <summary>A duration in Spark's interval words ("86400 seconds", "600000 milliseconds").</summary>
    public static string Interval(TimeSpan span) => span.Ticks % TimeSpan.TicksPerSecond == 0
        ? string.Create(CultureInfo.InvariantCulture, $"{span.Ticks / TimeSpan.TicksPerSecond} seconds")
        : string.Create(CultureInfo.InvariantCulture, $"{span.Ticks / TimeSpan.TicksPerMillisecond} milliseconds");
}
