using System.Text.Json;
using Google.Protobuf;
using Spark.Connect;

namespace Lambda.Spark.Tests;

/// <summary>Our .proto subset reads every golden plan without losing a field.</summary>
public sealed class GoldenParsingTests
{
    public static TheoryData<string> All() => [.. GoldenPlans.AllNames()];

    [Fact]
    public void The_golden_folder_holds_the_53_plans_of_its_README() => GoldenPlans.AllNames().Should().HaveCount(53);

    [Theory]
    [MemberData(nameof(All))]
    public void Every_field_of_a_golden_plan_survives_a_strict_parse_and_a_round_trip(string golden)
    {
        // Strict parsing throws on any field our definitions lack, so nothing is dropped silently;
        // the round trip shows that every value was kept as well (int64 as strings, enums by name).
        var parsed = GoldenPlans.Parse(golden);
        var again = new JsonFormatter(JsonFormatter.Settings.Default.WithPreserveProtoFieldNames(false)).Format(parsed);

        Canonical(again).Should().Be(Canonical(GoldenPlans.Text(golden)));
        Relation.Parser.ParseFrom(parsed.ToByteArray()).Should().Be(parsed, "the binary form keeps the plan too");
    }

    /// <summary>JSON with object keys sorted, so that key order and whitespace do not count.</summary>
    private static string Canonical(string json)
    {
        using var document = JsonDocument.Parse(json);
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream))
        {
            Write(document.RootElement, writer);
        }

        return System.Text.Encoding.UTF8.GetString(stream.ToArray());
    }

    private static void Write(JsonElement element, Utf8JsonWriter writer)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                writer.WriteStartObject();
                foreach (var property in element.EnumerateObject().OrderBy(p => p.Name, StringComparer.Ordinal))
                {
                    writer.WritePropertyName(property.Name);
                    Write(property.Value, writer);
                }

                writer.WriteEndObject();
                break;
            case JsonValueKind.Array:
                writer.WriteStartArray();
                foreach (var item in element.EnumerateArray())
                {
                    Write(item, writer);
                }

                writer.WriteEndArray();
                break;
            default:
                element.WriteTo(writer);
                break;
        }
    }
}
