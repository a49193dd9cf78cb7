using Lambda.Testing;
using System.Globalization;
using System.IO.Compression;
using Lambda.BatchLayer.Master;
using Lambda.Core.Klines;

namespace Lambda.BatchLayer.Tests;

public sealed class ImportCommandTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    private string Data => _temp.File("data");

    public void Dispose() => _temp.Dispose();

    private List<Kline> Stored(string symbol = "BTCUSDT", string? interval = null)
    {
        using var master = new MasterDataset(Data);
        return [.. master.Partitions().Where(p => p.Symbol == symbol && (interval is null || p.Interval == interval)).SelectMany(master.ReadKlines)];
    }

    [Fact]
    public async Task Binance_csv_with_a_header_is_imported_under_the_symbol_and_interval_of_its_name()
    {
        var run = await CommandRun.InvokeAsync(BatchLayerCommand.Build(), "--data-dir", Data, "import", RealData.FourHour);

        run.ExitCode.Should().Be(0, run.ToString());
        run.Output.Should().Contain("BTCUSDT 4h, 12,304 rows: 12,304 added, 0 unchanged, 0 conflicting, 0 bad");
        Stored(interval: "4h").Should().Equal(RealData.Klines(RealData.FourHour));
    }

    [Fact]
    public async Task Microsecond_timestamps_are_stored_as_the_same_milliseconds()
    {
        // Binance writes µs (16 digits) from 2025 on: turn every row's times into µs.
        var lines = File.ReadLines(RealData.FourHour).Select((line, i) =>
        {
            if (i == 0)
            {
                return line;
            }

            var f = line.Split(',');
            f[0] += "000";
            f[6] += "999";
            return string.Join(',', f);
        });
        var path = _temp.File("BTCUSDT-4h-2025-01.csv");
        await File.WriteAllLinesAsync(path, lines);

        var run = await CommandRun.InvokeAsync(BatchLayerCommand.Build(), "--data-dir", Data, "import", path);

        run.ExitCode.Should().Be(0, run.ToString());
        Stored().Should().Equal(RealData.Klines(RealData.FourHour));
    }

    [Fact]
    public async Task Zip_archives_of_headerless_monthly_csv_files_found_in_a_folder_are_imported()
    {
        // Binance's monthly dumps: BTCUSDT-1d-2021-01.zip holding BTCUSDT-1d-2021-01.csv, no header.
        var folder = Directory.CreateDirectory(_temp.File("dumps")).FullName;
        var daily = RealData.DataLines(RealData.Daily);
        foreach (var month in daily.GroupBy(l => MasterDataset.MonthOf(long.Parse(l.Split(',')[0], CultureInfo.InvariantCulture))).Take(14))
        {
            var name = $"BTCUSDT-1d-{month.Key}";
            using var zip = ZipFile.Open(Path.Combine(folder, name + ".zip"), ZipArchiveMode.Create);
            await using var writer = new StreamWriter(zip.CreateEntry(name + ".csv").Open());
            foreach (var line in month)
            {
                await writer.WriteLineAsync(line);
            }
        }

        var run = await CommandRun.InvokeAsync(BatchLayerCommand.Build(), "--data-dir", Data, "import", folder);

        run.ExitCode.Should().Be(0, run.ToString());
        run.Output.Should().Contain("Importing 14 file(s)");
        var expected = RealData.Klines(RealData.Daily).Where(k => string.CompareOrdinal(MasterDataset.MonthOf(k.OpenTime), "2022-02") <= 0);
        Stored(interval: "1d").Should().Equal(expected);
    }

    [Fact]
    public async Task A_headerless_csv_imports_like_the_same_file_with_its_header()
    {
        var path = _temp.File("BTCUSDT-1d.csv");
        await File.WriteAllLinesAsync(path, RealData.DataLines(RealData.Daily));

        var run = await CommandRun.InvokeAsync(BatchLayerCommand.Build(), "--data-dir", Data, "import", path);

        run.ExitCode.Should().Be(0, run.ToString());
        Stored().Should().Equal(RealData.Klines(RealData.Daily));
    }

    [Theory]
    [InlineData("date")]
    [InlineData("timestamp")]
    public async Task A_simple_ohlcv_csv_takes_the_symbol_from_the_option_and_infers_the_interval(string timeColumn)
    {
        var daily = RealData.Klines(RealData.Daily);
        var path = _temp.File("prices.csv");
        var rows = daily.Select(k => string.Create(CultureInfo.InvariantCulture,
            $"{(timeColumn == "date" ? DateTimeOffset.FromUnixTimeMilliseconds(k.OpenTime).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) : k.OpenTime.ToString(CultureInfo.InvariantCulture))},{k.Open:R},{k.High:R},{k.Low:R},{k.Close:R},{k.Volume:R}"));
        await File.WriteAllLinesAsync(path, [$"{timeColumn},open,high,low,close,volume", .. rows]);

        var run = await CommandRun.InvokeAsync(BatchLayerCommand.Build(), "--data-dir", Data, "import", path, "--symbol", "ethusdt", "--exchange", "Bybit");

        run.ExitCode.Should().Be(0, run.ToString());
        run.Output.Should().Contain("ETHUSDT 1d");
        using var master = new MasterDataset(Data);
        master.Partitions().Should().OnlyContain(p => p.Exchange == "bybit" && p.Symbol == "ETHUSDT" && p.Interval == "1d");
        Stored("ETHUSDT").Should().Equal(daily.Select(k => k with { CloseTime = k.OpenTime + 86_399_999, QuoteVolume = 0, Trades = 0 }));
    }

    /// <summary>When the file name, the options and the timestamps disagree, nothing enters the immutable master dataset.</summary>
    [Fact]
    public async Task Labels_that_contradict_the_file_are_refused_and_nothing_is_stored()
    {
        var daily = RealData.Klines(RealData.Daily);
        var simple = _temp.File("prices.csv");
        await File.WriteAllLinesAsync(simple, ["timestamp,open,high,low,close,volume", .. daily.Take(40).Select(k => string.Create(CultureInfo.InvariantCulture,
            $"{k.OpenTime},{k.Open:R},{k.High:R},{k.Low:R},{k.Close:R},{k.Volume:R}"))]);

        var dailyAs4h = await CommandRun.InvokeAsync(BatchLayerCommand.Build(), "--data-dir", Data, "import", simple, "--symbol", "BTCUSDT", "--interval", "4h");
        var otherSymbol = await CommandRun.InvokeAsync(BatchLayerCommand.Build(), "--data-dir", Data, "import", RealData.Daily, "--symbol", "ETHUSDT");
        var otherInterval = await CommandRun.InvokeAsync(BatchLayerCommand.Build(), "--data-dir", Data, "import", RealData.Daily, "--interval", "4h");

        dailyAs4h.ExitCode.Should().Be(1);
        dailyAs4h.Error.Should().Contain("prices.csv").And.Contain("--interval says 4h klines but the timestamps show 1d klines");
        otherSymbol.ExitCode.Should().Be(1);
        otherSymbol.Error.Should().Contain("the file name says BTCUSDT but --symbol says ETHUSDT");
        otherInterval.ExitCode.Should().Be(1);
        otherInterval.Error.Should().Contain("the file name says 1d klines but --interval says 4h");
        using var master = new MasterDataset(Data);
        master.Partitions().Should().BeEmpty();
    }

    /// <summary>A file with no kline at all is one error about the file, not one per row.</summary>
    [Fact]
    public async Task A_file_without_a_single_kline_is_one_file_level_error()
    {
        var empty = _temp.File("BTCUSDT-1d-empty.csv");
        await File.WriteAllTextAsync(empty, "");
        var noClose = _temp.File("BTCUSDT-1d-columns.csv");
        await File.WriteAllLinesAsync(noClose, [.. File.ReadLines(RealData.Daily).Skip(1).Take(30).Select(l => string.Join(',', l.Split(',').Take(5)))]);

        foreach (var (file, reason) in new[] { (empty, "the file holds no rows"), (noClose, "no row of the file is a kline (first problem, line 1:") })
        {
            var run = await CommandRun.InvokeAsync(BatchLayerCommand.Build(), "--data-dir", Data, "import", file);

            run.ExitCode.Should().Be(1);
            run.ToString().Should().Contain(reason);
            var reports = Path.Combine(Data, "reports");
            (Directory.Exists(reports) ? Directory.GetFiles(reports, "*bad-rows*") : []).Should().BeEmpty("no row-by-row report for a file that holds no klines");
        }
    }

    [Fact]
    public async Task A_file_that_names_no_symbol_without_symbol_option_fails_with_a_clear_message()
    {
        var path = _temp.File("prices.csv");
        await File.WriteAllLinesAsync(path, ["timestamp,open,high,low,close,volume", "1609459200000,1,2,1,2,3", "1609545600000,1,2,1,2,3"]);

        var run = await CommandRun.InvokeAsync(BatchLayerCommand.Build(), "--data-dir", Data, "import", path);

        run.ExitCode.Should().Be(1);
        run.Error.Should().Contain("prices.csv: cannot tell the symbol").And.Contain("--symbol");
    }

    [Fact]
    public async Task Importing_the_same_data_twice_changes_nothing()
    {
        (await CommandRun.InvokeAsync(BatchLayerCommand.Build(), "--data-dir", Data, "import", RealData.Daily, RealData.FourHour)).ExitCode.Should().Be(0);
        using (var master = new MasterDataset(Data))
        {
            var before = master.Partitions().ToDictionary(p => p.Path, p => (File.ReadAllBytes(p.Path), File.GetLastWriteTimeUtc(p.Path)));

            var again = await CommandRun.InvokeAsync(BatchLayerCommand.Build(), "--data-dir", Data, "import", RealData.Daily, RealData.FourHour);

            again.Output.Should().Contain("0 added, 14,355 unchanged, 0 conflicting, 0 bad");
            master.Partitions().ToDictionary(p => p.Path, p => (File.ReadAllBytes(p.Path), File.GetLastWriteTimeUtc(p.Path))).Should().BeEquivalentTo(before);
        }
    }

    [Fact]
    public async Task Bad_rows_are_reported_with_file_and_line_and_counted_the_rest_is_imported_and_the_exit_code_says_so()
    {
        var lines = File.ReadLines(RealData.FourHour).ToList();
        var good = lines[1].Split(',');
        string Row(Action<string[]> change)
        {
            var f = (string[])good.Clone();
            change(f);
            return string.Join(',', f);
        }

        // Line numbers of the written file: header is line 1.
        lines.Insert(10, "this is not a kline");                                // line 11
        lines.Insert(20, Row(f => f[4] = "abc"));                                // line 21: close not a number
        lines.Insert(30, Row(f => (f[2], f[3]) = (f[3], f[2])));                 // line 31: high below low
        lines.Insert(40, Row(f => f[0] = (long.Parse(f[0], CultureInfo.InvariantCulture) + 60_000).ToString(CultureInfo.InvariantCulture))); // line 41: not on the 4h grid
        var path = _temp.File("BTCUSDT-4h.csv");
        await File.WriteAllLinesAsync(path, lines);

        var run = await CommandRun.InvokeAsync(BatchLayerCommand.Build(), "--data-dir", Data, "import", path);

        run.ExitCode.Should().Be(2, run.ToString());
        run.Error.Should().Contain($"bad row {path}:11:")
            .And.Contain($"bad row {path}:21: column 5 'abc'")
            .And.Contain($"bad row {path}:31: open")
            .And.Contain($"bad row {path}:41: open time");
        run.Output.Should().Contain("12,304 added, 0 unchanged, 0 conflicting, 4 bad");
        Stored().Should().Equal(RealData.Klines(RealData.FourHour));
        var report = Directory.GetFiles(Path.Combine(Data, "reports"), "import-bad-rows-*.csv").Should().ContainSingle().Subject;
        File.ReadAllLines(report).Should().HaveCount(5).And.Contain(l => l.Contains("\"this is not a kline\"", StringComparison.Ordinal));

        var allowed = await CommandRun.InvokeAsync(BatchLayerCommand.Build(), "--data-dir", Data, "import", path, "--allow-bad-rows");
        allowed.ExitCode.Should().Be(0, allowed.ToString());
        allowed.Output.Should().Contain("0 added, 12,304 unchanged, 0 conflicting, 4 bad");
    }

    [Fact]
    public async Task Rows_that_conflict_with_stored_values_are_counted_and_make_the_exit_code_non_zero()
    {
        (await CommandRun.InvokeAsync(BatchLayerCommand.Build(), "--data-dir", Data, "import", RealData.Daily)).ExitCode.Should().Be(0);
        var lines = File.ReadLines(RealData.Daily).ToList();
        var f = lines[5].Split(',');
        f[5] = "1.5"; // another volume for a stored day
        lines[5] = string.Join(',', f);
        var path = _temp.File("BTCUSDT-1d.csv");
        await File.WriteAllLinesAsync(path, lines);

        var run = await CommandRun.InvokeAsync(BatchLayerCommand.Build(), "--data-dir", Data, "import", path);

        run.ExitCode.Should().Be(2, run.ToString());
        run.Output.Should().Contain("0 added, 2,050 unchanged, 1 conflicting, 0 bad");
        run.Error.Should().Contain("1 row(s) conflict");
        Stored().Should().Equal(RealData.Klines(RealData.Daily));
    }

    [Fact]
    public async Task Quoted_globs_are_expanded_and_paths_that_name_nothing_fail_the_import()
    {
        var run = await CommandRun.InvokeAsync(BatchLayerCommand.Build(), "--data-dir", Data, "import", Path.Combine(Path.GetDirectoryName(RealData.Daily)!, "BTCUSDT-*.csv"), _temp.File("missing.csv"));

        run.ExitCode.Should().Be(1);
        run.Output.Should().Contain("Importing 2 file(s)");
        run.Error.Should().Contain("missing.csv' names no file");
        Stored(interval: "1d").Should().HaveCount(2051);
    }

    [Fact]
    public async Task Import_while_another_writer_holds_the_master_dataset_fails_with_a_clear_message()
    {
        using var other = new MasterDataset(Data);
        await other.AddAsync("binance", "ETHUSDT", "1d", RealData.Klines(RealData.Daily).Take(1).ToList(), MasterOrigins.Import, CancellationToken.None);

        var run = await CommandRun.InvokeAsync(BatchLayerCommand.Build(), "--data-dir", Data, "import", RealData.Daily);

        run.ExitCode.Should().Be(1);
        run.Error.Should().Contain("being written by another batch-layer command");
    }

    [Theory]
    [InlineData("--interval", "7m", "--interval '7m' is not a kline interval")]
    [InlineData("--symbol", "BTC/USDT", "--symbol 'BTC/USDT' is not letters and digits")]
    [InlineData("--exchange", "../x", "--exchange '../x' is not a name")]
    public async Task Bad_options_are_rejected_before_anything_is_read(string option, string value, string message)
    {
        var run = await CommandRun.InvokeAsync(BatchLayerCommand.Build(), "--data-dir", Data, "import", RealData.Daily, option, value);
        run.ExitCode.Should().Be(1);
        run.Error.Should().Contain(message);
        Directory.Exists(Data).Should().BeFalse();
    }
}
