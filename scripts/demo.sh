#!/usr/bin/env bash
# The main job: the Lambda architecture end to end on real Binance data, on one machine, with no
# Docker, no Kafka and no internet (the embedded event log), or through Kafka when
# KAFKA_BOOTSTRAP_SERVERS is set.
#
#   scripts/demo.sh [--data-dir DIR] [--live]
#
# What exists so far (later issues extend it): the producer replays real recorded exchange data
# through normalization and validation into the event log, the speed layer aggregates the log into
# daily candles (views/speed/daily_candles.parquet), and the demo shows what the log holds.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
data="$root/data/demo"
live=false
while [ $# -gt 0 ]; do
  case "$1" in
    --data-dir) data=$2; shift 2 ;;
    --live) live=true; shift ;;
    -h|--help) sed -n '2,10p' "$0"; exit 0 ;;
    *) echo "demo.sh: unknown option $1 (try --help)" >&2; exit 2 ;;
  esac
done

step() { printf '\n\033[1m== %s\033[0m\n' "$*"; }
bin() { echo "$root/artifacts/bin/$1/release/$2"; }

step "Building (first time: also builds librdkafka, about two minutes)"
"$root/scripts/setup-librdkafka.sh" >/dev/null
for project in producer/Lambda.Producer.csproj speed-layer/Lambda.SpeedLayer.csproj; do
  dotnet build "$root/$project" -c Release --nologo -v quiet -clp:NoSummary
done
producer=$(bin Lambda.Producer producer)
speed=$(bin Lambda.SpeedLayer speed-layer)

if $live; then
  exec "$producer" --data-dir "$data" run --exchange all --symbols BTCUSDT,ETHUSDT
fi

if [ -n "${KAFKA_BOOTSTRAP_SERVERS:-}" ]; then
  echo "Event log: Kafka at $KAFKA_BOOTSTRAP_SERVERS"
else
  echo "Event log: embedded topic files under $data/topics (set KAFKA_BOOTSTRAP_SERVERS to use Kafka)"
  rm -rf "$data/topics" "$data/checkpoints"
fi

step "1. Replay a real 2021 Binance combined-stream capture (klines, trades, and order-book frames we skip)"
"$producer" --data-dir "$data" replay "$root/samples/binance/cryptofeed-capture-BINANCE.ws.1.0.txt" --speed max

step "2. Replay BTCUSDT 4h klines from 2026-07-01 as a live kline stream"
"$producer" --data-dir "$data" replay "$root/samples/binance/BTCUSDT-4h.csv" --from 2026-07-01 --speed max

step "3. Speed layer (batch mode): the 4h klines in the log → daily candles by event time, the current day incomplete"
# The capture of step 1 also put 1m klines of 2021 into crypto-klines: aggregate the 4h ones.
"$speed" --data-dir "$data" batch --interval 4h

if [ -z "${KAFKA_BOOTSTRAP_SERVERS:-}" ]; then
  step "4. What the event log holds (one JSON event per line, one file per topic and day)"
  for file in "$data"/topics/*/*.jsonl; do
    printf '%-70s %8d events\n' "${file#"$root"/}" "$(wc -l <"$file")"
  done
  for topic in crypto-klines crypto-trades; do
    printf '\nlast %s event:\n' "$topic"
    tail -n 1 "$data"/topics/$topic/*.jsonl | tail -n 1
  done
else
  step "4. Read the topics with any Kafka client, e.g.: kcat -C -b $KAFKA_BOOTSTRAP_SERVERS -t crypto-klines -e"
fi
