using System.Text;
using System.Text.Json;

namespace Lambda.Producer.Normalization;

/// <summary>The <c>data</c> of a Bybit v5 spot <c>tickers.{symbol}</c> snapshot.</summary>
/// <param name="ChangeFraction"><c>price24hPcnt</c>: a fraction (<c>-0.0049</c> is −0.49 %), not a percentage.</param>
internal readonly record struct BybitTicker(
    string Symbol, double LastPrice, double HighPrice24h, double LowPrice24h, double PrevPrice24h,
    double Volume24h, double Turnover24h, double ChangeFraction);

/// <summary>One element of the <c>data</c> array of a Bybit v5 <c>publicTrade.{symbol}</c> message.</summary>
internal readonly record struct BybitTrade(long TradeTime, string Symbol, bool IsBuyerMaker, double Quantity, double Price, long TradeId);

/// <summary>
/// Reads the <c>data</c> of Bybit v5 public frames with <see cref="Utf8JsonReader"/>, the reader standing on the
/// value's first token. Each method returns the problem naming the field, or null.
/// </summary>
internal static class BybitPayloads
{
    public static string? ReadTicker(ref Utf8JsonReader reader, out BybitTicker ticker)
    {
        ticker = default;
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            return JsonFields.Problem("data", "is not an object");
        }

        string? symbol = null;
        double? last = null, high = null, low = null, previous = null, volume = null, turnover = null, fraction = null;
        string? problem = null;
        while (problem is null && JsonFields.NextProperty(ref reader))
        {
            problem = reader.ValueTextEquals("symbol"u8) ? JsonFields.String(ref reader, "symbol", ref symbol)
                : reader.ValueTextEquals("lastPrice"u8) ? JsonFields.Double(ref reader, "lastPrice", ref last)
                : reader.ValueTextEquals("highPrice24h"u8) ? JsonFields.Double(ref reader, "highPrice24h", ref high)
                : reader.ValueTextEquals("lowPrice24h"u8) ? JsonFields.Double(ref reader, "lowPrice24h", ref low)
                : reader.ValueTextEquals("prevPrice24h"u8) ? JsonFields.Double(ref reader, "prevPrice24h", ref previous)
                : reader.ValueTextEquals("volume24h"u8) ? JsonFields.Double(ref reader, "volume24h", ref volume)
                : reader.ValueTextEquals("turnover24h"u8) ? JsonFields.Double(ref reader, "turnover24h", ref turnover)
                : reader.ValueTextEquals("price24hPcnt"u8) ? JsonFields.Double(ref reader, "price24hPcnt", ref fraction)
                : JsonFields.Skip(ref reader);
        }

        problem ??= JsonFields.FirstMissing(
            (symbol is not null, "symbol"), (last.HasValue, "lastPrice"), (high.HasValue, "highPrice24h"),
            (low.HasValue, "lowPrice24h"), (previous.HasValue, "prevPrice24h"), (volume.HasValue, "volume24h"),
            (turnover.HasValue, "turnover24h"), (fraction.HasValue, "price24hPcnt"));
        if (problem is not null)
        {
            return problem;
        }

        // GetValueOrDefault() and ! follow the FirstMissing check that proved every value present.
        ticker = new BybitTicker(
            symbol!, last.GetValueOrDefault(), high.GetValueOrDefault(), low.GetValueOrDefault(), previous.GetValueOrDefault(),
            volume.GetValueOrDefault(), turnover.GetValueOrDefault(), fraction.GetValueOrDefault());
        return null;
    }

    /// <summary>Reads every trade of the array; a problem names the element (<c>element 1: field 'p' …</c>).</summary>
    public static string? ReadTrades(ref Utf8JsonReader reader, List<BybitTrade> trades)
    {
        if (reader.TokenType != JsonTokenType.StartArray)
        {
            return JsonFields.Problem("data", "is not an array");
        }

        for (var index = 0; reader.Read() && reader.TokenType != JsonTokenType.EndArray; index++)
        {
            if (reader.TokenType != JsonTokenType.StartObject)
            {
                return $"element {index}: not an object";
            }

            if (ReadTrade(ref reader, out var trade) is { } problem)
            {
                return $"element {index}: {problem}";
            }

            trades.Add(trade);
        }

        return null;
    }

    private static string? ReadTrade(ref Utf8JsonReader reader, out BybitTrade trade)
    {
        trade = default;
        long? tradeTime = null, tradeId = null;
        string? symbol = null;
        bool? isBuyerMaker = null;
        double? quantity = null, price = null;
        string? problem = null;
        while (problem is null && JsonFields.NextProperty(ref reader))
        {
            problem = JsonFields.SingleByteName(ref reader) switch
            {
                (byte)'T' => JsonFields.Int64(ref reader, "T", ref tradeTime),
                (byte)'s' => JsonFields.String(ref reader, "s", ref symbol),
                (byte)'S' => TakerSide(ref reader, ref isBuyerMaker),
                (byte)'v' => JsonFields.Double(ref reader, "v", ref quantity),
                (byte)'p' => JsonFields.Double(ref reader, "p", ref price),
                (byte)'i' => TradeId(ref reader, ref tradeId),
                _ => JsonFields.Skip(ref reader),
            };
        }

        problem ??= JsonFields.FirstMissing(
            (tradeTime.HasValue, "T"), (symbol is not null, "s"), (isBuyerMaker.HasValue, "S"),
            (quantity.HasValue, "v"), (price.HasValue, "p"), (tradeId.HasValue, "i"));
        if (problem is not null)
        {
            return problem;
        }

        trade = new BybitTrade(
            tradeTime.GetValueOrDefault(), symbol!, isBuyerMaker.GetValueOrDefault(), quantity.GetValueOrDefault(),
            price.GetValueOrDefault(), tradeId.GetValueOrDefault());
        return null;
    }

    /// <summary>
    /// <c>S</c> is the taker's side. A taker who bought lifted a seller's resting order, so the buyer was not the
    /// maker; a taker who sold hit a resting buy: the buyer was the maker.
    /// </summary>
    private static string? TakerSide(ref Utf8JsonReader reader, ref bool? isBuyerMaker)
    {
        reader.Read();
        if (reader.TokenType == JsonTokenType.Null)
        {
            return null;
        }

        if (reader.TokenType == JsonTokenType.String)
        {
            if (reader.ValueTextEquals("Buy"u8))
            {
                isBuyerMaker = false;
                return null;
            }

            if (reader.ValueTextEquals("Sell"u8))
            {
                isBuyerMaker = true;
                return null;
            }
        }

        reader.Skip();
        return JsonFields.Problem("S", "is not Buy or Sell");
    }

    /// <summary><c>i</c>, a string: numeric for spot, a UUID for derivatives (see <see cref="TradeIds"/>).</summary>
    private static string? TradeId(ref Utf8JsonReader reader, ref long? tradeId)
    {
        reader.Read();
        switch (reader.TokenType)
        {
            case JsonTokenType.Null:
                return null;
            case JsonTokenType.String:
                tradeId = reader.ValueIsEscaped
                    ? TradeIds.FromText(Encoding.UTF8.GetBytes(reader.GetString() ?? ""))
                    : TradeIds.FromText(reader.ValueSpan);
                return null;
            default:
                reader.Skip();
                return JsonFields.Problem("i", "is not a string");
        }
    }
}
