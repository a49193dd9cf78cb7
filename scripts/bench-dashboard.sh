#!/usr/bin/env bash
# The dashboard benchmark (bench/Lambda.Dashboard.Benchmarks): how many events a second the live page
# keeps up with. A real redis-server on loopback, the producer's Redis sink publishing tickers at fixed
# rates, the dashboard in process, headless Chromium (Debian's) showing the page through Playwright.
# Arguments go to the program (--rates 1000,5000,… --seconds N --symbols N).
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
"$root/scripts/setup-system.sh"                 # redis-server, chromium
"$root/scripts/setup-chart.sh" >/dev/null       # the page's chart library
dotnet build "$root/bench/Lambda.Dashboard.Benchmarks/Lambda.Dashboard.Benchmarks.csproj" -c Release --nologo -v quiet -clp:NoSummary >&2
exec "$root/artifacts/bin/Lambda.Dashboard.Benchmarks/release/Lambda.Dashboard.Benchmarks" "$@"
