using FsCheck;
using FsCheck.Fluent;
using Lambda.Core.Parquet;

namespace Lambda.Parquet.Tests;

/// <summary>Random tables (schema, nullability, rows with nulls, codec, row-group and page sizes) round-trip exactly.</summary>
public class PropertyTests
{
    public sealed record Table(ParquetSchema Schema, object?[][] Rows, ParquetCompression Compression, int RowGroupRows, int PageBytes, bool Dictionary, int DataPageVersion)
    {
        public ParquetWriterOptions Options() => new()
        {
            Compression = Compression,
            RowGroupRows = RowGroupRows,
            PageBytes = PageBytes,
            Dictionary = Dictionary,
            DataPageVersion = DataPageVersion,
            DictionaryBytesLimit = 256,
        };

        public override string ToString() =>
            $"schema [{Schema}], {Rows.Length} rows, {Compression}, row groups of {RowGroupRows}, pages of {PageBytes} B, dictionary {Dictionary}, v{DataPageVersion}";
    }

    private static readonly string[] Kinds = [.. RoundTripTests.Columns.Keys];

    private static readonly string[] Pool = ["", "a", "BTCUSDT", "ETHUSDT", "ünï", "€😀", "binance", "bybit"];

    private static Gen<long> Longs() => Gen.OneOf(
        Gen.Choose(-1_000, 1_000).Select(i => (long)i),
        Gen.Choose(int.MinValue, int.MaxValue).SelectMany(hi => Gen.Choose(int.MinValue, int.MaxValue).Select(lo => ((long)hi << 32) ^ (uint)lo)),
        Gen.Elements(long.MinValue, long.MaxValue, 0L));

    private static Gen<object> ValueGen(string kind) => kind switch
    {
        "boolean" => Gen.Elements(true, false).Select(b => (object)b),
        "int32" => Gen.OneOf(Gen.Choose(-100, 100), Gen.Choose(int.MinValue, int.MaxValue), Gen.Elements(int.MinValue, int.MaxValue)).Select(i => (object)i),
        "int64" => Longs().Select(l => (object)l),
        "float" => Gen.OneOf(Gen.Choose(-1_000_000, 1_000_000).Select(i => i / 64f), Gen.Elements(float.NaN, float.PositiveInfinity, float.NegativeInfinity, float.MaxValue, float.Epsilon)).Select(f => (object)f),
        "double" => Gen.OneOf(Longs().Select(l => l / 1024.0), Gen.Elements(double.NaN, double.NegativeInfinity, double.MinValue, double.Epsilon)).Select(d => (object)d),
        "string" => Gen.OneOf(
            Gen.Elements(Pool),
            Gen.Elements("abcxyz0129 _-é€😀".EnumerateRunes().Select(r => r.ToString()).ToArray()).ArrayOf().Select(parts => string.Concat(parts))).Select(s => (object)s),
        "date" => Gen.Choose(-719_162, 2_932_896).Select(days => (object)DateOnly.FromDayNumber(719_162 + days)),
        "timestamp_micros" => Gen.Choose(-50_000_000, 50_000_000).SelectMany(s => Gen.Choose(0, 999_999).Select(us => (object)DateTimeOffset.UnixEpoch.AddSeconds(s * 100.0).AddTicks(us * 10L))),
        "timestamp_millis" => Gen.Choose(-50_000_000, 50_000_000).SelectMany(s => Gen.Choose(0, 999).Select(ms => (object)DateTimeOffset.UnixEpoch.AddSeconds(s * 100.0).AddMilliseconds(ms))),
        _ => throw new ArgumentOutOfRangeException(nameof(kind)),
    };

    private static Gen<(ParquetColumn Column, string Kind)> ColumnGen(int index) =>
        from kind in Gen.Elements(Kinds)
        from nullable in Gen.Elements(false, true)
        select (RoundTripTests.Columns[kind]($"c{index}", nullable), kind);

    private static Gen<object?> CellGen(ParquetColumn column, string kind) =>
        column.Nullable
            ? Gen.Frequency((1, Gen.Constant<object?>(null)), (3, ValueGen(kind).Select(v => (object?)v)))
            : ValueGen(kind).Select(v => (object?)v);

    private static readonly Gen<Table> Tables =
        from columnCount in Gen.Choose(1, 6)
        from columns in Gen.CollectToArray(Enumerable.Range(0, columnCount).Select(ColumnGen))
        from rowCount in Gen.Frequency((1, Gen.Constant(0)), (6, Gen.Choose(1, 300)))
        from rows in Gen.CollectToArray(columns.Select(c => CellGen(c.Column, c.Kind))).ArrayOf(rowCount)
        from compression in Gen.Elements(Enum.GetValues<ParquetCompression>())
        from rowGroupRows in Gen.Elements(1, 7, 64, 1_000_000)
        from pageBytes in Gen.Elements(1, 100, 4_096, 1 << 20)
        from dictionary in Gen.Elements(true, false)
        from version in Gen.Elements(1, 2)
        select new Table(new ParquetSchema(columns.Select(c => c.Column).ToArray()), rows, compression, rowGroupRows, pageBytes, dictionary, version);

    [Fact]
    public void Random_tables_round_trip_through_the_writer_and_the_reader()
    {
        var property = Prop.ForAll(Arb.From(Tables), (Table table) =>
        {
            var file = TestFiles.Write(table.Schema, table.Rows, table.Options());
            using var reader = TestFiles.Open(file);
            reader.Schema.Should().Be(table.Schema);
            reader.RowCount.Should().Be(table.Rows.Length);
            reader.RowGroups.Sum(g => g.RowCount).Should().Be(table.Rows.Length);
            TestFiles.ReadAll(reader).Should().BeEquivalentTo(table.Rows, o => o.WithStrictOrdering());
        });

        Check.One(Config.QuickThrowOnFailure.WithMaxTest(150), property);
    }

    [Fact]
    public void Random_filters_return_exactly_the_matching_rows_and_skip_only_row_groups_without_matches()
    {
        var cases =
            from table in Tables
            from column in Gen.Choose(0, table.Schema.Count - 1)
            where Kind(table.Schema[column]) is "int32" or "int64" or "double" or "string"
            from low in ValueGen(Kind(table.Schema[column]))
            from high in ValueGen(Kind(table.Schema[column]))
            select (table, column, low, high);

        var property = Prop.ForAll(Arb.From(cases), c =>
        {
            var (table, column, low, high) = c;
            var name = table.Schema[column].Name;
            var file = TestFiles.Write(table.Schema, table.Rows, table.Options());
            using var reader = TestFiles.Open(file);

            var read = TestFiles.ReadAll(reader, new ParquetReadOptions { Filter = ParquetFilter.Between(name, low, high) });

            var expected = table.Rows.Where(r => r[column] is { } v && !IsNaN(v) && !IsNaN(low) && !IsNaN(high) && Compare(v, low) >= 0 && Compare(v, high) <= 0).ToList();
            read.Should().BeEquivalentTo(expected, o => o.WithStrictOrdering());
            var groupsWithMatches = 0;
            for (var start = 0; start < table.Rows.Length; start += table.RowGroupRows)
            {
                if (table.Rows.Skip(start).Take(table.RowGroupRows).Any(r => expected.Contains(r)))
                {
                    groupsWithMatches++;
                }
            }

            reader.RowGroupsSkipped.Should().BeLessThanOrEqualTo(reader.RowGroups.Count - groupsWithMatches);
        });

        Check.One(Config.QuickThrowOnFailure.WithMaxTest(150), property);
    }

    private static string Kind(ParquetColumn column) => RoundTripTests.Columns.First(pair => pair.Value("x", false) with { Name = column.Name, Nullable = column.Nullable } == column).Key;

    private static int Compare(object value, object bound) => value switch
    {
        int i => i.CompareTo((int)bound),
        long l => l.CompareTo((long)bound),
        double d => d.CompareTo((double)bound),
        string s => CompareUtf8(s, (string)bound),
        _ => throw new ArgumentOutOfRangeException(nameof(value)),
    };

    private static bool IsNaN(object value) => value is double d && double.IsNaN(d); // NaN never matches, nor does a NaN bound

    private static int CompareUtf8(string a, string b) =>
        System.Text.Encoding.UTF8.GetBytes(a).AsSpan().SequenceCompareTo(System.Text.Encoding.UTF8.GetBytes(b));
}
