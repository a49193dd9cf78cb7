using Lambda.Testing;
using Lambda.FakeExchange;
using static Lambda.BatchLayer.Tests.Backfill.BackfillHarness;

namespace Lambda.BatchLayer.Tests.Backfill;

/// <summary>
/// The <c>batch-layer backfill</c> command line, configured like a user would: the REST base URL from
/// the environment (<c>LAMBDA_Batch__Binance__RestBaseUrl</c>). Only this class sets that variable,
/// and xunit runs one class's tests one after another.
/// </summary>
public sealed class BackfillCommandTests : IAsyncLifetime
{
    private const string BaseUrlVariable = "LAMBDA_Batch__Binance__RestBaseUrl";
    private readonly TempDirectory _data = new();
    private FakeExchangeServer _exchange = null!;

    public async Task InitializeAsync()
    {
        _exchange = await FakeExchangeServer.StartAsync();
        Environment.SetEnvironmentVariable(BaseUrlVariable, _exchange.HttpBase.AbsoluteUri);
    }

    public async Task DisposeAsync()
    {
        Environment.SetEnvironmentVariable(BaseUrlVariable, null);
        await _exchange.DisposeAsync();
        _data.Dispose();
    }

    [Fact]
    public async Task A_symbol_binance_does_not_know_fails_the_run_with_binances_message_while_the_others_are_stored_and_counted()
    {
        var klines = Klines(new DateTimeOffset(2025, 1, 1, 0, 0, 0, TimeSpan.Zero), TimeSpan.FromDays(1), 10);
        _exchange.Binance.SetKlines("BTCUSDT", "1d", Rows(klines));

        var run = await CommandRun.InvokeAsync(BatchLayerCommand.Build(), "--data-dir", _data.Path,
            "backfill", "--symbols", "NOPEUSDT,BTCUSDT", "--interval", "1d", "--from", "2025-01-01", "--to", "2025-01-31");

        run.ExitCode.Should().Be(1);
        run.Error.Should().Contain("NOPEUSDT: FAILED: Binance refused NOPEUSDT 1d klines: HTTP 400, code -1121: Invalid symbol.");
        run.Output.Should().Contain($"from {_exchange.HttpBase}")
            .And.Contain("requests         2 ")
            .And.Contain("rows             10 fetched in 1 page(s): 10 added, 0 already stored, 0 conflicting (kept the stored), 0 still open (not stored)")
            .And.Contain("BTCUSDT: 1 page(s), 10 closed kline(s) fetched this run");
        Stored(_data.Path, "BTCUSDT").Should().Equal(klines);
        File.Exists(Path.Combine(_data.Path, "checkpoints", "batch-backfill-1d.json")).Should().BeTrue();
    }

    [Fact]
    public async Task A_rest_base_url_that_is_not_http_is_refused_before_any_request()
    {
        Environment.SetEnvironmentVariable(BaseUrlVariable, "ftp://example.org/");

        var run = await CommandRun.InvokeAsync(BatchLayerCommand.Build(), "--data-dir", _data.Path,
            "backfill", "--symbols", "BTCUSDT", "--from", "2025-01-01", "--to", "2025-01-31");

        run.ExitCode.Should().Be(1);
        run.Error.Should().Contain("Batch:Binance:RestBaseUrl 'ftp://example.org/' must be an absolute http(s) URL");
        _exchange.Binance.Requests.Should().BeEmpty();
    }
}
