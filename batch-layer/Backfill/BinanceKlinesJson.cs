using System.Globalization;
using System.Text.Json;
using Lambda.Core.Klines;

namespace Lambda.BatchLayer.Backfill;

/// <summary>
/// Reads the body of <c>/api/v3/klines</c>: an array of 12-element arrays (open time, open, high,
/// low, close, volume, close time, quote volume, trades, taker buy base, taker buy quote, ignore),
/// times and trades as numbers, prices and volumes as strings; and Binance's error body
/// <c>{"code":-1121,"msg":"Invalid symbol."}</c>.
/// </summary>
public static class BinanceKlinesJson
{
    /// <exception cref="BinanceApiException">The body is not such an array; the message says where.</exception>
    public static IReadOnlyList<Kline> Parse(ReadOnlySpan<byte> body)
    {
        try
        {
            var reader = new Utf8JsonReader(body);
            using var document = JsonDocument.ParseValue(ref reader);
            if (document.RootElement.ValueKind != JsonValueKind.Array)
            {
                throw new BinanceApiException($"klines response is not an array but {document.RootElement.ValueKind}");
            }

            var klines = new List<Kline>(document.RootElement.GetArrayLength());
            var index = 0;
            foreach (var row in document.RootElement.EnumerateArray())
            {
                klines.Add(ParseRow(row, index++));
            }

            return klines;
        }
        catch (JsonException e)
        {
            throw new BinanceApiException($"klines response is not valid JSON: {e.Message}", e);
        }
    }

    /// <summary>Binance's <c>code</c> and <c>msg</c> from an error body; nulls when the body is not one.</summary>
    public static (int? Code, string? Message) ParseError(ReadOnlySpan<byte> body)
    {
        try
        {
            var reader = new Utf8JsonReader(body);
            using var document = JsonDocument.ParseValue(ref reader);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                return (null, null);
            }

            int? code = root.TryGetProperty("code", out var c) && c.ValueKind == JsonValueKind.Number && c.TryGetInt32(out var n) ? n : null;
            var message = root.TryGetProperty("msg", out var m) && m.ValueKind == JsonValueKind.String ? m.GetString() : null;
            return (code, message);
        }
        catch (JsonException)
        {
            return (null, null);
        }
    }

    private static Kline ParseRow(JsonElement row, int index)
    {
        if (row.ValueKind != JsonValueKind.Array || row.GetArrayLength() < 9)
        {
            throw new BinanceApiException($"kline row {index} is not an array of at least 9 columns: {Clip(row.GetRawText())}");
        }

        var kline = new Kline(
            Integer(row[0], index, "open time"),
            Integer(row[6], index, "close time"),
            Number(row[1], index, "open"),
            Number(row[2], index, "high"),
            Number(row[3], index, "low"),
            Number(row[4], index, "close"),
            Number(row[5], index, "volume"),
            Number(row[7], index, "quote volume"),
            Integer(row[8], index, "trades"));
        if (kline.CloseTime < kline.OpenTime || kline.Trades < 0 || kline.Volume < 0 || kline.QuoteVolume < 0
            || kline.Low <= 0 || kline.High < kline.Low || kline.Open < kline.Low || kline.Open > kline.High
            || kline.Close < kline.Low || kline.Close > kline.High)
        {
            throw new BinanceApiException($"kline row {index} is not a consistent candle: {Clip(row.GetRawText())}");
        }

        return kline;
    }

    private static long Integer(JsonElement value, int index, string column) => value.ValueKind switch
    {
        JsonValueKind.Number when value.TryGetInt64(out var n) => n,
        JsonValueKind.String when long.TryParse(value.GetString(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) => n,
        _ => throw new BinanceApiException($"kline row {index}: {column} is not an integer: {Clip(value.GetRawText())}"),
    };

    private static double Number(JsonElement value, int index, string column)
    {
        var parsed = value.ValueKind switch
        {
            JsonValueKind.String when double.TryParse(value.GetString(), NumberStyles.Float, CultureInfo.InvariantCulture, out var d) => d,
            JsonValueKind.Number when value.TryGetDouble(out var d) => d,
            _ => double.NaN,
        };
        return double.IsFinite(parsed)
            ? parsed
            : throw new BinanceApiException($"kline row {index}: {column} is not a number: {Clip(value.GetRawText())}");
    }

    private static string Clip(string text) => text.Length <= 200 ? text : string.Concat(text.AsSpan(0, 200), "…");
}
