using System.Text;
using Lambda.Core.Storage;
using Lambda.Merge.Reports;
using Lambda.Merge.Serving;

namespace Lambda.Merge.Chart;

/// <summary>Writes <c>reports/serving-chart.html</c> when the charting library is installed, and renders it to <c>serving-chart.png</c> when Chromium is.</summary>
public static class ServingChart
{
    public const int Width = 1400;
    public const int Height = 800;
    private static readonly TimeSpan ScreenshotTimeout = TimeSpan.FromSeconds(90);

    public static async Task<ChartOutcome> WriteAsync(string reportsDirectory, IReadOnlyList<SeriesDays> series, ChartCaption caption, CancellationToken cancellationToken)
    {
        var library = await ChartLibrary.TryLoadAsync(cancellationToken).ConfigureAwait(false);
        if (library is null)
        {
            return new ChartOutcome(null, null, $"chart skipped: {ChartLibrary.Package} 5.x is not installed in {ChartLibrary.NodeModulesFolder}; {ChartLibrary.HowToInstall}");
        }

        var html = Path.Combine(reportsDirectory, ServingChartPage.HtmlFile);
        await AtomicFile.WriteAsync(html, Encoding.UTF8.GetBytes(ServingChartPage.Build(library, series, caption)), cancellationToken).ConfigureAwait(false);
        if (HeadlessChromium.Find() is not { } chromium)
        {
            return new ChartOutcome(html, null, $"PNG skipped: no Chromium on PATH; {HeadlessChromium.HowToInstall}");
        }

        // Rendered beside the target, then renamed: a reader never sees a half-written PNG.
        var png = Path.Combine(reportsDirectory, ServingChartPage.PngFile);
        var temporary = Path.Combine(reportsDirectory, $".{ServingChartPage.PngFile}.{Environment.ProcessId}.png");
        var run = await HeadlessChromium.ScreenshotAsync(chromium, html, temporary, Width, Height, ScreenshotTimeout, cancellationToken).ConfigureAwait(false);
        if (!run.Succeeded || !File.Exists(temporary))
        {
            File.Delete(temporary);
            return new ChartOutcome(html, null, $"PNG not rendered: {chromium} {HeadlessChromium.Describe(run)}");
        }

        File.Move(temporary, png, overwrite: true);
        return new ChartOutcome(html, png, null);
    }
}
