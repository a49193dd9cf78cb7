using Lambda.Core.Klines;

namespace Lambda.Core.Tests.Klines;

/// <summary>The one pass over the time column that lets a sorted klines file stream instead of being held to be sorted.</summary>
public sealed class KlinesCsvReaderTests
{
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
