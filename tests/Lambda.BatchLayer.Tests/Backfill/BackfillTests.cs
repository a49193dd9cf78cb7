using System.Diagnostics;
using Lambda.BatchLayer.Backfill;
using Lambda.BatchLayer.Master;
using Lambda.FakeExchange;
using static Lambda.BatchLayer.Tests.Backfill.BackfillHarness;

namespace Lambda.BatchLayer.Tests.Backfill;

/// <summary><c>batch-layer backfill</c>'s job against the fake Binance REST API.</summary>
public sealed class BackfillTests : IAsyncLifetime
{
    private static readonly DateTimeOffset Start = new(2025, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private readonly TempDirectory _data = new();
    private FakeExchangeServer _exchange = null!;

    public async Task InitializeAsync() => _exchange = await FakeExchangeServer.StartAsync();

    public async Task DisposeAsync()
    {
        await _exchange.DisposeAsync();
        _data.Dispose();
    }

    [Fact]
    public async Task Pagination_over_more_than_1000_klines_stores_every_kline_exactly_once_in_three_requests()
    {
        var klines = Klines(Start, TimeSpan.FromHours(1), 2500);
        _exchange.Binance.SetKlines("BTCUSDT", "1h", Rows(klines));

        var (results, statistics) = await RunAsync(_data.Path, new BackfillRequest(["BTCUSDT"], "1h", new DateOnly(2025, 1, 1), new DateOnly(2025, 6, 30)), Settings(_exchange));

        results.Should().ContainSingle().Which.Should().Be(new BackfillSymbolResult("BTCUSDT", 3, 2500, false, null));
        Stored(_data.Path, "BTCUSDT").Should().Equal(klines);
        StoredRows(_data.Path).Should().OnlyContain(r => r.Origin == MasterOrigins.Backfill);
        AnsweredStartTimes(_exchange).Should().Equal(klines[0].OpenTime, klines[1000].OpenTime, klines[2000].OpenTime);
        _exchange.Binance.Requests.Should().OnlyContain(r => r.PathAndQuery.Contains("limit=1000") && r.PathAndQuery.Contains("interval=1h"));
        (statistics.Requests, statistics.Pages, statistics.RowsFetched, statistics.Added, statistics.WeightCharged).Should().Be((3, 3, 2500, 2500, 6));
        var checkpoint = BackfillCheckpoint.Load(_data.Path, "1h").For("BTCUSDT");
        checkpoint!.NextOpenTime.Should().Be(klines[^1].OpenTime + 3_600_000);
    }

    [Fact]
    public async Task Klines_after_the_to_day_are_not_asked_for_and_not_stored()
    {
        var klines = Klines(Start, TimeSpan.FromDays(1), 60);
        _exchange.Binance.SetKlines("ETHUSDT", "1d", Rows(klines));

        await RunAsync(_data.Path, new BackfillRequest(["ETHUSDT"], "1d", new DateOnly(2025, 1, 10), new DateOnly(2025, 1, 20)), Settings(_exchange));

        Stored(_data.Path, "ETHUSDT").Should().Equal(klines.Skip(9).Take(11));
        _exchange.Binance.Requests.Single().PathAndQuery.Should().Contain($"endTime={new DateTimeOffset(2025, 1, 21, 0, 0, 0, TimeSpan.Zero).ToUnixTimeMilliseconds() - 1}");
    }

    [Fact]
    public async Task The_weight_budget_keeps_every_request_under_the_servers_limit_by_waiting_for_the_next_window()
    {
        // One request (weight 2) per 2-second window: the server answers 429 to a second one, so none may
        // arrive. A page is stored well within a window, so the next request has to wait for the next one,
        // however fast or slow the machine is within reason.
        _exchange.Binance.WeightLimitPerMinute = 2;
        _exchange.Binance.WeightWindow = TimeSpan.FromSeconds(2);
        _exchange.Binance.WeightWindowAlignedToClock = true;
        var klines = Klines(Start, TimeSpan.FromMinutes(1), 3500);
        _exchange.Binance.SetKlines("BTCUSDT", "1m", Rows(klines));
        var settings = Settings(_exchange);
        settings.WeightLimitPerMinute = 2;
        settings.WeightWindow = TimeSpan.FromSeconds(2);

        var (_, statistics) = await RunAsync(_data.Path, new BackfillRequest(["BTCUSDT"], "1m", new DateOnly(2025, 1, 1), new DateOnly(2025, 1, 31)), settings);

        Stored(_data.Path, "BTCUSDT").Should().Equal(klines);
        var requests = _exchange.Binance.Requests;
        requests.Should().HaveCount(4).And.OnlyContain(r => r.StatusCode == 200, "the budget waits instead of being refused");
        requests.GroupBy(r => r.ReceivedAt.ToUnixTimeMilliseconds() / 2000).Should().OnlyContain(window => window.Sum(r => r.Weight) <= 2);
        statistics.BudgetWaits.Should().BeGreaterThanOrEqualTo(1, "a request that did not fit its window waited for the next");
        (statistics.RateLimited, statistics.Banned).Should().Be((0, 0));
    }

    [Theory]
    [InlineData(429)]
    [InlineData(418)]
    public async Task Refusals_with_Retry_After_are_waited_out_and_the_page_is_fetched_again(int status)
    {
        var klines = Klines(Start, TimeSpan.FromDays(1), 40);
        _exchange.Binance.SetKlines("BTCUSDT", "1d", Rows(klines));
        _exchange.Binance.FailNextRequests(status, count: 2, retryAfterSeconds: 1);
        var clock = Stopwatch.StartNew();

        var (results, statistics) = await RunAsync(_data.Path, new BackfillRequest(["BTCUSDT"], "1d", new DateOnly(2025, 1, 1), new DateOnly(2025, 3, 1)), Settings(_exchange));

        clock.Elapsed.Should().BeGreaterThanOrEqualTo(TimeSpan.FromSeconds(1.9), "two Retry-After: 1 waits");
        results.Single().Failed.Should().BeFalse();
        Stored(_data.Path, "BTCUSDT").Should().Equal(klines);
        _exchange.Binance.Requests.Select(r => r.StatusCode).Should().Equal(status, status, 200);
        (status == 429 ? statistics.RateLimited : statistics.Banned).Should().Be(2);
        statistics.RefusalWaitTime.Should().Be(TimeSpan.FromSeconds(2));
    }

    [Fact]
    public async Task An_interrupted_backfill_resumes_without_fetching_a_stored_page_again_and_ends_equal_to_an_uninterrupted_run()
    {
        // 146 whole days: four pages, the last one ending with the --to day.
        var klines = Klines(Start, TimeSpan.FromHours(1), 146 * 24);
        _exchange.Binance.SetKlines("BTCUSDT", "1h", Rows(klines));
        var request = new BackfillRequest(["BTCUSDT"], "1h", new DateOnly(2025, 1, 1), new DateOnly(2025, 5, 26));

        using var interrupt = new CancellationTokenSource();
        using var handler = new InterruptBeforeRequest(3, interrupt);
        var interrupted = () => RunAsync(_data.Path, request, Settings(_exchange), handler, interrupt.Token);
        await interrupted.Should().ThrowAsync<OperationCanceledException>();
        Stored(_data.Path, "BTCUSDT").Should().Equal(klines.Take(2000), "two pages were stored before the interruption");
        BackfillCheckpoint.Load(_data.Path, "1h").For("BTCUSDT")!.NextOpenTime.Should().Be(klines[2000].OpenTime);

        var (results, _) = await RunAsync(_data.Path, request, Settings(_exchange));

        results.Single().Pages.Should().Be(2);
        AnsweredStartTimes(_exchange).Should().Equal(klines[0].OpenTime, klines[1000].OpenTime, klines[2000].OpenTime, klines[3000].OpenTime);
        using var uninterrupted = new TempDirectory();
        await RunAsync(uninterrupted.Path, request, Settings(_exchange));
        Stored(_data.Path, "BTCUSDT").Should().Equal(Stored(uninterrupted.Path, "BTCUSDT")).And.Equal(klines);

        var before = _exchange.Binance.Requests.Count;
        var (again, _) = await RunAsync(_data.Path, request, Settings(_exchange));
        again.Single().UpToDate.Should().BeTrue();
        _exchange.Binance.Requests.Should().HaveCount(before, "a finished range is not fetched again");

        // A longer range continues after what is stored, with one request for the days not yet covered.
        var (longer, _) = await RunAsync(_data.Path, request with { To = new DateOnly(2025, 12, 31) }, Settings(_exchange));
        longer.Single().Rows.Should().Be(0);
        StartTime(_exchange.Binance.Requests[^1].PathAndQuery).Should().Be(klines[^1].OpenTime + 3_600_000);
    }

    [Fact]
    public async Task The_still_open_current_kline_is_not_stored_and_the_next_run_starts_at_it()
    {
        var now = DateTimeOffset.UtcNow;
        if (now.Second >= 55)
        {
            await Task.Delay(TimeSpan.FromSeconds(61 - now.Second)); // the current minute must stay open during the request
            now = DateTimeOffset.UtcNow;
        }

        var currentMinute = new DateTimeOffset(now.Year, now.Month, now.Day, now.Hour, now.Minute, 0, TimeSpan.Zero);
        var klines = Klines(currentMinute.AddMinutes(-29), TimeSpan.FromMinutes(1), 30);
        _exchange.Binance.SetKlines("BTCUSDT", "1m", Rows(klines));
        var day = DateOnly.FromDateTime(currentMinute.AddMinutes(-29).UtcDateTime);

        var (_, statistics) = await RunAsync(_data.Path, new BackfillRequest(["BTCUSDT"], "1m", day, DateOnly.FromDateTime(now.UtcDateTime)), Settings(_exchange));

        Stored(_data.Path, "BTCUSDT").Should().Equal(klines.Take(29));
        statistics.OpenSkipped.Should().Be(1);
        BackfillCheckpoint.Load(_data.Path, "1m").For("BTCUSDT")!.NextOpenTime.Should().Be(currentMinute.ToUnixTimeMilliseconds());
    }

    [Fact]
    public async Task An_unknown_symbol_is_reported_with_binances_error_and_the_other_symbols_are_still_backfilled()
    {
        var klines = Klines(Start, TimeSpan.FromDays(1), 10);
        _exchange.Binance.SetKlines("BTCUSDT", "1d", Rows(klines));

        var (results, _) = await RunAsync(_data.Path, new BackfillRequest(["NOPEUSDT", "BTCUSDT"], "1d", new DateOnly(2025, 1, 1), new DateOnly(2025, 1, 31)), Settings(_exchange));

        results[0].Failed.Should().BeTrue();
        results[0].Error.Should().Be("Binance refused NOPEUSDT 1d klines: HTTP 400, code -1121: Invalid symbol.");
        results[1].Should().Be(new BackfillSymbolResult("BTCUSDT", 1, 10, false, null));
        Stored(_data.Path, "BTCUSDT").Should().Equal(klines);
        _exchange.Binance.Requests.Count(r => r.StatusCode == 400).Should().Be(1, "a refused symbol is not retried");
    }
}
