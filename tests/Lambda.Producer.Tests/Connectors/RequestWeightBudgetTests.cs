using Lambda.Producer.Connectors.Binance;

namespace Lambda.Producer.Tests.Connectors;

public sealed class RequestWeightBudgetTests
{
    [Theory]
    [InlineData(1, 2)]
    [InlineData(20, 2)]
    [InlineData(21, 40)]
    [InlineData(100, 40)]
    [InlineData(101, 80)]
    [InlineData(0, 80)]
    public void Ticker_weight_follows_binance_tiers(int symbols, int weight) =>
        RequestWeightBudget.Ticker24h(symbols).Should().Be(weight);

    [Fact]
    public void A_request_that_would_exceed_the_minute_waits_for_the_next_minute()
    {
        var clock = new ManualClock(new DateTimeOffset(2026, 11, 21, 10, 0, 40, TimeSpan.Zero));
        var budget = new RequestWeightBudget(100, clock);

        budget.Charge(60);
        budget.WaitFor(40).Should().Be(TimeSpan.Zero);
        budget.Observe(90);
        budget.WaitFor(40).Should().BeCloseTo(TimeSpan.FromSeconds(20), TimeSpan.FromMilliseconds(100));

        clock.Advance(TimeSpan.FromSeconds(21));
        budget.UsedThisMinute.Should().Be(0);
        budget.WaitFor(40).Should().Be(TimeSpan.Zero);
    }
}
