using System.Globalization;
using System.Text;
using Lambda.Testing;

namespace Lambda.DuckDb.Tests;

/// <summary>
/// DuckDB writes and reads Parquet, and tells what is inside a file: the way the project's own Parquet
/// reader and writer are checked (write with DuckDB, read with ours; write with ours, read with DuckDB).
/// </summary>
public sealed class ParquetTests(DuckDbFixture fixture) : IClassFixture<DuckDbFixture>, IDisposable
{
    private const int RowCount = 5000;

    private readonly Testing.DuckDb _db = fixture.Db;
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    /// <summary>Daily candles shaped like the views (DESIGN.md), with awkward values in them.</summary>
    private static IReadOnlyList<object?[]> Candles()
    {
        var symbols = new[] { "BTCUSDT", "ETHUSDT", "SOLUSDT", "DOGE—ÜNICODE 🚀" };
        var rows = new List<object?[]>();
        var start = new DateOnly(2021, 1, 1);
        for (var i = 0; i < RowCount; i++)
        {
            var day = start.AddDays(i / symbols.Length);
            var open = 29000.0 + (i * 0.01) + (1.0 / 3);
            var first = new DateTimeOffset(day.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero).AddTicks(i * 10L);
            rows.Add(
            [
                i % 7 == 0 ? "bybit" : "binance",
                symbols[i % symbols.Length],
                day,
                open,
                i == 3 ? double.NaN : open * 1.01,
                i == 4 ? -0.0 : open * 0.99,
                i % 11 == 0 ? null : open + 1e-9,
                i * 1e10,
                i == 5 ? double.PositiveInfinity : i * 3.3e-7,
                (long)i * 1_000_000_007L,
                i % 2 == 0 ? "batch" : "speed",
                i % 3 != 0,
                first,
                first.AddHours(23).AddTicks(9_999_990),
            ]);
        }

        return rows;
    }

    private const string CandleColumns =
        "exchange VARCHAR, symbol VARCHAR, day DATE, open DOUBLE, high DOUBLE, low DOUBLE, close DOUBLE, volume DOUBLE, " +
        "quote_volume DOUBLE, trades BIGINT, source VARCHAR, complete BOOLEAN, first_event_time TIMESTAMP, last_event_time TIMESTAMP";

    private static string Sql(object? value) => value switch
    {
        null => "NULL",
        string s => Testing.DuckDb.Literal(s),
        bool b => b ? "true" : "false",
        long l => l.ToString(CultureInfo.InvariantCulture),
        double d => $"'{d.ToString("R", CultureInfo.InvariantCulture)}'::DOUBLE",
        DateOnly day => $"DATE '{day:yyyy-MM-dd}'",
        DateTimeOffset t => $"make_timestamp({(t.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks) / TimeSpan.TicksPerMicrosecond}::BIGINT)",
        _ => throw new ArgumentException($"no SQL form for {value.GetType()}", nameof(value)),
    };

    /// <summary>The table <c>candles</c>, made once for the class's DuckDB (its tests run one after another).</summary>
    private async Task<IReadOnlyList<object?[]>> CandlesTableAsync()
    {
        var rows = Candles();
        if ((long)(await _db.QueryAsync("SELECT count(*) FROM duckdb_tables() WHERE table_name = 'candles'")).Scalar()! == 0)
        {
            var sql = new StringBuilder($"CREATE TABLE candles ({CandleColumns}); INSERT INTO candles VALUES ");
            sql.AppendJoin(", ", rows.Select(row => "(" + string.Join(", ", row.Select(Sql)) + ")"));
            await _db.ExecuteAsync(sql.ToString());
        }

        return rows;
    }

    private static void ShouldBeExactly(IReadOnlyList<IReadOnlyList<object?>> actual, IReadOnlyList<object?[]> expected)
    {
        actual.Should().HaveCount(expected.Count);
        for (var r = 0; r < expected.Count; r++)
        {
            actual[r].Should().HaveCount(expected[r].Length);
            for (var c = 0; c < expected[r].Length; c++)
            {
                if (expected[r][c] is double d)
                {
                    actual[r][c].Should().BeOfType<double>();
                    BitConverter.DoubleToInt64Bits((double)actual[r][c]!).Should().Be(BitConverter.DoubleToInt64Bits(d), $"row {r}, column {c}");
                }
                else
                {
                    actual[r][c].Should().Be(expected[r][c], $"row {r}, column {c}");
                }
            }
        }
    }

    [Fact]
    public async Task A_file_written_with_COPY_reads_back_value_for_value()
    {
        var expected = await CandlesTableAsync();
        var file = _folder.File("candles.parquet");

        await _db.ExecuteAsync($"COPY (SELECT * FROM candles ORDER BY trades) TO {Testing.DuckDb.Literal(file)} (FORMAT parquet, COMPRESSION snappy, ROW_GROUP_SIZE 2048)");
        var result = await _db.QueryAsync($"SELECT * FROM read_parquet({Testing.DuckDb.Literal(file)}) ORDER BY trades");

        result.Columns.Should().Equal("exchange", "symbol", "day", "open", "high", "low", "close", "volume", "quote_volume", "trades", "source", "complete", "first_event_time", "last_event_time");
        result.Types.Should().Equal("VARCHAR", "VARCHAR", "DATE", "DOUBLE", "DOUBLE", "DOUBLE", "DOUBLE", "DOUBLE", "DOUBLE", "BIGINT", "VARCHAR", "BOOLEAN", "TIMESTAMP", "TIMESTAMP");
        ShouldBeExactly(result.Rows, expected);
    }

    [Fact]
    public async Task Row_groups_follow_ROW_GROUP_SIZE_in_multiples_of_2048_rows()
    {
        await CandlesTableAsync();
        var file = Testing.DuckDb.Literal(_folder.File("row-groups.parquet"));

        await _db.ExecuteAsync($"COPY (SELECT * FROM candles ORDER BY trades) TO {file} (FORMAT parquet, ROW_GROUP_SIZE 2048)");
        var groups = await _db.QueryAsync($"SELECT DISTINCT row_group_id, row_group_num_rows FROM parquet_metadata({file}) ORDER BY row_group_id");
        var fileMetadata = await _db.QueryAsync($"SELECT num_rows, num_row_groups, created_by FROM parquet_file_metadata({file})");

        groups.Rows.Select(r => r[1]).Should().Equal(2048L, 2048L, 904L);
        fileMetadata.Rows[0][0].Should().Be((long)RowCount);
        fileMetadata.Rows[0][1].Should().Be(3L);
        ((string)fileMetadata.Rows[0][2]!).Should().StartWith("DuckDB version v1.5.");
    }

    [Theory]
    [InlineData("snappy", "SNAPPY")]
    [InlineData("gzip", "GZIP")]
    [InlineData("uncompressed", "UNCOMPRESSED")]
    [InlineData("zstd", "ZSTD")]
    public async Task Every_column_chunk_uses_the_codec_asked_for(string codec, string inMetadata)
    {
        await CandlesTableAsync();
        var file = Testing.DuckDb.Literal(_folder.File(codec + ".parquet"));

        await _db.ExecuteAsync($"COPY candles TO {file} (FORMAT parquet, COMPRESSION {codec})");
        var codecs = await _db.QueryAsync($"SELECT DISTINCT compression FROM parquet_metadata({file})");
        var differences = await _db.QueryAsync(
            $"SELECT count(*) FROM ((SELECT * FROM candles EXCEPT ALL SELECT * FROM read_parquet({file})) " +
            $"UNION ALL (SELECT * FROM read_parquet({file}) EXCEPT ALL SELECT * FROM candles))");

        codecs.Rows.Select(r => r[0]).Should().Equal(inMetadata);
        differences.Scalar().Should().Be(0L);
    }

    [Fact]
    public async Task The_schema_shows_physical_and_logical_types()
    {
        await CandlesTableAsync();
        var file = Testing.DuckDb.Literal(_folder.File("schema.parquet"));

        await _db.ExecuteAsync($"COPY candles TO {file} (FORMAT parquet)");
        var schema = await _db.QueryAsync($"SELECT name, type, repetition_type, converted_type, logical_type FROM parquet_schema({file}) WHERE name <> 'duckdb_schema'");
        var byName = schema.Rows.ToDictionary(r => (string)r[0]!);

        byName.Keys.Should().Equal("exchange", "symbol", "day", "open", "high", "low", "close", "volume", "quote_volume", "trades", "source", "complete", "first_event_time", "last_event_time");
        byName["symbol"].Should().Equal("symbol", "BYTE_ARRAY", "OPTIONAL", "UTF8", null);
        byName["day"].Should().Equal("day", "INT32", "OPTIONAL", "DATE", null);
        byName["open"].Should().Equal("open", "DOUBLE", "OPTIONAL", null, null);
        byName["trades"].Should().Equal("trades", "INT64", "OPTIONAL", "INT_64", null);
        byName["complete"].Should().Equal("complete", "BOOLEAN", "OPTIONAL", null, null);
        byName["first_event_time"].Take(4).Should().Equal("first_event_time", "INT64", "OPTIONAL", "TIMESTAMP_MICROS");
        ((string)byName["first_event_time"][4]!).Should().Contain("isAdjustedToUTC=0").And.Contain("MICROS=MicroSeconds()");
    }

    [Fact]
    public async Task Dictionary_encoding_is_switched_off_with_DICTIONARY_SIZE_LIMIT_0_and_forced_with_a_large_one()
    {
        await CandlesTableAsync();
        var plain = Testing.DuckDb.Literal(_folder.File("plain.parquet"));
        var dictionary = Testing.DuckDb.Literal(_folder.File("dictionary.parquet"));

        await _db.ExecuteAsync($"COPY candles TO {plain} (FORMAT parquet, DICTIONARY_SIZE_LIMIT 0)");
        await _db.ExecuteAsync($"COPY candles TO {dictionary} (FORMAT parquet, DICTIONARY_SIZE_LIMIT 1000000)");
        var plainChunks = await _db.QueryAsync($"SELECT path_in_schema, encodings, dictionary_page_offset FROM parquet_metadata({plain})");
        var dictionaryChunks = await _db.QueryAsync($"SELECT path_in_schema, encodings, dictionary_page_offset FROM parquet_metadata({dictionary})");

        plainChunks.Rows.Should().OnlyContain(r => (string)r[1]! == "PLAIN" && r[2] == null);
        // Every column but the BOOLEAN one, which DuckDB never puts in a dictionary.
        dictionaryChunks.Rows.Where(r => (string)r[0]! != "complete")
            .Should().OnlyContain(r => (string)r[1]! == "PLAIN_DICTIONARY" && r[2] != null);
        (await _db.QueryAsync($"SELECT count(*) FROM read_parquet({dictionary}) WHERE symbol = 'DOGE—ÜNICODE 🚀'")).Scalar().Should().Be(1250L);
    }

    [Fact]
    public async Task PARQUET_VERSION_V2_changes_the_encodings_but_data_pages_stay_version_1()
    {
        var expected = await CandlesTableAsync();
        var path = _folder.File("v2.parquet");
        var file = Testing.DuckDb.Literal(path);

        await _db.ExecuteAsync($"COPY (SELECT * FROM candles ORDER BY trades) TO {file} (FORMAT parquet, PARQUET_VERSION V2, DICTIONARY_SIZE_LIMIT 0)");
        var chunks = await _db.QueryAsync($"SELECT path_in_schema, encodings, data_page_offset FROM parquet_metadata({file})");
        var encodings = chunks.Rows.ToDictionary(r => (string)r[0]!, r => (string)r[1]!);

        encodings["trades"].Should().Be("DELTA_BINARY_PACKED");
        encodings["open"].Should().Be("BYTE_STREAM_SPLIT");
        encodings["symbol"].Should().Be("DELTA_LENGTH_BYTE_ARRAY");
        encodings["complete"].Should().Be("PLAIN");
        // The page header is Thrift compact: field 1 (type, i32) is 0x15, then the zigzag varint of the
        // page type: 0 DATA_PAGE, 4 DICTIONARY_PAGE (2), 6 DATA_PAGE_V2 (3). DuckDB 1.5 writes no v2 pages.
        await using (var stream = File.OpenRead(path))
        {
            foreach (var row in chunks.Rows)
            {
                var header = new byte[2];
                stream.Position = (long)row[2]!;
                await stream.ReadExactlyAsync(header);
                header.Should().Equal([0x15, 0x00], $"column {row[0]} starts with a DATA_PAGE (v1) header");
            }
        }

        ShouldBeExactly((await _db.QueryAsync($"SELECT * FROM read_parquet({file}) ORDER BY trades")).Rows, expected);
    }
}
