using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Lambda.FakeExchange;

/// <summary>
/// A local exchange for tests: Kestrel on 127.0.0.1 (a free port) speaking Binance's spot
/// combined-stream WebSocket and REST protocol and Bybit v5's public spot WebSocket protocol,
/// with fault injection on command. Logs nothing.
/// </summary>
/// <example>
/// <code>
/// await using var exchange = await FakeExchangeServer.StartAsync();
/// var url = new Uri(exchange.WebSocketBase, "stream?streams=btcusdt@trade");
/// // ... connect the connector under test, then:
/// var connection = await exchange.Binance.WaitForConnectionAsync(1, TimeSpan.FromSeconds(5));
/// await exchange.Binance.PublishAsync("btcusdt@trade", tradeJson);
/// </code>
/// </example>
public sealed class FakeExchangeServer : IAsyncDisposable
{
    private static readonly TimeSpan HousekeepingPeriod = TimeSpan.FromMilliseconds(20);
    private static readonly TimeSpan StopTimeout = TimeSpan.FromSeconds(2);

    private WebApplication _app = null!;
    private readonly CancellationTokenSource _housekeepingStop = new();
    private readonly StallTolerantClock _clock = new();
    private readonly WireFrames _wire = new();
    private Task _housekeeping = Task.CompletedTask;
    private int _stopping;

    private FakeExchangeServer()
    {
        Binance = new FakeBinance(() => Volatile.Read(ref _stopping) != 0, _clock, _wire);
        Bybit = new FakeBybit(() => Volatile.Read(ref _stopping) != 0, _clock);
        HttpBase = new Uri("http://127.0.0.1/");
        WebSocketBase = new Uri("ws://127.0.0.1/");
    }

    /// <summary><c>http://127.0.0.1:PORT/</c>: REST at <c>{HttpBase}api/v3/ticker/24hr</c> and <c>{HttpBase}api/v3/klines</c>.</summary>
    public Uri HttpBase { get; private set; }

    /// <summary>
    /// <c>ws://127.0.0.1:PORT/</c>: Binance at <c>{WebSocketBase}stream?streams=a/b/c</c>, Bybit at
    /// <c>{WebSocketBase}v5/public/spot</c>.
    /// </summary>
    public Uri WebSocketBase { get; private set; }

    /// <summary>The Binance side: WebSocket streams and REST.</summary>
    public FakeBinance Binance { get; }

    /// <summary>The Bybit side: the public spot WebSocket.</summary>
    public FakeBybit Bybit { get; }

    /// <summary>Starts Kestrel on 127.0.0.1 and a free port.</summary>
    public static async Task<FakeExchangeServer> StartAsync(CancellationToken cancellationToken = default)
    {
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions
        {
            ApplicationName = typeof(FakeExchangeServer).Assembly.GetName().Name,
        });
        builder.Logging.ClearProviders();
        // The server exists before Kestrel is configured: its connection middleware counts the frames on the wire.
        var server = new FakeExchangeServer();
        builder.WebHost.UseKestrelCore().ConfigureKestrel(options =>
        {
            options.Listen(IPAddress.Loopback, 0, listen => listen.Use(server._wire.Tap));
            options.AddServerHeader = false;
        });
        builder.Services.AddRoutingCore();
        builder.Services.Configure<HostOptions>(options => options.ShutdownTimeout = StopTimeout);

        var app = builder.Build();
        server._app = app;
        app.UseWebSockets(new WebSocketOptions());
        app.Map("/stream", new RequestDelegate(server.Binance.HandleStreamAsync));
        app.MapGet("/api/v3/ticker/24hr", new RequestDelegate(server.Binance.HandleTickerAsync));
        app.MapGet("/api/v3/klines", new RequestDelegate(server.Binance.HandleKlinesAsync));
        app.Map("/v5/public/spot", new RequestDelegate(server.Bybit.HandleSpotAsync));

        await app.StartAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var address = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>()
                .Addresses.Single();
            var port = new Uri(address).Port;
            server.HttpBase = new Uri($"http://127.0.0.1:{port}/");
            server.WebSocketBase = new Uri($"ws://127.0.0.1:{port}/");
            server._housekeeping = server.HousekeepAsync(server._housekeepingStop.Token);
            return server;
        }
        catch
        {
            await server.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>Aborts every open connection (<see cref="FakeConnection.ClosedBy"/> <c>shutdown</c>) and stops Kestrel.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _stopping, 1) != 0)
        {
            return;
        }

        await _housekeepingStop.CancelAsync().ConfigureAwait(false);
        await _housekeeping.ConfigureAwait(false);
        Binance.AbortAll("shutdown");
        Bybit.AbortAll("shutdown");
        using (var timeout = new CancellationTokenSource(StopTimeout))
        {
            try
            {
                await _app.StopAsync(timeout.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                // Kestrel gave up waiting for a straggler; disposing below tears it down anyway.
            }
        }

        await _app.DisposeAsync().ConfigureAwait(false);
        _housekeepingStop.Dispose();
    }

    /// <summary>Connection lifetimes and Bybit's missing pings, checked every 20 ms.</summary>
    private async Task HousekeepAsync(CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(HousekeepingPeriod);
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken).ConfigureAwait(false))
            {
                var now = _clock.Now;
                Binance.Housekeep(now);
                Bybit.Housekeep(now);
            }
        }
        catch (OperationCanceledException)
        {
            // Disposed.
        }
    }
}
