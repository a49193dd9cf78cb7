using Lambda.Testing;
using System.Text.Json;
using Lambda.Core.Views;
using Lambda.Merge;

namespace Lambda.Cli.Tests;

public sealed class MergeShowTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("lambda-show-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private string WriteCandles(int count)
    {
        var path = Path.Combine(_folder, "candles.parquet");
        using var writer = ParquetFileWriter.Create(path, DailyCandleMap.Instance.Schema);
        for (var i = 0; i < count; i++)
        {
            var start = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero).AddDays(i);
            writer.Write(new DailyCandle("binance", "BTCUSDT", DateOnly.FromDateTime(start.UtcDateTime), 100 + i, 110 + i, 90 + i, 105.5 + i, 12.25, 1300.5, 42 + i,
                "batch", i % 2 == 0, start, start.AddHours(23)), DailyCandleMap.Instance);
        }

        return path;
    }

    [Fact]
    public async Task Show_prints_the_schema_and_the_rows_as_a_table()
    {
        var path = WriteCandles(5);

        var run = await CommandRun.InvokeAsync(MergeCommand.Build(), "show", path, "--limit", "3");

        run.ExitCode.Should().Be(0, run.Error);
        run.Output.Should().Contain("5 rows in 1 row group(s)")
            .And.Contain("day                      INT32 DATE")
            .And.Contain("first_event_time         INT64 TIMESTAMP(MICROS, UTC)")
            .And.Contain("2026-01-03")
            .And.NotContain("2026-01-04", "--limit 3")
            .And.Contain("(3 of 5 rows shown)");
    }

    [Fact]
    public async Task Show_prints_csv_with_a_header_and_json_objects_with_typed_values()
    {
        var path = WriteCandles(2);

        var csv = await CommandRun.InvokeAsync(MergeCommand.Build(), "show", path, "--format", "csv");
        var json = await CommandRun.InvokeAsync(MergeCommand.Build(), "show", path, "--format", "json");

        var lines = csv.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        lines[0].Should().Be("exchange,symbol,day,open,high,low,close,volume,quote_volume,trades,source,complete,first_event_time,last_event_time");
        lines[1].Should().Be("binance,BTCUSDT,2026-01-01,100,110,90,105.5,12.25,1300.5,42,batch,true,2026-01-01T00:00:00.000000Z,2026-01-01T23:00:00.000000Z");
        using var document = JsonDocument.Parse(json.Output);
        var second = document.RootElement[1];
        second.GetProperty("close").GetDouble().Should().Be(106.5);
        second.GetProperty("complete").GetBoolean().Should().BeFalse();
        second.GetProperty("day").GetString().Should().Be("2026-01-02");
    }

    [Fact]
    public async Task Show_refuses_a_file_that_is_not_parquet_with_a_message()
    {
        var path = Path.Combine(_folder, "not.parquet");
        File.WriteAllText(path, "this is not a parquet file at all");

        var run = await CommandRun.InvokeAsync(MergeCommand.Build(), "show", path);

        run.ExitCode.Should().Be(1);
        run.Error.Should().Contain("not.parquet");
    }
}
