using System.Text.Json;
using System.Text.Json.Serialization;
using Lambda.Core.Storage;
using Lambda.Core.Transport;

namespace Lambda.SpeedLayer.Stream;

/// <summary>
/// What one shard of <c>speed-layer stream</c> needs to resume exactly where its output stands: the
/// engine's state, the log positions up to which events were fed into it, and the sequence of the next
/// closed-window part. The single source of truth for positions (embedded and Kafka).
/// </summary>
/// <param name="Shard">The partition number whose partitions (one per topic) this state covers; 0 for the embedded log.</param>
/// <param name="EngineState">The engine snapshot (its own JSON); null before the kline interval is known.</param>
/// <param name="DeadLetters">Late events dead-lettered (delivered before this checkpoint was written).</param>
/// <param name="Epoch">The writer's epoch of the shard (<see cref="ShardFence"/>); 0 in checkpoints written before fencing.</param>
public sealed record SpeedStreamCheckpoint(
    int Version,
    string Group,
    int Shard,
    IReadOnlyList<string> Topics,
    IReadOnlyList<LogPosition> Positions,
    long NextPart,
    string? KlineInterval,
    string? EngineState,
    long EventsRead,
    long Undeserializable,
    long WindowsClosed,
    long DeadLetters,
    long Epoch = 0)
{
    /// <summary>2: one checkpoint per shard (1 was one file per group).</summary>
    public const int CurrentVersion = 2;

    /// <exception cref="InvalidDataException">The file is corrupt or of another version.</exception>
    public static SpeedStreamCheckpoint? Load(string path)
    {
        if (!File.Exists(path))
        {
            return null;
        }

        try
        {
            var checkpoint = JsonSerializer.Deserialize(File.ReadAllBytes(path), SpeedStreamJsonContext.Default.SpeedStreamCheckpoint)
                ?? throw new InvalidDataException($"Checkpoint file {path} is empty");
            return checkpoint.Version == CurrentVersion ? checkpoint
                : throw new InvalidDataException($"Checkpoint file {path} has version {checkpoint.Version}, not {CurrentVersion}");
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"Checkpoint file {path} is corrupt: {e.Message}", e);
        }
    }

    public Task SaveAsync(string path, CancellationToken cancellationToken) =>
        AtomicFile.WriteAsync(path, JsonSerializer.SerializeToUtf8Bytes(this, SpeedStreamJsonContext.Default.SpeedStreamCheckpoint), cancellationToken);
}

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower, WriteIndented = true)]
[JsonSerializable(typeof(SpeedStreamCheckpoint))]
internal sealed partial class SpeedStreamJsonContext : JsonSerializerContext;
