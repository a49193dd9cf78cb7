using System.Text.Json;
using System.Text.Json.Serialization;
using Lambda.Core.Storage;

namespace Lambda.Core.Transport.Embedded;

/// <summary>
/// A reader's committed place in one topic: everything in segments before <see cref="Segment"/>
/// and in <see cref="Segment"/> before byte <see cref="Offset"/> is processed.
/// </summary>
public sealed record TopicCheckpoint(string Segment, long Offset) : IComparable<TopicCheckpoint>
{
    public int CompareTo(TopicCheckpoint? other) => other is null ? 1
        : string.CompareOrdinal(Segment, other.Segment) is var bySegment and not 0 ? bySegment
        : Offset.CompareTo(other.Offset);
}

/// <summary>The checkpoint file of one embedded reader: a topic → place map, replaced atomically.</summary>
internal static class EmbeddedCheckpointFile
{
    public static Dictionary<string, TopicCheckpoint> Load(string path)
    {
        if (!File.Exists(path))
        {
            return new(StringComparer.Ordinal);
        }

        try
        {
            return JsonSerializer.Deserialize(File.ReadAllBytes(path), CheckpointJsonContext.Default.DictionaryStringTopicCheckpoint)
                ?? new(StringComparer.Ordinal);
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"Checkpoint file {path} is corrupt: {e.Message}", e);
        }
    }

    public static Task SaveAsync(string path, Dictionary<string, TopicCheckpoint> checkpoints, CancellationToken cancellationToken) =>
        AtomicFile.WriteAsync(path, JsonSerializer.SerializeToUtf8Bytes(checkpoints, CheckpointJsonContext.Default.DictionaryStringTopicCheckpoint), cancellationToken);
}

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower, WriteIndented = true)]
[JsonSerializable(typeof(Dictionary<string, TopicCheckpoint>))]
internal sealed partial class CheckpointJsonContext : JsonSerializerContext;
