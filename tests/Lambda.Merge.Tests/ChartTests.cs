using Lambda.Testing;
using System.Buffers.Binary;
using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using Lambda.Merge.Chart;
using Lambda.Merge.Serving;
using static Lambda.Merge.Tests.Candles;

namespace Lambda.Merge.Tests;

/// <summary>
/// The chart: an offline page that headless Chromium loads and that really draws candles of both
/// sources; its PNG; and a merge without the library or without Chromium. scripts/test.sh installs
/// both (scripts/setup-chart.sh, scripts/setup-system.sh); these tests fail, saying so, where they are missing.
/// </summary>
public sealed partial class ChartTests : IDisposable
{
    private readonly DataDirectory _data = new();

    public void Dispose() => _data.Dispose();

    private void WriteViews()
    {
        _data.WriteBatch(Range("BTCUSDT", "2026-05-01", "2026-07-20", "batch"), horizon: "2026-07-20");
        _data.WriteSpeed("daily_candles.parquet", [.. Range("BTCUSDT", "2026-07-18", "2026-08-02", "speed"), Of("BTCUSDT", "2026-08-03", "speed", complete: false)]);
    }

    private static string Chromium() =>
        HeadlessChromium.Find() ?? throw new InvalidOperationException($"Chromium is not installed: {HeadlessChromium.HowToInstall}");

    [Fact]
    public async Task The_chart_page_opens_offline_in_headless_chromium_and_draws_candles_of_both_sources()
    {
        (await ChartLibrary.TryLoadAsync(CancellationToken.None)).Should().NotBeNull(ChartLibrary.HowToInstall);
        WriteViews();

        var run = await CommandRun.InvokeAsync(MergeCommand.Build(), "--data-dir", _data.Root);

        run.ExitCode.Should().Be(0, run.Error + run.Output);
        var html = _data.Report(ServingChartPage.HtmlFile);
        var page = await File.ReadAllTextAsync(html);
        page.Should().NotContainAny(["<script src", "<link "], "everything the page needs is inside it (and Chromium runs with every host name unresolvable)");
        var dom = await HeadlessChromium.DumpDomAsync(Chromium(), html, TimeSpan.FromSeconds(90), CancellationToken.None);
        dom.Succeeded.Should().BeTrue(HeadlessChromium.Describe(dom));
        var body = BodyAttributes().Match(dom.Output);
        body.Success.Should().BeTrue("the page wrote its self-check into <body>: " + dom.Output[..Math.Min(400, dom.Output.Length)]);
        int Attribute(string name) => int.Parse(Regex.Match(body.Value, $"data-{name}=\"(\\d+)\"").Groups[1].Value, CultureInfo.InvariantCulture);
        Attribute("candles").Should().Be(_data.Serving().Count, "every serving day is a candle");
        Attribute("batch-pixels").Should().BeGreaterThan(500, "batch candles were painted in the batch colours");
        Attribute("speed-pixels").Should().BeGreaterThan(100, "speed candles were painted in the speed colours");
    }

    [Fact]
    public async Task The_png_is_a_1400_by_800_rendering_of_the_chart()
    {
        Chromium();
        (await ChartLibrary.TryLoadAsync(CancellationToken.None)).Should().NotBeNull(ChartLibrary.HowToInstall);
        WriteViews();

        var run = await CommandRun.InvokeAsync(MergeCommand.Build(), "--data-dir", _data.Root);

        run.ExitCode.Should().Be(0, run.Error + run.Output);
        run.Output.Should().Contain("reports/serving-chart.png");
        var png = await File.ReadAllBytesAsync(_data.Report(ServingChartPage.PngFile));
        png.Take(8).Should().Equal(new byte[] { 0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A });
        BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(16)).Should().Be(ServingChart.Width);
        BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(20)).Should().Be(ServingChart.Height);
        png.Length.Should().BeGreaterThan(10_000, "a chart, not a blank page");
        Directory.GetFiles(Path.Combine(_data.Root, "reports"), ".*").Should().BeEmpty("no temporary file is left behind");
    }

    [Fact]
    public async Task Without_the_chart_library_the_merge_still_serves_and_says_how_to_get_the_chart()
    {
        WriteViews();

        var run = await RunMergeProcessAsync((ChartLibrary.EnvironmentVariable, Path.Combine(_data.Root, "no-such-node-modules")));

        run.ExitCode.Should().Be(0, run.Error);
        run.Output.Should().Contain("chart skipped: lightweight-charts 5.x is not installed").And.Contain("scripts/setup-chart.sh");
        File.Exists(_data.ServingParquet).Should().BeTrue();
        File.Exists(_data.Report(ServingChartPage.HtmlFile)).Should().BeFalse();
    }

    [Fact]
    public async Task Without_chromium_the_page_is_written_and_the_png_is_skipped_with_a_reason()
    {
        (await ChartLibrary.TryLoadAsync(CancellationToken.None)).Should().NotBeNull(ChartLibrary.HowToInstall);
        WriteViews();

        var run = await RunMergeProcessAsync((HeadlessChromium.EnvironmentVariable, "/no/such/chromium"));

        run.ExitCode.Should().Be(0, run.Error);
        run.Output.Should().Contain("PNG skipped: no Chromium").And.Contain("apt-get install -y chromium");
        File.Exists(_data.Report(ServingChartPage.HtmlFile)).Should().BeTrue();
        File.Exists(_data.Report(ServingChartPage.PngFile)).Should().BeFalse();
    }

    /// <summary>The <c>merge</c> executable in a child process, where an environment variable changes nothing for the other tests.</summary>
    private async Task<CommandRun> RunMergeProcessAsync((string Name, string Value) environment)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in new[] { Path.Combine(AppContext.BaseDirectory, "merge.dll"), "--data-dir", _data.Root })
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment[environment.Name] = environment.Value;
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        await process.WaitForExitAsync(timeout.Token);
        return new CommandRun(process.ExitCode, await output, await error);
    }

    [GeneratedRegex("<body[^>]*>")]
    private static partial Regex BodyAttributes();
}
