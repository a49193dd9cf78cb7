using Lambda.Testing;
using Lambda.Core.Contracts;
using Lambda.Producer.Commands;

namespace Lambda.Cli.Tests;

/// <summary><c>producer replay</c> end to end on the real sample data, into the embedded log.</summary>
public sealed class ReplayCommandTests : IDisposable
{
    private readonly string _dataDir = Directory.CreateTempSubdirectory("lambda-replay-").FullName;

    public void Dispose() => Directory.Delete(_dataDir, recursive: true);

    private static string Sample(string name) => Path.Combine(AppContext.BaseDirectory, "samples", "binance", name);

    private List<T> Read<T>(string topic) where T : MarketEvent =>
        Directory.GetFiles(Path.Combine(_dataDir, "topics", topic), "*.jsonl")
            .SelectMany(File.ReadAllLines)
            .Select(line => EventSerializer.Deserialize<T>(System.Text.Encoding.UTF8.GetBytes(line)))
            .ToList();

    [Fact]
    public async Task Replaying_the_4h_klines_gives_one_closed_kline_event_per_row_after_from()
    {
        var expected = File.ReadLines(Sample("BTCUSDT-4h.csv")).Skip(1)
            .Select(line => line.Split(','))
            .Where(f => long.Parse(f[0], System.Globalization.CultureInfo.InvariantCulture) >= new DateTimeOffset(2026, 7, 1, 0, 0, 0, TimeSpan.Zero).ToUnixTimeMilliseconds())
            .ToList();

        var run = await CommandRun.InvokeAsync(ProducerCommand.Build(), "--data-dir", _dataDir, "replay", Sample("BTCUSDT-4h.csv"), "--from", "2026-07-01");

        run.ExitCode.Should().Be(0, run.Error + run.Output);
        var klines = Read<KlineEvent>(Topics.Klines);
        klines.Should().HaveCount(expected.Count);
        klines.Should().OnlyContain(k => k.IsClosed && k.Interval == "4h" && k.Symbol == "BTCUSDT" && k.Source == "replay" && k.EventTime == k.CloseTime);
        klines.Select(k => k.OpenTime).Should().BeInAscendingOrder();
        klines[0].Close.Should().Be(double.Parse(expected[0][4], System.Globalization.CultureInfo.InvariantCulture));
        klines[^1].Trades.Should().Be(long.Parse(expected[^1][8], System.Globalization.CultureInfo.InvariantCulture));
        var alerts = Read<AlertEvent>(Topics.Alerts);
        alerts.Should().NotBeEmpty("4h candles of 2026 move by more than 0.5 %").And.OnlyContain(a => Math.Abs(a.ChangePercent) >= 0.5);
        run.Output.Should().MatchRegex($@"crypto-klines +{expected.Count}\n")
            .And.Contain($"embedded         sent {expected.Count + alerts.Count}, acked {expected.Count + alerts.Count}, failed 0")
            .And.NotContain("NOT delivered");
    }

    /// <summary>A symbol or interval that contradicts the file name or the timestamps is refused before anything is published.</summary>
    [Theory]
    [InlineData("--symbol", "ETHUSDT", "the file name says BTCUSDT but --symbol says ETHUSDT")]
    [InlineData("--interval", "1d", "the file name says 4h klines but --interval says 1d")]
    public async Task Labels_that_contradict_the_file_are_refused(string option, string value, string message)
    {
        var run = await CommandRun.InvokeAsync(ProducerCommand.Build(), "--data-dir", _dataDir, "replay", Sample("BTCUSDT-4h.csv"), "--from", "2026-08-01", option, value);

        run.ExitCode.Should().Be(1);
        run.Error.Should().Contain(message);
        Directory.Exists(Path.Combine(_dataDir, "topics", Topics.Klines)).Should().BeFalse("nothing was published");
    }

    [Fact]
    public async Task An_interval_the_timestamps_contradict_is_refused()
    {
        var renamed = Path.Combine(_dataDir, "klines.csv");
        File.Copy(Sample("BTCUSDT-4h.csv"), renamed);

        var run = await CommandRun.InvokeAsync(ProducerCommand.Build(), "--data-dir", _dataDir, "replay", renamed, "--symbol", "BTCUSDT", "--interval", "1d", "--from", "2026-08-01");

        run.ExitCode.Should().Be(1);
        run.Error.Should().Contain("--interval says 1d klines but the timestamps show 4h klines");
        Directory.Exists(Path.Combine(_dataDir, "topics", Topics.Klines)).Should().BeFalse("nothing was published");
    }

    [Fact]
    public async Task Replaying_the_real_capture_keeps_klines_and_trades_and_skips_order_books()
    {
        var lines = File.ReadAllLines(Sample("cryptofeed-capture-BINANCE.ws.1.0.txt")).Skip(1).Where(l => l.Length > 0).ToList();
        var klineFrames = lines.Count(l => l.Contains("\"e\":\"kline\"", StringComparison.Ordinal));
        var tradeFrames = lines.Count(l => l.Contains("\"e\":\"aggTrade\"", StringComparison.Ordinal));

        var run = await CommandRun.InvokeAsync(ProducerCommand.Build(), "--data-dir", _dataDir, "replay", Sample("cryptofeed-capture-BINANCE.ws.1.0.txt"), "--speed", "max");

        run.ExitCode.Should().Be(0, run.Error + run.Output);
        Read<KlineEvent>(Topics.Klines).Should().HaveCount(klineFrames);
        Read<TradeEvent>(Topics.Trades).Should().HaveCount(tradeFrames);
        Directory.Exists(Path.Combine(_dataDir, "topics", Topics.DeadLetter)).Should().BeFalse("every frame of the capture is well formed");
        run.Output.Should().Contain($"ignored {lines.Count - klineFrames - tradeFrames}");
    }

    [Fact]
    public async Task Bad_csv_rows_become_dead_letters_naming_file_and_line_and_fail_nothing_else()
    {
        var csv = Path.Combine(_dataDir, "ETHUSDT-1h.csv");
        File.WriteAllLines(csv,
        [
            "timestamp,open,high,low,close,volume",
            "2026-01-01T00:00:00Z,10,12,9,11,100",
            "2026-01-01T01:00:00Z,11,13,10,12,abc",
            "2026-01-01T02:00:00Z,12,14,11,13,300",
            "2026-01-01T03:00:00Z,-5,14,11,13,300",
        ]);

        var run = await CommandRun.InvokeAsync(ProducerCommand.Build(), "--data-dir", _dataDir, "replay", csv, "--speed", "1000000");

        run.ExitCode.Should().Be(0, run.Error + run.Output);
        Read<KlineEvent>(Topics.Klines).Select(k => k.Close).Should().Equal(11, 13);
        var deadLetters = Read<DeadLetter>(Topics.DeadLetter);
        deadLetters.Select(d => d.Reason).Should().BeEquivalentTo(
            "ETHUSDT-1h.csv line 3: volume 'abc' is not a number",
            "open.positive: open is -5");
        deadLetters.Should().OnlyContain(d => d.Raw.StartsWith("2026-01-01T0", StringComparison.Ordinal));
    }

    /// <summary>A sorted file streams row by row; one that is not is read whole and published in time order.</summary>
    [Fact]
    public async Task A_klines_csv_out_of_time_order_is_replayed_in_time_order()
    {
        var csv = Path.Combine(_dataDir, "ETHUSDT-1h.csv");
        File.WriteAllLines(csv,
        [
            "timestamp,open,high,low,close,volume",
            "2026-01-01T02:00:00Z,12,14,11,13,300",
            "2026-01-01T00:00:00Z,10,12,9,11,100",
            "2026-01-01T03:00:00Z,13,15,12,14,400",
            "2026-01-01T01:00:00Z,11,13,10,12,200",
        ]);

        var run = await CommandRun.InvokeAsync(ProducerCommand.Build(), "--data-dir", _dataDir, "replay", csv, "--speed", "max");

        run.ExitCode.Should().Be(0, run.Error + run.Output);
        var klines = Read<KlineEvent>(Topics.Klines);
        klines.Select(k => k.Close).Should().Equal(11, 12, 13, 14);
        klines.Should().OnlyContain(k => k.Interval == "1h");
    }

    [Fact]
    public async Task A_file_that_is_neither_a_capture_nor_a_klines_csv_is_refused_with_a_message()
    {
        var path = Path.Combine(_dataDir, "notes.txt");
        File.WriteAllText(path, "hello, this is not market data\n");

        var run = await CommandRun.InvokeAsync(ProducerCommand.Build(), "--data-dir", _dataDir, "replay", path);

        run.ExitCode.Should().Be(1);
        run.Error.Should().Contain("notes.txt: neither a capture");
    }
}
