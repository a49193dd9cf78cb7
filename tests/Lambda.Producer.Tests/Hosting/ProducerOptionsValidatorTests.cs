using Lambda.Producer.Hosting;

namespace Lambda.Producer.Tests.Hosting;

public sealed class ProducerOptionsValidatorTests
{
    private static IEnumerable<string> Failures(Action<ProducerOptions> change)
    {
        var options = new ProducerOptions().FillDefaults();
        change(options);
        var result = new ProducerOptionsValidator().Validate(null, options);
        return result.Failed ? result.Failures : [];
    }

    [Fact]
    public void The_defaults_are_valid() => Failures(_ => { }).Should().BeEmpty();

    private static readonly Dictionary<string, Action<ProducerOptions>> Breakages = new()
    {
        ["Producer:Exchanges: 'kraken'"] = o => o.Exchanges = ["kraken"],
        ["Producer:Symbols: 'btc'"] = o => o.Symbols = ["btc"],
        ["Producer:Streams: 'kline_7m'"] = o => o.Streams = ["kline_7m"],
        ["Producer:Binance:MaxStreamsPerConnection"] = o => o.Binance.MaxStreamsPerConnection = 2000,
        ["Producer:Binance:MaxOutgoingPerSecond"] = o => o.Binance.MaxOutgoingPerSecond = 6,
        ["Producer:Binance:ConnectionLifetime"] = o => o.Binance.ConnectionLifetime = TimeSpan.FromHours(25),
        ["Producer:Bybit:MaxArgsPerSubscribe"] = o => o.Bybit.MaxArgsPerSubscribe = 11,
        ["Producer:Mode rest polls Binance only"] = o => (o.Mode, o.Exchanges) = ("rest", ["bybit"]),
        ["Producer:AlertThresholdPercent"] = o => o.AlertThresholdPercent = -1,
    };

    public static TheoryData<string> Settings() => new(Breakages.Keys);

    [Theory]
    [MemberData(nameof(Settings))]
    public void Each_wrong_setting_is_named(string expected) =>
        Failures(Breakages[expected]).Should().ContainSingle(f => f.StartsWith(expected, StringComparison.Ordinal));
}
