using System.Threading.Channels;
using Lambda.Core.Contracts;
using Lambda.Core.BinanceRest;
using Lambda.Producer.Hosting;
using Microsoft.Extensions.Logging;

namespace Lambda.Producer.Connectors.Binance;

/// <summary>
/// Polls Binance's <c>/api/v3/ticker/24hr</c> for all configured symbols in one weighted request,
/// every <see cref="BinanceOptions.RestInterval"/>: the original REST polling mode, made polite. It stays
/// under the request-weight budget, and on 429 (slow down) or 418 (banned) waits as long as
/// <c>Retry-After</c> says. As a fallback it polls only while every WebSocket is down.
/// </summary>
public sealed partial class BinanceRestPoller : IConnector
{
    private static readonly TimeSpan DefaultRetryAfter = TimeSpan.FromSeconds(60);

    private readonly ProducerOptions _options;
    private readonly ConnectorContext _context;
    private readonly HttpClient _http;
    private readonly Func<bool> _shouldPoll;
    private readonly ILogger _logger;
    private readonly RequestWeightBudget _budget;
    private readonly ReconnectBackoff _backoff;

    /// <param name="shouldPoll">Asked before each poll; the fallback polls only while streams are down.</param>
    public BinanceRestPoller(ProducerOptions options, ConnectorContext context, HttpClient http, Func<bool>? shouldPoll = null)
    {
        _options = options;
        _context = context;
        _http = http;
        _shouldPoll = shouldPoll ?? (() => true);
        _logger = context.Loggers.CreateLogger<BinanceRestPoller>();
        _budget = new RequestWeightBudget(options.Binance.WeightLimitPerMinute, context.Clock);
        _backoff = new ReconnectBackoff(options.Reconnect);
        var symbols = "[" + string.Join(',', options.Symbols.Select(s => $"\"{s}\"")) + "]";
        RequestUri = new Uri(options.Binance.RestUrl, "/api/v3/ticker/24hr?symbols=" + Uri.EscapeDataString(symbols));
        Weight = RequestWeightBudget.Ticker24h(options.Symbols.Count);
    }

    public string Name => "binance-rest";

    public Uri RequestUri { get; }

    public int Weight { get; }

    public async Task RunAsync(ChannelWriter<ReceivedFrame> frames, CancellationToken cancellationToken)
    {
        var clock = _context.Clock;
        while (!cancellationToken.IsCancellationRequested)
        {
            if (!_shouldPoll())
            {
                await Task.Delay(_options.Binance.RestInterval, clock, cancellationToken).ConfigureAwait(false);
                continue;
            }

            var budgetWait = _budget.WaitFor(Weight);
            if (budgetWait > TimeSpan.Zero)
            {
                LogBudget(_budget.UsedThisMinute, _options.Binance.WeightLimitPerMinute, budgetWait.TotalSeconds);
                await Task.Delay(budgetWait, clock, cancellationToken).ConfigureAwait(false);
                continue;
            }

            var wait = await PollOnceAsync(frames, cancellationToken).ConfigureAwait(false);
            await Task.Delay(wait, clock, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <returns>How long to wait before the next poll.</returns>
    private async Task<TimeSpan> PollOnceAsync(ChannelWriter<ReceivedFrame> frames, CancellationToken cancellationToken)
    {
        var started = _context.Clock.GetTimestamp();
        try
        {
            _budget.Charge(Weight);
            using var response = await _http.GetAsync(RequestUri, cancellationToken).ConfigureAwait(false);
            _budget.Observe(response);
            if (BinanceRefusal.From(response, DefaultRetryAfter) is { } refusal)
            {
                _context.Statistics.RecordReconnect(Name, refusal.Label);
                LogRefused(refusal.Status, refusal.RetryAfter.TotalSeconds);
                return refusal.RetryAfter;
            }

            if ((int)response.StatusCode >= 500)
            {
                throw new HttpRequestException($"server error {(int)response.StatusCode}");
            }

            // Success and client errors alike go to the pipeline: an error body is dead-lettered with its code.
            var body = await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
            await frames.WriteAsync(new ReceivedFrame(Exchanges.Binance, EventSources.Rest, FrameNormalizers.BinanceRestTag,
                _context.Normalizers.BinanceRest, _context.Clock.GetUtcNow(), body), cancellationToken).ConfigureAwait(false);
            _backoff.Reset();
            return _options.Binance.RestInterval;
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
        {
            var wait = _backoff.Next(_context.Clock.GetElapsedTime(started));
            _context.Statistics.RecordReconnect(Name, "request failed");
            LogFailed(e.Message, wait.TotalSeconds);
            return wait;
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "binance-rest: Binance answered {Status}; waiting {Seconds:0.#} s as Retry-After says")]
    private partial void LogRefused(int status, double seconds);

    [LoggerMessage(Level = LogLevel.Information, Message = "binance-rest: weight {Used}/{Limit} used this minute; waiting {Seconds:0.#} s")]
    private partial void LogBudget(int used, int limit, double seconds);

    [LoggerMessage(Level = LogLevel.Warning, Message = "binance-rest: request failed ({Reason}); retrying in {Seconds:0.##} s")]
    private partial void LogFailed(string reason, double seconds);
}
