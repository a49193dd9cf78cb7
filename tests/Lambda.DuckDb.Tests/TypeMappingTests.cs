using System.Globalization;
using Lambda.Testing;

namespace Lambda.DuckDb.Tests;

/// <summary>Every DuckDB type the Parquet views use comes back as the exact CLR value.</summary>
public sealed class TypeMappingTests(DuckDbFixture fixture) : IClassFixture<DuckDbFixture>
{
    private readonly Testing.DuckDb _db = fixture.Db;

    private async Task<object?> ValueAsync(string expression) => (await _db.QueryAsync("SELECT " + expression)).Scalar();

    [Fact]
    public async Task Columns_come_with_their_names_and_DuckDB_type_names()
    {
        var result = await _db.QueryAsync(
            "SELECT true AS b, 1 AS i, 2::BIGINT AS l, 1.5::FLOAT AS f, 2.5::DOUBLE AS d, 'x' AS s, DATE '2024-01-01' AS day, " +
            "TIMESTAMP '2024-01-01 00:00:00' AS ts, TIMESTAMPTZ '2024-01-01 00:00:00+00' AS tz, 1::HUGEINT AS h");

        result.Columns.Should().Equal("b", "i", "l", "f", "d", "s", "day", "ts", "tz", "h");
        result.Types.Should().Equal("BOOLEAN", "INTEGER", "BIGINT", "FLOAT", "DOUBLE", "VARCHAR", "DATE", "TIMESTAMP", "TIMESTAMP WITH TIME ZONE", "HUGEINT");
        result.Rows.Should().ContainSingle();
    }

    [Fact]
    public async Task Booleans_and_integers_map_to_bool_int_and_long()
    {
        var row = (await _db.QueryAsync(
            "SELECT true, false, (-2147483648)::INTEGER, 2147483647::INTEGER, 0::INTEGER, " +
            "(-9223372036854775808)::BIGINT, 9223372036854775807::BIGINT, 9007199254740993::BIGINT, -1::BIGINT")).Rows[0];

        row.Should().Equal(true, false, int.MinValue, int.MaxValue, 0, long.MinValue, long.MaxValue, 9007199254740993L, -1L);
        row[2].Should().BeOfType<int>();
        row[5].Should().BeOfType<long>();
    }

    [Fact]
    public async Task Special_doubles_keep_their_exact_bits()
    {
        var row = (await _db.QueryAsync(
            "SELECT 'NaN'::DOUBLE, 'Infinity'::DOUBLE, '-Infinity'::DOUBLE, '-0.0'::DOUBLE, 0.0::DOUBLE, " +
            "0.1::DOUBLE, 4.9406564584124654e-324::DOUBLE, 1.7976931348623157e308::DOUBLE, -2.2250738585072014e-308::DOUBLE, 1e21::DOUBLE, 1::DOUBLE / 3")).Rows[0];

        var expected = new[]
        {
            double.NaN, double.PositiveInfinity, double.NegativeInfinity, -0.0, 0.0,
            0.1, double.Epsilon, double.MaxValue, -2.2250738585072014e-308, 1e21, 1.0 / 3,
        };
        row.Should().AllBeOfType<double>();
        row.Select(v => BitConverter.DoubleToInt64Bits((double)v!)).Should().Equal(expected.Select(BitConverter.DoubleToInt64Bits));
    }

    [Fact]
    public async Task Random_doubles_round_trip_bit_for_bit()
    {
        var random = new Random(20240101);
        var values = Enumerable.Range(0, 2000)
            .Select(_ => BitConverter.Int64BitsToDouble(random.NextInt64(long.MinValue, long.MaxValue)))
            .Where(double.IsFinite)
            .ToArray();
        var literals = string.Join(", ", values.Select(v => "'" + v.ToString("R", CultureInfo.InvariantCulture) + "'"));

        var result = await _db.QueryAsync($"SELECT unnest([{literals}])::DOUBLE AS v");

        result.Rows.Select(r => BitConverter.DoubleToInt64Bits((double)r[0]!))
            .Should().Equal(values.Select(BitConverter.DoubleToInt64Bits));
    }

    [Fact]
    public async Task Floats_map_to_float_exactly()
    {
        var row = (await _db.QueryAsync(
            "SELECT 1.1::FLOAT, 'NaN'::FLOAT, '-Infinity'::FLOAT, '-0.0'::FLOAT, 3.4028234663852886e38::FLOAT, 1.401298464324817e-45::FLOAT")).Rows[0];

        row.Should().AllBeOfType<float>();
        row.Select(v => BitConverter.SingleToInt32Bits((float)v!)).Should().Equal(
            new[] { 1.1f, float.NaN, float.NegativeInfinity, -0.0f, float.MaxValue, float.Epsilon }.Select(BitConverter.SingleToInt32Bits));
    }

    [Theory]
    [InlineData("")]
    [InlineData("BTCUSDT")]
    [InlineData("héllo wörld, ✓ 日本語 🚀 Ελληνικά")]
    [InlineData("quote ' double \" backslash \\ tab \t newline \n cr \r end")]
    [InlineData("\u2028 line separator, \u00a0 no-break space, \ufeff bom")]
    public async Task Strings_come_back_unchanged(string text)
    {
        var value = await ValueAsync(Testing.DuckDb.Literal(text) + "::VARCHAR");

        value.Should().Be(text);
    }

    [Theory]
    [InlineData("1970-01-01")]
    [InlineData("1969-12-31")]
    [InlineData("1900-02-28")]
    [InlineData("0001-01-01")]
    [InlineData("2024-02-29")]
    [InlineData("9999-12-31")]
    public async Task Dates_map_to_DateOnly(string day)
    {
        var value = await ValueAsync($"DATE '{day}'");

        value.Should().Be(DateOnly.ParseExact(day, "yyyy-MM-dd", CultureInfo.InvariantCulture));
    }

    [Fact]
    public async Task Timestamps_map_to_UTC_DateTimeOffsets_to_the_microsecond()
    {
        var row = (await _db.QueryAsync(
            "SELECT TIMESTAMP '1970-01-01 00:00:00', TIMESTAMP '1969-12-31 23:59:59.999999', TIMESTAMP '2024-06-30 12:34:56.789012', " +
            "TIMESTAMP '1900-01-01 00:00:00.000001', TIMESTAMP '0001-01-01 00:00:00', TIMESTAMP '9999-12-31 23:59:59.999999', " +
            "make_timestamp(1719750896789012::BIGINT)")).Rows[0];

        row.Should().AllBeOfType<DateTimeOffset>();
        row.Cast<DateTimeOffset>().Should().OnlyContain(t => t.Offset == TimeSpan.Zero);
        row.Should().Equal(
            DateTimeOffset.UnixEpoch,
            DateTimeOffset.UnixEpoch.AddTicks(-10),
            new DateTimeOffset(2024, 6, 30, 12, 34, 56, TimeSpan.Zero).AddTicks(7_890_120),
            new DateTimeOffset(1900, 1, 1, 0, 0, 0, TimeSpan.Zero).AddTicks(10),
            DateTimeOffset.MinValue,
            DateTimeOffset.MaxValue.AddTicks(-9),
            DateTimeOffset.FromUnixTimeMilliseconds(1719750896789).AddTicks(120));
    }

    [Fact]
    public async Task Every_timestamp_flavour_maps_to_the_same_instant()
    {
        var row = (await _db.QueryAsync(
            "SELECT TIMESTAMPTZ '2024-06-30 14:34:56.789012+02', '2024-06-30 12:34:56.789'::TIMESTAMP_MS, " +
            "'2024-06-30 12:34:56.7890123'::TIMESTAMP_NS, '2024-06-30 12:34:56'::TIMESTAMP_S")).Rows[0];

        var seconds = new DateTimeOffset(2024, 6, 30, 12, 34, 56, TimeSpan.Zero);
        row.Should().Equal(seconds.AddTicks(7_890_120), seconds.AddTicks(7_890_000), seconds.AddTicks(7_890_123), seconds);
    }

    [Fact]
    public async Task Temporal_values_that_DateTimeOffset_cannot_hold_exactly_come_back_as_DuckDB_text()
    {
        var row = (await _db.QueryAsync(
            "SELECT '2024-06-30 12:34:56.123456789'::TIMESTAMP_NS, 'infinity'::TIMESTAMP, '-infinity'::TIMESTAMP, TIMESTAMP '10000-01-01 00:00:00', DATE '10000-01-01'")).Rows[0];

        row.Should().Equal("2024-06-30 12:34:56.123456789", "infinity", "-infinity", "10000-01-01 00:00:00", "10000-01-01");
    }

    [Fact]
    public async Task Other_types_come_back_as_DuckDB_text()
    {
        var result = await _db.QueryAsync(
            "SELECT 170141183460469231731687303715884105727::HUGEINT AS h, 1.50::DECIMAL(10,3) AS dec, 7::SMALLINT AS small, " +
            "[1, 2, 3] AS list, {'a': 1} AS struct, TIME '12:00:01' AS time, INTERVAL 3 DAY AS iv, 'ab'::BLOB AS blob");

        result.Types.Should().Equal("HUGEINT", "DECIMAL(10,3)", "SMALLINT", "INTEGER[]", "STRUCT(a INTEGER)", "TIME", "INTERVAL", "BLOB");
        result.Rows[0].Should().Equal("170141183460469231731687303715884105727", "1.500", "7", "[1, 2, 3]", "{'a': 1}", "12:00:01", "3 days", "ab");
    }

    [Fact]
    public async Task Nulls_of_every_type_are_null()
    {
        var row = (await _db.QueryAsync(
            "SELECT NULL::BOOLEAN, NULL::INTEGER, NULL::BIGINT, NULL::FLOAT, NULL::DOUBLE, NULL::VARCHAR, NULL::DATE, " +
            "NULL::TIMESTAMP, NULL::TIMESTAMPTZ, NULL::TIMESTAMP_MS, NULL::TIMESTAMP_NS, NULL::HUGEINT, NULL")).Rows[0];

        row.Should().HaveCount(13).And.OnlyContain(v => v == null);
    }

    [Fact]
    public async Task A_table_reads_back_row_by_row_with_nulls_in_place()
    {
        await _db.ExecuteAsync(
            "CREATE TABLE mapping_rows (id INTEGER, price DOUBLE, symbol VARCHAR, day DATE); " +
            "INSERT INTO mapping_rows VALUES (1, 0.1, 'BTCUSDT', DATE '2021-01-01'), (2, NULL, 'ETHUSDT', NULL), (3, '-0.0'::DOUBLE, NULL, DATE '1960-05-05')");

        var result = await _db.QueryAsync("SELECT * FROM mapping_rows ORDER BY id");

        result.Rows.Should().HaveCount(3);
        result.Rows[0].Should().Equal(1, 0.1, "BTCUSDT", new DateOnly(2021, 1, 1));
        result.Rows[1].Should().Equal(2, null, "ETHUSDT", null);
        result.Rows[2].Should().Equal(3, -0.0, null, new DateOnly(1960, 5, 5));
        BitConverter.DoubleToInt64Bits((double)result.Rows[2][1]!).Should().Be(BitConverter.DoubleToInt64Bits(-0.0));
        result.Column("symbol").Should().Equal("BTCUSDT", "ETHUSDT", null);
    }
}
