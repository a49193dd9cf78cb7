using Spark.Connect;

namespace Lambda.Core.Spark;

/// <summary>pyspark's <c>df.write</c>: a batch write, run as a <c>WriteOperation</c> command.</summary>
public sealed class DataFrameWriter
{
    private readonly DataFrame _input;
    private readonly WriteOperation _operation;

    internal DataFrameWriter(DataFrame input)
    {
        _input = input;
        _operation = new WriteOperation { Input = input.Relation, Mode = WriteOperation.Types.SaveMode.ErrorIfExists };
    }

    public DataFrameWriter Format(string source)
    {
        _operation.Source = source;
        return this;
    }

    /// <summary><c>append</c>, <c>overwrite</c>, <c>error</c>/<c>errorifexists</c> or <c>ignore</c>.</summary>
    public DataFrameWriter Mode(string mode)
    {
        _operation.Mode = mode.ToLowerInvariant() switch
        {
            "append" => WriteOperation.Types.SaveMode.Append,
            "overwrite" => WriteOperation.Types.SaveMode.Overwrite,
            "error" or "errorifexists" => WriteOperation.Types.SaveMode.ErrorIfExists,
            "ignore" => WriteOperation.Types.SaveMode.Ignore,
            _ => throw new ArgumentException($"save mode '{mode}' is not append, overwrite, error or ignore", nameof(mode)),
        };
        return this;
    }

    public DataFrameWriter Option(string key, string value)
    {
        _operation.Options[key] = value;
        return this;
    }

    public DataFrameWriter PartitionBy(params string[] columns)
    {
        _operation.PartitioningColumns.AddRange(columns);
        return this;
    }

    /// <summary>The command this writer sends (for dry runs and tests).</summary>
    public Command ToCommand(string path)
    {
        var operation = _operation.Clone();
        operation.Path = path;
        return new Command { WriteOperation = operation };
    }

    public Task SaveAsync(string path, CancellationToken cancellationToken) =>
        _input.Session.ExecuteCommandAsync(ToCommand(path), cancellationToken);

    public Task ParquetAsync(string path, CancellationToken cancellationToken) => Format("parquet").SaveAsync(path, cancellationToken);
}
