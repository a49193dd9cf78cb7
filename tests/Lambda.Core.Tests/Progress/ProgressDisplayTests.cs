using Lambda.Core.Progress;
using Lambda.Core.Transport;

namespace Lambda.Core.Tests.Progress;

public sealed class ProgressDisplayTests
{
    [Fact]
    public async Task A_redirected_output_gets_a_last_line_with_share_amounts_items_and_detail()
    {
        using var output = new StringWriter();
        var display = ProgressDisplay.Start("importing", 2_000, "rows", output, "files");

        display.Report(500, 3, "BTCUSDT-1d.csv");
        await display.DisposeAsync();

        ProgressDisplay.IsInteractive(output).Should().BeFalse("a StringWriter is no terminal");
        output.ToString().Should().MatchRegex(@"^  … importing:  25\.0 % 500 of 2,000 rows, 3 files in [\d.]+ s \([\d,]+/s\), BTCUSDT-1d\.csv\r?\n$");
    }

    [Fact]
    public async Task Without_a_total_the_line_shows_amounts_only_and_a_second_dispose_writes_nothing()
    {
        using var output = new StringWriter();
        var display = ProgressDisplay.Start("reading", 0, "bytes", output);

        display.Report(1_234, 7);
        await display.DisposeAsync();
        await display.DisposeAsync();

        output.ToString().Should().StartWith("  … reading: 1,234 bytes, 7 items in ").And.NotContain("%");
        output.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries).Should().HaveCount(1);
    }
}

public sealed class ReadExtentTests
{
    private static ReadExtent Extent() => new(
        [
            KeyValuePair.Create(("crypto-klines", "0"), (10L, 110L)),
            KeyValuePair.Create(("crypto-klines", "1"), (0L, 50L)),
            KeyValuePair.Create(("crypto-trades", "0"), (40L, 40L)),
        ],
        "messages",
        partition => int.Parse(partition, System.Globalization.CultureInfo.InvariantCulture));

    [Fact]
    public void Partitions_to_read_are_those_with_something_between_start_and_end_by_number() =>
        Extent().PartitionsToRead.Should().Equal(("crypto-klines", 0), ("crypto-klines", 1));

    [Fact]
    public void Segments_of_one_partition_count_as_that_partition_once()
    {
        var extent = new ReadExtent(
            [
                KeyValuePair.Create(("crypto-klines", "2026-08-01.jsonl"), (0L, 10L)),
                KeyValuePair.Create(("crypto-klines", "2026-08-02.jsonl"), (0L, 10L)),
            ],
            "bytes",
            _ => 0);

        extent.PartitionsToRead.Should().Equal(("crypto-klines", 0));
    }

    [Fact]
    public void Total_is_the_sum_of_what_each_partition_has_between_start_and_end() =>
        Extent().Total.Should().Be(150);

    [Fact]
    public void Done_follows_the_furthest_position_per_partition_even_when_positions_are_sampled()
    {
        var extent = Extent();

        extent.Advance(new LogPosition("crypto-klines", "0", 29, 30));
        extent.Advance(new LogPosition("crypto-klines", "1", 9, 10));
        extent.Done.Should().Be(30);

        extent.Advance(new LogPosition("crypto-klines", "0", 59, 60));
        extent.Done.Should().Be(60, "partition 0 moved from 20 to 50 read");
    }

    [Fact]
    public void Positions_outside_the_extent_are_clamped_and_unknown_partitions_ignored()
    {
        var extent = Extent();

        extent.Advance(new LogPosition("crypto-klines", "0", 500, 501));
        extent.Advance(new LogPosition("crypto-klines", "7", 1, 2));
        extent.Advance(new LogPosition("crypto-prices", "0", 1, 2));

        extent.Done.Should().Be(100, "partition 0 counts at most its 100 messages; the others are not part of the read");
    }
}
