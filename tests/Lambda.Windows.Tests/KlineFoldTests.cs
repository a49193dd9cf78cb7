using Lambda.Core.Windows;

namespace Lambda.Windows.Tests;

public class KlineFoldTests
{
    [Fact]
    public void The_open_is_the_first_klines_the_close_the_last_klines_and_the_extremes_span_all()
    {
        var fold = default(KlineFold);
        fold.Add(open: 10, high: 12, low: 9, close: 11, volume: 1, quoteVolume: 10, trades: 3);
        fold.Add(open: 11, high: 15, low: 10, close: 14, volume: 2, quoteVolume: 28, trades: 4);
        fold.Add(open: 14, high: 14.5, low: 7, close: 8, volume: 3, quoteVolume: 30, trades: 5);

        (fold.Open, fold.High, fold.Low, fold.Close).Should().Be((10d, 15d, 7d, 8d));
        (fold.Volume, fold.QuoteVolume, fold.Trades).Should().Be((6d, 68d, 12L));
        (fold.Klines, fold.Summed).Should().Be((3, 3));
    }

    [Fact]
    public void A_kline_that_is_not_final_moves_the_prices_but_adds_nothing_to_the_sums()
    {
        var fold = default(KlineFold);
        fold.Add(open: 10, high: 12, low: 9, close: 11, volume: 1, quoteVolume: 10, trades: 3);
        fold.Add(open: 11, high: 20, low: 5, close: 19, volume: 50, quoteVolume: 900, trades: 70, final: false);

        (fold.High, fold.Low, fold.Close).Should().Be((20d, 5d, 19d));
        (fold.Volume, fold.QuoteVolume, fold.Trades).Should().Be((1d, 10d, 3L));
        (fold.Klines, fold.Summed).Should().Be((2, 1));
    }

    [Fact]
    public void Sums_are_added_in_fold_order_so_the_result_is_exact_to_the_bit()
    {
        // 0.1 + 0.2 + 0.3 is 0.6000000000000001 in this order and 0.6 in the reverse one: the batch
        // layer and the speed layer agree only because both fold in open-time order.
        var fold = default(KlineFold);
        foreach (var volume in new[] { 0.1, 0.2, 0.3 })
        {
            fold.Add(1, 1, 1, 1, volume, 0, 0);
        }

        fold.Volume.Should().Be(0.6000000000000001);
        fold.Volume.Should().NotBe(0.3 + 0.2 + 0.1);
    }
}
