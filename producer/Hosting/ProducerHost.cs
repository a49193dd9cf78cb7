using Lambda.Producer.Connectors;
using Microsoft.Extensions.Configuration;
using Lambda.Producer.Connectors.Binance;
using Lambda.Producer.Connectors.Bybit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Lambda.Producer.Hosting;

/// <summary>The live producer as a Generic Host: connectors and the ingest service, stopped by Ctrl+C.</summary>
public static class ProducerHost
{
    public static async Task<int> RunAsync(ProducerSetup setup, TextWriter output, CancellationToken cancellationToken)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Configuration.AddConfiguration(setup.Configuration);
        builder.Services.AddSingleton(setup.Loggers);
        builder.Services.AddSingleton(typeof(ILogger<>), typeof(Logger<>));
        builder.Services.AddSingleton(setup.Producer);
        builder.Services.AddSingleton(setup.Clock);
        builder.Services.AddSingleton(_ => setup.CreateRuntime(output, knownSymbolsOnly: true));
        builder.Services.AddSingleton(new HttpClient { Timeout = TimeSpan.FromSeconds(10) });
        builder.Services.AddSingleton(_ => new ConnectorContext(new FrameNormalizers(setup.Clock), setup.Statistics, new StreamConnectivity(setup.Clock), setup.Clock, setup.Loggers));
        builder.Services.AddSingleton<IEnumerable<IConnector>>(services => Connectors(setup.Producer, services.GetRequiredService<ConnectorContext>(), services.GetRequiredService<HttpClient>()));
        builder.Services.AddSingleton<IngestService>();
        builder.Services.AddHostedService(services => services.GetRequiredService<IngestService>());
        // Draining the frames and flushing Kafka may take the flush timeout and some.
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = setup.Kafka.FlushTimeout + TimeSpan.FromSeconds(30));

        // RunAsync disposes the host: take what is needed afterwards first.
        var host = builder.Build();
        var ingest = host.Services.GetRequiredService<IngestService>();
        output.WriteLine($"Streaming {string.Join(", ", setup.Producer.Exchanges)} {string.Join(",", setup.Producer.Symbols)} ({string.Join(",", setup.Producer.Streams)}, {setup.Producer.Mode}) into the {EventLogDescriptionOf(host)}; Ctrl+C stops.");
        await host.RunAsync(cancellationToken).ConfigureAwait(false);
        if (setup.Statistics.Frames == 0)
        {
            // A run that never received anything delivered nothing: not a success, whatever stopped it.
            var failures = setup.Statistics.Reconnects.Select(r => $"{r.Key} ×{r.Value}");
            output.WriteLine($"Nothing was received, so nothing was delivered: the producer never got data from the exchange(s) ({string.Join(", ", failures.DefaultIfEmpty("no connection attempt failed"))}); see the warnings above for hosts and causes.");
            return 1;
        }

        return ingest.Succeeded ? 0 : 1;
    }

    /// <summary>The connectors the options ask for.</summary>
    public static IReadOnlyList<IConnector> Connectors(ProducerOptions options, ConnectorContext context, HttpClient http)
    {
        var connectors = new List<IConnector>();
        if (options.Mode == "rest")
        {
            connectors.Add(new BinanceRestPoller(options, context, http));
            return connectors;
        }

        if (options.Exchanges.Contains(Lambda.Core.Contracts.Exchanges.Binance))
        {
            connectors.Add(new BinanceStreamConnector(options, context));
            if (options.RestFallback)
            {
                connectors.Add(new BinanceRestPoller(options, context, http, () => context.Connectivity.AllDownFor >= options.RestFallbackAfter));
            }
        }

        if (options.Exchanges.Contains(Lambda.Core.Contracts.Exchanges.Bybit))
        {
            connectors.Add(new BybitConnector(options, context));
        }

        return connectors;
    }

    private static string EventLogDescriptionOf(IHost host) => host.Services.GetRequiredService<ProducerRuntime>().EventLogDescription;
}
