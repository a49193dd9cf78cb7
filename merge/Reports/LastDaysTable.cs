using Lambda.Core.Views;
using System.Globalization;
using Spectre.Console;

namespace Lambda.Merge.Reports;

/// <summary>The console table of the serving view: the last days of every series, with where each came from.</summary>
public static class LastDaysTable
{
    public static void Write(IAnsiConsole console, IReadOnlyList<SeriesDays> series)
    {
        foreach (var s in series)
        {
            var table = new Table { Border = TableBorder.Rounded, Title = new TableTitle($"{s.Exchange} {s.Symbol}: last {s.Rows.Count} day(s)") };
            table.AddColumn("day");
            foreach (var number in new[] { "open", "high", "low", "close", "volume", "trades" })
            {
                table.AddColumn(new TableColumn(number).RightAligned());
            }

            table.AddColumn("source");
            table.AddColumn("complete");
            table.AddColumn("lineage");
            foreach (var row in s.Rows)
            {
                var c = row.Candle;
                var colour = c.Source == ViewLayout.Sources.Batch ? "blue" : "darkorange";
                table.AddRow(
                    c.Day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
                    Number(c.Open), Number(c.High), Number(c.Low), Number(c.Close),
                    c.Volume.ToString("F4", CultureInfo.InvariantCulture),
                    c.Trades.ToString(CultureInfo.InvariantCulture),
                    $"[{colour}]{c.Source}[/]",
                    c.Complete ? "yes" : "[yellow]no[/]",
                    Markup.Escape(row.Lineage));
            }

            console.Write(table);
        }
    }

    private static string Number(double value) => value.ToString("0.########", CultureInfo.InvariantCulture);
}
