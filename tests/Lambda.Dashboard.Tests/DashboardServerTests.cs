using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using Lambda.Core.Contracts;
using Lambda.Dashboard.Hosting;
using Lambda.Producer.Commands;
using Lambda.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;

namespace Lambda.Dashboard.Tests;

/// <summary>The dashboard's server without a browser: read-only, safe headers, the event log as a source, slow and closed pages, options.</summary>
public sealed class DashboardServerTests
{
    private static readonly DateTime Noon = LiveDashboard.Today.ToDateTime(new TimeOnly(12, 0));

    [Fact]
    public async Task The_server_is_read_only_and_its_page_runs_only_its_own_scripts()
    {
        await using var dashboard = await LiveDashboard.StartAsync();
        using var http = new HttpClient { BaseAddress = new Uri(dashboard.Url) };

        var page = await http.GetAsync("/");
        page.StatusCode.Should().Be(HttpStatusCode.OK);
        var policy = page.Headers.GetValues("Content-Security-Policy").Single();
        policy.Should().MatchRegex("script-src 'nonce-[A-Za-z0-9+/=]{24}';").And.Contain("default-src 'none'").And.Contain("connect-src 'self'");
        var nonce = policy.Split("'nonce-")[1].Split('\'')[0];
        var html = await page.Content.ReadAsStringAsync();
        html.Split("<script").Skip(1).Should().OnlyContain(tag => tag.StartsWith($" nonce=\"{nonce}\">", StringComparison.Ordinal));

        foreach (var path in (string[])["/", "/events", "/api/state"])
        {
            (await http.PostAsync(path, new StringContent("{}"))).StatusCode.Should().Be(HttpStatusCode.MethodNotAllowed, $"POST {path}");
            (await http.DeleteAsync(path)).StatusCode.Should().Be(HttpStatusCode.MethodNotAllowed, $"DELETE {path}");
        }
    }

    [Fact]
    public async Task A_page_that_never_reads_and_pages_that_go_away_do_not_hold_up_the_feed()
    {
        await using var dashboard = await LiveDashboard.StartAsync();
        var address = new Uri(dashboard.Url);
        // A page that opens the stream and never reads: its socket buffers fill up and stay full.
        using var stalled = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { ReceiveBufferSize = 1024 };
        await stalled.ConnectAsync(IPAddress.Loopback, address.Port);
        await stalled.SendAsync(Encoding.ASCII.GetBytes($"GET /events HTTP/1.1\r\nHost: {address.Authority}\r\n\r\n"));
        // Pages that connect and leave.
        for (var i = 0; i < 20; i++)
        {
            using var gone = new HttpClient { BaseAddress = address };
            using var response = await gone.GetAsync("/events", HttpCompletionOption.ResponseHeadersRead);
            await using var stream = await response.Content.ReadAsStreamAsync();
            (await stream.ReadAsync(new byte[64])).Should().BeGreaterThan(0);
        }

        await Deadline.WaitUntilAsync(() => dashboard.Board.Pages == 1, TimeSpan.FromSeconds(30), "the pages that left to be let go");

        var before = dashboard.Board.Events;
        const int events = 30_000;
        for (var i = 1; i <= events; i++)
        {
            // 300 symbols, many changes each: far more than the stalled page could ever take.
            await dashboard.PublishAsync(SampleEvents.Ticker($"S{i % 300}USDT", i, Noon.AddMilliseconds(i)));
        }

        await Deadline.WaitUntilAsync(() => dashboard.Board.Events >= before + events, TimeSpan.FromSeconds(60), $"{events} events on the board");

        // A page that connects now gets the latest state at once, whatever the stalled one is doing.
        using var fresh = new HttpClient { BaseAddress = address, Timeout = TimeSpan.FromSeconds(30) };
        using var state = JsonDocument.Parse(await fresh.GetStringAsync("/api/state"));
        var tile = state.RootElement.GetProperty("tiles").EnumerateArray().Single(t => t.GetProperty("key").GetString() == "binance:S0USDT");
        tile.GetProperty("price").GetDouble().Should().Be(events);
        using var response2 = await fresh.GetAsync("/events", HttpCompletionOption.ResponseHeadersRead);
        using var reader = new StreamReader(await response2.Content.ReadAsStreamAsync());
        (await reader.ReadLineAsync()).Should().Be("retry: 1000");
        (await reader.ReadLineAsync()).Should().BeEmpty();
        (await reader.ReadLineAsync()).Should().Be("event: snapshot");
        (await reader.ReadLineAsync()).Should().Contain("\"price\":30000");
    }

    [Fact]
    public async Task Without_Redis_it_tails_the_event_log_and_shows_the_views()
    {
        var data = Directory.CreateTempSubdirectory("lambda-dashboard-log-").FullName;
        try
        {
            var capture = Path.Combine(data, "capture.txt");
            SyntheticMarket.WriteCapture(capture, ["BTCUSDT", "ETHUSDT"], rounds: 100);
            (await CommandRun.InvokeAsync(ProducerCommand.Build(), "--data-dir", data, "replay", capture, "--stats-every", "0")).ExitCode.Should().Be(0);
            var logged = Directory.EnumerateFiles(Path.Combine(data, "topics"), "*.jsonl", SearchOption.AllDirectories).Sum(f => File.ReadLines(f).Count());

            var settings = new DashboardSettings { DataDirectory = data, ViewsRefresh = TimeSpan.FromMilliseconds(200) };
            await using var app = await DashboardServer.BuildAsync(settings, CancellationToken.None, builder => builder.WebHost.UseTestServer());
            await app.StartAsync();
            var board = app.Services.GetService(typeof(Lambda.Dashboard.Board.MarketBoard)) as Lambda.Dashboard.Board.MarketBoard;
            await Deadline.WaitUntilAsync(() => board!.Events == logged, TimeSpan.FromSeconds(30), $"the {logged} logged events on the board");

            using var http = app.GetTestClient();
            using var state = JsonDocument.Parse(await http.GetStringAsync("/api/state"));
            state.RootElement.GetProperty("status").GetProperty("source").GetString().Should().StartWith("embedded log in ");
            state.RootElement.GetProperty("status").GetProperty("connected").GetBoolean().Should().BeTrue();
            state.RootElement.GetProperty("status").GetProperty("dead_letters").GetInt64().Should().Be(1, "the capture's malformed frame");
            state.RootElement.GetProperty("tiles").EnumerateArray().Select(t => t.GetProperty("symbol").GetString()).Should().Equal("BTCUSDT", "ETHUSDT");
            var lastTicker = EventSerializer.Deserialize<TickerEvent>(Encoding.UTF8.GetBytes(
                Directory.EnumerateFiles(Path.Combine(data, "topics", Topics.Prices)).SelectMany(File.ReadLines).Last(l => l.Contains("ETHUSDT", StringComparison.Ordinal))));
            state.RootElement.GetProperty("tiles")[1].GetProperty("price").GetDouble().Should().Be(lastTicker.Price);
            await app.StopAsync();
        }
        finally
        {
            Directory.Delete(data, recursive: true);
        }
    }

    [Theory]
    [InlineData("--urls", "ftp://127.0.0.1:5080", "--urls 'ftp://127.0.0.1:5080' must be http://HOST:PORT URLs")]
    [InlineData("--urls", "not a url", "--urls 'not a url' must be http://HOST:PORT URLs")]
    [InlineData("--redis", "localhost", "--redis 'localhost' is not HOST:PORT")]
    [InlineData("--redis-prefix", "a b", "--redis-prefix 'a b' must be")]
    [InlineData("--views-refresh", "0s", "--views-refresh '0s' is not a positive duration")]
    public async Task A_bad_option_is_refused_with_one_clear_line(string option, string value, string message)
    {
        var run = await CommandRun.InvokeAsync(DashboardCommand.Build(), option, value);

        run.ExitCode.Should().Be(1);
        run.Error.Should().Contain(message);
        run.Error.Trim().Split('\n').Should().ContainSingle("one clear line");
        run.Output.Should().NotContain("Dashboard on");
    }
}
