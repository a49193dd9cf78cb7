using Lambda.Core.Views;
using System.Globalization;
using System.Text.Json;
using Lambda.Core.Contracts;
using Lambda.Core.Windows;

namespace Lambda.Spark.Tests;

/// <summary>
/// A literal reading of a <see cref="WindowRecipe"/> over events, as the Spark plan built from it
/// computes it in batch mode: the events as their JSON contract (snake_case fields), filtered to
/// final versions, put in epoch-aligned windows by the recipe's time field, deduplicated as the
/// recipe says, ordered by its order fields, aggregated measure by measure.
/// </summary>
internal static class RecipeInterpreter
{
    public static List<Dictionary<string, object>> Evaluate(WindowRecipe recipe, IEnumerable<MarketEvent> events, TimeSpan window, TimeSpan? klineInterval)
    {
        var windowMs = (long)window.TotalMilliseconds;
        var rows = events.Select(e => JsonDocument.Parse(EventSerializer.Serialize(e)).RootElement).ToList();
        var maxEventTime = rows.Count == 0 ? long.MinValue : rows.Max(r => r.GetProperty("event_time").GetInt64());
        if (recipe.FinalFlag is { } final)
        {
            rows = [.. rows.Where(r => r.GetProperty(final).GetBoolean())];
        }

        var result = new List<Dictionary<string, object>>();
        foreach (var group in rows.GroupBy(r => (Text(r, "exchange"), Text(r, "symbol"), Start(Long(r, recipe.WindowTime), windowMs)))
                     .OrderBy(g => g.Key.Item3).ThenBy(g => g.Key.Item1, StringComparer.Ordinal).ThenBy(g => g.Key.Item2, StringComparer.Ordinal))
        {
            IEnumerable<JsonElement> kept = group;
            kept = recipe.Deduplication switch
            {
                WindowDeduplication.FirstPerKey => kept.GroupBy(r => Key(r, recipe.Key)).Select(g => g.First()),
                WindowDeduplication.FinalPerKey => kept.GroupBy(r => Key(r, recipe.Key)).Select(g => g.OrderBy(r => Long(r, "event_time")).First()),
                _ => kept,
            };
            var ordered = kept.OrderBy(r => Key(r, recipe.OrderBy), StringComparer.Ordinal).ToList();
            var row = new Dictionary<string, object>(StringComparer.Ordinal)
            {
                ["exchange"] = group.Key.Item1,
                ["symbol"] = group.Key.Item2,
                ["day"] = DateOnly.FromDateTime(DateTimeOffset.FromUnixTimeMilliseconds(group.Key.Item3).UtcDateTime),
                ["window_start"] = DateTimeOffset.FromUnixTimeMilliseconds(group.Key.Item3),
                ["window_end"] = DateTimeOffset.FromUnixTimeMilliseconds(group.Key.Item3 + windowMs),
                ["source"] = ViewLayout.Sources.Speed,
                ["first_event_time"] = DateTimeOffset.FromUnixTimeMilliseconds(ordered.Min(r => Long(r, "event_time"))),
                ["last_event_time"] = DateTimeOffset.FromUnixTimeMilliseconds(ordered.Max(r => Long(r, "event_time"))),
                ["complete"] = recipe.Completeness == WindowCompleteness.AllIntervals
                    ? ordered.Count == windowMs / (long)klineInterval!.Value.TotalMilliseconds
                    : group.Key.Item3 + windowMs <= maxEventTime,
            };
            foreach (var m in recipe.Measures)
            {
                var values = ordered.Select(r => Value(r, m.Input)).ToList();
                object value = m.Aggregate switch
                {
                    WindowAggregate.EarliestByOrder => values[0],
                    WindowAggregate.LatestByOrder => values[^1],
                    WindowAggregate.Maximum => values.Max(),
                    WindowAggregate.Minimum => values.Min(),
                    WindowAggregate.Sum => values.Aggregate(0.0, (acc, v) => acc + v),
                    WindowAggregate.Average => values.Sum() / values.Count,
                    WindowAggregate.Count => (double)values.Count,
                    _ => throw new NotSupportedException(m.Aggregate.ToString()),
                };
                row[m.Column] = m.Type == "bigint" ? (object)Convert.ToInt64((double)value, CultureInfo.InvariantCulture) : value;
            }

            result.Add(row);
        }

        return result;
    }

    private static long Start(long time, long windowMs) => time - (((time % windowMs) + windowMs) % windowMs);

    private static string Text(JsonElement e, string field) => e.GetProperty(field).GetString()!;

    private static long Long(JsonElement e, string field) => e.GetProperty(field).GetInt64();

    /// <summary>Fields joined in an order-preserving text (numbers zero-padded).</summary>
    private static string Key(JsonElement e, IEnumerable<string> fields) =>
        string.Join("|", fields.Select(f => e.GetProperty(f) is { ValueKind: JsonValueKind.Number } n ? n.GetInt64().ToString("D20", CultureInfo.InvariantCulture) : e.GetProperty(f).ToString()));

    /// <summary>A field, or the product "a * b" the trade recipe uses; 1 for a count.</summary>
    private static double Value(JsonElement e, string? input)
    {
        if (input is null)
        {
            return 1;
        }

        var factors = input.Split(" * ");
        return factors.Aggregate(1.0, (acc, f) => acc * e.GetProperty(f).GetDouble());
    }
}
