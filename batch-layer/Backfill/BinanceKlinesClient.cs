using System.Globalization;
using System.Net.Http.Headers;
using Lambda.Core.BinanceRest;
using Lambda.Core.Klines;
using Microsoft.Extensions.Logging;

namespace Lambda.BatchLayer.Backfill;

/// <summary>One answer of <c>/api/v3/klines</c>: the rows, and the server's time when it answered.</summary>
/// <param name="ServerTime">The response's <c>Date</c> (the local clock when absent): klines closing after it are still open.</param>
public sealed record KlinesPage(IReadOnlyList<Kline> Rows, DateTimeOffset ServerTime);

/// <summary>
/// Binance's <c>GET /api/v3/klines</c>, politely: every request is charged against the
/// request-weight budget first (waiting for the next window when it would not fit), the server's
/// <c>X-MBX-USED-WEIGHT-1M</c> corrects the budget, 429/418 are waited out as <c>Retry-After</c>
/// says, network errors and 5xx are retried with a growing pause, other errors are final.
/// </summary>
public sealed partial class BinanceKlinesClient
{
    public const int MaxLimit = 1000;

    private readonly HttpClient _http;
    private readonly BinanceBackfillSettings _settings;
    private readonly RequestWeightBudget _budget;
    private readonly BackfillStatistics _statistics;
    private readonly TimeProvider _clock;
    private readonly ILogger _logger;
    private readonly Uri _klinesUrl;

    public BinanceKlinesClient(HttpClient http, BinanceBackfillSettings settings, BackfillStatistics statistics, TimeProvider clock, ILogger<BinanceKlinesClient> logger)
    {
        ArgumentNullException.ThrowIfNull(settings);
        _http = http;
        _settings = settings;
        _statistics = statistics;
        _clock = clock;
        _logger = logger;
        _budget = new RequestWeightBudget(settings.WeightLimitPerMinute, clock, settings.WeightWindow);
        var baseUrl = settings.RestBaseUrl.AbsoluteUri.EndsWith('/') ? settings.RestBaseUrl : new Uri(settings.RestBaseUrl.AbsoluteUri + "/");
        _klinesUrl = new Uri(baseUrl, "api/v3/klines");
    }

    /// <summary>Up to <paramref name="limit"/> klines opening in [<paramref name="startTime"/>, <paramref name="endTime"/>] (Unix ms), oldest first.</summary>
    /// <exception cref="BinanceApiException">Binance refused the request (e.g. an unknown symbol) or sent what we cannot read.</exception>
    /// <exception cref="HttpRequestException">The server stayed unreachable or failing for every attempt.</exception>
    public async Task<KlinesPage> FetchAsync(string symbol, string interval, long startTime, long endTime, int limit, CancellationToken cancellationToken)
    {
        var url = new Uri(string.Create(CultureInfo.InvariantCulture,
            $"{_klinesUrl.AbsoluteUri}?symbol={Uri.EscapeDataString(symbol)}&interval={Uri.EscapeDataString(interval)}&startTime={startTime}&endTime={endTime}&limit={limit}"));
        var attempt = 0;
        while (true)
        {
            await WaitForBudgetAsync(cancellationToken).ConfigureAwait(false);
            attempt++;
            try
            {
                var (page, refusal) = await SendAsync(url, symbol, interval, cancellationToken).ConfigureAwait(false);
                if (page is not null)
                {
                    return page;
                }

                // Waiting as told is the only way out of a 429/418; it does not use up an attempt.
                _statistics.RecordRefusal(refusal!.Status, refusal.RetryAfter);
                LogRefused(refusal.Label, refusal.RetryAfter.TotalSeconds);
                attempt--;
                await Task.Delay(refusal.RetryAfter, _clock, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (IsTransient(e, cancellationToken) && attempt < _settings.MaxAttempts)
            {
                var pause = TimeSpan.FromSeconds(Math.Min(30, Math.Pow(2, attempt - 1)));
                _statistics.RecordRetry();
                LogRetry(symbol, interval, attempt, _settings.MaxAttempts, e.Message, pause.TotalSeconds);
                await Task.Delay(pause, _clock, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    private async Task WaitForBudgetAsync(CancellationToken cancellationToken)
    {
        var wait = _budget.WaitFor(RequestWeightBudget.KlinesWeight);
        if (wait > TimeSpan.Zero)
        {
            _statistics.RecordBudgetWait(wait);
            LogBudget(_budget.UsedThisMinute, _budget.Limit, wait.TotalSeconds);
            await Task.Delay(wait, _clock, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <returns>The page, or the 429/418 refusal to wait out.</returns>
    private async Task<(KlinesPage? Page, BinanceRefusal? Refusal)> SendAsync(Uri url, string symbol, string interval, CancellationToken cancellationToken)
    {
        _budget.Charge(RequestWeightBudget.KlinesWeight);
        _statistics.RecordRequest(RequestWeightBudget.KlinesWeight);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(_settings.RequestTimeout);
        using var response = await _http.GetAsync(url, HttpCompletionOption.ResponseContentRead, timeout.Token).ConfigureAwait(false);
        _budget.Observe(response);
        _statistics.RecordServerUsedWeight(_budget.UsedThisMinute);
        if (BinanceRefusal.From(response, _settings.DefaultRetryAfter) is { } refusal)
        {
            return (null, refusal);
        }

        var body = await response.Content.ReadAsByteArrayAsync(timeout.Token).ConfigureAwait(false);
        var status = (int)response.StatusCode;
        if (status >= 500)
        {
            throw new HttpRequestException($"server error {status}");
        }

        if (status != 200)
        {
            var (code, message) = BinanceKlinesJson.ParseError(body);
            var detail = message is not null ? $"code {code}: {message}" : $"body {System.Text.Encoding.UTF8.GetString(body.AsSpan(0, Math.Min(body.Length, 200)))}";
            throw new BinanceApiException($"Binance refused {symbol} {interval} klines: HTTP {status}, {detail}") { Status = status, Code = code };
        }

        return (new KlinesPage(BinanceKlinesJson.Parse(body), ServerTime(response.Headers)), null);
    }

    private DateTimeOffset ServerTime(HttpResponseHeaders headers) => headers.Date ?? _clock.GetUtcNow();

    private static bool IsTransient(Exception e, CancellationToken cancellationToken) =>
        e is HttpRequestException || (e is OperationCanceledException && !cancellationToken.IsCancellationRequested);

    [LoggerMessage(Level = LogLevel.Warning, Message = "backfill: Binance answered {Label}; waiting {Seconds:0.#} s as Retry-After says")]
    private partial void LogRefused(string label, double seconds);

    [LoggerMessage(Level = LogLevel.Information, Message = "backfill: weight {Used}/{Limit} used in this window; waiting {Seconds:0.##} s")]
    private partial void LogBudget(int used, int limit, double seconds);

    [LoggerMessage(Level = LogLevel.Warning, Message = "backfill: {Symbol} {Interval} request failed (attempt {Attempt}/{MaxAttempts}: {Reason}); retrying in {Seconds:0.#} s")]
    private partial void LogRetry(string symbol, string interval, int attempt, int maxAttempts, string reason, double seconds);
}
