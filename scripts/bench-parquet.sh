#!/usr/bin/env bash
# The Parquet benchmark (bench/Lambda.Parquet.Benchmarks): our writer and reader against DuckDB on
# 10 million candle-shaped rows, Snappy, in the same run. Arguments go to the program
# (--rows N, --runs N, --quick).
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
dotnet build "$root/bench/Lambda.Parquet.Benchmarks/Lambda.Parquet.Benchmarks.csproj" -c Release --nologo -v quiet -clp:NoSummary >&2
exec "$root/artifacts/bin/Lambda.Parquet.Benchmarks/release/Lambda.Parquet.Benchmarks" "$@"
