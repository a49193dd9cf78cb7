#!/usr/bin/env bash
# Installs kcat, the Kafka command-line client the Kafka benchmarks measure against, with apt-get if it is
# missing (sudo when not root). Says what happened on stderr; exits 1 if kcat is still missing afterwards.
set -euo pipefail
say() { printf '[install-kcat] %s\n' "$*" >&2; }

command -v kcat >/dev/null 2>&1 && exit 0
sudo=()
[ "$(id -u)" -ne 0 ] && command -v sudo >/dev/null 2>&1 && sudo=(sudo)
if command -v apt-get >/dev/null 2>&1; then
  say "installing kcat (Debian package kcat)"
  "${sudo[@]}" apt-get install -y -qq kcat >/dev/null 2>&1 \
    || { "${sudo[@]}" apt-get update -qq >/dev/null 2>&1 && "${sudo[@]}" apt-get install -y -qq kcat >/dev/null 2>&1; } \
    || true
fi
command -v kcat >/dev/null 2>&1 || { say "kcat could not be installed (apt-get install -y kcat)"; exit 1; }
