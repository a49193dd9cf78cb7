using System.Globalization;
using System.Text.RegularExpressions;
using Lambda.Core.Views;
using Lambda.Producer.Commands;
using Lambda.Testing;

namespace Lambda.Cli.Tests;

/// <summary>
/// <c>--metrics</c> on the real executables, each in a child process: the OpenTelemetry console exporter's
/// last export at exit, and the Prometheus endpoint scraped while a stream runs. The figures are checked
/// against what the run wrote, read back independently.
/// </summary>
public sealed partial class MetricsExportTests : IDisposable
{
    private static readonly TimeSpan Deadline = TimeSpan.FromMinutes(2);

    private readonly string _dataDir = Directory.CreateTempSubdirectory("lambda-metrics-").FullName;

    public void Dispose() => Directory.Delete(_dataDir, recursive: true);

    private static string Sample(string name) => Path.Combine(AppContext.BaseDirectory, "samples", "binance", name);

    private async Task<long> ReplayAsync()
    {
        var run = await CommandRun.InvokeAsync(ProducerCommand.Build(), "--data-dir", _dataDir, "replay", Sample("BTCUSDT-4h.csv"), "--from", "2026-06-01", "--speed", "max");
        run.ExitCode.Should().Be(0, run.Error + run.Output);
        return File.ReadLines(Sample("BTCUSDT-4h.csv")).Skip(1).Count(line => long.Parse(line[..line.IndexOf(',', StringComparison.Ordinal)], CultureInfo.InvariantCulture)
            >= new DateTimeOffset(2026, 6, 1, 0, 0, 0, TimeSpan.Zero).ToUnixTimeMilliseconds());
    }

    private async Task<string> RunToEndAsync(string executable, params string[] arguments)
    {
        using var process = LambdaProcess.Start(["--data-dir", _dataDir, .. arguments], executable: executable);
        var code = await process.WaitForExitAsync(Deadline);
        code.Should().Be(0, process.Output);
        return process.Output;
    }

    /// <summary>The values of one metric in the console exporter's output (one per tag set), in order.</summary>
    private static List<(string Tags, long Value)> ConsoleValues(string output, string metric)
    {
        var block = output.Split("Metric Name: ").LastOrDefault(b => b.StartsWith(metric + ",", StringComparison.Ordinal));
        block.Should().NotBeNull($"the console export names {metric}: {output}");
        return [.. ConsolePoint().Matches(block!).Select(m => (m.Groups["tags"].Value.Trim(), long.Parse(m.Groups["value"].Value, CultureInfo.InvariantCulture)))];
    }

    [GeneratedRegex(@"\] (?<tags>[^\n]*)\nValue: (?<value>-?\d+)")]
    private static partial Regex ConsolePoint();

    [Fact]
    public async Task Speed_batch_exports_its_final_figures_to_the_console_at_exit()
    {
        var klines = await ReplayAsync();

        var output = await RunToEndAsync("speed-layer", "batch", "--metrics", "console");

        using var view = ParquetFileReader.Open(Path.Combine(ViewLayout.Speed.Directory(_dataDir), ViewLayout.Speed.CandlesFile));
        ConsoleValues(output, "lambda.speed.events").Should().Equal(("mode: batch", klines));
        ConsoleValues(output, "lambda.speed.windows_closed").Should().Equal(("mode: batch", view.RowCount));
        ConsoleValues(output, "lambda.speed.parts_written").Should().Equal(("mode: batch", 1L));
        ConsoleValues(output, "lambda.speed.late").Should().Equal(("mode: batch", 0L));
    }

    [Fact]
    public async Task Batch_layer_and_merge_export_what_they_stored_built_and_merged()
    {
        var rows = File.ReadLines(Sample("BTCUSDT-4h.csv")).Count() - 1;
        await ReplayAsync();
        await RunToEndAsync("speed-layer", "batch");

        var import = await RunToEndAsync("batch-layer", "import", Sample("BTCUSDT-4h.csv"), "--metrics", "console");
        var build = await RunToEndAsync("batch-layer", "build", "--metrics", "console");
        var merge = await RunToEndAsync("merge", "--no-chart", "--metrics", "console");

        ConsoleValues(import, "lambda.batch.klines_added").Should().Equal(("command: import", (long)rows));
        ConsoleValues(import, "lambda.batch.rows_read").Should().Equal(("command: import", (long)rows));
        using (var candles = ParquetFileReader.Open(Path.Combine(ViewLayout.Batch.Directory(_dataDir), ViewLayout.Batch.CandlesFile)))
        {
            ConsoleValues(build, "lambda.batch.view_rows").Should().Contain(("command: build view: daily_candles", candles.RowCount));
        }

        ConsoleValues(build, "lambda.batch.rows_read").Should().Equal(("command: build", (long)rows));
        using var serving = ParquetFileReader.Open(Path.Combine(ViewLayout.Serving.Directory(_dataDir), ViewLayout.Serving.ParquetFile));
        ConsoleValues(merge, "lambda.merge.rows").Sum(v => v.Value).Should().Be(serving.RowCount);
        ConsoleValues(merge, "lambda.merge.rows").Should().OnlyContain(v => v.Tags.StartsWith("rule: ", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Speed_stream_serves_its_figures_on_the_prometheus_endpoint_while_it_runs()
    {
        var klines = await ReplayAsync();
        var port = LocalPorts.Free();
        using var stream = LambdaProcess.Start(["--data-dir", _dataDir, "stream", "--refresh", "1s", "--metrics", "prometheus"],
            new Dictionary<string, string> { ["LAMBDA_Telemetry__PrometheusPort"] = port.ToString(CultureInfo.InvariantCulture) });
        using var http = new HttpClient();
        var deadline = System.Diagnostics.Stopwatch.StartNew();
        string scrape = "";
        while (!(Value(scrape, "lambda_speed_events_total") == klines && Value(scrape, "lambda_speed_windows_closed_total") > 0))
        {
            deadline.Elapsed.Should().BeLessThan(Deadline, $"the endpoint shows every event and a closed window; last scrape: {scrape}; output: {stream.Output}");
            stream.HasExited.Should().BeFalse(stream.Output);
            await Task.Delay(100);
            try
            {
                scrape = await http.GetStringAsync(new Uri($"http://localhost:{port}/metrics"));
            }
            catch (Exception e) when (e is HttpRequestException or System.Net.Sockets.SocketException or IOException)
            {
                // Not serving yet: refused, or reset by the port check the process makes before it listens.
            }
        }

        scrape.Should().Contain("mode=\"stream\"");
        (await stream.InterruptAsync(Deadline)).Should().Be(0, stream.Output);
    }

    /// <summary>The value of a metric in a Prometheus scrape (one series), or null when absent.</summary>
    private static long? Value(string scrape, string metric)
    {
        var line = scrape.Split('\n').FirstOrDefault(l => l.StartsWith(metric + "{", StringComparison.Ordinal));
        // name{labels} value [timestamp]
        return line is null ? null : (long)double.Parse(line[(line.LastIndexOf('}') + 1)..].Trim().Split(' ')[0], CultureInfo.InvariantCulture);
    }
}
