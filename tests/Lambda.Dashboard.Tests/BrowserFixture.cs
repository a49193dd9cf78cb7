using Lambda.Merge.Chart;
using Microsoft.Playwright;

namespace Lambda.Dashboard.Tests;

/// <summary>
/// One headless Chromium for the browser tests: Debian's, driven by Playwright through its executable
/// path (Playwright cannot download browsers here). <c>LAMBDA_CHROMIUM</c> names another binary.
/// </summary>
public sealed class BrowserFixture : IAsyncLifetime
{
    private IPlaywright? _playwright;

    public IBrowser Browser { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        var chromium = HeadlessChromium.Find() ?? throw new InvalidOperationException("Chromium is not installed: " + HeadlessChromium.HowToInstall);
        _playwright = await Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = chromium,
            Headless = true,
            // CI runs as root, where Chromium's sandbox refuses to start; the pages are our own, on loopback.
            Args = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"],
        });
    }

    public async Task<IPage> OpenAsync(string url)
    {
        var page = await Browser.NewPageAsync(new BrowserNewPageOptions { ViewportSize = new ViewportSize { Width = 1400, Height = 900 } });
        await page.GotoAsync(url);
        return page;
    }

    public async Task DisposeAsync()
    {
        if (Browser is not null)
        {
            await Browser.DisposeAsync();
        }

        _playwright?.Dispose();
    }
}

[CollectionDefinition(Name)]
public sealed class BrowserCollection : ICollectionFixture<BrowserFixture>
{
    public const string Name = "browser";
}
