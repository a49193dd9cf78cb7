using Lambda.Core.Views;

namespace Lambda.Merge.Serving;

/// <summary>Whether a Parquet file holds daily candles: every DailyCandle column, by name, with its type (extra columns allowed).</summary>
public static class DailyCandleSchema
{
    /// <summary>Null when the schema fits; otherwise what is missing or different.</summary>
    public static string? Mismatch(ParquetSchema schema)
    {
        foreach (var column in DailyCandleMap.Instance.Schema.Columns)
        {
            var index = schema.IndexOf(column.Name);
            if (index < 0)
            {
                return $"no column '{column.Name}'";
            }

            var actual = schema[index];
            if (actual.Kind != column.Kind)
            {
                return $"column '{column.Name}' is {(actual.Kind == ParquetColumnKind.Other ? actual.Declared : actual.Kind)}, a daily candle's is {column.Kind}";
            }
        }

        return null;
    }
}
