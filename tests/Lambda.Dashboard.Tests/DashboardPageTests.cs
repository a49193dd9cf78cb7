using System.Globalization;
using Lambda.Core.Contracts;
using Lambda.Testing;
using Microsoft.Playwright;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace Lambda.Dashboard.Tests;

/// <summary>The dashboard in a real browser (headless Chromium), fed by a real redis-server.</summary>
[Collection(BrowserCollection.Name)]
public sealed class DashboardPageTests(BrowserFixture browser, ITestOutputHelper output) : IAsyncLifetime
{
    private static readonly LocatorAssertionsToHaveTextOptions Soon = new() { Timeout = 10_000 };
    private static readonly DateTime Noon = LiveDashboard.Today.ToDateTime(new TimeOnly(12, 0));

    private LiveDashboard _dashboard = null!;

    public async Task InitializeAsync() => _dashboard = await LiveDashboard.StartAsync();

    public async Task DisposeAsync() => await _dashboard.DisposeAsync();

    [Fact]
    public async Task Published_prices_and_alerts_appear_within_seconds_and_the_live_candle_grows_in_place()
    {
        var page = await browser.OpenAsync(_dashboard.Url);
        await Expect(page.Locator("#status")).ToContainTextAsync("connected", new() { Timeout = 10_000 });

        await _dashboard.PublishAsync(SampleEvents.Ticker("BTCUSDT", 91234.5, Noon, changePercent: 2.25));
        var tile = page.Locator(".tile[data-key='binance:BTCUSDT']");
        await Expect(tile.Locator(".price")).ToHaveTextAsync("91234.50", Soon);
        await Expect(tile).ToContainTextAsync("24 h: +2.25 %", new() { Timeout = 10_000 });

        await _dashboard.PublishAsync(SampleEvents.Alert("ETHUSDT", 3000, 3030, Noon));
        await Expect(page.Locator("#alerts li").First).ToContainTextAsync("ETHUSDT", new() { Timeout = 10_000 });
        await Expect(page.Locator("#alerts li").First).ToContainTextAsync("+1.00 %", new() { Timeout = 10_000 });

        // The chart shows the serving view's days and, after them, today's candle grown from live events.
        await tile.ClickAsync();
        await Expect(page.Locator("#chart-last")).ToContainTextAsync($"last day {LiveDashboard.Today:yyyy-MM-dd} (live", new() { Timeout = 10_000 });
        var chart = page.Locator("#chart");
        await _dashboard.PublishAsync(SampleEvents.Kline("BTCUSDT", Noon, 91000, 92000, 90500, 91500));
        await Expect(page.Locator("#chart-last")).ToContainTextAsync("C 91500.00", new() { Timeout = 10_000 });
        var before = await chart.ScreenshotAsync();

        await _dashboard.PublishAsync(SampleEvents.Kline("BTCUSDT", Noon, 91000, 95000, 90500, 94800));
        await Expect(page.Locator("#chart-last")).ToContainTextAsync("H 95000.00 L 90500.00 C 94800.00", new() { Timeout = 10_000 });
        await Deadline.WaitUntilAsync(async () => !(await chart.ScreenshotAsync()).SequenceEqual(before), TimeSpan.FromSeconds(10), "the live candle redrawn", TimeSpan.FromMilliseconds(200));
        (await page.Locator("#chart canvas").CountAsync()).Should().BeGreaterThan(0, "the inlined chart library drew the chart");

        var shot = Path.Combine(AppContext.BaseDirectory, "dashboard.png");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = shot });
        output.WriteLine($"screenshot: {shot}");
    }

    [Fact]
    public async Task A_symbol_full_of_markup_renders_as_text_and_runs_nothing()
    {
        const string symbol = "<img src=x onerror=\"window.__pwned=1\">";
        const string exchange = "<b onmouseover=alert(1)>x</b>";
        var page = await browser.OpenAsync(_dashboard.Url);
        await Expect(page.Locator("#status")).ToContainTextAsync("connected", new() { Timeout = 10_000 });

        await _dashboard.PublishAsync(SampleEvents.Ticker(symbol, 1.2345, Noon, exchange: exchange));
        await _dashboard.PublishAsync(SampleEvents.Alert(symbol, 1, 1.1, Noon, exchange: exchange));

        await Expect(page.Locator(".tile .symbol").Filter(new() { HasText = "onerror" })).ToHaveTextAsync(symbol, Soon);
        await Expect(page.Locator(".tile .exchange").Filter(new() { HasText = "onmouseover" })).ToHaveTextAsync(exchange, Soon);
        await Expect(page.Locator("#alerts .alert-symbol").First).ToHaveTextAsync(symbol, Soon);
        (await page.Locator("main img, main b:not(.alert-symbol)").CountAsync()).Should().Be(0, "nothing from an event becomes an element");
        (await page.EvaluateAsync<bool>("() => window.__pwned === undefined")).Should().BeTrue("no handler from an event ran");
    }

    [Fact]
    public async Task The_page_recovers_after_Redis_restarts()
    {
        var (page, price) = await OpenShowingAsync("BTCUSDT", 100, "100.0000");

        await _dashboard.Redis.KillAsync();
        await Expect(page.Locator("#status .disconnected")).ToHaveTextAsync("disconnected", Soon);

        await _dashboard.Redis.RestartAsync();
        await Expect(page.Locator("#status .connected")).ToHaveTextAsync("connected", new() { Timeout = 30_000 });
        // Prices published after the restart reach the page (the publisher and the dashboard both reconnected).
        await Deadline.WaitUntilAsync(async () =>
        {
            await _dashboard.PublishAsync(SampleEvents.Ticker("BTCUSDT", 200, Noon.AddMinutes(1)));
            return await price.TextContentAsync() == "200.0000";
        }, TimeSpan.FromSeconds(30), "a price published after the restart on the page", TimeSpan.FromMilliseconds(250));
    }

    [Fact]
    public async Task Publish_to_screen_delay_over_100_events()
    {
        var (page, _) = await OpenShowingAsync("DELAYUSDT", 1000, "1000.00");
        // The page notes when each price text appears (the browser's clock is this machine's clock).
        await page.EvaluateAsync("""
            () => {
              window.__shown = new Map();
              const target = document.querySelector(".tile[data-key='binance:DELAYUSDT'] .price");
              new MutationObserver(() => { if (!window.__shown.has(target.textContent)) window.__shown.set(target.textContent, Date.now()); })
                .observe(target, { childList: true, characterData: true, subtree: true });
            }
            """);

        var delays = new List<double>();
        for (var i = 1; i <= 100; i++)
        {
            var value = 1000 + i;
            var text = value.ToString("0.00", CultureInfo.InvariantCulture);
            var published = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
            await _dashboard.PublishAsync(SampleEvents.Ticker("DELAYUSDT", value, Noon.AddSeconds(i)));
            await page.WaitForFunctionAsync($"() => window.__shown.has('{text}')", null, new() { Timeout = 10_000 });
            var shown = await page.EvaluateAsync<double>($"() => window.__shown.get('{text}')");
            delays.Add(shown - published);
        }

        delays.Sort();
        var median = (delays[49] + delays[50]) / 2;
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"publish→screen delay over 100 events: median {median:0.0} ms, p90 {delays[89]:0.0} ms, max {delays[99]:0.0} ms"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"[dashboard] publish→screen delay over 100 events: median {median:0.0} ms, p90 {delays[89]:0.0} ms, max {delays[99]:0.0} ms"));
        delays.Should().OnlyContain(d => d >= 0, "a price cannot be shown before it was published");
    }

    /// <summary>A page open on the dashboard, showing <paramref name="symbol"/>'s tile at <paramref name="shown"/> after one ticker.</summary>
    private async Task<(IPage Page, ILocator Price)> OpenShowingAsync(string symbol, double price, string shown)
    {
        var page = await browser.OpenAsync(_dashboard.Url);
        await _dashboard.PublishAsync(SampleEvents.Ticker(symbol, price, Noon));
        var locator = page.Locator($".tile[data-key='binance:{symbol}'] .price");
        await Expect(locator).ToHaveTextAsync(shown, Soon);
        return (page, locator);
    }
}
