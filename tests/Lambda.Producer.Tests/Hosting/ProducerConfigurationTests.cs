using Lambda.Producer.Hosting;
using Microsoft.Extensions.Configuration;

namespace Lambda.Producer.Tests.Hosting;

public sealed class ProducerConfigurationTests
{
    [Fact]
    public void Configured_lists_replace_the_defaults_rather_than_adding_to_them()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Producer:Symbols:0"] = "SOLUSDT",
            ["Producer:Streams:0"] = "trade",
            ["Producer:Binance:MaxStreamsPerConnection"] = "200",
            ["Producer:Reconnect:MaxDelay"] = "00:00:05",
        }).Build();

        var options = configuration.GetSection(ProducerOptions.Section).Get<ProducerOptions>()!.FillDefaults();

        options.Symbols.Should().Equal("SOLUSDT");
        options.Streams.Should().Equal("trade");
        options.Exchanges.Should().Equal("binance");
        options.Binance.MaxStreamsPerConnection.Should().Be(200);
        options.Reconnect.MaxDelay.Should().Be(TimeSpan.FromSeconds(5));
    }
}
