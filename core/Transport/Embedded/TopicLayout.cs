using System.Globalization;

namespace Lambda.Core.Transport.Embedded;

/// <summary>
/// Where the embedded log lives: <c>&lt;data-dir&gt;/topics/&lt;topic&gt;/&lt;yyyy-MM-dd&gt;.jsonl</c>, one
/// append-only segment per topic and UTC day of writing. Segment names sort in write order, so
/// reading the segments by name reads the log in order.
/// </summary>
public sealed class TopicLayout(string dataDirectory)
{
    public const string SegmentExtension = ".jsonl";

    public string DataDirectory { get; } = Path.GetFullPath(dataDirectory);

    /// <summary><c>&lt;data-dir&gt;/topics</c>: every topic's folder, and the writers' lock.</summary>
    public string TopicsDirectory => Path.Combine(DataDirectory, "topics");

    public string TopicDirectory(string topic) => Path.Combine(TopicsDirectory, topic);

    public string SegmentPath(string topic, DateOnly day) =>
        Path.Combine(TopicDirectory(topic), day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) + SegmentExtension);

    /// <summary>The topic's segment names in log order; empty when nothing was written yet.</summary>
    public IReadOnlyList<string> Segments(string topic)
    {
        var directory = TopicDirectory(topic);
        if (!Directory.Exists(directory))
        {
            return [];
        }

        var names = Directory.EnumerateFiles(directory, "*" + SegmentExtension).Select(Path.GetFileName).OfType<string>().ToList();
        names.Sort(StringComparer.Ordinal);
        return names;
    }

    public string CheckpointPath(string consumer) => Path.Combine(DataDirectory, "checkpoints", consumer + ".topics.json");
}
