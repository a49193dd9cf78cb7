using Spark.Connect;

namespace Lambda.Core.Spark;

/// <summary>pyspark's <c>spark.read</c> / <c>spark.readStream</c>: a data source by format, options, schema and paths.</summary>
public sealed class DataFrameReader
{
    private readonly SparkSession _session;
    private readonly bool _streaming;
    private readonly Dictionary<string, string> _options = new(StringComparer.Ordinal);
    private string? _format;
    private string? _schema;

    internal DataFrameReader(SparkSession session, bool streaming)
    {
        _session = session;
        _streaming = streaming;
    }

    public DataFrameReader Format(string format)
    {
        _format = format;
        return this;
    }

    /// <summary>The schema as a DDL string (<c>name STRING, age INT</c>).</summary>
    public DataFrameReader Schema(string ddl)
    {
        _schema = ddl;
        return this;
    }

    public DataFrameReader Option(string key, string value)
    {
        _options[key] = value;
        return this;
    }

    public DataFrameReader Options(IEnumerable<KeyValuePair<string, string>> options)
    {
        ArgumentNullException.ThrowIfNull(options);
        foreach (var (key, value) in options)
        {
            _options[key] = value;
        }

        return this;
    }

    public DataFrame Load(params string[] paths)
    {
        var source = new Read.Types.DataSource();
        if (_format is not null)
        {
            source.Format = _format;
        }

        if (_schema is not null)
        {
            source.Schema = _schema;
        }

        source.Options.Add(_options);
        source.Paths.AddRange(paths);
        return Root(new Read { DataSource = source, IsStreaming = _streaming });
    }

    public DataFrame Parquet(params string[] paths) => Format("parquet").Load(paths);

    public DataFrame Json(params string[] paths) => Format("json").Load(paths);

    public DataFrame Csv(params string[] paths) => Format("csv").Load(paths);

    public DataFrame Table(string name)
    {
        var table = new Read.Types.NamedTable { UnparsedIdentifier = name };
        table.Options.Add(_options);
        return Root(new Read { NamedTable = table, IsStreaming = _streaming });
    }

    private DataFrame Root(Read read) => new(_session, new Relation { Common = new RelationCommon { PlanId = _session.NextPlanId() }, Read = read });
}
