#!/usr/bin/env bash
# The speed layer on a real Spark, end to end, for machines with Docker (the CI machines have no
# Docker and no Spark, so this never runs there; the client and the job are tested there against
# Spark's golden plans and an in-process fake server instead, see docs/spark.md):
#
#   scripts/spark-smoke.sh
#
# 1. starts Kafka and the Spark Connect server (docker compose --profile spark up -d --wait)
# 2. replays the real BTCUSDT 4h klines (2021 … 2026) into Kafka with the producer
# 3. runs `speed-layer batch --engine spark`: Spark reads crypto-klines from Kafka and writes the
#    daily candles as Parquet under data/spark-smoke/views/speed/spark/candles/batch/
# 4. compares every complete day Spark wrote with Binance's own 1d klines (OHLC, volume, trades)
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
data="$root/data/spark-smoke"
export KAFKA_BOOTSTRAP_SERVERS=${KAFKA_BOOTSTRAP_SERVERS:-localhost:9092}
export SPARK_REMOTE=${SPARK_REMOTE:-sc://localhost:15002}
say() { printf '\n\033[1m== %s\033[0m\n' "$*"; }

if ! command -v docker >/dev/null 2>&1; then
  echo "spark-smoke.sh needs Docker (docker compose); this machine has none." >&2
  exit 1
fi

say "1. Kafka and the Spark Connect server (the first start downloads the Kafka package)"
export LAMBDA_UID=${LAMBDA_UID:-$(id -u)} LAMBDA_GID=${LAMBDA_GID:-$(id -g)}
mkdir -p "$root/data"
docker compose -f "$root/docker-compose.yml" --profile spark up -d --wait

for project in producer/Lambda.Producer.csproj speed-layer/Lambda.SpeedLayer.csproj merge/Lambda.Merge.csproj; do
  dotnet build "$root/$project" -c Release --nologo -v quiet -clp:NoSummary
done
bin() { echo "$root/artifacts/bin/$1/release/$2"; }
rm -rf "$data"
mkdir -p "$data"

say "2. Replay the real 4h klines into Kafka ($KAFKA_BOOTSTRAP_SERVERS)"
# Klines of earlier runs stay in the topic; identical klines count once (the kline recipe's deduplication).
"$(bin Lambda.Producer producer)" --data-dir "$data" replay "$root/samples/binance/BTCUSDT-4h.csv" --speed max --stats-every 0

say "3. speed-layer batch --engine spark"
"$(bin Lambda.SpeedLayer speed-layer)" --data-dir "$data" batch --engine spark --topics crypto-klines --interval 4h \
  --spark-kafka kafka:19092 --spark-path-map "$root/data=/opt/lambda/data"

say "4. Every complete day Spark wrote against Binance's 1d klines"
candles="$data/spark-candles.csv"
first=true
for part in "$data"/views/speed/spark/candles/batch/*.parquet; do
  if $first; then
    "$(bin Lambda.Merge merge)" show "$part" --format csv --limit 100000000 >"$candles"
    first=false
  else
    "$(bin Lambda.Merge merge)" show "$part" --format csv --limit 100000000 | tail -n +2 >>"$candles"
  fi
done
awk -F, '
  # Days since 1970-01-01 of a yyyy-mm-dd date (civil calendar, as in DuckDB and Spark).
  function days(s,   y, m, d, era, yoe, doy, doe) {
    y = substr(s, 1, 4) + 0; m = substr(s, 6, 2) + 0; d = substr(s, 9, 2) + 0
    if (m <= 2) y--
    era = int(y / 400); yoe = y - era * 400
    doy = int((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5) + d - 1
    doe = yoe * 365 + int(yoe / 4) - int(yoe / 100) + doy
    return era * 146097 + doe - 719468
  }
  function near(a, b) { return (a == b) || ((a - b) ^ 2 <= (1e-9 * (b < 0 ? -b : b)) ^ 2) }
  FNR == 1 && FILENAME == ARGV[1] { for (i = 1; i <= NF; i++) col[$i] = i; next }
  FILENAME == ARGV[1] {
    if ($col["complete"] != "true" && $col["complete"] != "True") { incomplete++; next }
    k = days($col["day"]); o[k] = $col["open"]; h[k] = $col["high"]; l[k] = $col["low"]; c[k] = $col["close"]; v[k] = $col["volume"]; t[k] = $col["trades"]; spark++
    next
  }
  $1 !~ /^[0-9]+$/ { next }
  {
    k = int($1 / 86400000); binance++
    if (!(k in o)) { missing++; last_missing = k; next }
    if (!(near(o[k], $2) && near(h[k], $3) && near(l[k], $4) && near(c[k], $5) && near(v[k], $6) && t[k] == $9)) {
      if (bad < 5) printf "   day %d: spark %s %s %s %s %s %s, binance %s %s %s %s %s %s\n", k, o[k], h[k], l[k], c[k], v[k], t[k], $2, $3, $4, $5, $6, $9
      bad++
    } else same++
  }
  END {
    printf "   Binance 1d klines %d; Spark complete days %d (incomplete %d); equal %d, different %d, missing %d\n", binance, spark, incomplete, same, bad + 0, missing + 0
    # The last Binance day is partial in the 4h file too: at most that one may be missing.
    exit (bad > 0 || missing > 1) ? 1 : 0
  }' "$candles" "$root/samples/binance/BTCUSDT-1d.csv"
echo "   Spark's daily candles equal Binance's 1d klines on every complete day."
