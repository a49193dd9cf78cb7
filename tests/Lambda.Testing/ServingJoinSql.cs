using System.Globalization;

namespace Lambda.Testing;

/// <summary>
/// The serving layer's join written in DuckDB's SQL (the serving view's columns, in its order), independently of the product's code: the oracle
/// the merge tests compare our serving view with, and the reference the merge benchmark times.
/// Rules (README, "Serving layer"): of several speed rows of a key, the latest last_event_time, then
/// complete, then the greater lineage; a batch row wins when it exists and either no speed row does or
/// it is complete and on or before the horizon; otherwise the speed row.
/// </summary>
public static class ServingJoinSql
{
    /// <param name="speedFiles">Every speed file with its serving lineage (<c>speed:…</c>); none: batch only.</param>
    public static string Select(string batchFile, string batchLineage, DateOnly? horizon, IReadOnlyList<(string Path, string Lineage)> speedFiles)
    {
        const string Columns = "exchange, symbol, day, open, high, low, close, volume, quote_volume, trades, complete, first_event_time, last_event_time";
        var horizonSql = horizon is { } h ? $"DATE '{h.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)}'" : "NULL";
        var speed = speedFiles.Count == 0
            ? $"SELECT {Columns}, '' AS lineage FROM read_parquet({DuckDb.Literal(batchFile)}) WHERE false"
            : $"""
                SELECT {Columns}, lineage FROM (
                  SELECT s.*, l.lineage, row_number() OVER (PARTITION BY exchange, symbol, day ORDER BY last_event_time DESC, complete DESC, l.lineage DESC) AS rn
                  FROM read_parquet([{string.Join(", ", speedFiles.Select(f => DuckDb.Literal(f.Path)))}], filename = true) s
                  JOIN (VALUES {string.Join(", ", speedFiles.Select(f => $"({DuckDb.Literal(f.Path)}, {DuckDb.Literal(f.Lineage)})"))}) l(file, lineage) ON s.filename = l.file)
                WHERE rn = 1
                """;
        string Pick(string column) => $"CASE WHEN batch_wins THEN b_{column} ELSE s_{column} END AS {column}";
        string Picks(params string[] columns) => string.Join(", ", columns.Select(Pick));
        return $"""
            WITH speed AS ({speed}),
            joined AS (
              SELECT coalesce(b.exchange, s.exchange) AS exchange, coalesce(b.symbol, s.symbol) AS symbol, coalesce(b.day, s.day) AS day,
                     b.day IS NOT NULL AND (s.day IS NULL OR (b.complete AND ({horizonSql} IS NULL OR b.day <= {horizonSql}))) AS batch_wins,
                     {string.Join(", ", Columns.Split(", ").Skip(3).Select(c => $"b.{c} AS b_{c}, s.{c} AS s_{c}"))},
                     s.lineage AS s_lineage
              FROM read_parquet({DuckDb.Literal(batchFile)}) b FULL OUTER JOIN speed s USING (exchange, symbol, day))
            SELECT exchange, symbol, day,
              {Picks("open", "high", "low", "close", "volume", "quote_volume", "trades")},
              CASE WHEN batch_wins THEN 'batch' ELSE 'speed' END AS source,
              {Picks("complete", "first_event_time", "last_event_time")},
              CASE WHEN batch_wins THEN {DuckDb.Literal(batchLineage)} ELSE s_lineage END AS lineage
            FROM joined
            ORDER BY exchange, symbol, day
            """;
    }
}
