using Lambda.Core.CommandLine;
using Lambda.Core.Configuration;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;

namespace Lambda.Core.Telemetry;

/// <summary>How an executable exports its metrics: the <c>Telemetry</c> section, <c>--metrics</c> on the command line.</summary>
public sealed class TelemetryOptions
{
    public const string Section = "Telemetry";

    public const string None = "none";
    public const string Console = "console";
    public const string Prometheus = "prometheus";

    public static readonly IReadOnlyList<string> Exporters = [None, Console, Prometheus];

    /// <summary><c>none</c> (the default), <c>console</c> (printed every <see cref="ConsoleInterval"/> and at exit), <c>prometheus</c> (a scrape endpoint).</summary>
    public string Exporter { get; set; } = None;

    /// <summary>The host name the Prometheus endpoint listens on (<c>*</c>: every address); it serves <c>/metrics</c>.</summary>
    public string PrometheusHost { get; set; } = "localhost";

    /// <summary>The port of the Prometheus endpoint (9464 is the exporter's registered default).</summary>
    public int PrometheusPort { get; set; } = 9464;

    public TimeSpan ConsoleInterval { get; set; } = TimeSpan.FromSeconds(10);
}

/// <summary>
/// Logging and metrics, wired the same way for every executable (in the spirit of eShop's ServiceDefaults):
/// the one-line console logs of <see cref="LambdaLogging"/>, and, when <c>--metrics</c> (or
/// <c>Telemetry:Exporter</c>) asks for it, an OpenTelemetry meter provider that exports every <c>Lambda.*</c>
/// meter to the console or to a Prometheus scrape endpoint. Disposing it exports a last time, so a
/// one-shot command's console export ends with its final figures.
/// </summary>
public sealed class LambdaTelemetry : IDisposable
{
    /// <summary>Every meter of ours is named <c>Lambda.&lt;Executable&gt;</c>.</summary>
    public const string MeterPrefix = "Lambda.*";

    private readonly MeterProvider? _meters;

    private LambdaTelemetry(ILoggerFactory loggers, MeterProvider? meters, TelemetryOptions options)
    {
        Loggers = loggers;
        _meters = meters;
        Options = options;
    }

    public ILoggerFactory Loggers { get; }

    public TelemetryOptions Options { get; }

    /// <summary>Starts logging and the configured metrics export for the executable <paramref name="service"/>.</summary>
    /// <param name="otherMeters">Meters beside ours to export (the dashboard's web server's, for instance).</param>
    /// <exception cref="RunRefusedException">The exporter or its address is not valid, or the endpoint cannot listen.</exception>
    public static LambdaTelemetry Start(IConfiguration configuration, string service, params string[] otherMeters)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        TelemetryOptions options;
        try
        {
            options = configuration.GetSection(TelemetryOptions.Section).Get<TelemetryOptions>() ?? new TelemetryOptions();
        }
        catch (InvalidOperationException e)
        {
            // The binder's own message names the key and the value it could not convert.
            throw new RunRefusedException($"{TelemetryOptions.Section}: {e.Message}", e);
        }

        var meters = options.Exporter switch
        {
            TelemetryOptions.None => null,
            TelemetryOptions.Console => Builder(service, otherMeters)
                .AddConsoleExporter((_, reader) => reader.PeriodicExportingMetricReaderOptions.ExportIntervalMilliseconds = (int)Positive(options.ConsoleInterval).TotalMilliseconds)
                .Build(),
            TelemetryOptions.Prometheus => StartPrometheus(Builder(service, otherMeters), options.PrometheusHost, options.PrometheusPort),
            _ => throw new RunRefusedException($"{TelemetryOptions.Section}:Exporter '{options.Exporter}' is not one of {string.Join(", ", TelemetryOptions.Exporters)}"),
        };
        return new LambdaTelemetry(LambdaLogging.Create(configuration), meters, options);
    }

    /// <summary><c>--metrics none|console|prometheus</c>: the command line's word on <c>Telemetry:Exporter</c>.</summary>
    public static KeyValuePair<string, string?> CommandLineOverride(string? exporter) => new($"{TelemetryOptions.Section}:Exporter", exporter);

    public void Dispose()
    {
        // The meters first: their last export may still log.
        _meters?.Dispose();
        Loggers.Dispose();
    }

    private static MeterProviderBuilder Builder(string service, string[] otherMeters) => Sdk.CreateMeterProviderBuilder()
        .ConfigureResource(resource => resource.AddService(service))
        .AddMeter([MeterPrefix, .. otherMeters]);

    private static MeterProvider StartPrometheus(MeterProviderBuilder builder, string host, int port)
    {
        if (port is < 1 or > 65535)
        {
            throw new RunRefusedException($"{TelemetryOptions.Section}:PrometheusPort '{port}' is not a port number (1 to 65535)");
        }

        if (string.IsNullOrWhiteSpace(host) || (host != "*" && Uri.CheckHostName(host) == UriHostNameType.Unknown))
        {
            throw new RunRefusedException($"{TelemetryOptions.Section}:PrometheusHost '{host}' is not a host name (e.g. localhost, or * for every address)");
        }

        // The exporter only reports a failed start to its own diagnostics, so a taken port would leave no
        // endpoint and no word: try the address first, and refuse in one line if it cannot be had.
        try
        {
            using var probe = new System.Net.HttpListener();
            probe.Prefixes.Add($"http://{host}:{port}/");
            probe.Start();
        }
        catch (Exception e) when (e is System.Net.HttpListenerException or ArgumentException)
        {
            throw new RunRefusedException($"The Prometheus endpoint cannot listen on {host}:{port}: {e.Message}", e);
        }

        return builder.AddPrometheusHttpListener(listener => (listener.Host, listener.Port) = (host, port)).Build();
    }

    private static TimeSpan Positive(TimeSpan interval) =>
        interval > TimeSpan.Zero ? interval : throw new RunRefusedException($"{TelemetryOptions.Section}:ConsoleInterval '{interval}' is not a positive duration");
}
