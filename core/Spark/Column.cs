using Spark.Connect;

namespace Lambda.Core.Spark;

/// <summary>
/// An expression of a DataFrame, as in pyspark's <c>Column</c>. Operators build Spark's
/// unresolved functions by their SQL names (<c>=</c>, <c>&gt;</c>, <c>and</c>, <c>*</c>…).
/// </summary>
public sealed class Column
{
    public Column(Expression expression)
    {
        Expression = expression ?? throw new ArgumentNullException(nameof(expression));
    }

    public Expression Expression { get; }

    /// <summary>The column name when this is a plain attribute reference.</summary>
    internal string? AttributeName => Expression.ExprTypeCase == Expression.ExprTypeOneofCase.UnresolvedAttribute ? Expression.UnresolvedAttribute.UnparsedIdentifier : null;

    public Column Alias(string name) => new(new Expression { Alias = new Expression.Types.Alias { Expr = Expression, Name = { name } } });

    /// <summary>An alias carrying column metadata (a JSON object) into the output schema.</summary>
    public Column Alias(string name, string metadataJson) =>
        new(new Expression { Alias = new Expression.Types.Alias { Expr = Expression, Name = { name }, Metadata = metadataJson } });

    public Column As(string name) => Alias(name);

    public Column Name(string name) => Alias(name);

    /// <summary>Casts to a type by name; simple names become a typed cast as in Spark's client, others are parsed by the server.</summary>
    public Column Cast(string type)
    {
        var cast = new Expression.Types.Cast { Expr = Expression };
        if (DataTypes.TryFromSimpleName(type, out var dataType))
        {
            cast.Type = dataType;
        }
        else
        {
            cast.TypeStr = type;
        }

        return new(new Expression { Cast = cast });
    }

    public Column GetField(string name) =>
        new(new Expression { UnresolvedExtractValue = new Expression.Types.UnresolvedExtractValue { Child = Expression, Extraction = Functions.Lit(name).Expression } });

    public Column GetItem(object key) => new(new Expression
    {
        UnresolvedExtractValue = new Expression.Types.UnresolvedExtractValue { Child = Expression, Extraction = Functions.Lit(key).Expression },
    });

    public Column EqualTo(object other) => Binary("=", other);

    public Column NotEqual(object other) => Functions.Not(EqualTo(other));

    public Column IsNull() => Functions.Call("isnull", this);

    public Column IsNotNull() => Functions.Call("isnotnull", this);

    public Column And(Column other) => Binary("and", other);

    public Column Or(Column other) => Binary("or", other);

    /// <summary>A window function over the whole input (<c>OVER ()</c>): one partition, no order, no frame.</summary>
    public Column Over() => new(new Expression { Window = new Expression.Types.Window { WindowFunction = Expression } });

    public Column Asc() => Sort(Expression.Types.SortOrder.Types.SortDirection.Ascending, Expression.Types.SortOrder.Types.NullOrdering.SortNullsFirst);

    public Column Desc() => Sort(Expression.Types.SortOrder.Types.SortDirection.Descending, Expression.Types.SortOrder.Types.NullOrdering.SortNullsLast);

    public static Column operator >(Column left, object right) => left.Binary(">", right);

    public static Column operator <(Column left, object right) => left.Binary("<", right);

    public static Column operator >=(Column left, object right) => left.Binary(">=", right);

    public static Column operator <=(Column left, object right) => left.Binary("<=", right);

    public static Column operator +(Column left, object right) => left.Binary("+", right);

    public static Column operator -(Column left, object right) => left.Binary("-", right);

    public static Column operator *(Column left, object right) => left.Binary("*", right);

    public static Column operator /(Column left, object right) => left.Binary("/", right);

    public static Column operator &(Column left, Column right) => left.And(right);

    public static Column operator |(Column left, Column right) => left.Or(right);

    public static Column operator !(Column column) => Functions.Not(column);

    public Column GreaterThan(object other) => Binary(">", other);

    public Column LessThan(object other) => Binary("<", other);

    public Column Plus(object other) => Binary("+", other);

    public Column Minus(object other) => Binary("-", other);

    public Column Multiply(object other) => Binary("*", other);

    public Column Divide(object other) => Binary("/", other);

    public Column BitwiseAnd(Column other) => And(other);

    public Column BitwiseOr(Column other) => Or(other);

    public Column LogicalNot() => Functions.Not(this);

    public override string ToString() => PlanText.Expression(Expression);

    private Column Binary(string function, object other) => Functions.Call(function, this, other as Column ?? Functions.Lit(other));

    private Column Sort(Expression.Types.SortOrder.Types.SortDirection direction, Expression.Types.SortOrder.Types.NullOrdering nulls) =>
        new(new Expression { SortOrder = new Expression.Types.SortOrder { Child = Expression, Direction = direction, NullOrdering = nulls } });
}
