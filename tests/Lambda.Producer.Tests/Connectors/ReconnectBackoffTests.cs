using Lambda.Producer.Connectors;

namespace Lambda.Producer.Tests.Connectors;

public sealed class ReconnectBackoffTests
{
    private static readonly ReconnectOptions Options = new()
    {
        InitialDelay = TimeSpan.FromSeconds(1),
        MaxDelay = TimeSpan.FromSeconds(30),
        StableAfter = TimeSpan.FromMinutes(1),
    };

    [Fact]
    public void Waits_grow_exponentially_with_jitter_below_a_cap()
    {
        var backoff = new ReconnectBackoff(Options, new Random(42));
        var ceilings = new List<double>();
        for (var attempt = 0; attempt < 10; attempt++)
        {
            var ceiling = backoff.Ceiling;
            ceilings.Add(ceiling.TotalSeconds);
            var wait = backoff.Next(TimeSpan.Zero);
            wait.Should().BeGreaterThanOrEqualTo(TimeSpan.Zero).And.BeLessThanOrEqualTo(ceiling);
        }

        ceilings.Should().Equal(1, 2, 4, 8, 16, 30, 30, 30, 30, 30);
    }

    [Fact]
    public void Jitter_spreads_clients_that_fail_together()
    {
        var waits = Enumerable.Range(0, 50).Select(seed =>
        {
            var backoff = new ReconnectBackoff(Options, new Random(seed));
            backoff.Next(TimeSpan.Zero);
            backoff.Next(TimeSpan.Zero);
            return backoff.Next(TimeSpan.Zero);
        }).ToList();

        waits.Distinct().Should().HaveCountGreaterThan(45);
        waits.Max().Should().BeGreaterThan(TimeSpan.FromSeconds(3));
        waits.Min().Should().BeLessThan(TimeSpan.FromSeconds(1));
    }

    [Fact]
    public void A_connection_that_stayed_up_resets_the_backoff()
    {
        var backoff = new ReconnectBackoff(Options, new Random(1));
        for (var i = 0; i < 6; i++)
        {
            backoff.Next(TimeSpan.FromSeconds(5));
        }

        backoff.Ceiling.Should().Be(TimeSpan.FromSeconds(30));
        backoff.Next(TimeSpan.FromMinutes(5)).Should().BeLessThanOrEqualTo(TimeSpan.FromSeconds(1));
        backoff.Failures.Should().Be(1);
    }
}
