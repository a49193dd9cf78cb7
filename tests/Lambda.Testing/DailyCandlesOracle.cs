namespace Lambda.Testing;

/// <summary>The batch layer's daily candles computed by DuckDB alone, the oracle the build is checked against.</summary>
public static class DailyCandlesOracle
{
    /// <summary>
    /// The daily candles of DESIGN.md in SQL over <c>master/klines/**/*.parquet</c>: per day 1d wins, then a
    /// complete intraday interval (finest first), then the finest. Used by the batch layer tests and its benchmark.
    /// </summary>
    public static string Sql(string masterKlines) => $"""
        WITH k AS (
            SELECT exchange, symbol, "interval" AS iv, epoch_ms(open_time) AS o, epoch_ms(close_time) AS c,
                   open, high, low, close, volume, quote_volume, trades
            FROM read_parquet({DuckDb.Literal(Path.Combine(masterKlines, "**", "*.parquet"))}, hive_partitioning = true)
        ), d AS (
            SELECT exchange, symbol, iv, o // 86400000 AS dn,
                   arg_min(open, o) AS open, max(high) AS high, min(low) AS low, arg_max(close, o) AS close,
                   sum(volume) AS volume, sum(quote_volume) AS quote_volume, sum(trades)::BIGINT AS trades,
                   count(*) AS n, min(o) AS first_o, arg_max(c, o) AS last_c,
                   CASE iv WHEN '1m' THEN 60000 WHEN '3m' THEN 180000 WHEN '5m' THEN 300000 WHEN '15m' THEN 900000
                           WHEN '30m' THEN 1800000 WHEN '1h' THEN 3600000 WHEN '2h' THEN 7200000 WHEN '4h' THEN 14400000
                           WHEN '6h' THEN 21600000 WHEN '8h' THEN 28800000 WHEN '12h' THEN 43200000 WHEN '1d' THEN 86400000 END AS len
            FROM k GROUP BY exchange, symbol, iv, dn
        ), ranked AS (
            SELECT *, (len = 86400000 OR n * len >= 86400000) AS complete,
                   row_number() OVER (PARTITION BY exchange, symbol, dn
                                      ORDER BY (len = 86400000) DESC, (n * len >= 86400000) DESC, len) AS pick
            FROM d WHERE len IS NOT NULL
        )
        SELECT exchange, symbol, (DATE '1970-01-01' + dn::INTEGER) AS day, open, high, low, close, volume, quote_volume, trades,
               'batch' AS source, complete, make_timestamp(first_o * 1000) AS first_event_time, make_timestamp(last_c * 1000) AS last_event_time
        FROM ranked WHERE pick = 1
        ORDER BY exchange, symbol, day
        """;
}
