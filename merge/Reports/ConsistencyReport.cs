using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Lambda.Merge.Reports;

/// <summary>
/// The consistency report in two forms: <c>reports/consistency.json</c> for programs and
/// <c>reports/consistency.md</c> for people (the same figures).
/// </summary>
public static class ConsistencyReport
{
    public const string JsonFile = "consistency.json";
    public const string MarkdownFile = "consistency.md";

    public static byte[] Json(ConsistencyResult result)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            json.WriteStartObject();
            json.WriteString("verdict", result.Verdict);
            json.WriteBoolean("agrees", result.Agrees);
            json.WriteNumber("tolerance_relative", result.Tolerance);
            json.WriteNumber("shared_days", result.SharedDays);
            json.WriteNumber("compared_days", result.Compared);
            json.WriteNumber("not_compared_incomplete", result.NotCompared);
            json.WriteNumber("days_beyond_tolerance", result.DaysBeyondTolerance);
            json.WriteNumber("differences_beyond_tolerance", result.DifferencesBeyondTolerance);
            json.WriteStartArray("fields");
            foreach (var field in result.Fields)
            {
                json.WriteStartObject();
                json.WriteString("field", field.Field);
                json.WriteNumber("max_abs_diff", field.MaxAbsolute);
                json.WriteNumber("max_rel_diff", field.MaxRelative);
                if (field.WorstDay is { } day)
                {
                    WriteKey(json, "worst", day);
                }

                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteStartArray("beyond_tolerance");
            foreach (var d in result.Listed)
            {
                json.WriteStartObject();
                json.WriteString("exchange", d.Day.Exchange);
                json.WriteString("symbol", d.Day.Symbol);
                json.WriteString("day", d.Day.Day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
                json.WriteString("field", d.Field);
                json.WriteNumber("batch", d.Batch);
                json.WriteNumber("speed", d.Speed);
                json.WriteNumber("abs_diff", d.Absolute);
                json.WriteNumber("rel_diff", d.Relative);
                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteNumber("beyond_tolerance_not_listed", result.DifferencesBeyondTolerance - result.Listed.Count);
            json.WriteEndObject();
        }

        return buffer.ToArray();
    }

    public static string Markdown(ConsistencyResult result)
    {
        var text = new StringBuilder();
        text.AppendLine("# Consistency of the speed and batch layers").AppendLine();
        text.AppendLine(CultureInfo.InvariantCulture, $"**{result.Verdict}.**").AppendLine();
        text.AppendLine(CultureInfo.InvariantCulture,
            $"Days both layers have: {result.SharedDays}; compared (both complete): {result.Compared}; not compared (one side incomplete): {result.NotCompared}. Tolerance: relative difference ≤ {result.ToleranceText}.");
        text.AppendLine().AppendLine("| field | max abs diff | max rel diff | largest on |").AppendLine("|---|---:|---:|---|");
        foreach (var f in result.Fields)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"| {f.Field} | {f.MaxAbsolute:G6} | {f.MaxRelative:G3} | {f.WorstDay?.ToString() ?? "-"} |");
        }

        if (result.Listed.Count > 0)
        {
            text.AppendLine().AppendLine("## Beyond the tolerance").AppendLine();
            text.AppendLine("| exchange | symbol | day | field | batch | speed | abs diff | rel diff |").AppendLine("|---|---|---|---|---:|---:|---:|---:|");
            foreach (var d in result.Listed)
            {
                text.AppendLine(CultureInfo.InvariantCulture,
                    $"| {d.Day.Exchange} | {d.Day.Symbol} | {d.Day.Day:yyyy-MM-dd} | {d.Field} | {d.Batch:R} | {d.Speed:R} | {d.Absolute:G6} | {d.Relative:G3} |");
            }

            if (result.DifferencesBeyondTolerance > result.Listed.Count)
            {
                text.AppendLine().AppendLine(CultureInfo.InvariantCulture, $"… and {result.DifferencesBeyondTolerance - result.Listed.Count} more not listed.");
            }
        }

        return text.ToString();
    }

    private static void WriteKey(Utf8JsonWriter json, string name, Serving.CandleKey key)
    {
        json.WriteStartObject(name);
        json.WriteString("exchange", key.Exchange);
        json.WriteString("symbol", key.Symbol);
        json.WriteString("day", key.Day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
        json.WriteEndObject();
    }
}
