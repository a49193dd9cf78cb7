#!/usr/bin/env bash
# The main job: the whole Lambda architecture on real Binance data, on one machine, with no Docker,
# no Kafka and no internet (the embedded event log), or through Kafka when KAFKA_BOOTSTRAP_SERVERS
# is set, or live from the exchanges with --live.
#
#   scripts/demo.sh [--data-dir DIR] [--cutoff yyyy-MM-dd] [--live] [--engine embedded|spark] [--dashboard]
#
# --dashboard: also start the live dashboard (http://127.0.0.1:5080, DASHBOARD_URL to change) before
#   the replay, fed by a Redis of its own (the producer publishes with --redis; without redis-server the
#   dashboard tails the event log), replay slower so the candles visibly grow, and keep the page up
#   after the summary until Ctrl+C.
# --engine spark: the speed layer runs on the Spark Connect server of `docker compose --profile spark
# up -d` (SPARK_REMOTE, default sc://localhost:15002), reading Kafka (KAFKA_BOOTSTRAP_SERVERS, default
# localhost:9092; Spark reaches it as SPARK_KAFKA, default kafka:19092). See docs/spark.md.
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
dashboard=false
engine=embedded
while [ $# -gt 0 ]; do
  case "$1" in
    --data-dir) data=$2; shift 2 ;;
    --cutoff) cutoff=$2; shift 2 ;;
    --live) live=true; shift ;;
    --dashboard) dashboard=true; shift ;;
    --engine) engine=$2; shift 2 ;;
    -h|--help) sed -n '2,22p' "$0"; exit 0 ;;
    *) echo "demo.sh: unknown option $1 (try --help)" >&2; exit 2 ;;
  esac
done
case "$engine" in
  embedded|spark) ;;
  *) echo "demo.sh: --engine '$engine' is not embedded or spark" >&2; exit 2 ;;
esac
if [ "$engine" = spark ]; then
  # Fail before building anything when Spark or Kafka is not up, saying what to start.
  export KAFKA_BOOTSTRAP_SERVERS=${KAFKA_BOOTSTRAP_SERVERS:-localhost:9092}
  export SPARK_REMOTE=${SPARK_REMOTE:-sc://localhost:15002}
  reachable() { timeout 3 bash -c "</dev/tcp/$1/$2" 2>/dev/null; }
  spark_hostport=${SPARK_REMOTE#sc://}; spark_hostport=${spark_hostport%%/*}
  spark_host=${spark_hostport%%:*}; spark_port=${spark_hostport##*:}; [ "$spark_port" = "$spark_hostport" ] && spark_port=15002
  kafka_first=${KAFKA_BOOTSTRAP_SERVERS%%,*}
  if ! reachable "${kafka_first%%:*}" "${kafka_first##*:}"; then
    echo "demo.sh --engine spark: no Kafka at $kafka_first. Start it: docker compose --profile spark up -d (or set KAFKA_BOOTSTRAP_SERVERS)" >&2; exit 1
  fi
  if ! reachable "$spark_host" "$spark_port"; then
    echo "demo.sh --engine spark: no Spark Connect server at $SPARK_REMOTE. Start it: docker compose --profile spark up -d (the first start downloads the Kafka package: wait for 'healthy' in docker compose ps)" >&2; exit 1
  fi
  case "$(cd "$(dirname "$data")" 2>/dev/null && pwd)/$(basename "$data")/" in
    "$root/data/"*) ;;
    *) echo "demo.sh --engine spark: --data-dir must be below $root/data, the folder docker-compose mounts into the Spark container" >&2; exit 1 ;;
  esac
fi
overlap_from=$(date -u -d "$cutoff - 3 days" +%F)
started=$(date +%s)

step() { printf '\n\033[1m== %s\033[0m\n' "$*"; }
say() { printf '   %s\n' "$*"; }
bin() { echo "$root/artifacts/bin/$1/release/$2"; }

step "Building (the first time also restores the packages and fetches the chart library: a few minutes)"
"$root/scripts/setup-chart.sh" >/dev/null 2>&1 || say "(chart library not installed: the merge will say how to get the chart)"
projects=(producer/Lambda.Producer.csproj speed-layer/Lambda.SpeedLayer.csproj batch-layer/Lambda.BatchLayer.csproj merge/Lambda.Merge.csproj)
$dashboard && projects+=(dashboard/Lambda.Dashboard.csproj)
for project in "${projects[@]}"; do
  dotnet build "$root/$project" -c Release --nologo -v quiet -clp:NoSummary
done
producer=$(bin Lambda.Producer producer)
speed=$(bin Lambda.SpeedLayer speed-layer)
batch=$(bin Lambda.BatchLayer batch-layer)
merge=$(bin Lambda.Merge merge)
dashboard_bin=$(bin Lambda.Dashboard dashboard)

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

# The dashboard (and its Redis) run from here to the end: the EXIT trap stops them, also on Ctrl+C.
dashboard_pid=""; redis_pid=""; replay_speed=300000; redis_args=()
stop_dashboard() {
  [ -n "$dashboard_pid" ] && kill -TERM "$dashboard_pid" 2>/dev/null && wait "$dashboard_pid" 2>/dev/null
  [ -n "$redis_pid" ] && kill -TERM "$redis_pid" 2>/dev/null && wait "$redis_pid" 2>/dev/null
  return 0
}
if $dashboard; then
  step "Dashboard: the live page, fed by Redis pub/sub (the live fan-out; the event log stays the record)"
  dashboard_url=${DASHBOARD_URL:-http://127.0.0.1:5080}
  live_source=()
  if command -v redis-server >/dev/null 2>&1; then
    redis_port=${REDIS_PORT:-16379}
    redis-server --port "$redis_port" --bind 127.0.0.1 --save '' --appendonly no --daemonize no --loglevel warning >"$data/redis.log" 2>&1 &
    redis_pid=$!
    for _ in $(seq 1 50); do redis-cli -p "$redis_port" ping >/dev/null 2>&1 && break; sleep 0.1; done
    redis_args=(--redis "127.0.0.1:$redis_port")
    live_source=(--redis "127.0.0.1:$redis_port")
    say "Redis on 127.0.0.1:$redis_port (started for the demo)"
  else
    say "redis-server is not installed (scripts/setup-system.sh installs it): the dashboard tails the event log instead"
  fi
  "$dashboard_bin" --data-dir "$data" --urls "$dashboard_url" --views-refresh 1s "${live_source[@]}" >"$data/dashboard.log" 2>&1 &
  dashboard_pid=$!
  trap stop_dashboard EXIT
  for _ in $(seq 1 100); do curl -fs -o /dev/null "$dashboard_url/api/state" 2>/dev/null && break; sleep 0.2; done
  kill -0 "$dashboard_pid" 2>/dev/null || { cat "$data/dashboard.log" >&2; echo "demo.sh: the dashboard did not start (is $dashboard_url taken? set DASHBOARD_URL)" >&2; exit 1; }
  say "Open $dashboard_url in a browser: prices, alerts and the candles growing while the replay runs"
  # A day of market time every ~4 s instead of ~0.3 s, so the page is worth watching.
  replay_speed=20000
fi

step "2. Speed layer: speed-layer stream consumes the log while the producer feeds it"
stream_log="$data/speed-layer-stream.log"
spark_args=()
if [ "$engine" = spark ]; then
  spark_args=(--engine spark --spark-kafka "${SPARK_KAFKA:-kafka:19092}" --spark-path-map "$root/data=/opt/lambda/data")
  say "Engine: Spark at $SPARK_REMOTE (Spark UI: http://localhost:4040); closed days → views/speed/spark/candles/closed/"
fi
"$speed" --data-dir "$data" stream --group "$group" --refresh 1s --interval 4h "${spark_args[@]}" >"$stream_log" 2>&1 &
stream_pid=$!
# A script's background jobs ignore SIGINT, so the stream is stopped with SIGTERM (handled like Ctrl+C).
trap 'kill -TERM $stream_pid 2>/dev/null || true; stop_dashboard' EXIT
sleep 1
if $live; then
  say "Live: BTCUSDT 4h klines (and trades, tickers) from Binance and Bybit; Ctrl+C stops the producer"
  "$producer" --data-dir "$data" run --exchange all --symbols BTCUSDT --streams kline_4h,trade,ticker "${redis_args[@]}" || true
else
  say "Replaying the 4h klines from $overlap_from on as a live stream (a day of market time every ~$(awk -v s="$replay_speed" 'BEGIN { printf "%.1f", 86400 / s }') s)"
  "$producer" --data-dir "$data" replay "$root/samples/binance/BTCUSDT-4h.csv" --from "$overlap_from" --speed "$replay_speed" --stats-every 0 "${redis_args[@]}" \
    | grep -E '^ *(events|klines|crypto-klines|dead|redis)' || true
fi

# Let the stream read what is left, until its checkpoints stop moving, then stop it (final checkpoint).
events_read() { cat "$data"/checkpoints/speed-layer-"$group"/shard-*.json 2>/dev/null | grep -o '"events_read": *[0-9]*' | awk -F: '{ n += $2 } END { print n + 0 }'; }
if [ "$engine" = spark ]; then
  # Spark's progress: the micro-batches it has committed (its own checkpoint) and the files it wrote.
  events_read() { find "$data/checkpoints/spark/$group" "$data/views/speed/spark" -type f 2>/dev/null | wc -l; }
fi
last=-1
for _ in $(seq 1 "$([ "$engine" = spark ] && echo 180 || echo 60)"); do
  sleep 1
  now=$(events_read)
  [ "$now" = "$last" ] && break
  last=$now
done
kill -TERM $stream_pid 2>/dev/null || true
wait $stream_pid || true
trap stop_dashboard EXIT
tail -n 6 "$stream_log" | sed 's/^/   /'
if [ "$engine" = spark ]; then
  say "closed days: $(find "$data/views/speed/spark/candles/closed" -name 'part-*.parquet' 2>/dev/null | wc -l) part file(s) written by Spark under views/speed/spark/candles/closed/, the current day in views/speed/spark/candles/live.parquet"
else
  say "closed days: $(find "$data/views/speed/closed" -name 'part-*.parquet' | wc -l) part file(s) under views/speed/closed/, the current day in views/speed/live/"
fi

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
if $dashboard; then
  say ""
  say "Dashboard: $dashboard_url (now with the serving view); Ctrl+C stops it"
  # With a trap on INT the wait ends at Ctrl+C (without one bash would wait for the dashboard, which
  # as a background job ignores SIGINT); the EXIT trap then stops the dashboard and Redis.
  trap 'exit 130' INT TERM
  wait "$dashboard_pid" || true
fi
