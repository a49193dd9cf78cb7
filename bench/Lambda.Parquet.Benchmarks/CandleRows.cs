using System.Globalization;
using Lambda.Core.Views;
using Lambda.Testing;

namespace Lambda.Parquet.Benchmarks;

/// <summary>
/// Rows shaped like daily candles (two strings, a date, six doubles, an INT64, a boolean, two
/// timestamps), each a pure function of its index, so that our writer and DuckDB get exactly the
/// same values: the C# here and the SQL in <see cref="DuckDbSql"/> compute the same IEEE doubles.
/// </summary>
internal static class CandleRows
{
    private static readonly string[] Symbols = [.. Enumerable.Range(0, 100).Select(i => string.Create(CultureInfo.InvariantCulture, $"SYM{i}USDT"))];
    private static readonly DateOnly FirstDay = new(2000, 1, 1);
    private static readonly DateTimeOffset Epoch2000 = new(2000, 1, 1, 0, 0, 0, TimeSpan.Zero);

    public static ParquetSchema Schema { get; } = new(
    [
        ParquetColumn.String("exchange"),
        ParquetColumn.String("symbol"),
        ParquetColumn.Date("day"),
        ParquetColumn.Double("open"),
        ParquetColumn.Double("high"),
        ParquetColumn.Double("low"),
        ParquetColumn.Double("close"),
        ParquetColumn.Double("volume"),
        ParquetColumn.Double("quote_volume"),
        ParquetColumn.Int64("trades"),
        ParquetColumn.Boolean("complete"),
        ParquetColumn.TimestampMicros("first_event_time"),
        ParquetColumn.TimestampMicros("last_event_time"),
    ]);

    /// <summary>The same rows in DuckDB, from <c>range(n)</c>.</summary>
    public static string DuckDbSql(long rows) => $"""
        SELECT
          CASE WHEN i % 2 = 0 THEN 'binance' ELSE 'bybit' END AS exchange,
          'SYM' || CAST(i % 100 AS VARCHAR) || 'USDT' AS symbol,
          CAST(DATE '2000-01-01' + CAST(i // 200 AS INTEGER) AS DATE) AS day,
          100.0::DOUBLE + CAST(i % 1000 AS DOUBLE) * 0.25::DOUBLE AS open,
          100.0::DOUBLE + CAST(i % 1000 AS DOUBLE) * 0.25::DOUBLE + 1.5::DOUBLE AS high,
          100.0::DOUBLE + CAST(i % 1000 AS DOUBLE) * 0.25::DOUBLE - 1.25::DOUBLE AS low,
          100.0::DOUBLE + CAST(i % 1000 AS DOUBLE) * 0.25::DOUBLE + 0.5::DOUBLE AS close,
          CAST(i % 7919 AS DOUBLE) * 0.001::DOUBLE AS volume,
          CAST(i % 7919 AS DOUBLE) * 0.001::DOUBLE * (100.0::DOUBLE + CAST(i % 1000 AS DOUBLE) * 0.25::DOUBLE + 0.5::DOUBLE) AS quote_volume,
          CAST(i * 3 AS BIGINT) AS trades,
          i % 3 <> 0 AS complete,
          make_timestamptz(CAST(946684800000000 + i * 1000000 + i % 1000 AS BIGINT)) AS first_event_time,
          make_timestamptz(CAST(946684800000000 + i * 1000000 + i % 1000 + 3600000000 AS BIGINT)) AS last_event_time
        FROM range({rows}) t(i)
        """;

    public static void Write(ParquetFileWriter writer, long rows)
    {
        var row = writer.Row;
        for (long i = 0; i < rows; i++)
        {
            var open = 100.0 + (i % 1000) * 0.25;
            var close = open + 0.5;
            var volume = (i % 7919) * 0.001;
            var first = Epoch2000.AddTicks((i * 1_000_000 + i % 1000) * 10);
            row.SetString(0, i % 2 == 0 ? "binance" : "bybit");
            row.SetString(1, Symbols[i % 100]);
            row.SetDate(2, FirstDay.AddDays((int)(i / 200)));
            row.SetDouble(3, open);
            row.SetDouble(4, open + 1.5);
            row.SetDouble(5, open - 1.25);
            row.SetDouble(6, close);
            row.SetDouble(7, volume);
            row.SetDouble(8, volume * close);
            row.SetInt64(9, i * 3);
            row.SetBoolean(10, i % 3 != 0);
            row.SetTimestamp(11, first);
            row.SetTimestamp(12, first.AddHours(1));
            writer.EndRow();
        }
    }
}

/// <summary>Aggregates touching every column: what "a full scan" computes, here and in DuckDB.</summary>
internal sealed record ScanTotals(long Rows, long Binance, long SymbolLength, long DaySum, double Prices, double Volumes, long Trades, long Complete, long TimeSum)
{
    public const string DuckDbSelect = """
        SELECT count(*), count(*) FILTER (WHERE exchange = 'binance'), sum(length(symbol)), sum(CAST(day - DATE '1970-01-01' AS BIGINT)),
               sum(open + high + low + close), sum(volume + quote_volume), sum(trades), count(*) FILTER (WHERE complete),
               sum(CAST(epoch_us(first_event_time) // 1000000 + epoch_us(last_event_time) // 1000000 AS BIGINT))
        """;

    public static ScanTotals Read(ParquetFileReader reader)
    {
        long rows = 0, binance = 0, symbolLength = 0, daySum = 0, trades = 0, complete = 0, timeSum = 0;
        double prices = 0, volumes = 0;
        foreach (var row in reader.ReadRows())
        {
            rows++;
            if (row.GetString(0) == "binance")
            {
                binance++;
            }

            symbolLength += row.GetString(1).Length;
            daySum += row.GetDate(2).DayNumber - DateOnly.FromDateTime(DateTime.UnixEpoch).DayNumber;
            prices += row.GetDouble(3) + row.GetDouble(4) + row.GetDouble(5) + row.GetDouble(6);
            volumes += row.GetDouble(7) + row.GetDouble(8);
            trades += row.GetInt64(9);
            complete += row.GetBoolean(10) ? 1 : 0;
            timeSum += row.GetTimestamp(11).ToUnixTimeSeconds() + row.GetTimestamp(12).ToUnixTimeSeconds();
        }

        return new ScanTotals(rows, binance, symbolLength, daySum, prices, volumes, trades, complete, timeSum);
    }

    /// <summary>Same counts exactly; floating sums to a relative 1e-9 (summation order differs).</summary>
    public bool Matches(ScanTotals other) =>
        Rows == other.Rows && Binance == other.Binance && SymbolLength == other.SymbolLength && DaySum == other.DaySum
        && Trades == other.Trades && Complete == other.Complete && TimeSum == other.TimeSum
        && Close(Prices, other.Prices) && Close(Volumes, other.Volumes);

    private static bool Close(double a, double b) => Math.Abs(a - b) <= 1e-9 * Math.Max(Math.Abs(a), Math.Abs(b));
}

/// <summary>A scan of three columns (day, close, volume): what a step that needs few columns reads.</summary>
internal sealed record ThreeColumns(long DaySum, long CloseCents, long VolumeMillis)
{
    public const string DuckDbSelect = """
        SELECT sum(CAST(day - DATE '1970-01-01' AS BIGINT)), sum(CAST(round(close * 100) AS BIGINT)), sum(CAST(round(volume * 1000) AS BIGINT))
        """;

    private static readonly int EpochDay = DateOnly.FromDateTime(DateTime.UnixEpoch).DayNumber;

    public static ThreeColumns Read(ParquetFileReader reader)
    {
        long days = 0, cents = 0, millis = 0;
        foreach (var row in reader.ReadRows(new ParquetReadOptions { Columns = ["day", "close", "volume"] }))
        {
            days += row.GetDate(0).DayNumber - EpochDay;
            cents += (long)Math.Round(row.GetDouble(1) * 100);
            millis += (long)Math.Round(row.GetDouble(2) * 1000);
        }

        return new ThreeColumns(days, cents, millis);
    }

    public static ThreeColumns Of(DuckDbResult result)
    {
        var r = result.Rows[0];
        return new ThreeColumns(Convert.ToInt64(r[0], CultureInfo.InvariantCulture), Convert.ToInt64(r[1], CultureInfo.InvariantCulture), Convert.ToInt64(r[2], CultureInfo.InvariantCulture));
    }
}
