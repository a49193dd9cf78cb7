using System.Globalization;
using System.Text;
using Spark.Connect;

namespace Lambda.Core.Spark;

/// <summary>
/// Plans and commands written back as the pyspark code that would build them, one call per line,
/// so that a dry run reads like Spark code (<c>col</c>, <c>lit</c> and functions as in
/// <c>pyspark.sql.functions</c>).
/// </summary>
public static class PlanText
{
    public static string Relation(Relation relation)
    {
        ArgumentNullException.ThrowIfNull(relation);
        var lines = new List<string>();
        Chain(relation, lines);
        return string.Join("\n    ", lines);
    }

    public static string Command(Command command)
    {
        ArgumentNullException.ThrowIfNull(command);
        switch (command.CommandTypeCase)
        {
            case global::Spark.Connect.Command.CommandTypeOneofCase.WriteStreamOperationStart:
            {
                var s = command.WriteStreamOperationStart;
                var text = new StringBuilder(Relation(s.Input)).Append("\n    .writeStream");
                if (s.Format.Length > 0)
                {
                    text.Append("\n    .format(").Append(Quote(s.Format)).Append(')');
                }

                if (s.OutputMode.Length > 0)
                {
                    text.Append("\n    .outputMode(").Append(Quote(s.OutputMode)).Append(')');
                }

                AppendOptions(text, s.Options);

                if (s.PartitioningColumnNames.Count > 0)
                {
                    text.Append("\n    .partitionBy(").Append(string.Join(", ", s.PartitioningColumnNames.Select(Quote))).Append(')');
                }

                text.Append(s.TriggerCase switch
                {
                    WriteStreamOperationStart.TriggerOneofCase.ProcessingTimeInterval => $"\n    .trigger(processingTime={Quote(s.ProcessingTimeInterval)})",
                    WriteStreamOperationStart.TriggerOneofCase.AvailableNow => "\n    .trigger(availableNow=True)",
                    WriteStreamOperationStart.TriggerOneofCase.Once => "\n    .trigger(once=True)",
                    _ => "",
                });
                if (s.QueryName.Length > 0)
                {
                    text.Append("\n    .queryName(").Append(Quote(s.QueryName)).Append(')');
                }

                text.Append(s.SinkDestinationCase switch
                {
                    WriteStreamOperationStart.SinkDestinationOneofCase.Path => $"\n    .start({Quote(s.Path)})",
                    WriteStreamOperationStart.SinkDestinationOneofCase.TableName => $"\n    .toTable({Quote(s.TableName)})",
                    _ => "\n    .start()",
                });
                return text.ToString();
            }

            case global::Spark.Connect.Command.CommandTypeOneofCase.WriteOperation:
            {
                var w = command.WriteOperation;
                var text = new StringBuilder(Relation(w.Input)).Append("\n    .write");
                if (w.HasSource)
                {
                    text.Append("\n    .format(").Append(Quote(w.Source)).Append(')');
                }

                text.Append("\n    .mode(").Append(Quote(w.Mode switch
                {
                    WriteOperation.Types.SaveMode.Append => "append",
                    WriteOperation.Types.SaveMode.Overwrite => "overwrite",
                    WriteOperation.Types.SaveMode.Ignore => "ignore",
                    _ => "error",
                })).Append(')');
                AppendOptions(text, w.Options);

                return text.Append("\n    .save(").Append(Quote(w.Path)).Append(')').ToString();
            }

            default:
                return command.ToString();
        }
    }

    public static string Expression(Expression expression)
    {
        ArgumentNullException.ThrowIfNull(expression);
        switch (expression.ExprTypeCase)
        {
            case global::Spark.Connect.Expression.ExprTypeOneofCase.Literal:
                return Literal(expression.Literal);
            case global::Spark.Connect.Expression.ExprTypeOneofCase.UnresolvedAttribute:
                return $"col({Quote(expression.UnresolvedAttribute.UnparsedIdentifier)})";
            case global::Spark.Connect.Expression.ExprTypeOneofCase.ExpressionString:
                return $"expr({Quote(expression.ExpressionString.Expression)})";
            case global::Spark.Connect.Expression.ExprTypeOneofCase.UnresolvedStar:
                return $"col({Quote(expression.UnresolvedStar.HasUnparsedTarget ? expression.UnresolvedStar.UnparsedTarget : "*")})";
            case global::Spark.Connect.Expression.ExprTypeOneofCase.Alias:
                return $"{Expression(expression.Alias.Expr)}.alias({string.Join(", ", expression.Alias.Name.Select(Quote))})";
            case global::Spark.Connect.Expression.ExprTypeOneofCase.Cast:
                var type = expression.Cast.CastToTypeCase == global::Spark.Connect.Expression.Types.Cast.CastToTypeOneofCase.Type
                    ? DataTypes.SimpleString(expression.Cast.Type)
                    : expression.Cast.TypeStr;
                return $"{Expression(expression.Cast.Expr)}.cast({Quote(type)})";
            case global::Spark.Connect.Expression.ExprTypeOneofCase.SortOrder:
                var order = expression.SortOrder;
                return $"{Expression(order.Child)}.{(order.Direction == global::Spark.Connect.Expression.Types.SortOrder.Types.SortDirection.Descending ? "desc" : "asc")}()";
            case global::Spark.Connect.Expression.ExprTypeOneofCase.UnresolvedExtractValue:
                return $"{Expression(expression.UnresolvedExtractValue.Child)}[{Expression(expression.UnresolvedExtractValue.Extraction)}]";
            case global::Spark.Connect.Expression.ExprTypeOneofCase.UnresolvedFunction:
                var f = expression.UnresolvedFunction;
                var args = f.Arguments.Select(Expression).ToList();
                if (args.Count == 2 && Infix(f.FunctionName) is { } op)
                {
                    return $"({args[0]} {op} {args[1]})";
                }

                return f.FunctionName == "not" && args.Count == 1 ? $"~{args[0]}" : $"{f.FunctionName}({string.Join(", ", args)})";
            default:
                return expression.ExprTypeCase.ToString();
        }
    }

    private static void Chain(Relation r, List<string> lines)
    {
        switch (r.RelTypeCase)
        {
            case global::Spark.Connect.Relation.RelTypeOneofCase.Read when r.Read.ReadTypeCase == Read.ReadTypeOneofCase.DataSource:
                var source = r.Read.DataSource;
                lines.Add(r.Read.IsStreaming ? "spark.readStream" : "spark.read");
                if (source.HasFormat)
                {
                    lines.Add($".format({Quote(source.Format)})");
                }

                if (source.HasSchema)
                {
                    lines.Add($".schema({Quote(source.Schema)})");
                }

                lines.AddRange(source.Options.OrderBy(o => o.Key, StringComparer.Ordinal).Select(o => $".option({Quote(o.Key)}, {Quote(o.Value)})"));
                lines.Add($".load({string.Join(", ", source.Paths.Select(Quote))})");
                return;
            case global::Spark.Connect.Relation.RelTypeOneofCase.Read:
                lines.Add($"spark.{(r.Read.IsStreaming ? "readStream" : "read")}.table({Quote(r.Read.NamedTable.UnparsedIdentifier)})");
                return;
            case global::Spark.Connect.Relation.RelTypeOneofCase.LocalRelation or global::Spark.Connect.Relation.RelTypeOneofCase.Sql:
                lines.Add(r.Sql is { } sql ? $"spark.sql({Quote(sql.Query)})" : $"spark.createDataFrame([], {Quote(r.LocalRelation.Schema)})");
                return;
        }

        // Every other relation is its input followed by the calls that make it.
        var (input, calls) = Unary(r);
        if (input is null)
        {
            lines.Add($"<{r.RelTypeCase}>");
            return;
        }

        Chain(input, lines);
        lines.AddRange(calls);
    }

    private static (Relation? Input, IEnumerable<string> Calls) Unary(Relation r) => r.RelTypeCase switch
    {
        global::Spark.Connect.Relation.RelTypeOneofCase.Project => (r.Project.Input, Call("select", r.Project.Expressions.Select(Expression))),
        global::Spark.Connect.Relation.RelTypeOneofCase.Filter => (r.Filter.Input, [$".filter({Expression(r.Filter.Condition)})"]),
        global::Spark.Connect.Relation.RelTypeOneofCase.WithColumns =>
            (r.WithColumns.Input, r.WithColumns.Aliases.Select(a => $".withColumn({Quote(string.Join(".", a.Name))}, {Expression(a.Expr)})")),
        global::Spark.Connect.Relation.RelTypeOneofCase.WithWatermark =>
            (r.WithWatermark.Input, [$".withWatermark({Quote(r.WithWatermark.EventTime)}, {Quote(r.WithWatermark.DelayThreshold)})"]),
        global::Spark.Connect.Relation.RelTypeOneofCase.Aggregate => (r.Aggregate.Input,
            [$".groupBy({string.Join(", ", r.Aggregate.GroupingExpressions.Select(Expression))})", .. Call("agg", r.Aggregate.AggregateExpressions.Select(Expression))]),
        global::Spark.Connect.Relation.RelTypeOneofCase.Deduplicate => (r.Deduplicate.Input, [Deduplicate(r.Deduplicate)]),
        global::Spark.Connect.Relation.RelTypeOneofCase.Sort =>
            (r.Sort.Input, [$".orderBy({string.Join(", ", r.Sort.Order.Select(o => Expression(new Expression { SortOrder = o })))})"]),
        global::Spark.Connect.Relation.RelTypeOneofCase.Limit => (r.Limit.Input, [$".limit({r.Limit.Limit_.ToString(CultureInfo.InvariantCulture)})"]),
        global::Spark.Connect.Relation.RelTypeOneofCase.SubqueryAlias => (r.SubqueryAlias.Input, [$".alias({Quote(r.SubqueryAlias.Alias)})"]),
        global::Spark.Connect.Relation.RelTypeOneofCase.Drop => (r.Drop.Input, [$".drop({string.Join(", ", r.Drop.ColumnNames.Select(Quote))})"]),
        global::Spark.Connect.Relation.RelTypeOneofCase.SetOp =>
            (r.SetOp.LeftInput, [$".unionByName({Relation(r.SetOp.RightInput).Replace("\n    ", "", StringComparison.Ordinal)})"]),
        _ => (null, []),
    };

    private static string Deduplicate(Deduplicate d)
    {
        var name = d.WithinWatermark ? "dropDuplicatesWithinWatermark" : "dropDuplicates";
        return d.ColumnNames.Count == 0 ? $".{name}()" : $".{name}([{string.Join(", ", d.ColumnNames.Select(Quote))}])";
    }

    /// <summary>A call with many arguments gets one argument per line.</summary>
    private static IEnumerable<string> Call(string name, IEnumerable<string> arguments)
    {
        var args = arguments.ToList();
        return args.Count <= 2 && args.Sum(a => a.Length) < 80
            ? [$".{name}({string.Join(", ", args)})"]
            : [$".{name}(", .. args.Select((a, i) => $"    {a}{(i < args.Count - 1 ? "," : "")}"), ")"];
    }

    private static void AppendOptions(StringBuilder text, IEnumerable<KeyValuePair<string, string>> options)
    {
        foreach (var (key, value) in options.OrderBy(o => o.Key, StringComparer.Ordinal))
        {
            text.Append("\n    .option(").Append(Quote(key)).Append(", ").Append(Quote(value)).Append(')');
        }
    }

    private static string? Infix(string function) => function switch
    {
        "=" => "==",
        ">" or "<" or ">=" or "<=" or "+" or "-" or "*" or "/" => function,
        "and" => "&",
        "or" => "|",
        _ => null,
    };

    private static string Literal(Expression.Types.Literal literal) => literal.LiteralTypeCase switch
    {
        global::Spark.Connect.Expression.Types.Literal.LiteralTypeOneofCase.String => $"lit({Quote(literal.String)})",
        global::Spark.Connect.Expression.Types.Literal.LiteralTypeOneofCase.Boolean => literal.Boolean ? "lit(True)" : "lit(False)",
        global::Spark.Connect.Expression.Types.Literal.LiteralTypeOneofCase.Integer => $"lit({literal.Integer.ToString(CultureInfo.InvariantCulture)})",
        global::Spark.Connect.Expression.Types.Literal.LiteralTypeOneofCase.Long => $"lit({literal.Long.ToString(CultureInfo.InvariantCulture)})",
        global::Spark.Connect.Expression.Types.Literal.LiteralTypeOneofCase.Double => $"lit({literal.Double.ToString("R", CultureInfo.InvariantCulture)})",
        global::Spark.Connect.Expression.Types.Literal.LiteralTypeOneofCase.Null => "lit(None)",
        _ => $"lit({literal})",
    };

    private static string Quote(string text) => "\"" + text.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal) + "\"";
}
