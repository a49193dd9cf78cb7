using System.Globalization;
using System.Text.Json;
using Spark.Connect;

namespace Lambda.Core.Spark;

/// <summary>
/// A running structured-streaming query on the server (pyspark's <c>StreamingQuery</c>): each method
/// is one <c>StreamingQueryCommand</c>. <see cref="Id"/> survives restarts from the same checkpoint,
/// <see cref="RunId"/> is new on each start.
/// </summary>
public sealed class StreamingQuery
{
    internal StreamingQuery(SparkSession session, StreamingQueryInstanceId id, string name)
    {
        Session = session;
        Instance = id;
        Name = name;
    }

    public SparkSession Session { get; }

    public StreamingQueryInstanceId Instance { get; }

    public string Id => Instance.Id;

    public string RunId => Instance.RunId;

    public string Name { get; }

    public async Task<StreamingQueryCommandResult.Types.StatusResult> StatusAsync(CancellationToken cancellationToken) =>
        (await RunAsync(c => c.Status = true, cancellationToken).ConfigureAwait(false)).Status;

    /// <summary>The last progress report; null before the first micro-batch finished.</summary>
    public async Task<StreamingProgress?> LastProgressAsync(CancellationToken cancellationToken)
    {
        var result = await RunAsync(c => c.LastProgress = true, cancellationToken).ConfigureAwait(false);
        var reports = result.RecentProgress?.RecentProgressJson;
        return reports is { Count: > 0 } ? StreamingProgress.Parse(reports[^1]) : null;
    }

    public async Task<IReadOnlyList<StreamingProgress>> RecentProgressAsync(CancellationToken cancellationToken)
    {
        var result = await RunAsync(c => c.RecentProgress = true, cancellationToken).ConfigureAwait(false);
        return [.. (result.RecentProgress?.RecentProgressJson ?? []).Select(StreamingProgress.Parse)];
    }

    /// <summary>The exception that stopped the query; null while it runs or after a clean stop.</summary>
    public async Task<StreamingQueryCommandResult.Types.ExceptionResult?> ExceptionAsync(CancellationToken cancellationToken)
    {
        var result = await RunAsync(c => c.Exception = true, cancellationToken).ConfigureAwait(false);
        return result.Exception is { HasExceptionMessage: true } e ? e : null;
    }

    public Task StopAsync(CancellationToken cancellationToken) => RunAsync(c => c.Stop = true, cancellationToken);

    public Task ProcessAllAvailableAsync(CancellationToken cancellationToken) => RunAsync(c => c.ProcessAllAvailable = true, cancellationToken);

    /// <summary>Waits on the server up to <paramref name="timeout"/>; true when the query has terminated.</summary>
    public async Task<bool> AwaitTerminationAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        var result = await RunAsync(
            c => c.AwaitTermination = new StreamingQueryCommand.Types.AwaitTerminationCommand { TimeoutMs = (long)timeout.TotalMilliseconds },
            cancellationToken).ConfigureAwait(false);
        return result.AwaitTermination?.Terminated ?? false;
    }

    private async Task<StreamingQueryCommandResult> RunAsync(Action<StreamingQueryCommand> set, CancellationToken cancellationToken)
    {
        var command = new StreamingQueryCommand { QueryId = Instance };
        set(command);
        StreamingQueryCommandResult? result = null;
        await foreach (var response in Session.ExecuteAsync(new Plan { Command = new Command { StreamingQueryCommand = command } }, cancellationToken).ConfigureAwait(false))
        {
            result ??= response.StreamingQueryCommandResult;
        }

        return result ?? throw new SparkConnectException($"streaming query {Name} ({Id}): the server sent no result for {command.CommandCase}");
    }
}

/// <summary>The parts of Spark's <c>StreamingQueryProgress</c> JSON the speed layer prints.</summary>
public sealed record StreamingProgress(
    string Id,
    string RunId,
    string? Name,
    DateTimeOffset? Timestamp,
    long BatchId,
    long NumInputRows,
    double InputRowsPerSecond,
    double ProcessedRowsPerSecond,
    DateTimeOffset? Watermark,
    string Json)
{
    public static StreamingProgress Parse(string json)
    {
        using var document = JsonDocument.Parse(json);
        var root = document.RootElement;
        DateTimeOffset? watermark = null;
        if (root.TryGetProperty("eventTime", out var eventTime) && eventTime.ValueKind == JsonValueKind.Object
            && eventTime.TryGetProperty("watermark", out var w) && w.ValueKind == JsonValueKind.String)
        {
            watermark = Time(w.GetString());
        }

        return new StreamingProgress(
            Text(root, "id") ?? "",
            Text(root, "runId") ?? "",
            Text(root, "name"),
            Time(Text(root, "timestamp")),
            Number(root, "batchId"),
            Number(root, "numInputRows"),
            Real(root, "inputRowsPerSecond"),
            Real(root, "processedRowsPerSecond"),
            watermark,
            json);
    }

    private static string? Text(JsonElement e, string name) =>
        e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

    private static long Number(JsonElement e, string name) =>
        e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Number ? v.GetInt64() : 0;

    // Spark writes NaN and Infinity as strings when a rate is undefined.
    private static double Real(JsonElement e, string name) =>
        !e.TryGetProperty(name, out var v) ? 0 : v.ValueKind == JsonValueKind.Number ? v.GetDouble() : double.NaN;

    private static DateTimeOffset? Time(string? text) =>
        text is not null && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var t) ? t : null;
}
