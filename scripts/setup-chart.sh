#!/usr/bin/env bash
# Installs the charting library of the serving view's chart (merge → reports/serving-chart.html):
# TradingView's lightweight-charts, a library built for financial data, from the npm registry into a
# cache folder outside the repository, and prints the folder. merge inlines its standalone production
# build into the HTML page, so the page opens offline. Idempotent: a second run only prints the folder.
# merge finds it through LAMBDA_CHART_NODE_MODULES=<folder>/node_modules, or in the default folder.
set -euo pipefail

package=lightweight-charts
version=5.2.1
cache=${LAMBDA_CACHE:-$HOME/.cache/lambda}
folder=$cache/chart
stamp=$folder/.installed-$version
bundle=$folder/node_modules/$package/dist/lightweight-charts.standalone.production.js

say() { printf '[setup-chart] %s\n' "$*" >&2; }
fail() { printf '[setup-chart] error: %s\n' "$*" >&2; exit 1; }

if [ -f "$stamp" ] && [ -f "$bundle" ]; then
  printf '%s\n' "$folder"
  exit 0
fi

command -v npm >/dev/null 2>&1 || fail "npm is needed (apt-get install -y npm)"
say "installing $package@$version into $folder (done once)"
mkdir -p "$folder"
if [ ! -f "$folder/package.json" ]; then
  printf '{ "name": "lambda-chart", "private": true }\n' > "$folder/package.json"
fi
(cd "$folder" && npm install --no-audit --no-fund --no-save --loglevel=error "$package@$version" >&2) \
  || fail "npm could not install $package@$version (is the npm registry reachable?)"
[ -f "$bundle" ] || fail "$package@$version installed but $bundle is missing"
touch "$stamp"
say "$package $version is in $folder/node_modules"
printf '%s\n' "$folder"
