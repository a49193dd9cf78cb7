#!/usr/bin/env bash
# The speed-layer benchmark (bench/Lambda.Speed.Benchmarks): speed-layer batch's job on 20 million kline and trade
# events from the embedded topic files and from Kafka (librdkafka's mock cluster), against DuckDB computing the same
# daily candles from the same files (SET threads = 1), in one run; the candles must agree.
# Arguments go to the program: --events N, --runs N, --quick for a smoke run, --help for the others.
# The generated data set is cached under ${LAMBDA_CACHE:-~/.cache/lambda}/bench-speed/ (about 4.5 GB for 20M events).
# Environment: BENCH_CPUS, the CPU list for taskset (default 0; empty: no pinning).
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"

say() { printf '[bench-speed] %s\n' "$*" >&2; }


say "building bench/Lambda.Speed.Benchmarks (Release)"
dotnet build "$root/bench/Lambda.Speed.Benchmarks/Lambda.Speed.Benchmarks.csproj" -c Release --nologo -v quiet -clp:NoSummary >&2
program=$root/artifacts/bin/Lambda.Speed.Benchmarks/release/Lambda.Speed.Benchmarks

pin=()
cpus=${BENCH_CPUS-0}
if [ -n "$cpus" ] && command -v taskset >/dev/null 2>&1; then
  pin=(taskset -c "$cpus")
  say "pinned with taskset -c $cpus: the job, librdkafka's threads, the mock cluster and DuckDB share the core(s)"
else
  say "not pinned to a core"
fi

exec "${pin[@]}" "$program" "$@"
