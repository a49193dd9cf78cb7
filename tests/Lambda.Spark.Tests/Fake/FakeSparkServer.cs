using Grpc.Net.Client;
using Lambda.Core.Spark;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Lambda.Spark.Tests.Fake;

/// <summary><see cref="FakeSparkConnect"/> on ASP.NET Core's in-memory test server, and sessions that reach it.</summary>
internal sealed class FakeSparkServer : IAsyncDisposable
{
    private readonly IHost _host;

    private FakeSparkServer(IHost host, FakeSparkConnect service)
    {
        _host = host;
        Service = service;
    }

    public FakeSparkConnect Service { get; }

    public static async Task<FakeSparkServer> StartAsync()
    {
        var service = new FakeSparkConnect();
        var host = new HostBuilder()
            .ConfigureWebHost(web => web
                .UseTestServer()
                .ConfigureServices(services =>
                {
                    services.AddGrpc();
                    services.AddSingleton(service);
                })
                .Configure(app =>
                {
                    app.UseRouting();
                    app.UseEndpoints(endpoints => endpoints.MapGrpcService<FakeSparkConnect>());
                }))
            .Build();
        await host.StartAsync().ConfigureAwait(false);
        return new FakeSparkServer(host, service);
    }

    public SparkSession Connect(SparkRemote? remote = null, SparkSessionOptions? options = null)
    {
        var server = _host.GetTestServer();
        options ??= new SparkSessionOptions { ReattachBackoff = TimeSpan.Zero };
        var channel = GrpcChannel.ForAddress(server.BaseAddress, new GrpcChannelOptions
        {
            HttpHandler = server.CreateHandler(),
            MaxReceiveMessageSize = options.MaxReceiveMessageSize,
        });
        return new SparkSession(channel.CreateCallInvoker(), remote ?? SparkRemote.Parse("sc://fake:15002/;user_id=student"), options, channel);
    }

    public async ValueTask DisposeAsync()
    {
        await _host.StopAsync().ConfigureAwait(false);
        _host.Dispose();
    }
}
