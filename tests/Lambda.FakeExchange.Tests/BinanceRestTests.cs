using System.Globalization;
using System.Net;
using System.Text.Json;

namespace Lambda.FakeExchange.Tests;

public sealed class BinanceRestTests : ServerTest
{
    private const string BtcTicker = """{"symbol":"BTCUSDT","lastPrice":"65000.01","volume":"1234.5"}""";
    private const string EthTicker = """{"symbol":"ETHUSDT","lastPrice":"3000.5","volume":"99.0"}""";
    private const long FirstOpenTime = 1_700_000_000_000;

    [Fact]
    public async Task Ticker_for_one_symbol_is_the_object_that_was_set()
    {
        Server.Binance.SetTicker("BTCUSDT", BtcTicker);

        using var response = await Http().GetAsync(new Uri("api/v3/ticker/24hr?symbol=BTCUSDT", UriKind.Relative));

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        (await response.Content.ReadAsStringAsync()).Should().Be(BtcTicker);
        response.Headers.GetValues("X-MBX-USED-WEIGHT-1M").Should().Equal("2");
    }

    [Fact]
    public async Task Ticker_for_a_list_of_symbols_is_an_array_in_the_order_asked()
    {
        Server.Binance.SetTicker("BTCUSDT", BtcTicker);
        Server.Binance.SetTicker("ETHUSDT", EthTicker);
        var symbols = Uri.EscapeDataString("""["ETHUSDT","BTCUSDT"]""");

        using var response = await Http().GetAsync(new Uri($"api/v3/ticker/24hr?symbols={symbols}", UriKind.Relative));

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        (await response.Content.ReadAsStringAsync()).Should().Be($"[{EthTicker},{BtcTicker}]");
    }

    [Fact]
    public async Task Ticker_without_parameters_is_every_symbol_for_weight_80()
    {
        Server.Binance.SetTicker("BTCUSDT", BtcTicker);
        Server.Binance.SetTicker("ETHUSDT", EthTicker);

        using var response = await Http().GetAsync(new Uri("api/v3/ticker/24hr", UriKind.Relative));

        (await response.Content.ReadAsStringAsync()).Should().Be($"[{BtcTicker},{EthTicker}]");
        response.Headers.GetValues("X-MBX-USED-WEIGHT-1M").Should().Equal("80");
    }

    [Theory]
    [InlineData("api/v3/ticker/24hr?symbol=DOGEUSDT")]
    [InlineData("api/v3/ticker/24hr?symbols=%5B%22BTCUSDT%22%2C%22DOGEUSDT%22%5D")]
    [InlineData("api/v3/klines?symbol=DOGEUSDT&interval=1m")]
    public async Task Unknown_symbol_is_400_with_code_minus_1121(string pathAndQuery)
    {
        Server.Binance.SetTicker("BTCUSDT", BtcTicker);

        using var response = await Http().GetAsync(new Uri(pathAndQuery, UriKind.Relative));

        response.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        (await response.Content.ReadAsStringAsync()).Should().Be("""{"code":-1121,"msg":"Invalid symbol."}""");
    }

    [Fact]
    public async Task Used_weight_header_is_the_running_total_of_the_minute()
    {
        var symbols = Enumerable.Range(1, 21).Select(i => $"S{i}USDT").ToList();
        foreach (var symbol in symbols)
        {
            Server.Binance.SetTicker(symbol, $$"""{"symbol":"{{symbol}}"}""");
        }

        var http = Http();
        var manySymbols = Uri.EscapeDataString(JsonSerializer.Serialize(symbols));
        var weights = new List<string>();
        foreach (var pathAndQuery in new[]
                 {
                     "api/v3/ticker/24hr?symbol=S1USDT",
                     $"api/v3/ticker/24hr?symbols={manySymbols}",
                     "api/v3/ticker/24hr",
                     "api/v3/klines?symbol=S1USDT&interval=1m",
                 })
        {
            using var response = await http.GetAsync(new Uri(pathAndQuery, UriKind.Relative));
            response.StatusCode.Should().Be(HttpStatusCode.OK);
            weights.Add(response.Headers.GetValues("X-MBX-USED-WEIGHT-1M").Single());
        }

        weights.Should().Equal("2", "42", "122", "124");
        Server.Binance.Requests.Select(r => r.Weight).Should().Equal(2, 40, 80, 2);
        Server.Binance.Requests[0].PathAndQuery.Should().Be("/api/v3/ticker/24hr?symbol=S1USDT");
        Server.Binance.UsedWeight.Should().Be(124);
    }

    [Fact]
    public async Task Going_over_the_weight_limit_is_429_with_retry_after()
    {
        Server.Binance.SetTicker("BTCUSDT", BtcTicker);
        Server.Binance.WeightLimitPerMinute = 5;
        var http = Http();
        var statuses = new List<HttpStatusCode>();

        for (var i = 0; i < 3; i++)
        {
            using var response = await http.GetAsync(new Uri("api/v3/ticker/24hr?symbol=BTCUSDT", UriKind.Relative));
            statuses.Add(response.StatusCode);
            if (response.StatusCode == HttpStatusCode.TooManyRequests)
            {
                response.Headers.RetryAfter!.Delta.Should().BeGreaterThan(TimeSpan.Zero).And.BeLessThanOrEqualTo(TimeSpan.FromMinutes(1));
                response.Headers.GetValues("X-MBX-USED-WEIGHT-1M").Should().Equal("4");
                (await response.Content.ReadAsStringAsync()).Should().Contain("-1003");
            }
        }

        statuses.Should().Equal(HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.TooManyRequests);
        Server.Binance.Requests.Select(r => r.StatusCode).Should().Equal(200, 200, 429);
    }

    [Theory]
    [InlineData(429)]
    [InlineData(418)]
    public async Task Failed_requests_carry_retry_after_then_service_resumes(int statusCode)
    {
        Server.Binance.SetTicker("BTCUSDT", BtcTicker);
        Server.Binance.FailNextRequests(statusCode, count: 2, retryAfterSeconds: 7);
        var http = Http();
        var statuses = new List<int>();

        for (var i = 0; i < 3; i++)
        {
            using var response = await http.GetAsync(new Uri("api/v3/ticker/24hr?symbol=BTCUSDT", UriKind.Relative));
            statuses.Add((int)response.StatusCode);
            if ((int)response.StatusCode == statusCode)
            {
                response.Headers.RetryAfter!.Delta.Should().Be(TimeSpan.FromSeconds(7));
                response.Headers.Contains("X-MBX-USED-WEIGHT-1M").Should().BeTrue();
            }
        }

        statuses.Should().Equal(statusCode, statusCode, 200);
        Server.Binance.Requests.Select(r => r.Weight).Should().Equal(0, 0, 2);
    }

    [Fact]
    public async Task Klines_page_forward_from_start_time_up_to_the_limit()
    {
        Server.Binance.SetKlines("BTCUSDT", "1m", Rows(1200));
        var http = Http();
        var openTimes = new List<long>();
        var start = FirstOpenTime;

        for (var page = 0; page < 3; page++)
        {
            var rows = await KlinesAsync(http, $"symbol=BTCUSDT&interval=1m&startTime={start}&limit=1000");
            openTimes.AddRange(rows.Select(r => r[0].GetInt64()));
            if (rows.Count < 1000)
            {
                break;
            }

            start = rows[^1][0].GetInt64() + 1;
        }

        openTimes.Should().HaveCount(1200).And.OnlyHaveUniqueItems().And.BeInAscendingOrder();
        openTimes[0].Should().Be(FirstOpenTime);
    }

    [Fact]
    public async Task Klines_without_start_time_are_the_latest_500_by_default()
    {
        Server.Binance.SetKlines("BTCUSDT", "1m", Rows(1200).Reverse());

        var rows = await KlinesAsync(Http(), "symbol=BTCUSDT&interval=1m");

        rows.Should().HaveCount(500);
        rows[0][0].GetInt64().Should().Be(OpenTime(700));
        rows[^1][0].GetInt64().Should().Be(OpenTime(1199));
    }

    [Fact]
    public async Task Klines_between_start_and_end_time_include_both_ends()
    {
        Server.Binance.SetKlines("BTCUSDT", "1m", Rows(100));

        var rows = await KlinesAsync(Http(), $"symbol=BTCUSDT&interval=1m&startTime={OpenTime(10)}&endTime={OpenTime(19)}");
        var latestBeforeEnd = await KlinesAsync(Http(), $"symbol=BTCUSDT&interval=1m&endTime={OpenTime(19)}&limit=5");

        rows.Select(r => r[0].GetInt64()).Should().Equal(Enumerable.Range(10, 10).Select(OpenTime));
        latestBeforeEnd.Select(r => r[0].GetInt64()).Should().Equal(Enumerable.Range(15, 5).Select(OpenTime));
    }

    [Fact]
    public async Task Kline_rows_have_binance_shape_numbers_for_times_and_trades_strings_for_prices()
    {
        Server.Binance.SetKlines("BTCUSDT", "1d", Rows(1));

        var row = (await KlinesAsync(Http(), "symbol=BTCUSDT&interval=1d")).Single();

        row.Should().HaveCount(12);
        row[0].ValueKind.Should().Be(JsonValueKind.Number);
        row[1].GetString().Should().Be("100.5");
        row[6].GetInt64().Should().Be(FirstOpenTime + 59_999);
        row[8].GetInt64().Should().Be(42);
        row[11].GetString().Should().Be("0");
    }

    [Theory]
    [InlineData("symbol=BTCUSDT&interval=1m&limit=1001", -1130)]
    [InlineData("symbol=BTCUSDT&interval=7m", -1120)]
    [InlineData("interval=1m", -1102)]
    [InlineData("symbol=BTCUSDT&interval=1m&startTime=yesterday", -1100)]
    public async Task Bad_kline_parameters_are_400_with_binance_codes(string query, int code)
    {
        Server.Binance.SetKlines("BTCUSDT", "1m", Rows(3));

        using var response = await Http().GetAsync(new Uri("api/v3/klines?" + query, UriKind.Relative));

        response.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("code").GetInt32().Should().Be(code);
    }

    private static long OpenTime(int index) => FirstOpenTime + (index * 60_000L);

    private static IEnumerable<string[]> Rows(int count) => Enumerable.Range(0, count).Select(i =>
    {
        var open = OpenTime(i).ToString(CultureInfo.InvariantCulture);
        var close = (OpenTime(i) + 59_999).ToString(CultureInfo.InvariantCulture);
        return new[] { open, "100.5", "101", "99", "100.7", "12.5", close, "1256.2", "42", "6.1", "613.4", "0" };
    });

    private static async Task<List<JsonElement[]>> KlinesAsync(HttpClient http, string query)
    {
        using var response = await http.GetAsync(new Uri("api/v3/klines?" + query, UriKind.Relative));
        response.StatusCode.Should().Be(HttpStatusCode.OK);
        using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return document.RootElement.EnumerateArray().Select(row => row.EnumerateArray().Select(c => c.Clone()).ToArray()).ToList();
    }
}
