#!/usr/bin/env bash
# Screenshots of the built example site in headless Chromium: desktop and phone width,
# light and dark, plus print PDFs. Usage: scripts/screenshots.sh [OUTPUT_DIR] [SHOTS_DIR]
# Needs Debian's chromium (apt-get install chromium).
set -euo pipefail
cd "$(dirname "$0")/.."
site=${1:-output}
shots=${2:-screenshots}
mkdir -p "$shots"
browser=$(command -v chromium || command -v chromium-browser)
profile=$(mktemp -d)
trap 'rm -rf "$profile"' EXIT
flags=(--headless --no-sandbox --disable-gpu --disable-quic --no-first-run
       --disable-background-networking --disable-component-update --disable-sync
       --hide-scrollbars --user-data-dir="$profile")
pages=${PAGES:-"index goals/key-account-manager timeline reviews/2026-11-27 vision interview"}
for page in $pages; do
  file="$site/$page.html"
  [ -f "$file" ] || continue
  name=${page//\//-}
  url="file://$(realpath "$file")"
  for scheme in light dark; do
    "$browser" "${flags[@]}" --force-prefers-color-scheme="$scheme" \
      $([ "$scheme" = dark ] && echo --force-dark-mode --blink-settings=preferredColorScheme=0) \
      --window-size=1280,2000 --screenshot="$shots/$name-desktop-$scheme.png" "$url" 2>/dev/null
    "$browser" "${flags[@]}" \
      $([ "$scheme" = dark ] && echo --force-dark-mode --blink-settings=preferredColorScheme=0) \
      --window-size=390,2400 --screenshot="$shots/$name-phone-$scheme.png" "$url" 2>/dev/null
  done
  "$browser" "${flags[@]}" --no-pdf-header-footer --print-to-pdf="$shots/$name.pdf" "$url" 2>/dev/null
done
ls "$shots"
