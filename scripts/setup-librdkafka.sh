#!/usr/bin/env bash
# Makes Confluent.Kafka's native library, librdkafka 2.15.1, restorable (see native/README.md).
# Idempotent: the source build is cached under ${LAMBDA_CACHE:-~/.cache/lambda} and done once.
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
version=2.15.1
package_version=2.15.1.1
npm_source=@confluentinc/kafka-javascript@1.10.1
cache=${LAMBDA_CACHE:-$HOME/.cache/lambda}
library=$cache/librdkafka-$version/librdkafka.so
feed=$root/native/packages
nupkg=$feed/librdkafka.redist.$package_version.nupkg

say() { printf '[setup-librdkafka] %s\n' "$*"; }
fail() { printf '[setup-librdkafka] error: %s\n' "$*" >&2; exit 1; }

# 1. Does a configured NuGet source serve the real package? Then nothing is built.
registry_has_real_package() {
  local probe
  probe=$(mktemp -d)
  cat > "$probe/probe.csproj" <<PROJ
<Project Sdk="Microsoft.NET.Sdk">
  <PropertyGroup><TargetFramework>net10.0</TargetFramework></PropertyGroup>
  <ItemGroup><PackageReference Include="librdkafka.redist" Version="[$version]" /></ItemGroup>
</Project>
PROJ
  local status=1
  (cd "$probe" && dotnet restore probe.csproj >/dev/null 2>&1) && status=0
  rm -rf "$probe"
  return $status
}

if [ -f "$nupkg" ]; then
  say "local package present: ${nupkg#"$root"/}"
  exit 0
fi
if [ "${LAMBDA_BUILD_LIBRDKAFKA:-}" != "1" ] && registry_has_real_package; then
  say "the NuGet registry serves librdkafka.redist $version: nothing to build"
  exit 0
fi

# 2. Build librdkafka from the npm package's source, once.
if [ ! -f "$library" ]; then
  missing=()
  for tool in cc make npm tar pkg-config; do
    command -v "$tool" >/dev/null 2>&1 || missing+=("$tool")
  done
  for header in openssl/ssl.h sasl/sasl.h zstd.h lz4.h curl/curl.h zlib.h; do
    [ -f "/usr/include/$header" ] || [ -f "/usr/include/x86_64-linux-gnu/$header" ] || missing+=("$header")
  done
  if [ ${#missing[@]} -gt 0 ]; then
    fail "missing ${missing[*]}. Install them with:
  apt-get install -y build-essential pkg-config npm libssl-dev libsasl2-dev libzstd-dev liblz4-dev libcurl4-openssl-dev zlib1g-dev"
  fi
  work=$(mktemp -d)
  trap 'rm -rf "$work"' EXIT
  say "building librdkafka $version from $npm_source (about a minute, done once)"
  (cd "$work" && npm pack --silent "$npm_source" >/dev/null) || fail "npm could not fetch $npm_source"
  tar xzf "$work"/*.tgz -C "$work"
  src=$work/package/deps/librdkafka
  grep -q 'RD_KAFKA_VERSION  *0x020f01' "$src/src/rdkafka.h" || fail "$npm_source does not hold librdkafka $version"
  (cd "$src" && ./configure >"$work/configure.log" 2>&1) || { tail -20 "$work/configure.log"; fail "configure failed"; }
  (cd "$src" && make -j"$(nproc)" libs >"$work/make.log" 2>&1) || { tail -20 "$work/make.log"; fail "make failed"; }
  mkdir -p "$(dirname "$library")"
  cp "$src/src/librdkafka.so.1" "$library.tmp"
  mv "$library.tmp" "$library"
  say "built $library"
else
  say "cached build: $library"
fi

# 3. Serve it as a package from the repository's local source.
mkdir -p "$feed"
dotnet pack "$root/native/librdkafka.redist/librdkafka.redist.csproj" -c Release -o "$feed" --nologo -v quiet \
  -p:RdKafkaLibrary="$library" -p:RdKafkaVersion=$version -p:RdKafkaPackageVersion=$package_version \
  >"$cache/pack.log" 2>&1 || { cat "$cache/pack.log"; fail "dotnet pack failed"; }
rm -rf "$root/native/librdkafka.redist/bin" "$root/native/librdkafka.redist/obj"
say "packed ${nupkg#"$root"/}"
