using Lambda.Core.Klines;

namespace Lambda.Core.Tests.Klines;

/// <summary>
/// Reading klines CSVs, checked against values written out here from the files themselves (not against rows the
/// reader produced), and the one pass over the time column that lets a sorted file stream instead of being sorted.
/// </summary>
public sealed class KlinesCsvReaderTests
{
    [Fact]
    public void The_real_binance_dump_reads_to_its_literal_first_and_last_rows()
    {
        using var reader = File.OpenText(Path.Combine(AppContext.BaseDirectory, "samples", "binance", "BTCUSDT-4h.csv"));

        var rows = KlinesCsvReader.Read(reader).ToList();

        rows.Should().HaveCount(12_304).And.OnlyContain(r => r.Error == null);
        rows[0].Line.Should().Be(2, "line 1 is the header");
        rows[0].Kline.Should().Be(new Kline(1609459200000, 1609473599999, 28923.63, 29470.0, 28690.17, 29278.4, 11560.456553, 337730077.5570941, 262441));
        rows[^1].Kline.Should().Be(new Kline(1786622400000, 1786636799999, 63484.31, 63999.0, 63450.0, 63740.0, 1937.44401, 123523921.4113798, 476060));
        rows[^1].Raw.Should().Be("1786622400000,63484.31,63999.0,63450.0,63740.0,1937.44401,1786636799999,123523921.4113798,476060,1012.92019,64581135.3566994,0");
    }

    [Fact]
    public void The_simple_layout_takes_its_interval_from_the_timestamps_and_reports_a_bad_value_with_its_column()
    {
        var rows = KlinesCsvReader.Read(new StringReader(string.Join('\n',
            "date,open,high,low,close,volume",
            "2026-01-01T00:00:00Z,10,12,9,11,100",
            "2026-01-01T01:00:00Z,11,13,10,12,abc",
            "2026-01-01T02:00:00Z,12,14,11,13.5,300"))).ToList();

        rows[0].Kline.Should().Be(new Kline(1767225600000, 1767229199999, 10, 12, 9, 11, 100, 0, 0), "one hour, the smallest gap between open times");
        rows[1].Error.Should().Be("volume 'abc' is not a number");
        rows[2].Kline!.Close.Should().Be(13.5);
    }

    private static bool InOrder(params string[] lines) => KlinesCsvReader.IsInTimeOrder(new StringReader(string.Join('\n', lines)));

    [Fact]
    public void A_binance_dump_with_rising_open_times_is_in_order()
    {
        InOrder(
            "1704067200000,1,2,0.5,1.5,10,1704081599999,15,3,5,7,0",
            "1704081600000,1,2,0.5,1.5,10,1704095999999,15,3,5,7,0",
            "1704095999999000,1,2,0.5,1.5,10,1704110399999000,15,3,5,7,0").Should().BeTrue("µs and ms timestamps compare as ms");
    }

    [Fact]
    public void A_row_earlier_than_the_one_before_it_is_out_of_order()
    {
        InOrder(
            "1704081600000,1,2,0.5,1.5,10,1704095999999,15,3,5,7,0",
            "1704067200000,1,2,0.5,1.5,10,1704081599999,15,3,5,7,0").Should().BeFalse();
    }

    [Fact]
    public void The_simple_layout_is_judged_by_its_time_column_wherever_the_header_puts_it()
    {
        InOrder("open,high,low,close,volume,date", "1,2,0.5,1.5,10,2026-01-02", "1,2,0.5,1.5,10,2026-01-01").Should().BeFalse();
        InOrder("open,high,low,close,volume,date", "1,2,0.5,1.5,10,2026-01-01", "1,2,0.5,1.5,10, 2026-01-02").Should().BeTrue();
    }

    [Fact]
    public void Rows_whose_time_does_not_parse_and_blank_lines_do_not_break_the_order()
    {
        InOrder("timestamp,open,high,low,close,volume", "2026-01-01T00:00:00Z,1,2,0.5,1.5,10", "", "yesterday,1,2,0.5,1.5,10", "2026-01-01T01:00:00Z,1,2,0.5,1.5,10")
            .Should().BeTrue("the unreadable row becomes a dead letter where it stands");
    }
}
