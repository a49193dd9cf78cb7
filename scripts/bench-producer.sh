#!/usr/bin/env bash
# The producer benchmark (bench/Lambda.Producer.Benchmarks): builds it in Release, installs kcat (the Kafka
# reference) if it is missing, and runs it pinned to one core, printing a results table.
# Arguments go to the program: --quick for a smoke run, --help for the others.
# Environment: BENCH_CPUS, the CPU list for taskset (default 0; empty: no pinning).
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"

say() { printf '[bench-producer] %s\n' "$*" >&2; }


"$root/scripts/install-kcat.sh" || say "without kcat the Kafka reference will be missing"

say "building bench/Lambda.Producer.Benchmarks (Release)"
dotnet build "$root/bench/Lambda.Producer.Benchmarks/Lambda.Producer.Benchmarks.csproj" -c Release --nologo -v quiet -clp:NoSummary >&2
program=$root/artifacts/bin/Lambda.Producer.Benchmarks/release/Lambda.Producer.Benchmarks

pin=()
cpus=${BENCH_CPUS-0}
if [ -n "$cpus" ] && command -v taskset >/dev/null 2>&1; then
  pin=(taskset -c "$cpus")
  say "pinned with taskset -c $cpus: the pipeline is single-threaded; librdkafka's threads, the mock cluster and kcat share the core(s) too"
else
  say "not pinned to a core"
fi

exec "${pin[@]}" "$program" "$@"
