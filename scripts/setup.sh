#!/usr/bin/env bash
# Set up a fresh Debian/Ubuntu machine for ocpp-harness: Python venv with the
# project and its test tools, plus what the HTML report needs (Java and Chromium
# from Debian, the Allure command line from the npm registry).
#
#   scripts/setup.sh            everything (needs root or sudo for apt-get)
#   scripts/setup.sh --python   only the Python virtual environment
set -euo pipefail
cd "$(dirname "$0")/.."

python3 -m venv .venv
.venv/bin/pip install -q --upgrade pip
.venv/bin/pip install -q -e '.[test]'

if [ "${1:-}" = "--python" ]; then
    exit 0
fi

SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
missing=()
command -v java >/dev/null 2>&1 || missing+=(default-jre-headless)
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
command -v npm >/dev/null 2>&1 || missing+=(npm)
if [ "${#missing[@]}" -gt 0 ]; then
    $SUDO apt-get update -q
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -q --no-install-recommends "${missing[@]}"
fi
npm ci --prefix tools/allure --no-audit --no-fund --loglevel=error
