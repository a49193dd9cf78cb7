using System.Diagnostics.Metrics;
using System.Net;
using Lambda.Core.CommandLine;
using Lambda.Core.Telemetry;
using Lambda.Testing;
using Microsoft.Extensions.Configuration;

namespace Lambda.Core.Tests.Telemetry;

public sealed class LambdaTelemetryTests
{
    private static IConfiguration Settings(params (string Key, string Value)[] settings) =>
        new ConfigurationBuilder().AddInMemoryCollection(settings.Select(s => new KeyValuePair<string, string?>(s.Key, s.Value))).Build();


    [Fact]
    public void Without_an_exporter_only_logging_starts()
    {
        using var telemetry = LambdaTelemetry.Start(Settings(), "test");

        telemetry.Options.Exporter.Should().Be(TelemetryOptions.None);
        telemetry.Loggers.CreateLogger("x").Should().NotBeNull();
    }

    [Fact]
    public async Task The_prometheus_endpoint_serves_every_Lambda_meter_with_its_tags()
    {
        var port = LocalPorts.Free();
        using var telemetry = LambdaTelemetry.Start(Settings(("Telemetry:Exporter", "prometheus"), ("Telemetry:PrometheusPort", port.ToString(System.Globalization.CultureInfo.InvariantCulture))), "test");
        using var meter = new Meter("Lambda.TelemetryTests");
        var counter = meter.CreateCounter<long>("lambda.telemetry_tests.events", "{event}");
        counter.Add(40, new KeyValuePair<string, object?>("mode", "probe"));
        counter.Add(2, new KeyValuePair<string, object?>("mode", "probe"));
        using var outside = new Meter("Other.TelemetryTests");
        outside.CreateCounter<long>("other.telemetry_tests.events").Add(1);

        using var http = new HttpClient();
        var scrape = await http.GetStringAsync(new Uri($"http://localhost:{port}/metrics"));

        scrape.Split('\n').Should().Contain(line => line.StartsWith("lambda_telemetry_tests_events_total{", StringComparison.Ordinal)
            && line.Contains("mode=\"probe\"", StringComparison.Ordinal) && line.Contains("} 42", StringComparison.Ordinal), scrape);
        scrape.Should().NotContain("other_telemetry_tests", "only the Lambda.* meters are exported");
    }

    [Theory]
    [InlineData("Telemetry:Exporter", "otlp", "Telemetry:Exporter 'otlp' is not one of none, console, prometheus")]
    [InlineData("Telemetry:PrometheusPort", "70000", "Telemetry:PrometheusPort '70000' is not a port number (1 to 65535)")]
    [InlineData("Telemetry:PrometheusHost", "not a host", "Telemetry:PrometheusHost 'not a host' is not a host name (e.g. localhost, or * for every address)")]
    public void A_bad_setting_is_refused_in_one_line_naming_it(string key, string value, string message)
    {
        var settings = key == "Telemetry:Exporter" ? Settings((key, value)) : Settings(("Telemetry:Exporter", "prometheus"), (key, value));

        var start = () => LambdaTelemetry.Start(settings, "test");

        start.Should().Throw<RunRefusedException>().WithMessage(message);
    }

    [Fact]
    public void A_setting_that_does_not_convert_is_refused_naming_its_key()
    {
        var start = () => LambdaTelemetry.Start(Settings(("Telemetry:Exporter", "prometheus"), ("Telemetry:PrometheusPort", "ninety")), "test");

        start.Should().Throw<RunRefusedException>().Which.Message.Should().StartWith("Telemetry: ").And.Contain("PrometheusPort").And.NotContain("\n");
    }

    [Fact]
    public void A_prometheus_port_already_taken_is_refused_in_one_line()
    {
        using var taken = new HttpListener();
        var port = LocalPorts.Free();
        taken.Prefixes.Add($"http://localhost:{port}/");
        taken.Start();

        var start = () => LambdaTelemetry.Start(Settings(("Telemetry:Exporter", "prometheus"), ("Telemetry:PrometheusPort", port.ToString(System.Globalization.CultureInfo.InvariantCulture))), "test");

        start.Should().Throw<RunRefusedException>().WithMessage($"The Prometheus endpoint cannot listen on localhost:{port}: *");
    }
}
