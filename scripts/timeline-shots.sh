#!/usr/bin/env bash
# Screenshots of the timeline at both ends of its range: the example plan (7 goals) and a
# 300-goal plan from ../shared/bench/make_corpus.py. Desktop and phone width, light and dark,
# and print PDFs (landscape), via scripts/screenshots.sh.
# Usage: scripts/timeline-shots.sh [SHOTS_DIR]   (default: screenshots/timeline)
set -euo pipefail
cd "$(dirname "$0")/.."
shots=${1:-screenshots/timeline}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export SOURCE_DATE_EPOCH=${SOURCE_DATE_EPOCH:-1796083200}   # 2026-12-01, as in the tests
careersite=${CAREERSITE:-.venv/bin/careersite}

mkdir -p "$work/example"
cp -r plans careersite.toml "$work/example/"
"$careersite" build --project "$work/example" --output "$work/example/output" 2>/dev/null
PAGES="timeline index goals/account-plans" \
  bash scripts/screenshots.sh "$work/example/output" "$shots/example"

corpus=../shared/bench/make_corpus.py
if [ -f "$corpus" ]; then
  python3 "$corpus" "$work/c300/plans" --goals 300 --reviews 100 --seed 1
  "$careersite" build --project "$work/c300" --output "$work/c300/output" 2>/dev/null
  PAGES="timeline index" bash scripts/screenshots.sh "$work/c300/output" "$shots/c300"
else
  echo "skipped the 300-goal plan: $corpus not found" >&2
fi
