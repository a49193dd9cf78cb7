// How many events a second the dashboard page keeps up with: events published through the producer's
// Redis sink at a fixed rate for a few seconds, the dashboard (in process, Kestrel on loopback)
// subscribed, a headless Chromium showing the page. After each burst every symbol gets one last,
// unique price; the page keeps up when the board took every event and the page shows all the last
// prices within a second of their publication.
//   scripts/bench-dashboard.sh [--rates 1000,5000,…] [--seconds N] [--symbols N]
//   scripts/bench-dashboard.sh --screenshot URL FILE   (the README's picture of a running dashboard)
using System.Diagnostics;
using System.Globalization;
using Lambda.Core.Contracts;
using Lambda.Core.Transport.Live;
using Lambda.Dashboard.Board;
using Lambda.Dashboard.Hosting;
using Lambda.Merge.Chart;
using Lambda.Producer.Sinks;
using Lambda.Testing;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Playwright;

if (args is ["--screenshot", var pageUrl, var file])
{
    return await ScreenshotAsync(pageUrl, file);
}

var rates = new[] { 1_000, 5_000, 10_000, 20_000, 40_000, 80_000 };
var seconds = 5;
var symbolCount = 20;
for (var i = 0; i < args.Length; i++)
{
    switch (args[i])
    {
        case "--rates": rates = [.. args[++i].Split(',').Select(r => int.Parse(r, CultureInfo.InvariantCulture))]; break;
        case "--seconds": seconds = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
        case "--symbols": symbolCount = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
        default: Console.Error.WriteLine($"bench-dashboard: unknown argument {args[i]} (--rates A,B,… --seconds N --symbols N)"); return 1;
    }
}

if (rates.Length == 0 || rates.Any(r => r <= 0) || seconds <= 0 || symbolCount <= 0)
{
    Console.Error.WriteLine("bench-dashboard: rates, seconds and symbols must be positive");
    return 1;
}

await using var redis = await RedisServer.StartAsync();
var data = Directory.CreateTempSubdirectory("lambda-bench-dashboard-").FullName;
var settings = new DashboardSettings { Urls = "http://127.0.0.1:0", DataDirectory = data, Redis = new RedisOptions { Endpoint = redis.Endpoint } };
await using var app = await DashboardServer.BuildAsync(settings, CancellationToken.None, b => b.Logging.SetMinimumLevel(LogLevel.Warning));
await app.StartAsync();
var url = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
var board = app.Services.GetRequiredService<MarketBoard>();
await using var sink = new RedisSink(new RedisOptions { Endpoint = redis.Endpoint, QueueCapacity = 1_000_000 }, NullLogger<RedisSink>.Instance);
var symbols = Enumerable.Range(0, symbolCount).Select(i => $"B{i:D3}USDT").ToArray();
var start = new DateTime(2026, 11, 20, 0, 0, 0, DateTimeKind.Utc);

using var playwright = await Playwright.CreateAsync();
await using var browser = await LaunchAsync(playwright);
var page = await browser.NewPageAsync(new BrowserNewPageOptions { ViewportSize = new ViewportSize { Width = 1400, Height = 900 } });
await page.GotoAsync(url);

// Every symbol once, so the tiles exist before timing starts.
var sequence = 0L;
foreach (var symbol in symbols)
{
    await sink.PublishAsync(Ticker(symbol, 1, sequence++), CancellationToken.None);
}

await page.WaitForFunctionAsync($"() => document.querySelectorAll('.tile').length >= {symbols.Length}", null, new() { Timeout = 30_000 });
// The page counts the price changes it draws.
await page.EvaluateAsync("""
    () => { window.__drawn = 0; new MutationObserver(m => window.__drawn += m.length).observe(document.getElementById('tiles'), { subtree: true, childList: true, characterData: true }); }
    """);

Console.WriteLine($"dashboard benchmark: {symbols.Length} symbols, {seconds} s per rate, Redis {redis.Endpoint}, page {url} (headless Chromium)");
Console.WriteLine($"{"target/s",10} {"published/s",12} {"failed",8} {"missed",8} {"board caught up",16} {"last price on page",19} {"page updates/s",15}  keeps up");
var best = 0;
foreach (var rate in rates)
{
    var boardBefore = board.Events;
    var failedBefore = sink.Statistics.Failed;
    var drawnBefore = await page.EvaluateAsync<long>("() => window.__drawn");
    var clock = Stopwatch.StartNew();
    var published = 0L;
    var total = (long)rate * seconds;
    while (published < total)
    {
        // Paced by the clock: as many as are due, then a millisecond's rest.
        var due = Math.Min(total, (long)(clock.Elapsed.TotalSeconds * rate));
        for (; published < due; published++)
        {
            await sink.PublishAsync(Ticker(symbols[published % symbols.Length], 100 + published % 1000, sequence++), CancellationToken.None);
        }

        await Task.Delay(1);
    }

    var publishSeconds = clock.Elapsed.TotalSeconds;
    // The last price of each symbol: unique, so the page can be asked whether it shows it.
    var finals = symbols.Select((symbol, i) => (symbol, price: 5_000 + rate % 1000 + i * 0.01)).ToList();
    var lastPublished = Stopwatch.StartNew();
    foreach (var (symbol, price) in finals)
    {
        await sink.PublishAsync(Ticker(symbol, price, sequence++), CancellationToken.None);
    }

    var sent = total + finals.Count;
    // Where the time goes: the board taking the events from Redis, then the page drawing the last prices.
    var boardLagMs = double.PositiveInfinity;
    var boardClock = Stopwatch.StartNew();
    while (boardClock.Elapsed < TimeSpan.FromSeconds(60))
    {
        if (board.Events - boardBefore >= sent)
        {
            boardLagMs = lastPublished.Elapsed.TotalMilliseconds;
            break;
        }

        await Task.Delay(1);
    }

    var expected = string.Join(",", finals.Select(f => $"'{f.symbol}':'{f.price.ToString("0.00", CultureInfo.InvariantCulture)}'"));
    double lagMs;
    try
    {
        await page.WaitForFunctionAsync($$"""
            () => { const want = { {{expected}} };
                    return Object.entries(want).every(([s, p]) => document.querySelector(".tile[data-key='binance:" + s + "'] .price")?.textContent === p); }
            """, null, new() { Timeout = 60_000, PollingInterval = 5 });
        lagMs = lastPublished.Elapsed.TotalMilliseconds;
    }
    catch (TimeoutException)
    {
        lagMs = double.PositiveInfinity;
    }

    var elapsed = clock.Elapsed.TotalSeconds;
    var boardEvents = board.Events - boardBefore;
    var failed = sink.Statistics.Failed - failedBefore;
    var drawn = await page.EvaluateAsync<long>("() => window.__drawn") - drawnBefore;
    var keepsUp = failed == 0 && boardEvents == sent && lagMs <= 1000;
    if (keepsUp)
    {
        best = Math.Max(best, rate);
    }

    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"{rate,10} {total / publishSeconds,12:0} {failed,8} {sent - boardEvents,8} {boardLagMs,13:0} ms {lagMs,16:0} ms {drawn / elapsed,15:0}  {(keepsUp ? "yes" : "no")}"));
}

Console.WriteLine(best > 0
    ? $"The page keeps up with {best:N0} events/s (every event on the board, every last price on the page within a second)."
    : "The page kept up with none of the rates.");
await app.StopAsync();
Directory.Delete(data, recursive: true);
return 0;

static async Task<IBrowser> LaunchAsync(IPlaywright playwright) => await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
{
    ExecutablePath = HeadlessChromium.Find() ?? throw new InvalidOperationException(HeadlessChromium.HowToInstall),
    Headless = true,
    // CI runs as root, where Chromium's sandbox refuses to start; the page is our own, on loopback.
    Args = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"],
});

// The page once its snapshot has arrived (a tile is drawn) and the chart has had a moment to lay out.
static async Task<int> ScreenshotAsync(string url, string file)
{
    using var playwright = await Playwright.CreateAsync();
    await using var browser = await LaunchAsync(playwright);
    var page = await browser.NewPageAsync(new BrowserNewPageOptions { ViewportSize = new ViewportSize { Width = 1400, Height = 820 } });
    await page.GotoAsync(url);
    await page.WaitForSelectorAsync(".tile", new() { Timeout = 30_000 });
    await page.WaitForFunctionAsync("() => document.querySelector('#chart canvas') !== null", null, new() { Timeout = 30_000 });
    await page.WaitForTimeoutAsync(1000);
    await page.ScreenshotAsync(new PageScreenshotOptions { Path = file });
    Console.WriteLine($"screenshot of {url}: {file}");
    return 0;
}

TickerEvent Ticker(string symbol, double price, long n) => SampleEvents.Ticker(symbol, price, start.AddMilliseconds(n), changePercent: 0);
