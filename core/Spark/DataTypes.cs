using Spark.Connect;

namespace Lambda.Core.Spark;

/// <summary>Spark SQL types by their simple names, and the readable form of a <see cref="DataType"/>.</summary>
public static class DataTypes
{
    /// <summary>The simple type names Spark's client turns into a typed cast itself.</summary>
    public static bool TryFromSimpleName(string name, out DataType type)
    {
        ArgumentNullException.ThrowIfNull(name);
        type = name.Trim().ToLowerInvariant() switch
        {
            "long" or "bigint" => new DataType { Long = new DataType.Types.Long() },
            "int" or "integer" => new DataType { Integer = new DataType.Types.Integer() },
            "short" or "smallint" => new DataType { Short = new DataType.Types.Short() },
            "byte" or "tinyint" => new DataType { Byte = new DataType.Types.Byte() },
            "double" => new DataType { Double = new DataType.Types.Double() },
            "float" or "real" => new DataType { Float = new DataType.Types.Float() },
            "string" => new DataType { String = new DataType.Types.String() },
            "boolean" => new DataType { Boolean = new DataType.Types.Boolean() },
            "date" => new DataType { Date = new DataType.Types.Date() },
            "timestamp" => new DataType { Timestamp = new DataType.Types.Timestamp() },
            "binary" => new DataType { Binary = new DataType.Types.Binary() },
            _ => null!,
        };
        return type is not null;
    }

    /// <summary>Spark's simpleString form: <c>struct&lt;a:bigint,b:string&gt;</c>.</summary>
    public static string SimpleString(DataType type)
    {
        ArgumentNullException.ThrowIfNull(type);
        return type.KindCase switch
        {
            DataType.KindOneofCase.Null => "void",
            DataType.KindOneofCase.Binary => "binary",
            DataType.KindOneofCase.Boolean => "boolean",
            DataType.KindOneofCase.Byte => "tinyint",
            DataType.KindOneofCase.Short => "smallint",
            DataType.KindOneofCase.Integer => "int",
            DataType.KindOneofCase.Long => "bigint",
            DataType.KindOneofCase.Float => "float",
            DataType.KindOneofCase.Double => "double",
            DataType.KindOneofCase.Decimal => $"decimal({type.Decimal.Precision},{type.Decimal.Scale})",
            DataType.KindOneofCase.String => "string",
            DataType.KindOneofCase.Date => "date",
            DataType.KindOneofCase.Timestamp => "timestamp",
            DataType.KindOneofCase.TimestampNtz => "timestamp_ntz",
            DataType.KindOneofCase.Array => $"array<{SimpleString(type.Array.ElementType)}>",
            DataType.KindOneofCase.Map => $"map<{SimpleString(type.Map.KeyType)},{SimpleString(type.Map.ValueType)}>",
            DataType.KindOneofCase.Struct => $"struct<{string.Join(",", type.Struct.Fields.Select(f => $"{f.Name}:{SimpleString(f.DataType)}"))}>",
            DataType.KindOneofCase.Unparsed => type.Unparsed.DataTypeString,
            _ => type.KindCase.ToString().ToLowerInvariant(),
        };
    }

    /// <summary>Spark's printSchema tree: <c>root</c>, then <c> |-- name: type (nullable = true)</c> lines.</summary>
    public static string TreeString(DataType schema)
    {
        ArgumentNullException.ThrowIfNull(schema);
        var text = new System.Text.StringBuilder("root\n");
        if (schema.KindCase == DataType.KindOneofCase.Struct)
        {
            foreach (var field in schema.Struct.Fields)
            {
                text.Append(" |-- ").Append(field.Name).Append(": ").Append(SimpleString(field.DataType))
                    .Append(" (nullable = ").Append(field.Nullable ? "true" : "false").Append(")\n");
            }
        }

        return text.ToString();
    }
}
