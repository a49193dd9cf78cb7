using System.Globalization;
using System.Text.RegularExpressions;
using Lambda.Core.Contracts;

namespace Lambda.Core.Klines;

/// <summary>Which of the two klines CSV layouts a file uses.</summary>
public enum KlinesCsvLayout
{
    /// <summary>Binance public data: open time, o, h, l, c, volume, close time, quote volume, trades, taker base, taker quote, ignore.</summary>
    Binance,

    /// <summary><c>timestamp|date,open,high,low,close,volume</c> with a header, columns in any order.</summary>
    Simple,
}

/// <summary>
/// Reads klines CSV files: Binance's 12-column dumps (header or not, 13-digit ms or 16-digit µs
/// timestamps) and simple OHLCV files with a header. Bad rows come back as rows with an error, so a
/// caller can count and report them and keep reading.
/// </summary>
public static partial class KlinesCsvReader
{
    /// <summary>Symbol and interval from a Binance dump's name: <c>BTCUSDT-1d-2024-01.csv</c>, <c>BTCUSDT-4h.csv</c>.</summary>
    public static (string? Symbol, string? Interval) NameParts(string path)
    {
        var match = DumpName().Match(Path.GetFileNameWithoutExtension(path));
        if (!match.Success)
        {
            return (null, null);
        }

        var interval = match.Groups[2].Value;
        return (match.Groups[1].Value, KlineIntervals.TryGetLength(interval, out _) ? interval : null);
    }

    /// <summary>True when the line looks like the start of a klines CSV (a header or a numeric row).</summary>
    public static bool LooksLikeKlines(string firstLine)
    {
        var fields = firstLine.Split(',');
        return fields.Length >= 6 && (IsHeader(fields) is not null || long.TryParse(fields[0], NumberStyles.None, CultureInfo.InvariantCulture, out _));
    }

    /// <param name="interval">The candle length where the file does not give it; inferred from the timestamps when null.</param>
    public static IEnumerable<KlineRow> Read(TextReader reader, string? interval = null)
    {
        var lineNumber = 0;
        string? line;
        KlinesCsvLayout? layout = null;
        Dictionary<string, int>? columns = null;
        var pending = new List<(int Line, string Raw, string[] Fields)>();
        long? intervalMs = interval is null ? null : IntervalMs(interval);

        while ((line = reader.ReadLine()) is not null)
        {
            lineNumber++;
            if (line.Length == 0)
            {
                continue;
            }

            var fields = line.Split(',');
            if (layout is null)
            {
                columns = IsHeader(fields);
                layout = columns is not null && !columns.ContainsKey("close_time") ? KlinesCsvLayout.Simple : KlinesCsvLayout.Binance;
                if (columns is not null)
                {
                    continue;
                }
            }

            if (layout == KlinesCsvLayout.Binance)
            {
                yield return ParseBinance(lineNumber, line, fields);
                continue;
            }

            // The simple layout has no close time: the interval comes from the option or the timestamps.
            if (intervalMs is null)
            {
                pending.Add((lineNumber, line, fields));
                if (pending.Count < 3)
                {
                    continue;
                }

                intervalMs = InferInterval(pending.Select(p => ParseTime(Field(p.Fields, columns!, "time"))));
                foreach (var row in pending)
                {
                    yield return ParseSimple(row.Line, row.Raw, row.Fields, columns!, intervalMs);
                }

                pending.Clear();
                continue;
            }

            yield return ParseSimple(lineNumber, line, fields, columns!, intervalMs);
        }

        if (pending.Count > 0)
        {
            intervalMs ??= InferInterval(pending.Select(p => ParseTime(Field(p.Fields, columns!, "time"))));
            foreach (var row in pending)
            {
                yield return ParseSimple(row.Line, row.Raw, row.Fields, columns!, intervalMs);
            }
        }
    }

    /// <summary>
    /// True when the rows' open times never go backwards (rows whose time does not parse are left out): one pass that
    /// reads only the time column, so a caller can stream a sorted file instead of holding all of it to sort it.
    /// </summary>
    public static bool IsInTimeOrder(TextReader reader)
    {
        ArgumentNullException.ThrowIfNull(reader);
        var timeColumn = -1;
        var layoutKnown = false;
        var last = long.MinValue;
        string? line;
        while ((line = reader.ReadLine()) is not null)
        {
            if (line.Length == 0)
            {
                continue;
            }

            if (!layoutKnown)
            {
                layoutKnown = true;
                var columns = IsHeader(line.Split(','));
                timeColumn = columns is null ? 0 : columns.GetValueOrDefault("time", -1);
                if (columns is not null)
                {
                    continue;
                }
            }

            if (timeColumn < 0)
            {
                return true;
            }

            if (ParseTime(FieldAt(line, timeColumn).Trim()) is not { } time)
            {
                continue;
            }

            if (time < last)
            {
                return false;
            }

            last = time;
        }

        return true;
    }

    /// <summary>The index-th comma-separated field of a line, without splitting the rest of it.</summary>
    private static ReadOnlySpan<char> FieldAt(string line, int index)
    {
        var rest = line.AsSpan();
        for (var i = 0; i < index; i++)
        {
            var comma = rest.IndexOf(',');
            if (comma < 0)
            {
                return [];
            }

            rest = rest[(comma + 1)..];
        }

        var end = rest.IndexOf(',');
        return end < 0 ? rest : rest[..end];
    }

    private static KlineRow ParseBinance(int line, string raw, string[] f)
    {
        if (f.Length < 9)
        {
            return new(line, null, $"expected at least 9 columns, found {f.Length}", raw);
        }

        var openTime = ParseTime(f[0]);
        var closeTime = ParseTime(f[6]);
        if (openTime is null || closeTime is null)
        {
            return new(line, null, $"open time '{f[0]}' or close time '{f[6]}' is not a Unix timestamp in ms or µs", raw);
        }

        if (!TryNumbers(f, [1, 2, 3, 4, 5, 7], out var n, out var bad))
        {
            return new(line, null, $"column {bad + 1} '{f[bad]}' is not a number", raw);
        }

        if (!long.TryParse(f[8], NumberStyles.Integer, CultureInfo.InvariantCulture, out var trades))
        {
            return new(line, null, $"column 9 '{f[8]}' (trades) is not an integer", raw);
        }

        return new(line, new Kline(openTime.Value, closeTime.Value, n[0], n[1], n[2], n[3], n[4], n[5], trades), null, raw);
    }

    /// <summary>The simple layout's value columns, in the order a <see cref="Kline"/> takes them.</summary>
    private static readonly string[] SimpleValueColumns = ["open", "high", "low", "close", "volume"];

    private static KlineRow ParseSimple(int line, string raw, string[] f, Dictionary<string, int> columns, long? intervalMs)
    {
        if (f.Length < columns.Count)
        {
            return new(line, null, $"expected {columns.Count} columns, found {f.Length}", raw);
        }

        var openTime = ParseTime(Field(f, columns, "time"));
        if (openTime is null)
        {
            return new(line, null, $"'{Field(f, columns, "time")}' is not a timestamp or date", raw);
        }

        if (intervalMs is null)
        {
            return new(line, null, "the interval cannot be inferred from fewer than two rows: pass it", raw);
        }

        Span<double> values = stackalloc double[SimpleValueColumns.Length];
        for (var i = 0; i < SimpleValueColumns.Length; i++)
        {
            if (!double.TryParse(Field(f, columns, SimpleValueColumns[i]), NumberStyles.Float, CultureInfo.InvariantCulture, out values[i]))
            {
                return new(line, null, $"{SimpleValueColumns[i]} '{Field(f, columns, SimpleValueColumns[i])}' is not a number", raw);
            }
        }

        return new(line, new Kline(openTime.Value, openTime.Value + intervalMs.Value - 1, values[0], values[1], values[2], values[3], values[4], 0, 0), null, raw);
    }

    /// <summary>The header's column indexes by name (time under "time"), or null when the row is data.</summary>
    private static Dictionary<string, int>? IsHeader(string[] fields)
    {
        if (double.TryParse(fields[0], NumberStyles.Float, CultureInfo.InvariantCulture, out _))
        {
            return null;
        }

        var columns = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < fields.Length; i++)
        {
            var name = fields[i].Trim().Trim('"').ToLowerInvariant().Replace(' ', '_');
            name = name is "timestamp" or "date" or "open_time" or "time" or "datetime" ? (columns.ContainsKey("time") ? name : "time") : name;
            columns.TryAdd(name, i);
        }

        return columns;
    }

    private static string Field(string[] fields, Dictionary<string, int> columns, string name) =>
        columns.TryGetValue(name, out var index) && index < fields.Length ? fields[index].Trim() : "";

    /// <summary>Unix ms from 13-digit ms, 16-digit µs, 10-digit s, or an ISO date/time (UTC).</summary>
    private static long? ParseTime(ReadOnlySpan<char> text)
    {
        if (long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var number))
        {
            return text.Length switch
            {
                >= 16 => number / 1000,
                >= 12 => number,
                >= 9 => number * 1000,
                _ => null,
            };
        }

        return DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var time)
            ? time.ToUnixTimeMilliseconds()
            : null;
    }

    private static long? InferInterval(IEnumerable<long?> times)
    {
        var known = times.OfType<long>().Order().ToList();
        var gaps = known.Zip(known.Skip(1), (a, b) => b - a).Where(gap => gap > 0).ToList();
        return gaps.Count == 0 ? null : gaps.Min();
    }

    private static long? IntervalMs(string interval) =>
        KlineIntervals.TryGetLength(interval, out var length) && length > TimeSpan.Zero ? (long)length.TotalMilliseconds : null;

    private static bool TryNumbers(string[] fields, int[] indexes, out double[] values, out int bad)
    {
        values = new double[indexes.Length];
        for (var i = 0; i < indexes.Length; i++)
        {
            if (!double.TryParse(fields[indexes[i]], NumberStyles.Float, CultureInfo.InvariantCulture, out values[i]))
            {
                bad = indexes[i];
                return false;
            }
        }

        bad = -1;
        return true;
    }

    [GeneratedRegex(@"^([A-Z0-9]+)-(\d+[smhdwM])(?:-|$)")]
    private static partial Regex DumpName();
}
