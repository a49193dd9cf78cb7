#!/usr/bin/env bash
# End to end on a REAL Apache Kafka broker (the test broker, Kafka 0.9.0.1 from scripts/kafka-test-broker.sh):
#  - `producer replay` of N one-minute klines from a CSV (generated once, cached under
#    ${LAMBDA_CACHE:-~/.cache/lambda}/bench-kafka/) against `kcat -P` producing the same serialized
#    key/value messages with the same settings (acks=all, lz4, linger.ms=5, no idempotence: Kafka 0.9 has none);
#  - `speed-layer batch` reading the produced klines topic against `kcat -C` reading it to the end.
# Fresh topics every run (a topic prefix, auto-created by the broker); medians of --runs runs; checks that the
# producer delivered N klines, that the broker holds N messages per topic and that the speed layer read N events.
# Prints a table and the two ratios (target for the producer: <= 2x kcat -P), and the exact command lines.
#
#   scripts/bench-kafka.sh [--events N] [--runs N] [--keep-broker]
#
# --events N      klines to replay [500000]
# --runs N        runs per case; the table shows medians [3]
# --keep-broker   leave the broker running at exit (a broker that was already running is always left running)
# Environment: LAMBDA_TEST_KAFKA_BOOTSTRAP (+ LAMBDA_TEST_KAFKA_SETTINGS) to use a broker that is already up;
# BENCH_CPUS, a CPU list for taskset applied to our executables and kcat alike (default: no pinning).
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"

say() { printf '[bench-kafka] %s\n' "$*" >&2; }
fail() { printf '[bench-kafka] error: %s\n' "$*" >&2; exit 1; }

events=500000
runs=3
keep_broker=false
positive() { [[ $2 =~ ^[0-9]+$ ]] && [ "$2" -ge 1 ] 2>/dev/null || fail "$1 '$2' is not a positive whole number"; }
while [ $# -gt 0 ]; do
  case "$1" in
    --events) [ $# -ge 2 ] || fail "--events needs a value"; positive --events "$2"; events=$2; shift 2 ;;
    --runs) [ $# -ge 2 ] || fail "--runs needs a value"; positive --runs "$2"; runs=$2; shift 2 ;;
    --keep-broker) keep_broker=true; shift ;;
    -h|--help) sed -n '2,17p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) fail "unknown option '$1' (try --help)" ;;
  esac
done

# 1. kcat, the reference (required here).
"$root/scripts/install-kcat.sh" || true
command -v kcat >/dev/null 2>&1 || fail "kcat is missing (apt-get install -y kcat): it is the reference of this benchmark"

# 2. The broker: the one named by LAMBDA_TEST_KAFKA_BOOTSTRAP, or one already listening on the test broker's port
# (left running), or the test broker started here (stopped at exit unless --keep-broker).
started_broker=false
work=""
cleanup() {
  [ -n "$work" ] && rm -rf "$work"
  if $started_broker && ! $keep_broker; then
    say "stopping the test broker"
    "$root/scripts/kafka-test-broker.sh" stop 2>/dev/null || true
  elif $started_broker; then
    say "the test broker is left running at $LAMBDA_TEST_KAFKA_BOOTSTRAP (--keep-broker): scripts/kafka-test-broker.sh stop"
  fi
}
trap cleanup EXIT
port_open() { (exec 3<>"/dev/tcp/$1/$2") 2>/dev/null; }
test_port=${LAMBDA_TEST_KAFKA_PORT:-29092}
if [ -n "${LAMBDA_TEST_KAFKA_BOOTSTRAP:-}" ]; then
  say "using the broker of LAMBDA_TEST_KAFKA_BOOTSTRAP=$LAMBDA_TEST_KAFKA_BOOTSTRAP (left running)"
elif port_open 127.0.0.1 "$test_port"; then
  say "a broker is already listening on 127.0.0.1:$test_port: using it as the Kafka 0.9 test broker (left running)"
  export LAMBDA_TEST_KAFKA_BOOTSTRAP=127.0.0.1:$test_port
else
  say "starting the test broker (scripts/kafka-test-broker.sh start)"
  started_broker=true
  eval "$("$root/scripts/kafka-test-broker.sh" start)"
fi
bootstrap=$LAMBDA_TEST_KAFKA_BOOTSTRAP
# The protocol settings an old broker needs, from LAMBDA_TEST_KAFKA_SETTINGS (defaults: Kafka 0.9). Only these
# two are taken for both sides; the test suite's max.in.flight.requests.per.connection=1 is left out, so our
# producer and kcat both keep librdkafka's default pipelining.
setting() { tr ';' '\n' <<<"${LAMBDA_TEST_KAFKA_SETTINGS:-}" | sed -n "s/^ *$1 *= *//p" | tail -1; }
api_version_request=$(setting api.version.request); api_version_request=${api_version_request:-false}
broker_fallback=$(setting broker.version.fallback); broker_fallback=${broker_fallback:-0.9.0.1}
protocol=(-X "api.version.request=$api_version_request" -X "broker.version.fallback=$broker_fallback")

pin=()
if [ -n "${BENCH_CPUS:-}" ] && command -v taskset >/dev/null 2>&1; then
  pin=(taskset -c "$BENCH_CPUS")
  say "our executables and kcat pinned with taskset -c $BENCH_CPUS (the broker is not)"
fi

# 3. The executables, once, in Release.
for project in producer/Lambda.Producer.csproj speed-layer/Lambda.SpeedLayer.csproj; do
  say "building $project (Release)"
  dotnet build "$root/$project" -c Release --nologo -v quiet -clp:NoSummary >&2
done
producer=$root/artifacts/bin/Lambda.Producer/release/producer
speed=$root/artifacts/bin/Lambda.SpeedLayer/release/speed-layer

# 4. The input, once: N consecutive one-minute BTCUSDT klines from 2025-01-01 00:00 UTC (earlier when N minutes from
# there would reach into the last day: the producer refuses event times ahead of its clock), a seeded random walk,
# in the simple OHLCV layout (timestamp in ms; high >= max(open, close), low <= min(open, close), volume >= 0).
cache=${LAMBDA_CACHE:-$HOME/.cache/lambda}/bench-kafka
csv=$cache/klines-1m-$events.csv
if [ ! -s "$csv" ]; then
  say "generating $csv ($events one-minute klines), once"
  mkdir -p "$cache"
  first=1735689600000 latest=$(( ($(date +%s) / 86400 - 1) * 86400000 - events * 60000 ))
  [ "$latest" -lt "$first" ] && first=$latest
  awk -v n="$events" -v t="$first" 'BEGIN {
    srand(42); print "timestamp,open,high,low,close,volume"
    p = 50000
    for (i = 0; i < n; i++) {
      o = p; c = o * (1 + (rand() - 0.5) * 0.002)
      h = (o > c ? o : c) * (1 + rand() * 0.001); l = (o < c ? o : c) * (1 - rand() * 0.001)
      printf "%.0f,%.2f,%.2f,%.2f,%.2f,%.4f\n", t + i * 60000, o, h, l, c, rand() * 10
      p = c
    }
  }' >"$csv.tmp"
  mv "$csv.tmp" "$csv"
fi

work=$(mktemp -d "${TMPDIR:-/tmp}/bench-kafka.XXXXXX")
# timed OUT ERR COMMAND…: runs it with its output in OUT and ERR; sets $elapsed and $cpu (ms: wall clock from
# process start to exit, and user + system CPU time of the process and its children); a non-zero exit fails the benchmark.
timed() {
  local out=$1 err=$2 rc=0 real user sys
  shift 2
  { TIMEFORMAT='%3R %3U %3S'; time "$@" >"$out" 2>"$err"; } 2>"$work/time" || rc=$?
  if [ "$rc" -ne 0 ]; then
    { [ "$out" != /dev/null ] && tail -n 20 "$out"; tail -n 20 "$err"; } >&2 || true
    fail "exit code $rc from: $* (output above, in $out and $err)"
  fi
  read -r real user sys <"$work/time"
  elapsed=$(awk -v r="$real" 'BEGIN { printf "%.0f", r * 1000 }')
  cpu=$(awk -v u="$user" -v s="$sys" 'BEGIN { printf "%.0f", (u + s) * 1000 }')
}
# count TOPIC: messages in the topic, read to its end (untimed).
count() { "${pin[@]}" kcat -C -b "$bootstrap" "${protocol[@]}" -t "$1" -o beginning -e -q -f '%p\n' | wc -l; }

# The same settings on both sides: acks=all, lz4, linger.ms=5 (our defaults, passed explicitly), the old broker's
# protocol settings, and no idempotence (Kafka 0.9 does not have it; our default is on). Keys with dots are not
# shell identifiers, hence env(1).
client_env=(
  "LAMBDA_Kafka__Settings__api.version.request=$api_version_request"
  "LAMBDA_Kafka__Settings__broker.version.fallback=$broker_fallback"
  "LAMBDA_Kafka__Producer__acks=all"
  "LAMBDA_Kafka__Producer__compression.type=lz4"
  "LAMBDA_Kafka__Producer__linger.ms=5"
  "LAMBDA_Kafka__Producer__enable.idempotence=false"
  "LAMBDA_Kafka__Consumer__session.timeout.ms=10000"
)
say "broker $bootstrap; producer settings acks=all, compression lz4, linger.ms=5, enable.idempotence=false (Kafka 0.9 has no idempotent producer), api.version.request=$api_version_request, broker.version.fallback=$broker_fallback; kcat -P gets the same"

declare -a t_producer=() t_kcat_p=() t_speed=() t_kcat_c=() c_producer=() c_kcat_p=() c_speed=() c_kcat_c=()
stamp=$(date +%s)
for run in $(seq 1 "$runs"); do
  prefix="bench-kafka-$stamp-$run."
  dir=$work/run-$run
  mkdir -p "$dir"
  klines_topic=${prefix}crypto-klines
  kcat_topic=${prefix}kcat-p

  # a. producer replay
  say "run $run/$runs: producer replay ($events klines → $klines_topic)"
  producer_cmd=(env "${client_env[@]}" "LAMBDA_Kafka__TopicPrefix=$prefix" "${pin[@]}" "$producer" --kafka "$bootstrap" --data-dir "$dir/producer"
    replay "$csv" --speed max --symbol BTCUSDT --interval 1m --exchange binance --stats-every 0)
  timed "$dir/producer.log" "$dir/producer.err" "${producer_cmd[@]}"
  t_producer+=("$elapsed"); c_producer+=("$cpu")
  kafka_line=$(grep -E '^ *kafka +sent' "$dir/producer.log" | tail -1 || true)
  klines_line=$(grep -E '^ +crypto-klines +[0-9]+' "$dir/producer.log" | tail -1 || true)
  sent=$(sed -nE 's/.*sent ([0-9]+).*/\1/p' <<<"$kafka_line"); acked=$(sed -nE 's/.*acked ([0-9]+).*/\1/p' <<<"$kafka_line")
  klines=$(awk '{ print $2 }' <<<"$klines_line")
  [ -n "$sent" ] && [ "$sent" = "$acked" ] && [[ $kafka_line =~ failed\ 0 ]] && [[ ! $kafka_line =~ NOT ]] \
    || fail "the producer did not deliver everything: '$kafka_line' (log: $dir/producer.log)"
  [ "$klines" = "$events" ] || fail "the producer published ${klines:-no} klines, not $events (log: $dir/producer.log)"
  alerts=$((sent - klines))
  # b. kcat -P of the same serialized key/value messages (dumped from the topic, untimed)
  say "run $run/$runs: dumping $klines_topic (untimed)"
  "${pin[@]}" kcat -C -b "$bootstrap" "${protocol[@]}" -t "$klines_topic" -o beginning -e -q -K '\t' -f '%k\t%s\n' >"$dir/messages.tsv"
  stored=$(wc -l <"$dir/messages.tsv")
  [ "$stored" -eq "$events" ] || fail "the broker holds $stored messages in $klines_topic, not $events"
  say "run $run/$runs: kcat -P ($events messages → $kcat_topic)"
  kcat_p_cmd=("${pin[@]}" kcat -P -b "$bootstrap" -t "$kcat_topic" -K '\t' -z lz4 -X acks=all -X linger.ms=5 "${protocol[@]}" -l "$dir/messages.tsv")
  timed "$dir/kcat-p.log" "$dir/kcat-p.err" "${kcat_p_cmd[@]}"
  t_kcat_p+=("$elapsed"); c_kcat_p+=("$cpu")
  stored=$(count "$kcat_topic")
  [ "$stored" -eq "$events" ] || fail "kcat -P stored $stored messages in $kcat_topic, not $events (log: $dir/kcat-p.log)"
  rm -f "$dir/messages.tsv"

  # c. speed-layer batch, and kcat -C reading the same topic
  say "run $run/$runs: speed-layer batch (reads $klines_topic)"
  speed_cmd=(env "${client_env[@]}" "LAMBDA_Kafka__TopicPrefix=$prefix" "${pin[@]}" "$speed" --kafka "$bootstrap" --data-dir "$dir/speed"
    batch --group "bench-kafka-$stamp-$run")
  timed "$dir/speed.log" "$dir/speed.err" "${speed_cmd[@]}"
  t_speed+=("$elapsed"); c_speed+=("$cpu")
  read_events=$(sed -nE 's/^events read +([0-9]+) .*/\1/p' "$dir/speed.log" | tail -1)
  [ "$read_events" = "$events" ] || fail "speed-layer batch read ${read_events:-no} events, not $events (log: $dir/speed.log)"
  say "run $run/$runs: kcat -C (reads $klines_topic to its end)"
  kcat_c_cmd=("${pin[@]}" kcat -C -b "$bootstrap" "${protocol[@]}" -t "$klines_topic" -o beginning -e -q)
  timed /dev/null "$dir/kcat-c.err" "${kcat_c_cmd[@]}"
  t_kcat_c+=("$elapsed"); c_kcat_c+=("$cpu")
  say "run $run/$runs: producer $(awk -v m="${t_producer[-1]}" 'BEGIN { printf "%.2f", m / 1000 }') s, kcat -P $(awk -v m="${t_kcat_p[-1]}" 'BEGIN { printf "%.2f", m / 1000 }') s, speed-layer batch $(awk -v m="${t_speed[-1]}" 'BEGIN { printf "%.2f", m / 1000 }') s, kcat -C $(awk -v m="${t_kcat_c[-1]}" 'BEGIN { printf "%.2f", m / 1000 }') s"
done

# 6. The table: median (ms → s), range slowest–fastest, events/s at the median.
stats() { printf '%s\n' "$@" | sort -n | awk '{ v[NR] = $1 } END {
  median = NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2
  printf "%.3f %.2f %.2f\n", median / 1000, v[NR] / 1000, v[1] / 1000 }'; }
read -r m_producer hi_producer lo_producer <<<"$(stats "${t_producer[@]}")"
read -r m_kcat_p hi_kcat_p lo_kcat_p <<<"$(stats "${t_kcat_p[@]}")"
read -r m_speed hi_speed lo_speed <<<"$(stats "${t_speed[@]}")"
read -r m_kcat_c hi_kcat_c lo_kcat_c <<<"$(stats "${t_kcat_c[@]}")"
median_cpu() { stats "$@" | cut -d' ' -f1; }
row() { awk -v c="$1" -v m="$2" -v hi="$3" -v lo="$4" -v cpu="$5" -v n="$events" 'BEGIN {
  s = sprintf("%.0f", n / m); r = ""
  while (length(s) > 3) { r = "," substr(s, length(s) - 2) r; s = substr(s, 1, length(s) - 3) }
  printf "| %-42s | %8.2f | %5.2f-%-5.2f | %9s | %9.2f |\n", c, m, hi, lo, s r, cpu }'; }
ratio_p=$(awk -v a="$m_producer" -v b="$m_kcat_p" 'BEGIN { printf "%.2f", a / b }')
ratio_c=$(awk -v a="$m_speed" -v b="$m_kcat_c" 'BEGIN { printf "%.2f", a / b }')
verdict=$(awk -v r="$ratio_p" 'BEGIN { print (r <= 2.0 ? "MET" : "NOT MET") }')
load=$(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo "?")

echo
echo "Kafka end to end, real broker $bootstrap (Kafka 0.9.0.1 test broker), $events one-minute klines, medians of $runs run(s), $(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) cores, load average $load"
echo "Settings (both sides): acks=all, compression lz4, linger.ms=5, idempotence off (Kafka 0.9 has none), api.version.request=$api_version_request, broker.version.fallback=$broker_fallback"
echo "The producer also published $alerts price alerts (price-alerts topic) beside the $events klines: $sent messages, all acked; kcat -P sends the $events klines."
echo
echo "Range: the slowest–the fastest run. Events/s: $events over the median. CPU s: median user + system time of the client process (the broker's not counted)."
printf '| %-42s | %8s | %-11s | %9s | %9s |\n' "case" "median s" "range s" "events/s" "CPU s"
printf '|%s|%s|%s|%s|%s|\n' "$(printf -- '-%.0s' {1..44})" "$(printf -- '-%.0s' {1..9}):" "$(printf -- '-%.0s' {1..13})" "$(printf -- '-%.0s' {1..10}):" "$(printf -- '-%.0s' {1..10}):"
row "producer replay (CSV -> Kafka)" "$m_producer" "$hi_producer" "$lo_producer" "$(median_cpu "${c_producer[@]}")"
row "kcat -P (same key/value messages)" "$m_kcat_p" "$hi_kcat_p" "$lo_kcat_p" "$(median_cpu "${c_kcat_p[@]}")"
row "speed-layer batch (Kafka -> daily candles)" "$m_speed" "$hi_speed" "$lo_speed" "$(median_cpu "${c_speed[@]}")"
row "kcat -C (same topic, to its end)" "$m_kcat_c" "$hi_kcat_c" "$lo_kcat_c" "$(median_cpu "${c_kcat_c[@]}")"
echo
echo "producer replay / kcat -P:   ${ratio_p}×   target ≤ 2.0× → $verdict"
echo "speed-layer batch / kcat -C: ${ratio_c}×"
echo
echo "Command lines (last run; wall clock from process start to exit; the producer flushes on exit):"
q() { printf '%q ' "$@" | sed -e 's/ $//' -e "s|$work/|\$TMP/|g"; }
echo "  producer:          $(q "${producer_cmd[@]}")"
echo "  dump (untimed):    $(q kcat -C -b "$bootstrap" "${protocol[@]}" -t "$klines_topic" -o beginning -e -q -K '\t' -f '%k\t%s\n') > messages.tsv"
echo "  kcat -P:           $(q "${kcat_p_cmd[@]}")"
echo "  speed-layer batch: $(q "${speed_cmd[@]}")"
echo "  kcat -C:           $(q "${kcat_c_cmd[@]}") > /dev/null"
