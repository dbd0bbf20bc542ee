#!/usr/bin/env bash
# Renders the catalog screenshot img/screenshot-explanation.png from
# scripts/screenshot/explanation.html with headless Chromium.
set -euo pipefail
cd "$(dirname "$0")/.."
browser=$(command -v chromium || command -v chromium-browser || true)
if [[ -z $browser ]]; then
  echo "render-screenshot: chromium is not installed (apt-get install chromium)" >&2
  exit 1
fi
"$browser" --headless --no-sandbox --disable-gpu --hide-scrollbars --window-size=1280,720 \
  --screenshot="$PWD/img/screenshot-explanation.png" "file://$PWD/scripts/screenshot/explanation.html"
