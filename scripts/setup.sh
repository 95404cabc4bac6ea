#!/usr/bin/env bash
# Set up a Debian/Ubuntu machine for ocpp-harness: a Python venv with the
# project and its test tools, plus what the HTML report needs (Java and Chromium
# from Debian, the Allure command line from the npm registry, pinned in
# tools/allure/package-lock.json). Safe to run again: what is there is kept.
#
#   scripts/setup.sh            everything (apt-get needs root or sudo)
#   scripts/setup.sh --python   only the Python virtual environment
#
# Environment: PYTHON (default python3, 3.11 or later) creates the venv.
set -euo pipefail
cd "$(dirname "$0")/.."

PYTHON="${PYTHON:-python3}"
if [ ! -x .venv/bin/python ]; then
    "$PYTHON" -c 'import sys; sys.exit(sys.version_info < (3, 11))' || {
        echo "setup.sh: $PYTHON is older than 3.11; set PYTHON=python3.11 (or later)" >&2
        exit 1
    }
    "$PYTHON" -m venv .venv
fi
.venv/bin/python -m pip install -q --upgrade pip
.venv/bin/python -m pip install -q -e '.[test]'
echo "setup.sh: Python venv ready: .venv (ocpp-harness $(.venv/bin/python -c 'import harness; print(harness.__version__)'))"

if [ "${1:-}" = "--python" ]; then
    exit 0
fi

missing=()
command -v java >/dev/null 2>&1 || missing+=(default-jre-headless)
command -v chromium >/dev/null 2>&1 || command -v chromium-browser >/dev/null 2>&1 \
    || missing+=(chromium)
command -v npm >/dev/null 2>&1 || missing+=(npm)
if [ "${#missing[@]}" -gt 0 ]; then
    if [ "$(id -u)" -eq 0 ]; then
        SUDO=()
    elif command -v sudo >/dev/null 2>&1; then
        SUDO=(sudo)
    else
        echo "setup.sh: install ${missing[*]} (apt-get needs root; no sudo here)" >&2
        exit 1
    fi
    "${SUDO[@]}" apt-get update -q
    DEBIAN_FRONTEND=noninteractive "${SUDO[@]}" apt-get install -y -q --no-install-recommends \
        "${missing[@]}"
fi

# npm ci wipes and reinstalls node_modules; skip it when the pinned version is there.
pinned="$(.venv/bin/python -c 'import json; print(json.load(open("tools/allure/package.json"))["dependencies"]["allure-commandline"])')"
installed="$(.venv/bin/python -c 'import json; print(json.load(open("tools/allure/node_modules/allure-commandline/package.json"))["version"])' 2>/dev/null || true)"
if [ "$installed" != "$pinned" ] || [ ! -x tools/allure/node_modules/.bin/allure ]; then
    npm ci --prefix tools/allure --no-audit --no-fund --loglevel=error
fi
echo "setup.sh: Allure $(tools/allure/node_modules/.bin/allure --version) in tools/allure," \
    "$(java -version 2>&1 | head -n 1)"
