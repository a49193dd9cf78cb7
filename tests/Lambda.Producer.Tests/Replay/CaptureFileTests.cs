using System.Text;
using Lambda.Producer.Connectors;
using Lambda.Producer.Recording;
using Lambda.Producer.Replay;

namespace Lambda.Producer.Tests.Replay;

public sealed class CaptureFileTests
{
    [Fact]
    public void Reads_cryptofeed_lines_without_a_tag_and_skips_the_url_header()
    {
        var text = "wss://stream.binance.com:9443/stream?streams=a <-> 1633998511.159679\n1633998512.0633569: {\"a\":1}\n";

        var frames = CaptureFile.Read(new StringReader(text)).ToList();

        frames.Should().ContainSingle();
        frames[0].Tag.Should().BeNull();
        frames[0].ReceivedAt.ToUnixTimeMilliseconds().Should().Be(1633998512063);
        Encoding.UTF8.GetString(frames[0].Frame.Span).Should().Be("{\"a\":1}");
    }

    [Fact]
    public async Task What_the_recorder_writes_reads_back_with_times_tags_and_frames()
    {
        var path = Path.Combine(Path.GetTempPath(), $"capture-{Guid.NewGuid():N}.txt");
        try
        {
            var normalizers = new FrameNormalizers(TimeProvider.System);
            var at = DateTimeOffset.FromUnixTimeMilliseconds(1_763_700_000_123);
            await using (var recorder = new CaptureRecorder(path))
            {
                recorder.Record(new ReceivedFrame("binance", "websocket", FrameNormalizers.BinanceTag, normalizers.BinanceStream, at, Encoding.UTF8.GetBytes("{\"e\":\"trade\",\n\"s\":\"X\"}")));
                recorder.Record(new ReceivedFrame("bybit", "websocket", FrameNormalizers.BybitTag, normalizers.Bybit, at.AddSeconds(1), Encoding.UTF8.GetBytes("{\"op\":\"pong\"}")));
            }

            using var reader = File.OpenText(path);
            var frames = CaptureFile.Read(reader).ToList();

            frames.Select(f => f.Tag).Should().Equal("binance", "bybit");
            frames.Select(f => f.ReceivedAt).Should().Equal(at, at.AddSeconds(1));
            Encoding.UTF8.GetString(frames[0].Frame.Span).Should().Be("{\"e\":\"trade\", \"s\":\"X\"}", "a frame stays on one line");
            frames.Should().OnlyContain(f => f.Error == null);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void A_line_that_is_not_a_capture_line_is_reported_not_skipped()
    {
        var frames = CaptureFile.Read(new StringReader("1.5: {}\nnot a frame\n")).ToList();

        frames.Should().HaveCount(2);
        frames[1].Error.Should().Contain("capture line 2");
    }
}
