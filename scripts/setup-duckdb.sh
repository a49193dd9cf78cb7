#!/usr/bin/env bash
# Installs DuckDB (the Parquet interop oracle of the tests) as the npm package @duckdb/node-api into
# a cache folder outside the repository, checks that it runs, and prints the folder.
# Idempotent: once installed and verified, a second run only prints the folder.
# The tests find it through LAMBDA_DUCKDB_NODE_MODULES=<folder>/node_modules (scripts/test.sh sets it).
set -euo pipefail

package=@duckdb/node-api
version=1.5.6-r.1
cache=${LAMBDA_CACHE:-$HOME/.cache/lambda}
folder=$cache/duckdb-node
stamp=$folder/.installed-$version

say() { printf '[setup-duckdb] %s\n' "$*" >&2; }
fail() { printf '[setup-duckdb] error: %s\n' "$*" >&2; exit 1; }

if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
  fail "node and npm are needed (Node.js 18 or later). Install them with:
  apt-get install -y nodejs npm"
fi
major=$(node -p 'process.versions.node.split(".")[0]')
[ "$major" -ge 18 ] || fail "Node.js $(node --version) is too old for $package; install Node.js 18 or later (apt-get install -y nodejs)"

verify() {
  (cd "$folder" && node -e "
    const { DuckDBInstance } = require('$package');
    (async () => {
      const db = await DuckDBInstance.create(':memory:');
      const con = await db.connect();
      const reader = await con.runAndReadAll('SELECT 42 AS answer');
      const v = reader.getRows()[0][0];
      if (v !== 42) throw new Error('SELECT 42 returned ' + v);
    })().catch(e => { console.error(e.message); process.exit(1); });
  ")
}

if [ -f "$stamp" ] && [ -f "$folder/node_modules/$package/package.json" ]; then
  printf '%s\n' "$folder"
  exit 0
fi

say "installing $package@$version into $folder (done once)"
mkdir -p "$folder"
if [ ! -f "$folder/package.json" ]; then
  printf '{ "name": "lambda-duckdb-oracle", "private": true }\n' > "$folder/package.json"
fi
(cd "$folder" && npm install --no-audit --no-fund --no-save --loglevel=error "$package@$version" >&2) \
  || fail "npm could not install $package@$version (is the npm registry reachable?)"
verify || fail "$package@$version installed but DuckDB did not run 'SELECT 42' (native binding for $(uname -sm) missing?)"
touch "$stamp"
say "DuckDB $version runs from $folder/node_modules"
printf '%s\n' "$folder"
