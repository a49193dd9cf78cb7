using System.Text.Json;

namespace Lambda.Merge.Chart;

/// <summary>The charting library's standalone build, ready to be inlined into a page.</summary>
public sealed record ChartLibraryBundle(string Version, string Script);

/// <summary>
/// Finds TradingView's lightweight-charts (a charting library built for financial data, from npm),
/// which <c>scripts/setup-chart.sh</c> installs into <c>~/.cache/lambda/chart/node_modules</c>
/// (<c>$LAMBDA_CACHE/chart</c> when set; <c>LAMBDA_CHART_NODE_MODULES</c> names another folder).
/// Not found, the merge still writes the serving view and says how to get the chart.
/// </summary>
public static class ChartLibrary
{
    public const string Package = "lightweight-charts";
    public const string EnvironmentVariable = "LAMBDA_CHART_NODE_MODULES";
    public const string HowToInstall = "run scripts/setup-chart.sh (installs the npm package lightweight-charts into ~/.cache/lambda/chart), then merge again";

    public static string NodeModulesFolder
    {
        get
        {
            var configured = Environment.GetEnvironmentVariable(EnvironmentVariable);
            if (!string.IsNullOrWhiteSpace(configured))
            {
                return configured;
            }

            var cache = Environment.GetEnvironmentVariable("LAMBDA_CACHE");
            if (string.IsNullOrWhiteSpace(cache))
            {
                cache = Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache", "lambda");
            }

            return Path.Combine(cache, "chart", "node_modules");
        }
    }

    public static string BundlePath => Path.Combine(NodeModulesFolder, Package, "dist", "lightweight-charts.standalone.production.js");

    /// <summary>The bundle, or null when the library is not installed (or is not version 5).</summary>
    public static async Task<ChartLibraryBundle?> TryLoadAsync(CancellationToken cancellationToken)
    {
        var packageJson = Path.Combine(NodeModulesFolder, Package, "package.json");
        if (!File.Exists(BundlePath) || !File.Exists(packageJson))
        {
            return null;
        }

        using var package = JsonDocument.Parse(await File.ReadAllBytesAsync(packageJson, cancellationToken).ConfigureAwait(false));
        var version = package.RootElement.TryGetProperty("version", out var v) ? v.GetString() ?? "" : "";
        if (!version.StartsWith("5.", StringComparison.Ordinal))
        {
            return null;
        }

        return new ChartLibraryBundle(version, await File.ReadAllTextAsync(BundlePath, cancellationToken).ConfigureAwait(false));
    }
}
