#!/usr/bin/env bash
# The main job: the whole Lambda architecture on real Binance data, on one machine, with no Docker,
# no Kafka and no internet (the embedded event log), or through Kafka when KAFKA_BOOTSTRAP_SERVERS
# is set, or live from the exchanges with --live.
#
#   scripts/demo.sh [--data-dir DIR] [--cutoff yyyy-MM-dd] [--live]
#
# 1. batch layer: import the BTCUSDT daily history (2021-01-01 … 2026-08-13) into the master dataset
# 2. speed layer: start `speed-layer stream`, then replay the 4h klines from three days before the
#    cutoff on as a live kline stream through the producer; the stream closes each day as it ends
# 3. batch layer: build the batch views with the cutoff as the horizon
# 4. serving layer: merge batch (up to the cutoff) and speed (after it) into one serving view,
#    check that both layers agree on the days they share, draw the chart
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
data="$root/data/demo"
cutoff=2026-07-31
live=false
while [ $# -gt 0 ]; do
  case "$1" in
    --data-dir) data=$2; shift 2 ;;
    --cutoff) cutoff=$2; shift 2 ;;
    --live) live=true; shift ;;
    -h|--help) sed -n '2,14p' "$0"; exit 0 ;;
    *) echo "demo.sh: unknown option $1 (try --help)" >&2; exit 2 ;;
  esac
done
overlap_from=$(date -u -d "$cutoff - 3 days" +%F)
started=$(date +%s)

step() { printf '\n\033[1m== %s\033[0m\n' "$*"; }
say() { printf '   %s\n' "$*"; }
bin() { echo "$root/artifacts/bin/$1/release/$2"; }

step "Building (the first time also restores the packages and fetches the chart library: a few minutes)"
"$root/scripts/setup-chart.sh" >/dev/null 2>&1 || say "(chart library not installed: the merge will say how to get the chart)"
for project in producer/Lambda.Producer.csproj speed-layer/Lambda.SpeedLayer.csproj batch-layer/Lambda.BatchLayer.csproj merge/Lambda.Merge.csproj; do
  dotnet build "$root/$project" -c Release --nologo -v quiet -clp:NoSummary
done
producer=$(bin Lambda.Producer producer)
speed=$(bin Lambda.SpeedLayer speed-layer)
batch=$(bin Lambda.BatchLayer batch-layer)
merge=$(bin Lambda.Merge merge)

# A fresh run every time: the demo's own folders under the data directory.
rm -rf "$data/master" "$data/views" "$data/checkpoints" "$data/reports" "$data/speed-layer"
mkdir -p "$data"
if [ -n "${KAFKA_BOOTSTRAP_SERVERS:-}" ]; then
  say "Event log: Kafka at $KAFKA_BOOTSTRAP_SERVERS (events of earlier runs in the topics are read again: duplicates are counted, never added)"
  group="demo-$(date +%s)"
else
  say "Event log: embedded topic files under $data/topics (set KAFKA_BOOTSTRAP_SERVERS to use Kafka)"
  rm -rf "$data/topics"
  group=demo
fi

step "1. Batch layer: import the BTCUSDT daily history into the master dataset (master/)"
"$batch" --data-dir "$data" import "$root/samples/binance/BTCUSDT-1d.csv"

step "2. Speed layer: speed-layer stream consumes the log while the producer feeds it"
stream_log="$data/speed-layer-stream.log"
"$speed" --data-dir "$data" stream --group "$group" --refresh 1s --interval 4h >"$stream_log" 2>&1 &
stream_pid=$!
# A script's background jobs ignore SIGINT, so the stream is stopped with SIGTERM (handled like Ctrl+C).
trap 'kill -TERM $stream_pid 2>/dev/null || true' EXIT
sleep 1
if $live; then
  say "Live: BTCUSDT 4h klines (and trades, tickers) from Binance and Bybit; Ctrl+C stops the producer"
  "$producer" --data-dir "$data" run --exchange all --symbols BTCUSDT --streams kline_4h,trade,ticker || true
else
  say "Replaying the 4h klines from $overlap_from on as a live stream (a day of market time every ~0.3 s)"
  "$producer" --data-dir "$data" replay "$root/samples/binance/BTCUSDT-4h.csv" --from "$overlap_from" --speed 300000 --stats-every 0 \
    | grep -E '^ *(events|klines|crypto-klines|dead)' || true
fi

# Let the stream read what is left, until its checkpoints stop moving, then stop it (final checkpoint).
events_read() { cat "$data"/checkpoints/speed-layer-"$group"/shard-*.json 2>/dev/null | grep -o '"events_read": *[0-9]*' | awk -F: '{ n += $2 } END { print n + 0 }'; }
last=-1
for _ in $(seq 1 60); do
  sleep 1
  now=$(events_read)
  [ "$now" = "$last" ] && break
  last=$now
done
kill -TERM $stream_pid 2>/dev/null || true
wait $stream_pid || true
trap - EXIT
tail -n 6 "$stream_log" | sed 's/^/   /'
say "closed days: $(find "$data/views/speed/closed" -name 'part-*.parquet' | wc -l) part file(s) under views/speed/closed/, the current day in views/speed/live/"

step "3. Batch layer: recompute the batch views from the master dataset, horizon $cutoff"
"$batch" --data-dir "$data" build --until "$cutoff"

step "4. Serving layer: merge batch (days up to $cutoff) and speed (the days after) into views/serving/"
"$merge" --data-dir "$data" --last 8

step "What you just saw"
coverage="$data/reports/coverage.csv"
if [ -f "$coverage" ]; then
  say "Where each day came from (reports/coverage.csv):"
  column -s, -t <"$coverage" | sed 's/^/     /'
fi
if [ -f "$data/reports/consistency.md" ]; then
  say "Speed and batch on the days both have ($overlap_from … $cutoff), from reports/consistency.md:"
  grep -iE 'verdict|agree|beyond|shared' "$data/reports/consistency.md" | head -n 4 | sed 's/^/     /'
fi
say "The serving view: $data/views/serving/daily_candles.parquet (and .csv); look inside with"
say "  $merge show $data/views/serving/daily_candles.parquet --limit 5"
for chart in serving-chart.html serving-chart.png; do
  [ -f "$data/reports/$chart" ] && say "Chart: $data/reports/$chart"
done
say "Run time: $(( $(date +%s) - started )) s"
