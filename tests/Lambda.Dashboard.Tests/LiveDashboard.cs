using Lambda.Core.Contracts;
using Lambda.Core.Transport.Live;
using Lambda.Core.Views;
using Lambda.Dashboard.Board;
using Lambda.Dashboard.Hosting;
using Lambda.Merge.Serving;
using Lambda.Producer.Sinks;
using Lambda.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;

namespace Lambda.Dashboard.Tests;

/// <summary>
/// The dashboard as it runs (Kestrel on 127.0.0.1, a port of its own), fed by a real redis-server
/// through the producer's own Redis sink, over a data directory with a serving view of a few days.
/// </summary>
internal sealed class LiveDashboard : IAsyncDisposable
{
    /// <summary>The day the tests' live events fall on; the serving view holds the days before it.</summary>
    public static readonly DateOnly Today = new(2026, 11, 20);

    private LiveDashboard(RedisServer redis, WebApplication app, RedisSink publisher, string dataDirectory, string url)
    {
        Redis = redis;
        App = app;
        Publisher = publisher;
        DataDirectory = dataDirectory;
        Url = url;
    }

    public RedisServer Redis { get; }

    public WebApplication App { get; }

    public RedisSink Publisher { get; }

    public string DataDirectory { get; }

    /// <summary>The page, e.g. <c>http://127.0.0.1:41234/</c>.</summary>
    public string Url { get; }

    public MarketBoard Board => App.Services.GetRequiredService<MarketBoard>();

    public static async Task<LiveDashboard> StartAsync(string channelPrefix = "")
    {
        var redis = await RedisServer.StartAsync();
        var dataDirectory = Directory.CreateTempSubdirectory("lambda-dashboard-").FullName;
        await WriteServingViewAsync(dataDirectory);
        var redisOptions = new RedisOptions { Endpoint = redis.Endpoint, ChannelPrefix = channelPrefix, MaxReconnectDelay = TimeSpan.FromMilliseconds(500) };
        var settings = new DashboardSettings
        {
            Urls = "http://127.0.0.1:0",
            DataDirectory = dataDirectory,
            ViewsRefresh = TimeSpan.FromSeconds(1),
            Redis = redisOptions,
        };
        var app = await DashboardServer.BuildAsync(settings, CancellationToken.None);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        var publisher = new RedisSink(new RedisOptions { Endpoint = redis.Endpoint, ChannelPrefix = channelPrefix, MaxReconnectDelay = TimeSpan.FromMilliseconds(500) }, NullLogger<RedisSink>.Instance);
        var dashboard = new LiveDashboard(redis, app, publisher, dataDirectory, address.TrimEnd('/') + "/");
        // Subscribed and connected before a test publishes: pub/sub keeps nothing for late subscribers.
        await Deadline.WaitUntilAsync(() => dashboard.Board.Connected, TimeSpan.FromSeconds(30), "the dashboard connected to Redis");
        await dashboard.WaitUntilSubscribedAsync();
        return dashboard;
    }

    public ValueTask PublishAsync(MarketEvent marketEvent) => Publisher.PublishAsync(marketEvent, CancellationToken.None);

    /// <summary>Publishes a probe ticker until the board has seen one: the subscriptions are in place.</summary>
    public async Task WaitUntilSubscribedAsync()
    {
        var before = Board.Events;
        await Deadline.WaitUntilAsync(() =>
        {
            if (Board.Events > before)
            {
                return true;
            }

            _ = PublishAsync(SampleEvents.Ticker("PROBEUSDT", 1, Today.ToDateTime(TimeOnly.MinValue)));
            return false;
        }, TimeSpan.FromSeconds(30), "the dashboard's subscriptions", TimeSpan.FromMilliseconds(100));
    }

    public async ValueTask DisposeAsync()
    {
        await Publisher.DisposeAsync();
        await App.StopAsync();
        await App.DisposeAsync();
        await Redis.DisposeAsync();
        Directory.Delete(DataDirectory, recursive: true);
    }

    /// <summary>Ten complete BTCUSDT days before <see cref="Today"/>, written by the merge's own serving view writer.</summary>
    private static async Task WriteServingViewAsync(string dataDirectory)
    {
        var directory = ViewLayout.Serving.Directory(dataDirectory);
        Directory.CreateDirectory(directory);
        using var writer = new ServingViewWriter(directory);
        var close = 90_000.0;
        for (var day = Today.AddDays(-10); day < Today; day = day.AddDays(1))
        {
            var open = close;
            close = open * (day.Day % 3 == 0 ? 0.98 : 1.015);
            var start = new DateTimeOffset(day.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
            writer.Write(new ServingCandle(new DailyCandle(Exchanges.Binance, "BTCUSDT", day, open, Math.Max(open, close) * 1.01, Math.Min(open, close) * 0.99, close,
                100, 100 * close, 1000, ViewLayout.Sources.Batch, true, start, start.AddDays(1).AddTicks(-10)), "batch:test"));
        }

        await writer.CommitAsync(new Dictionary<string, string>(), CancellationToken.None);
    }
}
