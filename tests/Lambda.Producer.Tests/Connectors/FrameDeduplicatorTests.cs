using Microsoft.Extensions.Time.Testing;
using System.Text;
using Lambda.Producer.Connectors;

namespace Lambda.Producer.Tests.Connectors;

public sealed class FrameDeduplicatorTests
{
    private static byte[] Frame(string text) => Encoding.UTF8.GetBytes(text);

    [Fact]
    public void Outside_an_overlap_everything_passes_even_repeats()
    {
        var deduplicator = new FrameDeduplicator(TimeProvider.System);

        deduplicator.Admit(Frame("a")).Should().BeTrue();
        deduplicator.Admit(Frame("a")).Should().BeTrue();
    }

    [Fact]
    public void During_an_overlap_a_frame_seen_on_both_connections_passes_once_and_proves_the_catch_up()
    {
        var deduplicator = new FrameDeduplicator(TimeProvider.System);
        deduplicator.Begin();

        deduplicator.Admit(Frame("{\"E\":1}")).Should().BeTrue();
        deduplicator.Admit(Frame("{\"E\":2}")).Should().BeTrue();
        deduplicator.DuplicateSeen.IsCompleted.Should().BeFalse();
        deduplicator.Admit(Frame("{\"E\":1}")).Should().BeFalse();
        deduplicator.DuplicateSeen.IsCompleted.Should().BeTrue();
        deduplicator.Dropped.Should().Be(1);
    }

    [Fact]
    public void The_overlap_ends_after_its_grace()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UnixEpoch);
        var deduplicator = new FrameDeduplicator(clock);
        deduplicator.Begin();
        deduplicator.Admit(Frame("x"));
        deduplicator.EndAfter(TimeSpan.FromSeconds(5));

        deduplicator.Admit(Frame("x")).Should().BeFalse("still within the grace");
        clock.Advance(TimeSpan.FromSeconds(6));
        deduplicator.Admit(Frame("x")).Should().BeTrue();
        deduplicator.Admit(Frame("x")).Should().BeTrue();
    }
}
