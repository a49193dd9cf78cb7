using Spark.Connect;

namespace Lambda.Core.Spark;

/// <summary>
/// A lazily built Spark plan, as pyspark's <c>DataFrame</c>: every method returns a new DataFrame
/// whose <see cref="Relation"/> wraps this one, numbered with the session's next plan id (as Spark's
/// clients do, so that columns bound to a DataFrame resolve against it). Nothing runs until an
/// action (<see cref="CollectAsync"/>, <see cref="SchemaAsync"/>, a write).
/// </summary>
public sealed class DataFrame
{
    internal DataFrame(SparkSession session, Relation relation)
    {
        Session = session;
        Relation = relation;
    }

    public SparkSession Session { get; }

    /// <summary>The root of the plan (a <c>spark.connect.Relation</c>).</summary>
    public Relation Relation { get; }

    public long PlanId => Relation.Common.PlanId;

    /// <summary>A column bound to this DataFrame (<c>df["name"]</c>): it carries this plan's id.</summary>
    public Column this[string name] => Col(name);

    public Column Col(string name) => new(new Expression
    {
        UnresolvedAttribute = new Expression.Types.UnresolvedAttribute { UnparsedIdentifier = name, PlanId = PlanId },
    });

    public DataFrame Select(params Column[] columns)
    {
        var project = new Project { Input = Relation };
        project.Expressions.AddRange(columns.Select(c => c.Expression));
        return Next(r => r.Project = project);
    }

    public DataFrame Select(params string[] columns) => Select([.. columns.Select(Functions.Col)]);

    public DataFrame SelectExpr(params string[] expressions) => Select([.. expressions.Select(Functions.Expr)]);

    public DataFrame Filter(Column condition) => Next(r => r.Filter = new Filter { Input = Relation, Condition = condition.Expression });

    public DataFrame Filter(string condition) => Filter(Functions.Expr(condition));

    public DataFrame Where(Column condition) => Filter(condition);

    public DataFrame Where(string condition) => Filter(condition);

    public DataFrame WithColumn(string name, Column column) => WithColumns((name, column));

    public DataFrame WithColumns(params (string Name, Column Column)[] columns)
    {
        var with = new WithColumns { Input = Relation };
        with.Aliases.AddRange(columns.Select(c => new Expression.Types.Alias { Expr = c.Column.Expression, Name = { c.Name } }));
        return Next(r => r.WithColumns = with);
    }

    /// <summary>Event-time watermark: state of windows older than (max event time − <paramref name="delayThreshold"/>) is dropped.</summary>
    public DataFrame WithWatermark(string eventTime, string delayThreshold) =>
        Next(r => r.WithWatermark = new WithWatermark { Input = Relation, EventTime = eventTime, DelayThreshold = delayThreshold });

    public GroupedData GroupBy(params Column[] columns) => new(this, columns);

    /// <summary>Grouping by names binds them to this DataFrame, as Spark's client does.</summary>
    public GroupedData GroupBy(params string[] columns) => new(this, [.. columns.Select(Col)]);

    public DataFrame Agg(params Column[] aggregates) => GroupBy(Array.Empty<Column>()).Agg(aggregates);

    public DataFrame DropDuplicates() =>
        Next(r => r.Deduplicate = new Deduplicate { Input = Relation, AllColumnsAsKeys = true, WithinWatermark = false });

    public DataFrame DropDuplicates(params string[] columns) => Deduplicate(columns, withinWatermark: false);

    /// <summary>Duplicates of the key seen within the watermark's delay are dropped; state is kept only that long.</summary>
    public DataFrame DropDuplicatesWithinWatermark(params string[] columns) => Deduplicate(columns, withinWatermark: true);

    public DataFrame OrderBy(params Column[] columns)
    {
        var sort = new Sort { Input = Relation, IsGlobal = true };
        sort.Order.AddRange(columns.Select(c => c.Expression.ExprTypeCase == Expression.ExprTypeOneofCase.SortOrder ? c.Expression.SortOrder : c.Asc().Expression.SortOrder));
        return Next(r => r.Sort = sort);
    }

    public DataFrame Sort(params Column[] columns) => OrderBy(columns);

    public DataFrame Limit(int count) => Next(r => r.Limit = new Limit { Input = Relation, Limit_ = count });

    public DataFrame Alias(string alias) => Next(r => r.SubqueryAlias = new SubqueryAlias { Input = Relation, Alias = alias });

    public DataFrame Drop(params string[] columns)
    {
        var drop = new Drop { Input = Relation };
        drop.ColumnNames.AddRange(columns);
        return Next(r => r.Drop = drop);
    }

    public DataFrame UnionByName(DataFrame other, bool allowMissingColumns = false)
    {
        ArgumentNullException.ThrowIfNull(other);
        return Next(r => r.SetOp = new SetOperation
        {
            LeftInput = Relation,
            RightInput = other.Relation,
            SetOpType = SetOperation.Types.SetOpType.Union,
            IsAll = true,
            ByName = true,
            AllowMissingColumns = allowMissingColumns,
        });
    }

    /// <summary>A join on a condition; <paramref name="how"/> is inner, left, right, full, left_semi, left_anti or cross.</summary>
    public DataFrame Join(DataFrame right, Column condition, string how = "inner")
    {
        ArgumentNullException.ThrowIfNull(right);
        ArgumentNullException.ThrowIfNull(condition);
        var type = how.ToLowerInvariant() switch
        {
            "inner" => global::Spark.Connect.Join.Types.JoinType.Inner,
            "left" or "leftouter" or "left_outer" => global::Spark.Connect.Join.Types.JoinType.LeftOuter,
            "right" or "rightouter" or "right_outer" => global::Spark.Connect.Join.Types.JoinType.RightOuter,
            "full" or "outer" or "fullouter" or "full_outer" => global::Spark.Connect.Join.Types.JoinType.FullOuter,
            "semi" or "leftsemi" or "left_semi" => global::Spark.Connect.Join.Types.JoinType.LeftSemi,
            "anti" or "leftanti" or "left_anti" => global::Spark.Connect.Join.Types.JoinType.LeftAnti,
            "cross" => global::Spark.Connect.Join.Types.JoinType.Cross,
            _ => throw new ArgumentException($"join type '{how}' is not inner, left, right, full, left_semi, left_anti or cross", nameof(how)),
        };
        return Next(r => r.Join = new global::Spark.Connect.Join { Left = Relation, Right = right.Relation, JoinCondition = condition.Expression, JoinType = type });
    }

    public DataFrameWriter Write => new(this);

    public DataStreamWriter WriteStream => new(this);

    /// <summary>The plan as a <c>spark.connect.Plan</c> with this DataFrame as its root.</summary>
    public Plan ToPlan() => new() { Root = Relation };

    /// <summary>The schema the server's analyzer gives the plan.</summary>
    public Task<DataType> SchemaAsync(CancellationToken cancellationToken) => Session.AnalyzeSchemaAsync(ToPlan(), cancellationToken);

    public Task<string> ExplainAsync(AnalyzePlanRequest.Types.Explain.Types.ExplainMode mode, CancellationToken cancellationToken) =>
        Session.ExplainAsync(ToPlan(), mode, cancellationToken);

    /// <summary>Runs the plan and returns its rows (decoded from Arrow).</summary>
    public Task<SparkRows> CollectAsync(CancellationToken cancellationToken) => Session.CollectAsync(ToPlan(), cancellationToken);

    /// <summary>The plan in pyspark's words.</summary>
    public override string ToString() => PlanText.Relation(Relation);

    private DataFrame Deduplicate(string[] columns, bool withinWatermark)
    {
        var dedup = new Deduplicate { Input = Relation, WithinWatermark = withinWatermark };
        dedup.ColumnNames.AddRange(columns);
        return Next(r => r.Deduplicate = dedup);
    }

    internal DataFrame Next(Action<Relation> set)
    {
        var relation = new Relation { Common = new RelationCommon { PlanId = Session.NextPlanId() } };
        set(relation);
        return new DataFrame(Session, relation);
    }
}

/// <summary>pyspark's <c>GroupedData</c>: the result of <see cref="DataFrame.GroupBy(Column[])"/>.</summary>
public sealed class GroupedData
{
    private readonly DataFrame _input;
    private readonly Column[] _keys;

    internal GroupedData(DataFrame input, Column[] keys)
    {
        _input = input;
        _keys = keys;
    }

    public DataFrame Agg(params Column[] aggregates)
    {
        var aggregate = new Aggregate { Input = _input.Relation, GroupType = Aggregate.Types.GroupType.Groupby };
        aggregate.GroupingExpressions.AddRange(_keys.Select(k => k.Expression));
        aggregate.AggregateExpressions.AddRange(aggregates.Select(a => a.Expression));
        return _input.Next(r => r.Aggregate = aggregate);
    }

    /// <summary>
    /// Aggregates by (column, function name) pairs as Spark's <c>agg(Map)</c>: the columns are bound
    /// to the input, <c>*</c> counts rows, and Spark's aliases are rewritten as its client does
    /// (std → stddev, mean/average → avg, size → count).
    /// </summary>
    public DataFrame Agg(params (string Column, string Function)[] aggregates)
    {
        ArgumentNullException.ThrowIfNull(aggregates);
        return Agg([.. aggregates.Select(a =>
        {
            var function = a.Function.ToLowerInvariant() switch
            {
                "std" => "stddev",
                "mean" or "average" => "avg",
                "size" => "count",
                var f => f,
            };
            var column = a.Column == "*"
                ? new Column(new global::Spark.Connect.Expression { UnresolvedStar = new global::Spark.Connect.Expression.Types.UnresolvedStar { PlanId = _input.PlanId } })
                : _input.Col(a.Column);
            return Functions.Call(function, column);
        })]);
    }

    /// <summary><c>count(1) AS count</c> per group, as Spark's client sends it.</summary>
    public DataFrame Count() => Agg(Functions.Call("count", Functions.Lit(1)).Alias("count"));
}
