using System.Globalization;
using System.Text;
using Lambda.Testing;

namespace Lambda.DuckDb.Tests;

/// <summary>
/// DuckDB reads the embedded event log's JSON-lines topic files (one event a line) with read_json_auto:
/// the speed layer's results can be checked against a plain SQL aggregation of its input.
/// </summary>
public sealed class JsonLinesTests(DuckDbFixture fixture) : IClassFixture<DuckDbFixture>, IDisposable
{
    private readonly Testing.DuckDb _db = fixture.Db;
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    private static string Kline(string symbol, long openTime, double open, double close, double volume, long trades, bool closed) =>
        string.Create(CultureInfo.InvariantCulture,
            $$"""{"exchange":"binance","symbol":"{{symbol}}","event_time":{{openTime + 59_999}},"source":"replay","interval":"1m","open_time":{{openTime}},"close_time":{{openTime + 59_999}},"open":{{open:R}},"high":{{Math.Max(open, close):R}},"low":{{Math.Min(open, close):R}},"close":{{close:R}},"volume":{{volume:R}},"quote_volume":{{volume * close:R}},"trades":{{trades}},"is_closed":{{(closed ? "true" : "false")}}}""");

    private void WriteTopicDay(string day, IEnumerable<string> lines)
    {
        var folder = Path.Combine(_folder.Path, "topics", "crypto-klines");
        Directory.CreateDirectory(folder);
        File.WriteAllText(Path.Combine(folder, day + ".jsonl"), string.Join("\n", lines) + "\n", new UTF8Encoding(false));
    }

    [Fact]
    public async Task Kline_events_in_topic_files_aggregate_with_SQL()
    {
        var day1 = DateTimeOffset.Parse("2024-03-01T00:00:00Z", CultureInfo.InvariantCulture).ToUnixTimeMilliseconds();
        var day2 = day1 + 86_400_000;
        WriteTopicDay("2024-03-01", Enumerable.Range(0, 100).SelectMany(m => new[]
        {
            Kline("BTCUSDT", day1 + (m * 60_000L), 60000 + m, 60000.5 + m, 0.1 * m, m, closed: true),
            Kline("ETHUSDT", day1 + (m * 60_000L), 3000 + m, 3000.25 + m, 1.5, 2, closed: true),
        }));
        WriteTopicDay("2024-03-02", [Kline("BTCUSDT", day2, 70000, 70001, 2, 5, closed: true), Kline("BTCUSDT", day2 + 60_000, 70001, 69999, 1, 1, closed: false)]);
        var files = Testing.DuckDb.Literal(Path.Combine(_folder.Path, "topics", "crypto-klines", "*.jsonl"));

        // Explicit columns: inference would make a price column BIGINT when every value in it is whole.
        var result = await _db.QueryAsync(
            $$"""
            SELECT symbol,
                   CAST(make_timestamp(open_time * 1000) AS DATE) AS day,
                   arg_min(open, open_time) AS open, max(high) AS high, min(low) AS low, arg_max(close, open_time) AS close,
                   sum(volume) AS volume, sum(trades)::BIGINT AS trades, count(*)::INTEGER AS klines
            FROM read_json({{files}}, format = 'newline_delimited', columns = {
                symbol: 'VARCHAR', open_time: 'BIGINT', open: 'DOUBLE', high: 'DOUBLE', low: 'DOUBLE', close: 'DOUBLE',
                volume: 'DOUBLE', trades: 'BIGINT', is_closed: 'BOOLEAN'})
            WHERE is_closed
            GROUP BY ALL
            ORDER BY symbol, day
            """);

        result.Columns.Should().Equal("symbol", "day", "open", "high", "low", "close", "volume", "trades", "klines");
        result.Types.Should().Equal("VARCHAR", "DATE", "DOUBLE", "DOUBLE", "DOUBLE", "DOUBLE", "DOUBLE", "BIGINT", "INTEGER");
        result.Rows.Should().HaveCount(3);
        result.Rows[0].Should().Equal("BTCUSDT", new DateOnly(2024, 3, 1), 60000.0, 60099.5, 60000.0, 60099.5, Enumerable.Range(0, 100).Sum(m => 0.1 * m), 4950L, 100);
        result.Rows[1].Should().Equal("BTCUSDT", new DateOnly(2024, 3, 2), 70000.0, 70001.0, 70000.0, 70001.0, 2.0, 5L, 1);
        result.Rows[2].Should().Equal("ETHUSDT", new DateOnly(2024, 3, 1), 3000.0, 3099.25, 3000.0, 3099.25, 150.0, 200L, 100);
    }

    [Fact]
    public async Task read_json_auto_infers_each_fields_type_from_the_values()
    {
        WriteTopicDay("2024-03-01", [Kline("BTCUSDT", 1709251200000, 1.5, 2.5, 3, 4, closed: true), Kline("ETHUSDT", 1709251260000, 2.5, 2, 3, 4, closed: false)]);
        var file = Testing.DuckDb.Literal(Path.Combine(_folder.Path, "topics", "crypto-klines", "2024-03-01.jsonl"));

        var schema = await _db.QueryAsync($"DESCRIBE SELECT * FROM read_json_auto({file})");
        var types = schema.Rows.ToDictionary(r => (string)r[0]!, r => (string)r[1]!);

        types.Should().Contain(new Dictionary<string, string>
        {
            ["exchange"] = "VARCHAR",
            ["symbol"] = "VARCHAR",
            ["event_time"] = "BIGINT",
            ["open"] = "DOUBLE",
            ["volume"] = "BIGINT", // 3 and 3: whole numbers, so BIGINT; name the columns to be sure of DOUBLE
            ["trades"] = "BIGINT",
            ["is_closed"] = "BOOLEAN",
        });
    }

    [Fact]
    public async Task Malformed_lines_fail_the_read_unless_errors_are_ignored()
    {
        WriteTopicDay("2024-03-03", [Kline("BTCUSDT", 1709424000000, 1, 2, 3, 4, closed: true), "this line is not JSON", Kline("ETHUSDT", 1709424000000, 5, 6, 7, 8, closed: true)]);
        var file = Testing.DuckDb.Literal(Path.Combine(_folder.Path, "topics", "crypto-klines", "2024-03-03.jsonl"));

        var strict = () => _db.QueryAsync($"SELECT count(*) FROM read_json_auto({file}, format = 'newline_delimited')");
        var lenient = await _db.QueryAsync($"SELECT symbol FROM read_json_auto({file}, format = 'newline_delimited', ignore_errors = true) WHERE symbol IS NOT NULL ORDER BY symbol");

        (await strict.Should().ThrowAsync<DuckDbException>()).Which.DuckDbMessage.Should().Contain("JSON");
        lenient.Rows.Select(r => r[0]).Should().Equal("BTCUSDT", "ETHUSDT");
    }
}
