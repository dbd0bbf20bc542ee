#!/usr/bin/env bash
# Frontend checks: install, typecheck, lint, jest, production build into dist/,
# then the headless-Chromium browser check (screenshots in test-results/screenshots/).
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."

step() { printf '\n==> %s\n' "$*"; }

need_node_major=20
node_major="$(node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0)"
if (( node_major < need_node_major )); then
  echo "frontend-test: Node ${need_node_major}+ is required (found $(node --version 2>/dev/null || echo none)); install it from https://nodejs.org or your distribution" >&2
  exit 1
fi

step "npm dependencies"
# npm ci wipes node_modules; locally it is skipped while the lockfile is unchanged
# since the last install (CI always installs from scratch).
stamp=node_modules/.frontend-test-lock.sha256
if [[ -f package-lock.json ]]; then
  lock_sum="$(sha256sum package-lock.json | cut -d' ' -f1)"
  if [[ "${CI:-}" != "true" && -f "$stamp" && "$(cat "$stamp")" == "$lock_sum" ]]; then
    echo "node_modules matches package-lock.json; skipping npm ci"
  else
    npm ci --no-audit --no-fund
    echo "$lock_sum" > "$stamp"
  fi
else
  npm install --no-audit --no-fund
fi

step "typecheck"
npm run typecheck

step "lint"
npm run lint

step "jest"
# --ci fails on missing snapshots; jest prints its summary to stderr, shown as is.
npm run test:ci

step "build (dist/)"
npm run build

step "browser check (headless Chromium)"
chromium_path="${CHROMIUM_PATH:-/usr/bin/chromium}"
if [[ ! -x "$chromium_path" ]]; then
  if [[ "$(id -u)" == 0 ]] && command -v apt-get >/dev/null; then
    echo "installing chromium with apt-get"
    apt-get update && apt-get install -y chromium
  elif [[ "${CI:-}" == "true" ]]; then
    echo "frontend-test: chromium is not installed at $chromium_path and this is CI (apt-get install chromium)" >&2
    exit 1
  else
    echo
    echo "!!! SKIP: browser check: chromium not installed at $chromium_path (apt-get install chromium) !!!"
    echo
    exit 0
  fi
fi
CHROMIUM_PATH="$chromium_path" npm run browser-check
