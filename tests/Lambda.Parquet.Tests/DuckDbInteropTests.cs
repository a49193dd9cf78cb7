using System.Globalization;
using Lambda.Core.Parquet;
using Lambda.Testing;

namespace Lambda.Parquet.Tests;

/// <summary>Starts one DuckDB (in process) for the interop tests of this class.</summary>
public sealed class DuckDbFixture : IAsyncLifetime
{
    public DuckDb Db { get; private set; } = null!;

    public async Task InitializeAsync() => Db = await DuckDb.StartAsync();

    public async Task DisposeAsync() => await Db.DisposeAsync();
}

/// <summary>
/// DuckDB is the oracle: it reads every file we write with identical values, and we read the files
/// it writes with identical values, for every type, nullability, encoding, codec and several row groups.
/// </summary>
public sealed class DuckDbInteropTests(DuckDbFixture duck) : IClassFixture<DuckDbFixture>, IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("lambda-interop-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private static readonly ParquetSchema AllTypes = new(
    [
        ParquetColumn.Int64("id"),
        ParquetColumn.Boolean("flag"), ParquetColumn.Boolean("flag_n", nullable: true),
        ParquetColumn.Int32("small"), ParquetColumn.Int32("small_n", nullable: true),
        ParquetColumn.Int64("big"), ParquetColumn.Int64("big_n", nullable: true),
        ParquetColumn.Float("ratio"), ParquetColumn.Float("ratio_n", nullable: true),
        ParquetColumn.Double("price"), ParquetColumn.Double("price_n", nullable: true),
        ParquetColumn.String("symbol"), ParquetColumn.String("symbol_n", nullable: true),
        ParquetColumn.Date("day"), ParquetColumn.Date("day_n", nullable: true),
        ParquetColumn.TimestampMicros("at"), ParquetColumn.TimestampMicros("at_n", nullable: true),
        ParquetColumn.TimestampMillis("at_ms"), ParquetColumn.TimestampMillis("at_ms_n", nullable: true),
    ]);

    private static readonly double[] SpecialDoubles = [double.NaN, double.PositiveInfinity, double.NegativeInfinity, -0.0, double.Epsilon, double.MaxValue, -1e-300];
    private static readonly string[] Strings = ["BTCUSDT", "ETHUSDT", "", "ünïcødé ✓", "a,b\"c", "x"];

    /// <summary>Deterministic rows with extremes, repeats (for dictionaries) and nulls in every optional column.</summary>
    private static List<object?[]> Rows(int count)
    {
        var random = new Random(7);
        var rows = new List<object?[]>(count);
        for (var i = 0; i < count; i++)
        {
            object? Maybe(object value) => i % 7 == 3 ? null : value;
            var price = i < SpecialDoubles.Length ? SpecialDoubles[i] : Math.Round(random.NextDouble() * 100_000, 4);
            var day = new DateOnly(1960, 1, 1).AddDays(random.Next(0, 40_000));
            var at = new DateTimeOffset(1965, 1, 1, 0, 0, 0, TimeSpan.Zero).AddTicks(random.NextInt64(0, 3_000_000_000_000_000L) / 10 * 10);
            var atMs = new DateTimeOffset(at.UtcTicks / TimeSpan.TicksPerMillisecond * TimeSpan.TicksPerMillisecond, TimeSpan.Zero);
            var small = i % 50 == 0 ? int.MinValue + i : random.Next(-1000, 1000);
            var big = i % 50 == 1 ? long.MaxValue - i : random.NextInt64(long.MinValue / 2, long.MaxValue / 2);
            var ratio = (float)(random.NextDouble() - 0.5);
            var symbol = Strings[random.Next(Strings.Length)];
            rows.Add([(long)i, i % 3 == 0, Maybe(i % 2 == 0), small, Maybe(small), big, Maybe(big), ratio, Maybe(ratio),
                price, Maybe(price), symbol, Maybe(symbol), day, Maybe(day), at, Maybe(at), atMs, Maybe(atMs)]);
        }

        return rows;
    }

    private static void ShouldBeSameValues(IReadOnlyList<IReadOnlyList<object?>> actual, IReadOnlyList<object?[]> expected, string because)
    {
        actual.Should().HaveCount(expected.Count, because);
        for (var r = 0; r < expected.Count; r++)
        {
            for (var c = 0; c < expected[r].Length; c++)
            {
                var (a, e) = (actual[r][c], expected[r][c]);
                var same = (a, e) switch
                {
                    // Bit-exact (so -0.0 differs from 0.0), except that any NaN equals any NaN: the oracle's values cross JavaScript, which has one NaN.
                    (double x, double y) => (double.IsNaN(x) && double.IsNaN(y)) || BitConverter.DoubleToInt64Bits(x) == BitConverter.DoubleToInt64Bits(y),
                    (float x, float y) => (float.IsNaN(x) && float.IsNaN(y)) || BitConverter.SingleToInt32Bits(x) == BitConverter.SingleToInt32Bits(y),
                    (DateTimeOffset x, DateTimeOffset y) => x.UtcTicks == y.UtcTicks,
                    _ => Equals(a, e),
                };
                same.Should().BeTrue($"row {r}, column {c}: expected {Show(e)}, got {Show(a)} ({because})");
            }
        }
    }

    private static string Show(object? value) => value is null ? "null" : $"{value.GetType().Name} {Convert.ToString(value, CultureInfo.InvariantCulture)}";

    public static TheoryData<ParquetCompression, bool> CodecsAndDictionary() => new()
    {
        { ParquetCompression.Uncompressed, false }, { ParquetCompression.Uncompressed, true },
        { ParquetCompression.Snappy, false }, { ParquetCompression.Snappy, true },
        { ParquetCompression.Gzip, false }, { ParquetCompression.Gzip, true },
    };

    [Theory]
    [MemberData(nameof(CodecsAndDictionary))]
    public async Task DuckDB_reads_what_we_write_with_identical_values(ParquetCompression compression, bool dictionary)
    {
        var rows = Rows(2_500);
        var path = Path.Combine(_folder, $"ours-{compression}-{dictionary}.parquet");
        using (var writer = ParquetFileWriter.Create(path, AllTypes, new ParquetWriterOptions { Compression = compression, Dictionary = dictionary, RowGroupRows = 1_000 }))
        {
            foreach (var row in rows)
            {
                for (var i = 0; i < row.Length; i++)
                {
                    writer.Row.SetValue(i, row[i]);
                }

                writer.EndRow();
            }
        }

        var read = await duck.Db.QueryAsync($"SELECT * FROM read_parquet({DuckDb.Literal(path)}) ORDER BY id");
        read.Columns.Should().Equal(AllTypes.Columns.Select(c => c.Name));
        ShouldBeSameValues(read.Rows, rows, $"{compression}, dictionary {dictionary}");

        var metadata = await duck.Db.QueryAsync($"SELECT DISTINCT row_group_id, compression, encodings, path_in_schema FROM parquet_metadata({DuckDb.Literal(path)})");
        metadata.Rows.Select(r => r[0]).Distinct().Should().HaveCount(3, "2,500 rows at 1,000 a row group");
        var codec = compression switch { ParquetCompression.Snappy => "SNAPPY", ParquetCompression.Gzip => "GZIP", _ => "UNCOMPRESSED" };
        metadata.Rows.Should().OnlyContain(r => (string)r[1]! == codec);
        var symbolEncodings = metadata.Rows.Where(r => (string)r[3]! == "symbol").Select(r => (string)r[2]!).ToList();
        symbolEncodings.Should().OnlyContain(e => e.Contains("DICTIONARY", StringComparison.Ordinal) == dictionary, "the repeated strings are dictionary-encoded only when asked");
    }

    public static TheoryData<string, int> DuckDbFiles() => new()
    {
        { "snappy", 1_000_000 }, { "snappy", 0 }, { "gzip", 1_000_000 }, { "gzip", 0 }, { "uncompressed", 1_000_000 }, { "uncompressed", 0 },
    };

    [Theory]
    [MemberData(nameof(DuckDbFiles))]
    public async Task We_read_what_DuckDB_writes_with_identical_values(string compression, int dictionaryLimit)
    {
        var path = Path.Combine(_folder, $"duck-{compression}-{dictionaryLimit}.parquet");
        await duck.Db.ExecuteAsync($"""
            COPY (
              SELECT i AS id,
                     i % 3 = 0 AS flag, CASE WHEN i % 7 = 3 THEN NULL ELSE i % 2 = 0 END AS flag_n,
                     CAST(i % 1000 - 500 AS INTEGER) AS small, CASE WHEN i % 7 = 3 THEN NULL ELSE CAST(i AS INTEGER) END AS small_n,
                     i * 1000003 - 9223372036854 AS big, CASE WHEN i % 7 = 3 THEN NULL ELSE -i END AS big_n,
                     CAST(i / 7.0 AS FLOAT) AS ratio, CASE WHEN i % 7 = 3 THEN NULL ELSE CAST(i AS FLOAT) / 3 END AS ratio_n,
                     CAST(i AS DOUBLE) / 3 AS price, CASE WHEN i % 11 = 0 THEN 'nan'::DOUBLE WHEN i % 7 = 3 THEN NULL ELSE -CAST(i AS DOUBLE) * 1.1 END AS price_n,
                     'SYM' || CAST(i % 13 AS VARCHAR) AS symbol, CASE WHEN i % 7 = 3 THEN NULL ELSE 'ü' || CAST(i % 5 AS VARCHAR) END AS symbol_n,
                     DATE '1969-07-20' + CAST(i AS INTEGER) AS day, CASE WHEN i % 7 = 3 THEN NULL ELSE DATE '2026-01-01' - CAST(i AS INTEGER) END AS day_n,
                     make_timestamptz(CAST(1700000000000000 + i * 1000001 AS BIGINT)) AS at,
                     CASE WHEN i % 7 = 3 THEN NULL ELSE make_timestamp(CAST(-100000000000 + i * 999 AS BIGINT)) END AS at_n
              FROM range(5000) t(i))
            TO {DuckDb.Literal(path)} (FORMAT parquet, COMPRESSION {compression}, ROW_GROUP_SIZE 2048, DICTIONARY_SIZE_LIMIT {dictionaryLimit})
            """);
        var expected = await duck.Db.QueryAsync($"SELECT * FROM read_parquet({DuckDb.Literal(path)}) ORDER BY id");

        using var reader = ParquetFileReader.Open(path);
        var ours = TestFiles.ReadAll(reader);

        reader.RowGroups.Should().HaveCount(3, "5,000 rows at 2,048 a row group");
        reader.Schema.Columns.Select(c => c.Name).Should().Equal(expected.Columns);
        ShouldBeSameValues(ours, expected.Rows.Select(r => r.ToArray()).ToList(), $"DuckDB {compression}, dictionary limit {dictionaryLimit}");
    }

    [Fact]
    public async Task Statistics_we_write_are_the_ones_DuckDB_computes()
    {
        var rows = Rows(3_000);
        var path = Path.Combine(_folder, "stats.parquet");
        using (var writer = ParquetFileWriter.Create(path, AllTypes, new ParquetWriterOptions { RowGroupRows = 1_000 }))
        {
            foreach (var row in rows)
            {
                for (var i = 0; i < row.Length; i++)
                {
                    writer.Row.SetValue(i, row[i]);
                }

                writer.EndRow();
            }
        }

        var stats = await duck.Db.QueryAsync($"""
            SELECT row_group_id, path_in_schema, stats_min_value, stats_max_value, stats_null_count
            FROM parquet_metadata({DuckDb.Literal(path)}) WHERE path_in_schema IN ('small', 'big_n', 'symbol', 'day') ORDER BY row_group_id, path_in_schema
            """);
        foreach (var row in stats.Rows)
        {
            var group = Convert.ToInt32(row[0], CultureInfo.InvariantCulture);
            var column = AllTypes.IndexOf((string)row[1]!);
            var values = rows.Skip(group * 1_000).Take(1_000).Select(r => r[column]).OfType<object>().ToList();
            var min = values.Min()!;
            var max = values.Max()!;
            Convert.ToString(row[2], CultureInfo.InvariantCulture).Should().Be(Format(min), $"min of {row[1]} in row group {group}");
            Convert.ToString(row[3], CultureInfo.InvariantCulture).Should().Be(Format(max), $"max of {row[1]} in row group {group}");
            Convert.ToInt64(row[4], CultureInfo.InvariantCulture).Should().Be(1_000 - values.Count);
        }
    }

    private static string Format(object value) => value switch
    {
        DateOnly d => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        _ => Convert.ToString(value, CultureInfo.InvariantCulture)!,
    };
}
