using Google.Protobuf;
using Google.Protobuf.Reflection;
using Spark.Connect;

namespace Lambda.Spark.Tests;

/// <summary>
/// Spark's own golden Spark Connect plans (../shared/spark-connect/golden, beside the clone; never
/// copied into the repository), parsed with our .proto definitions.
/// </summary>
internal static class GoldenPlans
{
    private static readonly Lazy<string> Root = new(Locate);

    public static string QueriesDirectory => Path.Combine(Root.Value, "queries");

    public static IEnumerable<string> AllNames() =>
        Directory.EnumerateFiles(QueriesDirectory, "*.json").Select(Path.GetFileNameWithoutExtension).Order(StringComparer.Ordinal)!;

    public static string Text(string name) => File.ReadAllText(Path.Combine(QueriesDirectory, name + ".json"));

    /// <summary>Strict: a field our definitions do not know fails the parse instead of being dropped.</summary>
    public static Relation Parse(string name) => new JsonParser(JsonParser.Settings.Default).Parse<Relation>(Text(name));

    /// <summary>
    /// Clears what our builder does not produce: the JVM call sites in <c>common.origin</c> of
    /// expressions and relations. Everything else is compared.
    /// </summary>
    public static T WithoutOrigins<T>(T message)
        where T : IMessage<T>
    {
        var copy = message.Clone();
        Strip(copy);
        return copy;
    }

    private static void Strip(IMessage message)
    {
        switch (message)
        {
            case Expression e:
                e.Common = null;
                break;
            case RelationCommon c:
                c.Origin = null;
                break;
        }

        foreach (var field in message.Descriptor.Fields.InFieldNumberOrder())
        {
            if (field.FieldType != FieldType.Message)
            {
                continue;
            }

            var value = field.Accessor.GetValue(message);
            if (field.IsMap)
            {
                foreach (var item in ((System.Collections.IDictionary)value).Values)
                {
                    if (item is IMessage m)
                    {
                        Strip(m);
                    }
                }
            }
            else if (field.IsRepeated)
            {
                foreach (IMessage item in (System.Collections.IList)value)
                {
                    Strip(item);
                }
            }
            else if (value is IMessage child)
            {
                Strip(child);
            }
        }
    }

    private static string Locate()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Lambda.sln")))
            {
                var golden = Path.GetFullPath(Path.Combine(dir.FullName, "..", "shared", "spark-connect", "golden"));
                return Directory.Exists(golden)
                    ? golden
                    : throw new DirectoryNotFoundException($"Spark's golden plans are expected at {golden} (../shared/spark-connect beside the clone)");
            }
        }

        throw new DirectoryNotFoundException("Lambda.sln not found above " + AppContext.BaseDirectory);
    }
}
