using Google.Protobuf;
using Spark.Connect;

namespace Lambda.Core.Spark;

/// <summary>
/// pyspark's <c>pyspark.sql.functions</c>, the few the jobs use, plus <see cref="Call"/> for any
/// other Spark SQL function by name. Every function is an unresolved function that the server
/// resolves; <c>is_internal = false</c> as Spark's own client sends it.
/// </summary>
public static class Functions
{
    /// <summary>A column by name; <c>*</c> and <c>struct.*</c> expand to all (nested) columns.</summary>
    public static Column Col(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (name == "*")
        {
            return new(new Expression { UnresolvedStar = new Expression.Types.UnresolvedStar() });
        }

        return name.EndsWith(".*", StringComparison.Ordinal)
            ? new(new Expression { UnresolvedStar = new Expression.Types.UnresolvedStar { UnparsedTarget = name } })
            : new(new Expression { UnresolvedAttribute = new Expression.Types.UnresolvedAttribute { UnparsedIdentifier = name } });
    }

    public static Column Expr(string sql) => new(new Expression { ExpressionString = new Expression.Types.ExpressionString { Expression = sql } });

    /// <summary>A literal: string, bool, int, long, double, float, DateOnly, DateTimeOffset, byte[] or null.</summary>
    public static Column Lit(object? value)
    {
        var literal = value switch
        {
            null => new Expression.Types.Literal { Null = new DataType { Null = new DataType.Types.NULL() } },
            Column c => c.Expression.Literal ?? throw new ArgumentException("lit() of a column that is not a literal", nameof(value)),
            string s => new Expression.Types.Literal { String = s },
            bool b => new Expression.Types.Literal { Boolean = b },
            int i => new Expression.Types.Literal { Integer = i },
            long l => new Expression.Types.Literal { Long = l },
            double d => new Expression.Types.Literal { Double = d },
            float f => new Expression.Types.Literal { Float = f },
            short s => new Expression.Types.Literal { Short = s },
            byte b => new Expression.Types.Literal { Byte = b },
            byte[] bytes => new Expression.Types.Literal { Binary = ByteString.CopyFrom(bytes) },
            DateOnly day => new Expression.Types.Literal { Date = day.DayNumber - DateOnly.FromDateTime(DateTime.UnixEpoch).DayNumber },
            DateTimeOffset t => new Expression.Types.Literal { Timestamp = (t.UtcTicks - DateTime.UnixEpoch.Ticks) / 10 },
            _ => throw new ArgumentException($"lit(): values of type {value.GetType().Name} are not supported", nameof(value)),
        };
        return new(new Expression { Literal = literal });
    }

    /// <summary>Any Spark SQL function by name (<c>call_function</c> in pyspark).</summary>
    public static Column Call(string name, params object[] arguments)
    {
        ArgumentNullException.ThrowIfNull(arguments);
        var function = new Expression.Types.UnresolvedFunction { FunctionName = name, IsInternal = false };
        foreach (var argument in arguments)
        {
            function.Arguments.Add((argument as Column ?? Lit(argument)).Expression);
        }

        return new(new Expression { UnresolvedFunction = function });
    }

    public static Column Not(Column column) => Call("not", column);

    public static Column Min(string column) => Call("min", Col(column));

    public static Column Min(Column column) => Call("min", column);

    public static Column Max(string column) => Call("max", Col(column));

    public static Column Max(Column column) => Call("max", column);

    public static Column Sum(string column) => Call("sum", Col(column));

    public static Column Sum(Column column) => Call("sum", column);

    public static Column Avg(Column column) => Call("avg", column);

    public static Column Count(Column column) => Call("count", column);

    /// <summary>The value of <paramref name="column"/> at the smallest <paramref name="ordering"/>.</summary>
    public static Column MinBy(Column column, Column ordering) => Call("min_by", column, ordering);

    /// <summary>The value of <paramref name="column"/> at the largest <paramref name="ordering"/>.</summary>
    public static Column MaxBy(Column column, Column ordering) => Call("max_by", column, ordering);

    public static Column First(string column, bool ignoreNulls) => Call("first", Col(column), Lit(ignoreNulls));

    public static Column Last(string column, bool ignoreNulls) => Call("last", Col(column), Lit(ignoreNulls));

    /// <summary>
    /// Tumbling event-time window (a struct of start and end). Like Spark's Scala client, the slide
    /// defaults to the duration and the start offset to "0 second".
    /// </summary>
    public static Column Window(Column time, string duration, string? slide = null, string startTime = "0 second") =>
        Call("window", time, Lit(duration), Lit(slide ?? duration), Lit(startTime));

    public static Column ToTimestamp(Column column) => Call("to_timestamp", column);

    public static Column ToTimestamp(Column column, string format) => Call("to_timestamp", column, Lit(format));

    public static Column TimestampMillis(Column column) => Call("timestamp_millis", column);

    public static Column TimestampSeconds(Column column) => Call("timestamp_seconds", column);

    public static Column ToDate(Column column) => Call("to_date", column);

    public static Column Trunc(Column column, string format) => Call("trunc", column, Lit(format));

    /// <summary>Parses JSON text with a schema given as a DDL or JSON string (sent as a string literal, as Spark's client does).</summary>
    public static Column FromJson(Column column, string schema) => Call("from_json", column, Lit(schema));

    public static Column ToJson(Column column, IReadOnlyDictionary<string, string> options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var map = options.SelectMany(o => new object[] { Lit(o.Key), Lit(o.Value) }).ToArray();
        return Call("to_json", column, Call("map", map));
    }

    public static Column Struct(params Column[] columns) => Call("struct", columns);

    public static Column Struct(params string[] columns) => Call("struct", [.. columns.Select(Col)]);

    public static Column ConcatWs(string separator, params Column[] columns) => Call("concat_ws", [Lit(separator), .. columns]);

    public static Column Coalesce(params Column[] columns) => Call("coalesce", columns);

    public static Column When(Column condition, object value, object otherwise) => Call("when", condition, value, otherwise);

    public static Column CollectSet(Column column) => Call("collect_set", column);

    public static Column Size(Column column) => Call("size", column);

    public static Column CurrentTimestamp() => Call("current_timestamp");
}
