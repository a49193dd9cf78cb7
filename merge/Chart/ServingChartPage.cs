using Lambda.Core.Views;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Lambda.Merge.Reports;
using Lambda.Merge.Serving;

namespace Lambda.Merge.Chart;

/// <summary>What the chart's header says about the merge.</summary>
public sealed record ChartCaption(string MergedAt, string? BatchBuildId, DateOnly? Horizon);

/// <summary>
/// <c>reports/serving-chart.html</c>: one candlestick chart per series with a volume histogram,
/// candles coloured by source (batch blue, speed orange; a down day in the darker shade; an incomplete
/// day hollow), a legend, a marker on the batch horizon, and a line that shows the day under the
/// cursor with its source and lineage. The library is inlined, so the page opens offline. Once drawn,
/// the page counts the pixels painted in each source's colours and writes the counts into
/// <c>body</c>'s data attributes (<c>data-candles</c>, <c>data-batch-pixels</c>, <c>data-speed-pixels</c>)
/// and the status line: a headless browser can check that it really drew.
/// </summary>
public static class ServingChartPage
{
    public const string HtmlFile = "serving-chart.html";
    public const string PngFile = "serving-chart.png";

    // Body colours; the page's self-check counts exactly these.
    public const string BatchUp = "#1f5fd1";
    public const string BatchDown = "#0a2a6b";
    public const string SpeedUp = "#f28c00";
    public const string SpeedDown = "#9c4300";

    public static string Build(ChartLibraryBundle library, IReadOnlyList<SeriesDays> series, ChartCaption caption)
    {
        var data = Data(series);
        var horizon = caption.Horizon?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) ?? "none (everything the batch has)";
        var html = new StringBuilder(library.Script.Length + data.Length + 8192);
        html.Append(CultureInfo.InvariantCulture, $$"""
            <!doctype html>
            <html lang="en">
            <head>
            <meta charset="utf-8">
            <title>Lambda serving view: daily candles by source</title>
            <style>
              body { font-family: system-ui, sans-serif; margin: 12px; color: #222; background: #fff; }
              h1 { font-size: 18px; margin: 0 0 4px; }
              .caption, .status { font-size: 12px; color: #555; }
              .legend { display: flex; gap: 16px; font-size: 13px; margin: 6px 0; flex-wrap: wrap; }
              .legend span { display: inline-flex; align-items: center; gap: 5px; }
              .swatch { width: 12px; height: 12px; display: inline-block; border: 2px solid transparent; box-sizing: border-box; }
              .series h2 { font-size: 14px; margin: 8px 0 2px; }
              .hover { font-size: 12px; font-family: ui-monospace, monospace; min-height: 16px; }
            </style>
            </head>
            <body>
            <h1>Serving view: daily candles, coloured by the layer they came from</h1>
            <div class="caption">merged {{Escape(caption.MergedAt)}} · batch build {{Escape(caption.BatchBuildId ?? "-")}} · batch horizon {{horizon}} · lightweight-charts {{Escape(library.Version)}}</div>
            <div class="legend">
              <span><i class="swatch" style="background:{{BatchUp}}"></i><i class="swatch" style="background:{{BatchDown}}"></i>batch (up, down)</span>
              <span><i class="swatch" style="background:{{SpeedUp}}"></i><i class="swatch" style="background:{{SpeedDown}}"></i>speed (up, down)</span>
              <span><i class="swatch" style="border-color:{{BatchUp}}"></i><i class="swatch" style="border-color:{{SpeedUp}}"></i>incomplete day (hollow)</span>
              <span>▼ batch horizon</span>
            </div>
            <div id="charts"></div>
            <div id="status" class="status">drawing…</div>
            <script>
            """);
        // The bundle is inlined as it is; only a literal "</script" could end the element early.
        html.Append(library.Script.Replace("</script", "<\\/script", StringComparison.OrdinalIgnoreCase));
        html.Append("\n</script>\n<script>\nconst SERIES = ").Append(data).Append(";\nconst HORIZON = ")
            .Append(caption.Horizon is { } h ? JsonSerializer.Serialize(h.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)) : "null").Append(";\n");
        html.Append(CultureInfo.InvariantCulture, $$"""
            const COLOURS = { b: { up: '{{BatchUp}}', down: '{{BatchDown}}' }, s: { up: '{{SpeedUp}}', down: '{{SpeedDown}}' } };
            const { createChart, CandlestickSeries, HistogramSeries, createSeriesMarkers } = LightweightCharts;
            const container = document.getElementById('charts');
            const height = SERIES.length === 1 ? Math.max(360, window.innerHeight - 170) : 380;
            let drawn = 0;
            for (const s of SERIES) {
              const block = document.createElement('div');
              block.className = 'series';
              block.innerHTML = '<h2></h2><div class="hover"></div><div class="chart"></div>';
              block.querySelector('h2').textContent = s.exchange + ' ' + s.symbol + ' (' + s.rows.length + ' days)';
              container.appendChild(block);
              const hover = block.querySelector('.hover');
              const chart = createChart(block.querySelector('.chart'), {
                width: Math.max(400, window.innerWidth - 24), height,
                layout: { background: { color: '#ffffff' }, textColor: '#333' },
                grid: { vertLines: { color: '#f0f0f0' }, horzLines: { color: '#f0f0f0' } },
                timeScale: { borderColor: '#ccc' }, rightPriceScale: { borderColor: '#ccc' },
              });
              const candles = chart.addSeries(CandlestickSeries, { priceLineVisible: false, lastValueVisible: true });
              candles.priceScale().applyOptions({ scaleMargins: { top: 0.05, bottom: 0.25 } });
              const volume = chart.addSeries(HistogramSeries, { priceFormat: { type: 'volume' }, priceScaleId: '', priceLineVisible: false, lastValueVisible: false });
              volume.priceScale().applyOptions({ scaleMargins: { top: 0.8, bottom: 0 } });
              // row: [day, open, high, low, close, volume, source b|s, complete 0|1, lineage index]
              candles.setData(s.rows.map(r => {
                const c = COLOURS[r[6]][r[4] >= r[1] ? 'up' : 'down'];
                return { time: r[0], open: r[1], high: r[2], low: r[3], close: r[4], color: r[7] ? c : '#ffffff', borderColor: c, wickColor: c };
              }));
              volume.setData(s.rows.map(r => ({ time: r[0], value: r[5], color: r[6] === 'b' ? 'rgba(31,95,209,0.35)' : 'rgba(242,140,0,0.45)' })));
              if (HORIZON && s.rows.some(r => r[0] === HORIZON)) {
                createSeriesMarkers(candles, [{ time: HORIZON, position: 'aboveBar', shape: 'arrowDown', color: '#444', text: 'batch horizon' }]);
              }
              const byDay = new Map(s.rows.map(r => [r[0], r]));
              chart.subscribeCrosshairMove(p => {
                const r = p.time ? byDay.get(typeof p.time === 'string' ? p.time : `${p.time.year}-${String(p.time.month).padStart(2, '0')}-${String(p.time.day).padStart(2, '0')}`) : null;
                hover.textContent = r ? `${r[0]}  O ${r[1]}  H ${r[2]}  L ${r[3]}  C ${r[4]}  V ${r[5]}  ${r[6] === 'b' ? 'batch' : 'speed'}${r[7] ? '' : ' (incomplete)'}  ${s.lineages[r[8]]}` : '';
              });
              const n = s.rows.length;
              if (n > 150) chart.timeScale().setVisibleLogicalRange({ from: n - 150, to: n + 2 }); else chart.timeScale().fitContent();
              drawn += n;
            }
            // Self-check: count the pixels painted in each source's body colours, once the charts have drawn.
            function countPixels() {
              const want = { batch: ['{{BatchUp}}', '{{BatchDown}}'], speed: ['{{SpeedUp}}', '{{SpeedDown}}'] };
              const rgb = h => [1, 3, 5].map(i => parseInt(h.substr(i, 2), 16)).join(',');
              const of = new Map();
              for (const [k, list] of Object.entries(want)) for (const h of list) of.set(rgb(h), k);
              const counts = { batch: 0, speed: 0 };
              for (const canvas of document.querySelectorAll('canvas')) {
                if (!canvas.width || !canvas.height) continue;
                const d = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
                for (let i = 0; i < d.length; i += 4) {
                  if (d[i + 3] !== 255) continue;
                  const k = of.get(d[i] + ',' + d[i + 1] + ',' + d[i + 2]);
                  if (k) counts[k]++;
                }
              }
              document.body.dataset.candles = drawn;
              document.body.dataset.batchPixels = counts.batch;
              document.body.dataset.speedPixels = counts.speed;
              document.getElementById('status').textContent = `drew ${drawn} candles in ${SERIES.length} chart(s); pixels painted: batch ${counts.batch}, speed ${counts.speed}`;
            }
            requestAnimationFrame(() => requestAnimationFrame(() => setTimeout(countPixels, 50)));
            </script>
            </body>
            </html>

            """);
        return html.ToString();
    }

    /// <summary>The series as compact JSON arrays (a few MB for a few thousand days); System.Text.Json escapes &lt; and &gt;.</summary>
    private static string Data(IReadOnlyList<SeriesDays> series)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartArray();
            foreach (var s in series)
            {
                var lineages = s.Rows.Select(r => r.Lineage).Distinct(StringComparer.Ordinal).ToList();
                var index = lineages.Select((l, i) => (l, i)).ToDictionary(p => p.l, p => p.i, StringComparer.Ordinal);
                json.WriteStartObject();
                json.WriteString("exchange", s.Exchange);
                json.WriteString("symbol", s.Symbol);
                json.WriteStartArray("lineages");
                foreach (var lineage in lineages)
                {
                    json.WriteStringValue(lineage);
                }

                json.WriteEndArray();
                json.WriteStartArray("rows");
                foreach (var row in s.Rows)
                {
                    var c = row.Candle;
                    json.WriteStartArray();
                    json.WriteStringValue(c.Day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
                    json.WriteNumberValue(c.Open);
                    json.WriteNumberValue(c.High);
                    json.WriteNumberValue(c.Low);
                    json.WriteNumberValue(c.Close);
                    json.WriteNumberValue(c.Volume);
                    json.WriteStringValue(c.Source == ViewLayout.Sources.Batch ? "b" : "s");
                    json.WriteNumberValue(c.Complete ? 1 : 0);
                    json.WriteNumberValue(index[row.Lineage]);
                    json.WriteEndArray();
                }

                json.WriteEndArray();
                json.WriteEndObject();
            }

            json.WriteEndArray();
        }

        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    private static string Escape(string text) => System.Net.WebUtility.HtmlEncode(text);
}
