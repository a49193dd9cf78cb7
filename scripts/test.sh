#!/usr/bin/env bash
# The test command: installs everything the tests need (Debian packages, the chart library, the real Kafka test broker;
# librdkafka and DuckDB arrive as NuGet packages), builds with warnings as errors, runs every test, and ends with the summary line.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"

"$root/scripts/setup-system.sh"
"$root/scripts/setup-chart.sh" >/dev/null   # lightweight-charts, inlined into merge's serving chart

# A real Apache Kafka broker for the integration suite, unless one is named already.
if [ -z "${LAMBDA_TEST_KAFKA_BOOTSTRAP:-}" ]; then
  eval "$("$root/scripts/kafka-test-broker.sh" start)"
  trap '"$root/scripts/kafka-test-broker.sh" stop 2>/dev/null' EXIT
fi

dotnet build Lambda.sln -c Release --nologo -v quiet -clp:NoSummary -warnaserror
log=$(mktemp)
status=0
dotnet test Lambda.sln -c Release --no-build --nologo 2>&1 | tee "$log" || status=$?

# One line for the whole run, summed over the test projects' own summaries.
awk '/^(Passed|Failed)! +- /{
       for (i = 1; i <= NF; i++) {
         if ($i == "Failed:") failed += $(i+1); if ($i == "Passed:") passed += $(i+1); if ($i == "Skipped:") skipped += $(i+1)
       }
     }
     END { printf "%d passed, %d failed, %d skipped\n", passed, failed, skipped }' FS='[ ,]+' "$log"
rm -f "$log"
exit $status
