using Spark.Connect;

namespace Lambda.Core.Spark;

/// <summary>pyspark's <c>df.writeStream</c>: starts a structured-streaming query (<c>WriteStreamOperationStart</c>).</summary>
public sealed class DataStreamWriter
{
    private readonly DataFrame _input;
    private readonly WriteStreamOperationStart _start;

    internal DataStreamWriter(DataFrame input)
    {
        _input = input;
        _start = new WriteStreamOperationStart { Input = input.Relation };
    }

    public DataStreamWriter Format(string format)
    {
        _start.Format = format;
        return this;
    }

    /// <summary><c>append</c> (closed windows once), <c>update</c> or <c>complete</c>.</summary>
    public DataStreamWriter OutputMode(string mode)
    {
        _start.OutputMode = mode;
        return this;
    }

    public DataStreamWriter Option(string key, string value)
    {
        _start.Options[key] = value;
        return this;
    }

    public DataStreamWriter QueryName(string name)
    {
        _start.QueryName = name;
        return this;
    }

    public DataStreamWriter PartitionBy(params string[] columns)
    {
        _start.PartitioningColumnNames.AddRange(columns);
        return this;
    }

    /// <summary>A micro-batch every <paramref name="interval"/> (e.g. "5 seconds").</summary>
    public DataStreamWriter TriggerProcessingTime(string interval)
    {
        _start.ProcessingTimeInterval = interval;
        return this;
    }

    /// <summary>Process what is available now in as many batches as needed, then stop.</summary>
    public DataStreamWriter TriggerAvailableNow()
    {
        _start.AvailableNow = true;
        return this;
    }

    /// <summary>The command <see cref="StartAsync"/> sends (for dry runs and tests).</summary>
    public Command ToCommand(string? path = null, string? tableName = null)
    {
        var start = _start.Clone();
        if (path is not null)
        {
            start.Path = path;
        }
        else if (tableName is not null)
        {
            start.TableName = tableName;
        }

        return new Command { WriteStreamOperationStart = start };
    }

    public Task<StreamingQuery> StartAsync(string? path, CancellationToken cancellationToken) =>
        _input.Session.StartStreamAsync(ToCommand(path), cancellationToken);

    public Task<StreamingQuery> ToTableAsync(string tableName, CancellationToken cancellationToken) =>
        _input.Session.StartStreamAsync(ToCommand(tableName: tableName), cancellationToken);
}
