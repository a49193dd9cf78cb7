#!/usr/bin/env bash
# The batch layer benchmark (bench/Lambda.Batch.Benchmarks): `batch-layer build` over ten years of 1h
# klines of 100 symbols (about 8.8 million rows, generated once into ~/.cache/lambda/bench-batch) against
# DuckDB computing the same daily candles from the same Parquet files, in the same run, medians of 3 runs.
# Arguments go to the program (--symbols N, --years N, --runs N, --quick).
# Environment: BENCH_CPUS, the CPU list for taskset (default 0; empty: no pinning).
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
dotnet build "$root/bench/Lambda.Batch.Benchmarks/Lambda.Batch.Benchmarks.csproj" -c Release --nologo -v quiet -clp:NoSummary >&2
program=$root/artifacts/bin/Lambda.Batch.Benchmarks/release/Lambda.Batch.Benchmarks
cpus=${BENCH_CPUS-0}
if [ -n "$cpus" ] && command -v taskset >/dev/null 2>&1; then
  exec taskset -c "$cpus" "$program" "$@"
fi
exec "$program" "$@"
