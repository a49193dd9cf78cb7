using Microsoft.Extensions.Time.Testing;
using Lambda.Core.BinanceRest;

namespace Lambda.Core.Tests.BinanceRest;

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
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 11, 21, 10, 0, 40, TimeSpan.Zero));
        var budget = new RequestWeightBudget(100, clock);

        budget.Charge(60);
        budget.WaitFor(40).Should().Be(TimeSpan.Zero);
        budget.Observe(90);
        budget.WaitFor(40).Should().BeCloseTo(TimeSpan.FromSeconds(20), TimeSpan.FromMilliseconds(100));

        clock.Advance(TimeSpan.FromSeconds(21));
        budget.UsedThisMinute.Should().Be(0);
        budget.WaitFor(40).Should().Be(TimeSpan.Zero);
    }

    [Fact]
    public void A_shorter_window_is_aligned_to_the_clock_and_rolls_at_its_boundary()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 11, 21, 10, 0, 3, 500, TimeSpan.Zero));
        var budget = new RequestWeightBudget(10, clock, TimeSpan.FromSeconds(2));

        budget.Charge(10);
        budget.WaitFor(2).Should().BeCloseTo(TimeSpan.FromMilliseconds(550), TimeSpan.FromMilliseconds(1));

        clock.Advance(TimeSpan.FromMilliseconds(600));
        budget.UsedThisMinute.Should().Be(0);
        budget.WaitFor(10).Should().Be(TimeSpan.Zero);
    }

    [Fact]
    public void The_used_weight_header_of_a_response_counts_against_the_budget()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 11, 21, 10, 0, 0, TimeSpan.Zero));
        var budget = new RequestWeightBudget(6000, clock);
        using var response = new HttpResponseMessage(System.Net.HttpStatusCode.OK);
        response.Headers.Add(RequestWeightBudget.UsedWeightHeader, "5999");

        budget.Observe(response);

        budget.UsedThisMinute.Should().Be(5999);
        budget.WaitFor(2).Should().BeGreaterThan(TimeSpan.Zero);
    }
}
