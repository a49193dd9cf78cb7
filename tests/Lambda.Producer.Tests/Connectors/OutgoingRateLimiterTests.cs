using Lambda.Producer.Connectors;
using Microsoft.Extensions.Time.Testing;

namespace Lambda.Producer.Tests.Connectors;

public sealed class OutgoingRateLimiterTests
{
    /// <summary>Sends twelve messages as fast as the limiter lets them go, moving a fake clock 10 ms at a time while one waits.</summary>
    private static async Task<List<TimeSpan>> SendTimesAsync(OutgoingRateLimiter limiter, FakeTimeProvider clock, int count)
    {
        var start = clock.GetUtcNow();
        var sent = new List<TimeSpan>();
        for (var i = 0; i < count; i++)
        {
            var waiting = limiter.WaitAsync(CancellationToken.None);
            for (var step = 0; !waiting.IsCompleted && step < 1_000; step++)
            {
                clock.Advance(TimeSpan.FromMilliseconds(10));
                await Task.Yield();
            }

            await waiting.WaitAsync(TimeSpan.FromSeconds(10));
            sent.Add(clock.GetUtcNow() - start);
        }

        return sent;
    }

    [Fact]
    public async Task Five_a_second_leave_evenly_a_quarter_second_apart_and_never_six_in_a_second()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 12, 5, 0, 0, 0, TimeSpan.Zero));
        var limiter = new OutgoingRateLimiter(5, clock);

        var sent = await SendTimesAsync(limiter, clock, 12);

        sent[0].Should().Be(TimeSpan.Zero, "the first message waits for nothing");
        for (var i = 1; i < sent.Count; i++)
        {
            (sent[i] - sent[i - 1]).Should().BeGreaterThanOrEqualTo(TimeSpan.FromMilliseconds(250)).And.BeLessThanOrEqualTo(TimeSpan.FromMilliseconds(260),
                "each waits its spacing and no longer");
        }

        for (var i = 5; i < sent.Count; i++)
        {
            (sent[i] - sent[i - 5]).Should().BeGreaterThan(TimeSpan.FromSeconds(1.2), $"message {i} may not be the sixth within a second, even if arrivals bunch by 0.2 s");
        }
    }

    [Fact]
    public async Task A_message_after_a_pause_longer_than_the_spacing_leaves_at_once()
    {
        var clock = new FakeTimeProvider();
        var limiter = new OutgoingRateLimiter(5, clock);
        await limiter.WaitAsync(CancellationToken.None);
        clock.Advance(TimeSpan.FromSeconds(3));

        var next = limiter.WaitAsync(CancellationToken.None);

        next.IsCompleted.Should().BeTrue();
        await next;
    }
}
