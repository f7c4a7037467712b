#!/usr/bin/env bash
# Install what the browser/validator tests (tests/browser) need, from the package
# registries only: Debian's chromium and a Java runtime (apt-get), npm's axe-core and
# vnu-jar (into .venv/node). Idempotent, and quick when everything is there. The PyPI
# tools (playwright, linkchecker) are the `browser` extra, installed by scripts/test.sh.
set -euo pipefail
cd "$(dirname "$0")/.."

missing=()
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
command -v java >/dev/null 2>&1 || missing+=(default-jre-headless)
command -v npm >/dev/null 2>&1 || missing+=(npm)
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "installing ${missing[*]} (apt-get)" >&2
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  else
    echo "warning: ${missing[*]} missing; install them (apt-get install ${missing[*]})" \
         "or the browser tests are skipped" >&2
  fi
fi

# Pinned, so that a new rule in a checker does not turn CI red on its own.
npm_tools="axe-core@4.14.1 vnu-jar@26.9.27"
prefix=.venv/node
if command -v npm >/dev/null 2>&1 \
    && [ "$(cat "$prefix/.installed" 2>/dev/null)" != "$npm_tools" ]; then
  echo "installing $npm_tools (npm)" >&2
  mkdir -p "$prefix"
  # shellcheck disable=SC2086  # one word per package
  npm install --prefix "$prefix" --no-audit --no-fund --silent $npm_tools
  echo "$npm_tools" > "$prefix/.installed"
fi
