using Lambda.BatchLayer.Master;
using Lambda.Core.Views;
using Lambda.Merge.Serving;

namespace Lambda.Parquet.Tests;

/// <summary>The views' row adapter over Parquet.Net: records in, the same records out, and its rules.</summary>
public sealed class ViewFileTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("lambda-views-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private string Write<T>(string name, IParquetRecordMap<T> map, IEnumerable<T> rows, ParquetWriterOptions? options = null)
    {
        var path = Path.Combine(_folder, name);
        using var writer = ParquetFileWriter.Create(path, map.Schema, options);
        foreach (var row in rows)
        {
            writer.Write(row, map);
        }

        return path;
    }

    [Theory]
    [InlineData(ParquetCompression.Snappy, 3)]
    [InlineData(ParquetCompression.Gzip, 1_000)]
    [InlineData(ParquetCompression.Uncompressed, 1)]
    public void Candles_come_back_value_for_value_across_row_groups(ParquetCompression compression, int rowGroupRows)
    {
        var options = new ParquetWriterOptions { Compression = compression, RowGroupRows = rowGroupRows };
        options.KeyValueMetadata[ViewLayout.Batch.BuildIdKey] = "b-1 ✓";
        var path = Write("candles.parquet", DailyCandleMap.Instance, LegacyFixtureRows.Candles, options);

        using var reader = ParquetFileReader.Open(path);
        var rows = reader.Read(DailyCandleMap.Instance).ToList();

        rows.Should().Equal(LegacyFixtureRows.Candles);
        double.IsNegative(rows[1].Close).Should().BeTrue("-0.0 keeps its sign");
        reader.RowCount.Should().Be(LegacyFixtureRows.Candles.Count);
        reader.RowGroupCount.Should().Be((LegacyFixtureRows.Candles.Count + rowGroupRows - 1) / rowGroupRows);
        reader.KeyValueMetadata.Should().Contain("lambda.batch.build_id", "b-1 ✓");
        reader.Schema.Should().Be(DailyCandleMap.Instance.Schema, "the file declares the view's types: STRING, DATE, DOUBLE, INT64, BOOLEAN, TIMESTAMP(µs, UTC), all required");
    }

    /// <summary>Exchanges, symbols and sources repeat a handful of values: each is stored once, and a reader makes one string per value, not per row.</summary>
    [Fact]
    public async Task Repeated_strings_are_dictionary_encoded()
    {
        var candles = Enumerable.Range(0, 1_000).Select(i => LegacyFixtureRows.Candles[0] with
        {
            Exchange = i % 2 == 0 ? "binance" : "bybit",
            Symbol = $"SYM{i % 10}USDT",
            Day = new DateOnly(2020, 1, 1).AddDays(i),
        });
        var path = Write("candles.parquet", DailyCandleMap.Instance, candles);

        await using var stream = File.OpenRead(path);
        await using var file = await global::Parquet.ParquetReader.CreateAsync(stream);
        var encodings = file.Metadata!.RowGroups[0].Columns.ToDictionary(c => c.MetaData!.PathInSchema[0], c => c.MetaData!.Encodings);
        foreach (var column in new[] { "exchange", "symbol", "source" })
        {
            encodings[column].Should().Contain(e => e == global::Parquet.Meta.Encoding.PLAIN_DICTIONARY || e == global::Parquet.Meta.Encoding.RLE_DICTIONARY, column);
        }

        using var reader = ParquetFileReader.Open(path);
        reader.Read(DailyCandleMap.Instance).Select(c => c.Symbol).Distinct().Should().HaveCount(10);
    }

    [Fact]
    public void Metrics_keep_their_nulls_and_master_klines_their_millisecond_times()
    {
        var metrics = Write("metrics.parquet", DailyMetricMap.Instance, LegacyFixtureRows.Metrics);
        var master = Write("master.parquet", MasterKlineMap.Instance, LegacyFixtureRows.MasterKlines);
        var serving = Write("serving.parquet", ServingCandleMap.Instance, LegacyFixtureRows.Serving);

        using (var reader = ParquetFileReader.Open(metrics))
        {
            reader.Read(DailyMetricMap.Instance).Should().Equal(LegacyFixtureRows.Metrics);
        }

        using (var reader = ParquetFileReader.Open(master))
        {
            reader.Read(MasterKlineMap.Instance).Should().Equal(LegacyFixtureRows.MasterKlines);
            reader.Schema[0].Kind.Should().Be(ParquetColumnKind.TimestampMillis);
        }

        using (var reader = ParquetFileReader.Open(serving))
        {
            reader.Read(ServingCandleMap.Instance).Should().Equal(LegacyFixtureRows.Serving);
        }
    }

    [Fact]
    public void A_projection_reads_only_the_named_columns_in_the_asked_order()
    {
        var path = Write("master.parquet", MasterKlineMap.Instance, LegacyFixtureRows.MasterKlines, new ParquetWriterOptions { RowGroupRows = 2 });

        using var reader = ParquetFileReader.Open(path);
        var rows = reader.ReadRows(new ParquetReadOptions { Columns = ["trades", "open_time"] })
            .Select(row => (Trades: row.GetInt64(0), OpenTime: row.GetInt64(1), row.ColumnCount)).ToList();

        rows.Should().Equal(LegacyFixtureRows.MasterKlines.Select(k => (k.Kline.Trades, k.Kline.OpenTime, 2)));
    }

    [Fact]
    public void Timestamps_finer_than_the_column_are_rounded_down_also_before_1970()
    {
        var map = new TimestampMap();
        var written = new[]
        {
            new DateTimeOffset(1969, 12, 31, 23, 59, 59, TimeSpan.Zero).AddTicks(9_999_999),
            new DateTimeOffset(2026, 8, 1, 0, 0, 0, TimeSpan.Zero).AddTicks(19),
        };
        var path = Write("times.parquet", map, written);

        using var reader = ParquetFileReader.Open(path);

        reader.Read(map).Should().Equal(
            new DateTimeOffset(1969, 12, 31, 23, 59, 59, TimeSpan.Zero).AddTicks(9_999_990),
            new DateTimeOffset(2026, 8, 1, 0, 0, 0, TimeSpan.Zero).AddTicks(10));
    }

    [Fact]
    public void A_required_column_left_unset_or_set_twice_is_refused_and_the_row_is_dropped_on_close()
    {
        var path = Path.Combine(_folder, "partial.parquet");
        using (var writer = ParquetFileWriter.Create(path, DailyMetricMap.Instance.Schema))
        {
            writer.Write(LegacyFixtureRows.Metrics[0], DailyMetricMap.Instance);
            writer.Row.SetString(0, "binance");
            var twice = () => writer.Row.SetString(0, "bybit");
            twice.Should().Throw<InvalidOperationException>().WithMessage("*'exchange' was already set*");
            var unset = () => writer.EndRow();
            unset.Should().Throw<InvalidOperationException>().WithMessage("*'symbol' (required) was not set in row 1*");
            var wrong = () => writer.Row.SetDouble(2, 1.0);
            wrong.Should().Throw<InvalidOperationException>().WithMessage("*'day' is Date*");
        }

        using var reader = ParquetFileReader.Open(path);
        reader.Read(DailyMetricMap.Instance).Should().Equal(LegacyFixtureRows.Metrics[0]);
    }

    [Fact]
    public void Reading_a_file_without_the_maps_columns_or_with_other_types_names_the_file_and_the_column()
    {
        var path = Write("metrics.parquet", DailyMetricMap.Instance, LegacyFixtureRows.Metrics);

        using var reader = ParquetFileReader.Open(path);
        var candles = () => reader.Read(DailyCandleMap.Instance).ToList();
        candles.Should().Throw<Lambda.Core.Views.ParquetException>().WithMessage($"{path}: the record map needs column 'open'*");
        var wrongType = () => reader.ReadRows().Select(row => row.GetInt64(0)).ToList();
        wrongType.Should().Throw<Lambda.Core.Views.ParquetException>().WithMessage($"{path}: column 'exchange' is String; GetInt64 cannot read it (row 0)");
        var nullValue = () => reader.ReadRows(new ParquetReadOptions { Columns = ["return"] }).Select(row => row.GetDouble(0)).ToList();
        nullValue.Should().Throw<Lambda.Core.Views.ParquetException>().WithMessage($"{path}: column 'return' is null in row 0*");
    }

    [Fact]
    public void A_file_with_no_rows_reads_as_empty_and_keeps_its_metadata()
    {
        var options = new ParquetWriterOptions();
        options.KeyValueMetadata[ViewLayout.LayerKey] = ViewLayout.Speed.Layer;
        var path = Write("empty.parquet", DailyCandleMap.Instance, [], options);

        using var reader = ParquetFileReader.Open(path);

        reader.Read(DailyCandleMap.Instance).Should().BeEmpty();
        reader.KeyValueMetadata.Should().Contain("lambda.layer", "speed");
    }

    private sealed class TimestampMap : IParquetRecordMap<DateTimeOffset>
    {
        public ParquetSchema Schema { get; } = new([ParquetColumn.TimestampMicros("at")]);

        public void Write(DateTimeOffset record, ParquetRowWriter row) => row.SetTimestamp(0, record);

        public DateTimeOffset Read(ParquetRowReader row) => row.GetTimestamp(0);
    }
}
