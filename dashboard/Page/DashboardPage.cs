using System.Reflection;
using System.Security.Cryptography;
using Lambda.Merge.Chart;
using Microsoft.AspNetCore.Http;

namespace Lambda.Dashboard.Page;

/// <summary>
/// The page: one HTML document with the charting library (lightweight-charts, found like the merge's
/// chart finds it) and our script inlined, so it works without internet. Every response gets a fresh
/// nonce and a Content-Security-Policy that runs only the scripts carrying it and connects only back
/// to this server: even a string from an event that slipped into the markup could not run.
/// </summary>
public sealed class DashboardPage(string template, string script, string? chartLibrary)
{
    public bool HasChart => chartLibrary is not null;

    public static async Task<DashboardPage> LoadAsync(CancellationToken cancellationToken)
    {
        var library = await ChartLibrary.TryLoadAsync(cancellationToken).ConfigureAwait(false);
        // Inlined as it is; only a literal "</script" could end the element early.
        return new DashboardPage(Resource("dashboard.html"), Resource("dashboard.js"), library?.Script.Replace("</script", "<\\/script", StringComparison.OrdinalIgnoreCase));
    }

    public Task WriteAsync(HttpContext context)
    {
        var nonce = Convert.ToBase64String(RandomNumberGenerator.GetBytes(18));
        var headers = context.Response.Headers;
        headers.ContentSecurityPolicy = $"default-src 'none'; script-src 'nonce-{nonce}'; style-src 'unsafe-inline'; connect-src 'self'; img-src data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";
        headers.XContentTypeOptions = "nosniff";
        headers.CacheControl = "no-store";
        headers["Referrer-Policy"] = "no-referrer";
        context.Response.ContentType = "text/html; charset=utf-8";
        var html = template
            .Replace("{{NONCE}}", nonce, StringComparison.Ordinal)
            .Replace("{{CHART_MISSING}}", HasChart ? "" : "The chart library is not installed: run scripts/setup-chart.sh, then restart the dashboard.", StringComparison.Ordinal)
            .Replace("{{CHART_LIBRARY}}", chartLibrary ?? "", StringComparison.Ordinal)
            .Replace("{{SCRIPT}}", script, StringComparison.Ordinal);
        return context.Response.WriteAsync(html, context.RequestAborted);
    }

    private static string Resource(string name)
    {
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream(name) ?? throw new InvalidOperationException($"resource {name} is missing from the build");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
