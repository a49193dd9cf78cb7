using System.CommandLine;
using System.Globalization;
using Lambda.SpeedLayer;

namespace Lambda.Spark.Tests;

/// <summary><c>speed-layer stream|batch --engine spark</c> from the command line, without a server.</summary>
public sealed class SparkCommandLineTests : IDisposable
{
    private readonly string _data = Path.Combine(Path.GetTempPath(), "lambda-spark-cli-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_data))
        {
            Directory.Delete(_data, recursive: true);
        }
    }

    [Theory]
    [InlineData("--engine", "flink", "--engine 'flink' is not embedded or spark")]
    [InlineData("--spark-remote", "localhost:15002", "--spark-remote: 'localhost:15002' is not a Spark Connect address")]
    [InlineData("--spark-kafka", "kafka", "--spark-kafka 'kafka' is not a HOST:PORT list")]
    [InlineData("--spark-path-map", "./data", "--spark-path-map './data' is not LOCAL=REMOTE")]
    [InlineData("--checkpoint-location", " ", "--checkpoint-location is empty")]
    public async Task A_bad_value_is_refused_with_one_clear_line_and_exit_1(string option, string value, string message)
    {
        string[] engine = option == "--engine" ? [] : ["--engine", "spark"];
        var (code, _, error) = await RunAsync(["stream", .. engine, "--kafka", "localhost:9092", "--interval", "4h", option, value]);

        code.Should().Be(1);
        error.Should().Contain(message);
    }

    [Fact]
    public async Task Klines_on_spark_need_the_interval_and_kafka()
    {
        var (code, _, error) = await RunAsync("batch", "--engine", "spark", "--kafka", "localhost:9092");
        (code, error.Trim()).Should().Be((1, "--engine spark with crypto-klines needs --interval (e.g. --interval 4h): Spark cannot wait for the first kline to choose it"));

        (code, _, error) = await RunAsync("batch", "--engine", "spark", "--interval", "4h");
        code.Should().Be(1);
        error.Should().StartWith("--engine spark reads the topics from Kafka: give --kafka HOST:PORT");
    }

    [Fact]
    public async Task No_server_at_the_address_fails_with_what_to_start()
    {
        var (code, _, error) = await RunAsync("batch", "--engine", "spark", "--kafka", "localhost:9092", "--interval", "4h", "--spark-remote", "sc://127.0.0.1:1");

        code.Should().Be(1);
        error.Should().Contain("speed-layer batch --engine spark failed: no Spark Connect server answered at sc://127.0.0.1:1. Start one (docker compose --profile spark up -d");
    }

    [Fact]
    public async Task A_dry_run_prints_the_pyspark_plan_of_every_query_and_says_when_no_server_analyzed_it()
    {
        var (code, output, _) = await RunAsync("stream", "--engine", "spark", "--kafka", "localhost:9092", "--interval", "4h", "--topics", "crypto-klines,crypto-prices",
            "--spark-remote", "sc://127.0.0.1:1", "--dry-run");

        code.Should().Be(0);
        output.Should().Contain("# candles closed\nspark.readStream\n    .format(\"kafka\")")
            .And.Contain("# tickers live")
            .And.Contain(".outputMode(\"append\")")
            .And.Contain(".groupBy(col(\"exchange\"), col(\"symbol\"), window(col(\"window_time\")")
            .And.Contain("(no Spark Connect server answered at sc://127.0.0.1:1: the analyzed schemas are printed when one does)");
        Directory.Exists(Path.Combine(_data, "views")).Should().BeFalse("a dry run writes nothing");
    }

    private async Task<(int Code, string Output, string Error)> RunAsync(params string[] args)
    {
        var output = new StringWriter(CultureInfo.InvariantCulture);
        var error = new StringWriter(CultureInfo.InvariantCulture);
        var code = await SpeedLayerCommand.Build().Parse(["--data-dir", _data, .. args]).InvokeAsync(new InvocationConfiguration { Output = output, Error = error });
        return (code, output.ToString(), error.ToString());
    }
}
