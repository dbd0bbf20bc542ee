#!/usr/bin/env bash
# Installs the system programs the tests need when they are missing:
# prometheus (+ promtool) for the metrics tests and the demo, chromium for the
# frontend's headless browser check, postgresql (initdb, postgres) for the
# store's PostgreSQL backend tests (pkg/store/pgtest runs its own cluster),
# shellcheck for the workflows' run: scripts (ci/), curl for the compose
# stack's service-account script (deploy/). As root it installs them with apt-get;
# otherwise it prints what to install and fails, because the tests that need
# them must not silently skip in CI.
set -euo pipefail

missing=()
command -v prometheus >/dev/null 2>&1 && command -v promtool >/dev/null 2>&1 || missing+=(prometheus)
command -v chromium >/dev/null 2>&1 || command -v chromium-browser >/dev/null 2>&1 || missing+=(chromium)
compgen -G '/usr/lib/postgresql/*/bin/initdb' >/dev/null || command -v initdb >/dev/null 2>&1 || missing+=(postgresql)
command -v shellcheck >/dev/null 2>&1 || missing+=(shellcheck)
command -v curl >/dev/null 2>&1 || missing+=(curl)

if ((${#missing[@]} > 0)); then
  if [[ $(id -u) -ne 0 ]]; then
    echo "system-deps: missing ${missing[*]}; install them with: sudo apt-get update && sudo apt-get install -y ${missing[*]}" >&2
    exit 1
  fi
  echo "system-deps: installing ${missing[*]} with apt-get"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

# trace_and_log_servers provides the real servers of the trace and CloudWatch
# Logs tests: Jaeger, built once from the pinned tools/jaeger module into a
# cache (minutes cold, then reused), and moto_server (Python) for CloudWatch.
trace_and_log_servers() {
  local jaeger="${HOME}/.cache/aiops/bin/jaeger-v1.75.0"
  if [[ ! -x "$jaeger" ]]; then
    echo "system-deps: building Jaeger v1.75.0 into ${jaeger} (once)"
    mkdir -p "$(dirname "$jaeger")"
    (cd tools/jaeger && nice go build -o "$jaeger" github.com/jaegertracing/jaeger/cmd/jaeger)
  fi
  if ! command -v moto_server >/dev/null 2>&1; then
    echo "system-deps: installing moto_server with pip"
    python3 -m pip install --quiet 'moto[server]'
  fi
}
trace_and_log_servers

node_major=$(node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0)
want_major=$(tr -dc '0-9' < .nvmrc 2>/dev/null || echo 20)
if ((node_major < want_major)); then
  echo "system-deps: Node.js ${want_major} or newer is needed for the frontend build (found: $(node --version 2>/dev/null || echo none)); install it from https://nodejs.org or with nvm: nvm install ${want_major}" >&2
  exit 1
fi
if ! command -v npm >/dev/null 2>&1; then
  echo "system-deps: npm is missing; install it with Node.js ${want_major}" >&2
  exit 1
fi
echo "system-deps: prometheus $(prometheus --version 2>&1 | head -1 | awk '{print $3}'), chromium, node $(node --version) present"
