using Lambda.Producer.Connectors;

namespace Lambda.Producer.Tests.Connectors;

public sealed class OutgoingRateLimiterTests
{
    [Fact]
    public async Task No_more_than_five_messages_leave_in_any_second()
    {
        var limiter = new OutgoingRateLimiter(5, TimeProvider.System);
        var sent = new List<DateTimeOffset>();
        for (var i = 0; i < 12; i++)
        {
            await limiter.WaitAsync(CancellationToken.None);
            sent.Add(DateTimeOffset.UtcNow);
        }

        for (var i = 5; i < sent.Count; i++)
        {
            (sent[i] - sent[i - 5]).Should().BeGreaterThanOrEqualTo(TimeSpan.FromSeconds(1), $"message {i} may not be the sixth within a second");
        }

        (sent[^1] - sent[0]).Should().BeLessThan(TimeSpan.FromSeconds(4), "waiting is only as long as needed");
    }
}
