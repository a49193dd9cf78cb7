using System.Diagnostics;
using System.Globalization;
using Lambda.Core.Contracts;
using Lambda.Speed.Benchmarks.DataSet;
using Lambda.Speed.Benchmarks.Verification;
using Lambda.Testing;

namespace Lambda.Speed.Benchmarks.Runs;

/// <summary>
/// DuckDB computing the same daily candles from the same topic files: its JSON reader (<c>read_ndjson</c>) over the
/// segments, the final state of each kline (its last update by event time), then per day arg_min/arg_max for open
/// and close, max/min, and sums of the closed klines; trades per day the same way (open/close by (trade time,
/// trade id), count of distinct ids); a kline candle wins over a trade candle of the same day, as in the speed view.
/// </summary>
public static class DuckDbCandles
{
    private const long DayMs = 86_400_000;

    public static string Sql(TopicFileDataSet data)
    {
        ArgumentNullException.ThrowIfNull(data);
        var slots = (int)(DayMs / MarketSimulator.MinuteMs);
        return $$"""
            WITH kline_updates AS (
                SELECT * FROM read_ndjson({{DuckDb.Literal(data.Glob(Topics.Klines))}}, columns = {
                    exchange: 'VARCHAR', symbol: 'VARCHAR', event_time: 'BIGINT', interval: 'VARCHAR', open_time: 'BIGINT',
                    open: 'DOUBLE', high: 'DOUBLE', low: 'DOUBLE', close: 'DOUBLE', volume: 'DOUBLE', quote_volume: 'DOUBLE',
                    trades: 'BIGINT', is_closed: 'BOOLEAN'})
            ),
            klines AS (
                SELECT exchange, symbol, open_time,
                       arg_max(open, event_time) AS open, arg_max(high, event_time) AS high, arg_max(low, event_time) AS low,
                       arg_max(close, event_time) AS close, arg_max(volume, event_time) AS volume,
                       arg_max(quote_volume, event_time) AS quote_volume, arg_max(trades, event_time) AS trades,
                       arg_max(is_closed, event_time) AS is_closed,
                       min(event_time) AS first_event_time, max(event_time) AS last_event_time
                FROM kline_updates
                WHERE interval = '{{MarketSimulator.KlineInterval}}'
                GROUP BY exchange, symbol, open_time
            ),
            kline_days AS MATERIALIZED (
                SELECT exchange, symbol, open_time // {{DayMs}} AS day_number,
                       arg_min(open, open_time) AS open, max(high) AS high, min(low) AS low, arg_max(close, open_time) AS close,
                       coalesce(sum(volume) FILTER (WHERE is_closed), 0) AS volume,
                       coalesce(sum(quote_volume) FILTER (WHERE is_closed), 0) AS quote_volume,
                       coalesce(sum(trades) FILTER (WHERE is_closed), 0)::BIGINT AS trades,
                       count(*) FILTER (WHERE is_closed) = {{slots}} AS complete,
                       min(first_event_time) AS first_event_time, max(last_event_time) AS last_event_time
                FROM klines
                GROUP BY exchange, symbol, day_number
            ),
            trade_days AS MATERIALIZED (
                SELECT exchange, symbol, trade_time // {{DayMs}} AS day_number,
                       arg_min(price, (trade_time, trade_id)) AS open, max(price) AS high, min(price) AS low,
                       arg_max(price, (trade_time, trade_id)) AS close,
                       sum(quantity) AS volume, sum(price * quantity) AS quote_volume, count(DISTINCT trade_id) AS trades,
                       min(event_time) AS first_event_time, max(event_time) AS last_event_time
                FROM read_ndjson({{DuckDb.Literal(data.Glob(Topics.Trades))}}, columns = {
                    exchange: 'VARCHAR', symbol: 'VARCHAR', event_time: 'BIGINT', trade_id: 'BIGINT', price: 'DOUBLE',
                    quantity: 'DOUBLE', trade_time: 'BIGINT'})
                GROUP BY exchange, symbol, day_number
            ),
            max_event_time AS (
                SELECT greatest((SELECT max(last_event_time) FROM kline_days), (SELECT max(last_event_time) FROM trade_days)) AS value
            )
            SELECT exchange, symbol, day_number, open, high, low, close, volume, quote_volume, trades, complete,
                   first_event_time, last_event_time
            FROM kline_days
            UNION ALL
            SELECT t.exchange, t.symbol, t.day_number, t.open, t.high, t.low, t.close, t.volume, t.quote_volume, t.trades,
                   (t.day_number + 1) * {{DayMs}} <= (SELECT value FROM max_event_time) AS complete,
                   t.first_event_time, t.last_event_time
            FROM trade_days t ANTI JOIN kline_days k USING (exchange, symbol, day_number)
            ORDER BY exchange, symbol, day_number
            """;
    }

    public static async Task<(IReadOnlyList<BenchCandle> Candles, Measurement Measurement)> RunAsync(DuckDb duckDb, string sql, long events, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(duckDb);
        var cpu = ProcessCpu(Environment.ProcessId);
        var watch = Stopwatch.StartNew();
        var result = await duckDb.QueryAsync(sql, cancellationToken).ConfigureAwait(false);
        var elapsed = watch.Elapsed;
        var candles = result.Rows.Select(Candle).ToList();
        return (candles, new Measurement(events, elapsed, ProcessCpu(Environment.ProcessId) - cpu));
    }

    private static BenchCandle Candle(IReadOnlyList<object?> row)
    {
        double D(int i) => Convert.ToDouble(row[i], CultureInfo.InvariantCulture);
        long L(int i) => Convert.ToInt64(row[i], CultureInfo.InvariantCulture);
        var epoch = DateOnly.FromDateTime(DateTime.UnixEpoch);
        return new BenchCandle((string)row[0]!, (string)row[1]!, epoch.AddDays(checked((int)L(2))), D(3), D(4), D(5), D(6), D(7), D(8), L(9),
            (bool)row[10]!, L(11), L(12));
    }

    /// <summary>User + system CPU time of a process, from /proc (Linux); zero elsewhere.</summary>
    private static TimeSpan ProcessCpu(int processId)
    {
        var path = $"/proc/{processId}/stat";
        if (!File.Exists(path))
        {
            return TimeSpan.Zero;
        }

        // Fields after the command name (which is in parentheses and may hold spaces): utime and stime are the 12th and 13th.
        var stat = File.ReadAllText(path);
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        var ticks = long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
        return TimeSpan.FromSeconds(ticks / (double)ClockTicksPerSecond);
    }

    // USER_HZ: 100 on every Linux that .NET runs on.
    private const int ClockTicksPerSecond = 100;
}
