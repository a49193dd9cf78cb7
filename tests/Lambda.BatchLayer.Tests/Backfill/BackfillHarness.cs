using System.Globalization;
using Lambda.BatchLayer.Backfill;
using Lambda.BatchLayer.Master;
using Lambda.Core.Progress;
using Lambda.Core.Klines;
using Lambda.FakeExchange;
using Microsoft.Extensions.Logging.Abstractions;

namespace Lambda.BatchLayer.Tests.Backfill;

/// <summary>Runs the real backfill job against the fake exchange and reads back what it stored.</summary>
internal static class BackfillHarness
{
    public static BinanceBackfillSettings Settings(FakeExchangeServer exchange) => new()
    {
        RestBaseUrl = exchange.HttpBase,
        RequestTimeout = TimeSpan.FromSeconds(10),
    };

    public static async Task<(IReadOnlyList<BackfillSymbolResult> Results, BackfillStatistics Statistics)> RunAsync(
        string dataDirectory, BackfillRequest request, BinanceBackfillSettings settings, HttpMessageHandler? handler = null, CancellationToken cancellationToken = default)
    {
        var statistics = new BackfillStatistics();
        using var http = handler is null ? new HttpClient() : new HttpClient(handler, disposeHandler: false);
        var client = new BinanceKlinesClient(http, settings, statistics, TimeProvider.System, NullLogger<BinanceKlinesClient>.Instance);
        using var master = new MasterDataset(dataDirectory);
        var job = new BackfillJob(client, master, BackfillCheckpoint.Load(dataDirectory, request.Interval), statistics, TimeProvider.System);
        var results = await job.RunAsync(request, new WorkProgress("pages", job.EstimatePages(request)), cancellationToken);
        return (results, statistics);
    }

    /// <summary><paramref name="count"/> consecutive, valid klines from <paramref name="start"/>, each with its own values.</summary>
    public static List<Kline> Klines(DateTimeOffset start, TimeSpan interval, int count)
    {
        var ms = (long)interval.TotalMilliseconds;
        return [.. Enumerable.Range(0, count).Select(i =>
        {
            var open = start.ToUnixTimeMilliseconds() + (i * ms);
            var price = 100 + (i % 97) + (i / 97 * 0.25);
            return new Kline(open, open + ms - 1, price, price + 2.5, price - 1.25, price + 1, 10 + (i * 0.001), (10 + (i * 0.001)) * price, 5 + i);
        })];
    }

    /// <summary>Klines in Binance's 12-column row form, as the fake serves them.</summary>
    public static IEnumerable<string[]> Rows(IEnumerable<Kline> klines) => klines.Select(k => new[]
    {
        I(k.OpenTime), D(k.Open), D(k.High), D(k.Low), D(k.Close), D(k.Volume), I(k.CloseTime), D(k.QuoteVolume), I(k.Trades), "0", "0", "0",
    });

    public static List<Kline> Stored(string dataDirectory, string symbol)
    {
        using var master = new MasterDataset(dataDirectory);
        return [.. master.Partitions().Where(p => p.Symbol == symbol).SelectMany(master.ReadKlines)];
    }

    public static List<MasterKline> StoredRows(string dataDirectory)
    {
        using var master = new MasterDataset(dataDirectory);
        return [.. master.Partitions().SelectMany(master.Read)];
    }

    /// <summary>The <c>startTime</c> of every klines request the fake answered with 200.</summary>
    public static List<long> AnsweredStartTimes(FakeExchangeServer exchange) =>
        [.. exchange.Binance.Requests.Where(r => r.StatusCode == 200).Select(r => StartTime(r.PathAndQuery))];

    public static long StartTime(string pathAndQuery)
    {
        var query = pathAndQuery[(pathAndQuery.IndexOf('?', StringComparison.Ordinal) + 1)..].Split('&');
        return long.Parse(query.Single(p => p.StartsWith("startTime=", StringComparison.Ordinal))["startTime=".Length..], CultureInfo.InvariantCulture);
    }

    private static string I(long value) => value.ToString(CultureInfo.InvariantCulture);

    private static string D(double value) => value.ToString("R", CultureInfo.InvariantCulture);
}

/// <summary>Interrupts a run the way Ctrl+C would, just before its <c>n</c>-th request leaves.</summary>
internal sealed class InterruptBeforeRequest(int n, CancellationTokenSource interrupt) : DelegatingHandler(new HttpClientHandler())
{
    private int _sent;

    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (Interlocked.Increment(ref _sent) == n)
        {
            interrupt.Cancel();
            cancellationToken.ThrowIfCancellationRequested();
        }

        return base.SendAsync(request, cancellationToken);
    }
}
