using Lambda.Core.Contracts;
using Lambda.Producer.Connectors;
using Microsoft.Extensions.Options;

namespace Lambda.Producer.Hosting;

/// <summary>Checks the producer's settings at start, naming the setting that is wrong.</summary>
public sealed class ProducerOptionsValidator : IValidateOptions<ProducerOptions>
{
    public ValidateOptionsResult Validate(string? name, ProducerOptions options)
    {
        var failures = new List<string>();
        void Require(bool condition, string message)
        {
            if (!condition)
            {
                failures.Add(message);
            }
        }

        Require(options.Exchanges.Count > 0, "Producer:Exchanges must name at least one exchange");
        foreach (var exchange in options.Exchanges.Where(e => !Exchanges.All.Contains(e)))
        {
            failures.Add($"Producer:Exchanges: '{exchange}' is not one of {string.Join(", ", Exchanges.All)}");
        }

        Require(options.Symbols.Count > 0, "Producer:Symbols must name at least one symbol");
        foreach (var symbol in options.Symbols.Where(s => !SymbolFormat.IsValid(s)))
        {
            failures.Add($"Producer:Symbols: '{symbol}' must be upper-case letters and digits, e.g. BTCUSDT");
        }

        Require(options.Streams.Count > 0, "Producer:Streams must name at least one stream");
        foreach (var stream in options.Streams.Where(s => !StreamNames.IsValid(s)))
        {
            failures.Add($"Producer:Streams: '{stream}' is not ticker, trade or kline_<interval>");
        }

        Require(options.Mode is "websocket" or "rest", $"Producer:Mode '{options.Mode}' must be websocket or rest");
        Require(options.Mode != "rest" || options.Exchanges.SequenceEqual([Exchanges.Binance]), "Producer:Mode rest polls Binance only: set Producer:Exchanges to binance");
        Require(options.AlertThresholdPercent > 0 && double.IsFinite(options.AlertThresholdPercent), $"Producer:AlertThresholdPercent must be a positive number, not {options.AlertThresholdPercent}");
        Require(options.MinQuoteVolume >= 0 && double.IsFinite(options.MinQuoteVolume), $"Producer:MinQuoteVolume must be zero or more, not {options.MinQuoteVolume}");
        Require(options.StatisticsEvery >= 0, "Producer:StatisticsEvery must be zero (off) or more");
        Require(options.WatchdogSilence > TimeSpan.Zero, "Producer:WatchdogSilence must be positive");
        Require(options.FrameQueueCapacity > 0, "Producer:FrameQueueCapacity must be positive");
        Require(options.Reconnect.InitialDelay > TimeSpan.Zero && options.Reconnect.MaxDelay >= options.Reconnect.InitialDelay,
            "Producer:Reconnect: InitialDelay must be positive and MaxDelay at least InitialDelay");

        var binance = options.Binance;
        Require(binance.MaxStreamsPerConnection is > 0 and <= 1024, "Producer:Binance:MaxStreamsPerConnection must be between 1 and 1024 (Binance's limit)");
        Require(binance.MaxOutgoingPerSecond is > 0 and <= 5, "Producer:Binance:MaxOutgoingPerSecond must be between 1 and 5 (Binance closes faster senders with 1008)");
        Require(binance.ConnectionLifetime > TimeSpan.Zero && binance.ConnectionLifetime < TimeSpan.FromHours(24), "Producer:Binance:ConnectionLifetime must be positive and under 24 h (Binance's limit)");
        Require(binance.MaxRotationOverlap >= binance.RotationGrace, "Producer:Binance:MaxRotationOverlap must be at least RotationGrace");
        Require(binance.RestInterval > TimeSpan.Zero, "Producer:Binance:RestInterval must be positive");
        Require(binance.WeightLimitPerMinute > 0, "Producer:Binance:WeightLimitPerMinute must be positive");
        Require(binance.MaxUrlLength >= 200, "Producer:Binance:MaxUrlLength must be at least 200");
        Require(IsWebSocket(binance.WebSocketUrl), $"Producer:Binance:WebSocketUrl '{binance.WebSocketUrl}' must be a ws:// or wss:// URL");
        Require(binance.RestUrl.Scheme is "http" or "https", $"Producer:Binance:RestUrl '{binance.RestUrl}' must be an http(s) URL");

        var bybit = options.Bybit;
        Require(bybit.MaxArgsPerSubscribe is > 0 and <= 10, "Producer:Bybit:MaxArgsPerSubscribe must be between 1 and 10 (Bybit's limit)");
        Require(bybit.PingInterval > TimeSpan.Zero, "Producer:Bybit:PingInterval must be positive");
        Require(IsWebSocket(bybit.WebSocketUrl), $"Producer:Bybit:WebSocketUrl '{bybit.WebSocketUrl}' must be a ws:// or wss:// URL");

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static bool IsWebSocket(Uri uri) => uri.IsAbsoluteUri && uri.Scheme is "ws" or "wss";
}
