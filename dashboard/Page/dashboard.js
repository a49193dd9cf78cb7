// The dashboard page. Everything that comes from events is put on the page with textContent (never
// as markup), so a symbol like <img onerror=…> shows as the text it is.
'use strict';
(() => {
  // By source, as in the merge's chart; a down day (close below open) in the darker shade.
  const COLORS = { batch: '#2962ff', speed: '#ff9800', live: '#ab47bc' };
  const DOWN_COLORS = { batch: '#1a3a99', speed: '#a85f00', live: '#6a1b9a' };
  const ALERTS_SHOWN = 50;
  const tiles = new Map();     // key -> { element, parts }
  const series = new Map();    // key -> bars sorted by time
  let selected = null;
  let status = null, statusAt = 0;
  let chart = null, candles = null;

  const $ = id => document.getElementById(id);
  const el = (tag, className, text) => {
    const e = document.createElement(tag);
    if (className) e.className = className;
    if (text !== undefined) e.textContent = text;
    return e;
  };
  const price = p => p >= 1000 ? p.toFixed(2) : p >= 1 ? p.toFixed(4) : p.toPrecision(6);
  const percent = p => (p >= 0 ? '+' : '') + p.toFixed(2) + ' %';

  if (window.LightweightCharts) {
    chart = LightweightCharts.createChart($('chart'), {
      autoSize: true,
      layout: { background: { color: '#182028' }, textColor: '#e6e6e6' },
      grid: { vertLines: { color: '#263340' }, horzLines: { color: '#263340' } },
      timeScale: { timeVisible: false },
    });
    candles = chart.addSeries(LightweightCharts.CandlestickSeries, { upColor: '#26a69a', downColor: '#ef5350', borderVisible: true, wickVisible: true });
  }

  const barOf = b => {
    const color = (b.close < b.open ? DOWN_COLORS : COLORS)[b.source] || '#888';
    const hollow = !b.complete && b.source !== 'live';
    return { time: b.time, open: b.open, high: b.high, low: b.low, close: b.close,
             color: hollow ? 'rgba(0,0,0,0)' : color, borderColor: color, wickColor: color };
  };

  // The selected symbol's last candle in words: what the chart's last bar shows.
  function showLast() {
    const bars = series.get(selected) || [];
    const b = bars[bars.length - 1];
    $('chart-last').textContent = b ? 'last day ' + new Date(b.time * 1000).toISOString().slice(0, 10) + ' (' + b.source + (b.complete ? '' : ', incomplete') + '): O ' +
      price(b.open) + ' H ' + price(b.high) + ' L ' + price(b.low) + ' C ' + price(b.close) : '';
  }

  function showSeries() {
    showLast();
    if (!candles || selected === null) return;
    candles.setData((series.get(selected) || []).map(barOf));
  }

  function select(key) {
    selected = key;
    $('chart-title').textContent = 'daily candles · ' + key;
    for (const [k, t] of tiles) t.element.classList.toggle('selected', k === key);
    showSeries();
    // The last three months: the days the speed layer and the live events make are visible at once;
    // scroll or zoom out for the whole history.
    const bars = (series.get(key) || []).length;
    if (chart && bars > 0) chart.timeScale().setVisibleLogicalRange({ from: Math.max(0, bars - 90) - 0.5, to: bars + 1 });
  }

  function putCandle(key, bar) {
    const bars = series.get(key) || [];
    let i = bars.length - 1;
    while (i >= 0 && bars[i].time > bar.time) i--;
    if (i >= 0 && bars[i].time === bar.time) bars[i] = bar; else bars.splice(i + 1, 0, bar);
    series.set(key, bars);
    if (key !== selected) return;
    showLast();
    if (!candles) return;
    // The chart updates the last bar in place, or appends; an older day means drawing the series again.
    if (i + 1 >= bars.length - 1) candles.update(barOf(bar)); else showSeries();
  }

  function putTile(t) {
    let tile = tiles.get(t.key);
    if (!tile) {
      const element = el('div', 'tile');
      element.dataset.key = t.key;
      const head = el('div');
      const parts = { symbol: el('span', 'symbol'), exchange: el('span', 'exchange'), price: el('div', 'price'), change: el('span'), meta: el('div', 'meta') };
      head.append(parts.symbol, parts.exchange);
      const line = el('div', 'meta');
      line.append(parts.change);
      element.append(head, parts.price, line, parts.meta);
      element.addEventListener('click', () => select(t.key));
      tile = { element, parts };
      tiles.set(t.key, tile);
      const sorted = [...tiles.keys()].sort();
      const next = sorted[sorted.indexOf(t.key) + 1];
      $('tiles').insertBefore(element, next ? tiles.get(next).element : null);
      if (selected === null) select(t.key);
    }
    const p = tile.parts;
    p.symbol.textContent = t.symbol;
    p.exchange.textContent = t.exchange;
    p.price.textContent = price(t.price);
    p.change.textContent = t.change_percent === null || t.change_percent === undefined ? '24 h: –' : '24 h: ' + percent(t.change_percent);
    p.change.className = t.change_percent > 0 ? 'up' : t.change_percent < 0 ? 'down' : '';
    p.meta.textContent = t.rate.toFixed(1) + ' ev/s · ' + t.events + ' events · ' + new Date(t.last_event_time).toISOString().replace('T', ' ').slice(0, 19);
  }

  function addAlert(a) {
    const item = el('li');
    const time = new Date(a.event_time).toISOString().replace('T', ' ').slice(0, 19);
    const move = el('span', a.change_percent >= 0 ? 'up' : 'down', percent(a.change_percent));
    item.append(el('span', null, time + ' '), el('b', 'alert-symbol', a.symbol), el('span', null, ' (' + a.exchange + ') ' + price(a.previous_price) + ' → ' + price(a.price) + ' '), move);
    const list = $('alerts');
    list.insertBefore(item, list.firstChild);
    while (list.children.length > ALERTS_SHOWN) list.removeChild(list.lastChild);
  }

  function showStatus(lost) {
    const line = $('status');
    line.replaceChildren();
    if (lost) { line.append(el('span', 'disconnected', 'dashboard unreachable: reconnecting…')); return; }
    if (!status) return;
    const age = status.last_event_age_ms === null ? null : status.last_event_age_ms + (Date.now() - statusAt);
    line.append(el('span', null, 'source: ' + status.source + ' · '),
      el('span', status.connected ? 'connected' : 'disconnected', status.connected ? 'connected' : 'disconnected'),
      el('span', null, ' · last event ' + (age === null ? 'none yet' : (age / 1000).toFixed(1) + ' s ago') +
        ' · events ' + status.events + ' · dead letters ' + status.dead_letters +
        (status.unreadable ? ' · unreadable ' + status.unreadable : '') + ' · ' + status.views));
  }

  const events = new EventSource('events');
  const on = (name, handle) => events.addEventListener(name, e => handle(JSON.parse(e.data)));
  on('snapshot', s => {
    tiles.clear(); series.clear();
    $('tiles').replaceChildren(); $('alerts').replaceChildren();
    for (const t of s.tiles) putTile(t);
    for (const a of [...s.alerts].reverse()) addAlert(a);
    for (const x of s.series) series.set(x.key, x.candles);
    if (selected === null && s.series.length > 0) select(s.series[0].key); else if (selected !== null) select(selected);
    status = s.status; statusAt = Date.now(); showStatus(false);
  });
  on('tile', putTile);
  on('alert', addAlert);
  on('candle', c => putCandle(c.key, c.candle));
  on('series', x => { series.set(x.key, x.candles); if (x.key === selected) showSeries(); if (selected === null) select(x.key); });
  on('status', s => { status = s; statusAt = Date.now(); showStatus(false); });
  events.onerror = () => showStatus(true);
  setInterval(() => showStatus(events.readyState !== EventSource.OPEN), 1000);
})();
