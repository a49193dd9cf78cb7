#!/usr/bin/env bash
# The merge benchmark (bench/Lambda.Merge.Benchmarks): the `merge` executable on 10 million batch rows
# and 1 million speed rows (generated once into ~/.cache/lambda/bench-merge) against DuckDB doing the
# same join and writing the same Parquet and CSV, in the same run; rows a second, peak memory.
# Arguments go to the program (--batch-rows N, --speed-rows N, --runs N, --quick).
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
dotnet build "$root/bench/Lambda.Merge.Benchmarks/Lambda.Merge.Benchmarks.csproj" -c Release --nologo -v quiet -clp:NoSummary >&2
exec "$root/artifacts/bin/Lambda.Merge.Benchmarks/release/Lambda.Merge.Benchmarks" "$@"
