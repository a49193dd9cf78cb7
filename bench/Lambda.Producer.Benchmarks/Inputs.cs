using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Lambda.Core.Contracts;
using Lambda.Producer.Normalization;
using Lambda.Producer.Replay;

namespace Lambda.Producer.Benchmarks;

/// <summary>The two inputs: the real capture as recorded, and an event-dense capture made from its own frames.</summary>
public static class Inputs
{
    public const string CaptureName = "cryptofeed-capture-BINANCE.ws.1.0.txt";

    /// <summary>The real capture's frames, as <see cref="CaptureFile"/> reads them for <c>producer replay</c>.</summary>
    public static FrameSet RealCapture(string dataDirectory)
    {
        var path = Path.Combine(dataDirectory, CaptureName);
        var frames = new FrameSet($"real capture ({CaptureName})");
        using (var reader = File.OpenText(path))
        {
            foreach (var captured in CaptureFile.Read(reader))
            {
                if (captured.Error is not null)
                {
                    throw new InvalidDataException($"{path}: {captured.Error}");
                }

                frames.Add(captured.Frame.Span);
            }
        }

        frames.Events = CountEvents(frames);
        return frames;
    }

    /// <summary>
    /// One event per frame, in turn a kline and an aggTrade (the capture's own frames, as templates) and a trade and a
    /// 24hrTicker (the payloads of Binance's API documentation in a combined-stream envelope), over eight symbols. Event
    /// times advance one millisecond per frame; ids, prices and quantities vary, so no two frames are the same.
    /// </summary>
    public static FrameSet DenseCapture(string dataDirectory, int count)
    {
        var captureFrames = new List<JsonObject>();
        using (var reader = File.OpenText(Path.Combine(dataDirectory, CaptureName)))
        {
            captureFrames.AddRange(CaptureFile.Read(reader)
                .Where(f => f.Error is null)
                .Select(f => JsonNode.Parse(f.Frame.Span)!.AsObject()));
        }

        JsonObject[] Of(string type) => [.. captureFrames.Where(f => (string?)f["data"]?["e"] == type)];
        var klines = Of("kline");
        var aggTrades = Of("aggTrade");
        if (klines.Length == 0 || aggTrades.Length == 0)
        {
            throw new InvalidDataException($"{CaptureName} holds no kline or no aggTrade frame to make the dense capture from");
        }

        var ticker = Envelope(Path.Combine(dataDirectory, "binance-24hrTicker.json"));
        var trade = Envelope(Path.Combine(dataDirectory, "binance-trade.json"));

        var frames = new FrameSet($"dense capture ({count:N0} frames: kline, aggTrade, trade, 24hrTicker in turn)");
        var generator = new Generator((long)klines[0]["data"]!["E"]!);
        var buffer = new ArrayBufferWriter<byte>(1024);
        using var writer = new Utf8JsonWriter(buffer);
        for (var i = 0; i < count; i++)
        {
            var frame = (i % 4) switch
            {
                0 => generator.Kline(klines[(i / 4) % klines.Length], i),
                1 => generator.AggTrade(aggTrades[(i / 4) % aggTrades.Length], i),
                2 => generator.Trade(trade, i),
                _ => generator.Ticker(ticker, i),
            };
            buffer.ResetWrittenCount();
            writer.Reset(buffer);
            frame.WriteTo(writer);
            writer.Flush();
            frames.Add(buffer.WrittenSpan);
        }

        frames.Events = count;
        var counted = CountEvents(frames);
        if (counted != count)
        {
            throw new InvalidOperationException($"the dense capture should hold {count} events, the normalizer found {counted}");
        }

        return frames;
    }

    private static long CountEvents(FrameSet frames)
    {
        var normalizer = new BinanceStreamNormalizer();
        var events = new List<MarketEvent>();
        foreach (var frame in frames.ToArray())
        {
            if (normalizer.Normalize(frame.Span, EventSources.Replay, events).IsMalformed)
            {
                throw new InvalidDataException("malformed frame in benchmark input: " + Encoding.UTF8.GetString(frame.Span));
            }
        }

        return events.Count;
    }

    private static JsonObject Envelope(string payloadPath) =>
        new() { ["stream"] = "", ["data"] = JsonNode.Parse(File.ReadAllBytes(payloadPath))!.AsObject() };

    /// <summary>Deterministic market data: a random walk of each symbol's price, running ids, one ms per event.</summary>
    private sealed class Generator(long firstEventTime)
    {
        private static readonly (string Symbol, double Price)[] Symbols =
        [
            ("NKNUSDT", 0.3528), ("LRCBTC", 0.00000638), ("BLZETH", 0.0000592), ("RUNEEUR", 9.55),
            ("BNBBTC", 0.0075), ("BTCUSDT", 57_000), ("ETHUSDT", 3_500), ("BNBUSDT", 420),
        ];

        private readonly Random _random = new(20211012);
        private readonly double[] _prices = [.. Symbols.Select(s => s.Price)];
        private long _tradeId = 19_862_790;
        private long _aggTradeId = 15_683_430;

        public JsonObject Kline(JsonObject frame, int i)
        {
            var (symbol, price, eventTime) = Next(i);
            var open = price * (1 + ((_random.NextDouble() - 0.5) * 0.002));
            var volume = Quantity();
            var trades = _random.Next(1, 500);
            var openTime = eventTime - (eventTime % 60_000);
            var data = Payload(frame, symbol, "kline_1m", eventTime);
            var k = data["k"]!.AsObject();
            k["t"] = openTime;
            k["T"] = openTime + 59_999;
            k["s"] = symbol;
            k["f"] = _tradeId;
            k["L"] = _tradeId + trades - 1;
            k["o"] = Decimal(open);
            k["c"] = Decimal(price);
            k["h"] = Decimal(Math.Max(open, price) * 1.0005);
            k["l"] = Decimal(Math.Min(open, price) * 0.9995);
            k["v"] = Decimal(volume);
            k["n"] = trades;
            k["x"] = eventTime % 60_000 >= 59_000;
            k["q"] = Decimal(volume * price);
            k["V"] = Decimal(volume / 2);
            k["Q"] = Decimal(volume * price / 2);
            return frame;
        }

        public JsonObject AggTrade(JsonObject frame, int i)
        {
            var (symbol, price, eventTime) = Next(i);
            var data = Payload(frame, symbol, "aggTrade", eventTime);
            var fills = _random.Next(1, 4);
            data["a"] = _aggTradeId++;
            data["p"] = Decimal(price);
            data["q"] = Decimal(Quantity());
            data["f"] = _tradeId;
            data["l"] = _tradeId + fills - 1;
            _tradeId += fills;
            data["T"] = eventTime;
            data["m"] = _random.Next(2) == 0;
            return frame;
        }

        public JsonObject Trade(JsonObject frame, int i)
        {
            var (symbol, price, eventTime) = Next(i);
            var data = Payload(frame, symbol, "trade", eventTime);
            data["t"] = _tradeId++;
            data["p"] = Decimal(price);
            data["q"] = Decimal(Quantity());
            data["T"] = eventTime;
            data["m"] = _random.Next(2) == 0;
            return frame;
        }

        public JsonObject Ticker(JsonObject frame, int i)
        {
            var (symbol, price, eventTime) = Next(i);
            var data = Payload(frame, symbol, "ticker", eventTime);
            var open = price * (1 + ((_random.NextDouble() - 0.5) * 0.1));
            var high = Math.Max(open, price) * 1.01;
            var low = Math.Min(open, price) * 0.99;
            var volume = Quantity() * 1000;
            var trades = _random.Next(1_000, 100_000);
            data["p"] = Decimal(price - open);
            data["P"] = ((price - open) / open * 100).ToString("F3", CultureInfo.InvariantCulture);
            data["w"] = Decimal((high + low) / 2);
            data["x"] = Decimal(open);
            data["c"] = Decimal(price);
            data["Q"] = Decimal(Quantity());
            data["b"] = Decimal(price * 0.9999);
            data["B"] = Decimal(Quantity());
            data["a"] = Decimal(price * 1.0001);
            data["A"] = Decimal(Quantity());
            data["o"] = Decimal(open);
            data["h"] = Decimal(high);
            data["l"] = Decimal(low);
            data["v"] = Decimal(volume);
            data["q"] = Decimal(volume * (high + low) / 2);
            data["O"] = eventTime - 86_400_000;
            data["C"] = eventTime;
            data["F"] = _tradeId - trades;
            data["L"] = _tradeId - 1;
            data["n"] = trades;
            return frame;
        }

        private (string Symbol, double Price, long EventTime) Next(int i)
        {
            var s = (i / 4) % Symbols.Length;
            _prices[s] *= 1 + ((_random.NextDouble() - 0.5) * 0.002);
            return (Symbols[s].Symbol, _prices[s], firstEventTime + i);
        }

        private double Quantity() => Math.Round(_random.NextDouble() * 100, 4) + 0.0001;

        private static JsonObject Payload(JsonObject frame, string symbol, string stream, long eventTime)
        {
            frame["stream"] = symbol.ToLowerInvariant() + "@" + stream;
            var data = frame["data"]!.AsObject();
            data["E"] = eventTime;
            data["s"] = symbol;
            return data;
        }

        private static string Decimal(double value) => value.ToString("F8", CultureInfo.InvariantCulture);
    }
}
