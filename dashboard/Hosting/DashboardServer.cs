using System.Text;
using System.Text.Json;
using Lambda.Core.Transport.Kafka;
using Lambda.Dashboard.Board;
using Lambda.Dashboard.Feeds;
using Lambda.Dashboard.Page;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Lambda.Dashboard.Hosting;

/// <summary>
/// The dashboard's web server: the page (<c>/</c>), its live updates as Server-Sent Events
/// (<c>/events</c>) and the same state as one JSON document (<c>/api/state</c>). Read-only: nothing
/// but GET is mapped. The live feed (Redis, or the event log) and the views' refresh run beside it.
/// </summary>
public static class DashboardServer
{
    /// <summary>The shortest time between two batches to one page (40 a second, above what a screen shows apart): a change after a quiet spell goes at once.</summary>
    public static readonly TimeSpan FrameInterval = TimeSpan.FromMilliseconds(25);

    /// <param name="configure">Last changes to the builder (tests put an in-memory server in place of Kestrel).</param>
    public static async Task<WebApplication> BuildAsync(DashboardSettings settings, CancellationToken cancellationToken, Action<WebApplicationBuilder>? configure = null)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { ApplicationName = "dashboard", ContentRootPath = AppContext.BaseDirectory });
        builder.WebHost.UseUrls(settings.Urls);
        builder.Logging.ClearProviders();
        builder.Logging.AddSimpleConsole(o => o.SingleLine = true);
        builder.Logging.AddFilter("Microsoft", LogLevel.Warning);
        builder.Services.AddSingleton(settings);
        builder.Services.AddSingleton(settings.Kafka);
        builder.Services.AddSingleton(settings.Redis);
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<MarketBoard>();
        builder.Services.AddSingleton(await DashboardPage.LoadAsync(cancellationToken).ConfigureAwait(false));
        if (settings.Redis.IsConfigured)
        {
            builder.Services.AddHostedService<RedisLiveFeed>();
        }
        else
        {
            builder.Services.AddHostedService<EventLogLiveFeed>();
        }

        builder.Services.AddHostedService<BoardRefresh>();
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(5));
        configure?.Invoke(builder);

        var app = builder.Build();
        app.MapGet("/", (HttpContext context, DashboardPage page) => page.WriteAsync(context));
        app.MapGet("/events", StreamAsync);
        app.MapGet("/api/state", (MarketBoard board) => Results.Text(JsonSerializer.Serialize(board.Snapshot(), BoardJsonContext.Default.Snapshot), "application/json"));
        return app;
    }

    /// <summary>
    /// One page's Server-Sent Events: the snapshot, then whatever changed, as fast as this page reads.
    /// A page that reads slowly only delays itself (its changes are coalesced, see <see cref="PageConnection"/>).
    /// </summary>
    private static async Task StreamAsync(HttpContext context, MarketBoard board, TimeProvider clock, IHostApplicationLifetime lifetime)
    {
        context.Features.Get<IHttpResponseBodyFeature>()?.DisableBuffering();
        context.Response.Headers.ContentType = "text/event-stream";
        context.Response.Headers.CacheControl = "no-store";
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, lifetime.ApplicationStopping);
        using var page = board.Connect();
        var text = new StringBuilder();
        // The browser reconnects by itself a second after the stream ends (a dashboard restart).
        text.Append("retry: 1000\n\n");
        Append(text, new PageMessage("snapshot", JsonSerializer.Serialize(board.Snapshot(), BoardJsonContext.Default.Snapshot)));
        try
        {
            while (true)
            {
                await context.Response.Body.WriteAsync(Encoding.UTF8.GetBytes(text.ToString()), stop.Token).ConfigureAwait(false);
                await context.Response.Body.FlushAsync(stop.Token).ConfigureAwait(false);
                var written = clock.GetTimestamp();
                text.Clear();
                // A browser reads the stream faster than it can draw: at most one batch per frame
                // interval, so changes coalesce here rather than queue up inside the page.
                var rest = FrameInterval - clock.GetElapsedTime(written);
                if (rest > TimeSpan.Zero)
                {
                    await Task.Delay(rest, clock, stop.Token).ConfigureAwait(false);
                }

                foreach (var message in await page.NextAsync(stop.Token).ConfigureAwait(false))
                {
                    Append(text, message);
                }
            }
        }
        catch (Exception e) when (e is OperationCanceledException or IOException)
        {
            // the page closed, or the server is stopping
        }
    }

    // JSON is written without line breaks, so one data line holds one message.
    private static void Append(StringBuilder text, PageMessage message) =>
        text.Append("event: ").Append(message.Event).Append("\ndata: ").Append(message.Json).Append("\n\n");
}
