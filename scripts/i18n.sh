#!/usr/bin/env bash
# Translations: merge the interface strings of careersite/*.py and templates/*.html into
# careersite/locale/<lang>/LC_MESSAGES/careersite.po, then compile the .mo shipped in the
# package. Translate the new (empty) msgstr entries in the .po, then run this again.
# Usage: scripts/i18n.sh [update] [compile] [check]   (default: update compile)
set -euo pipefail
cd "$(dirname "$0")/.."
python=.venv/bin/python
[ -x "$python" ] || python=python3
exec "$python" -m careersite.catalog "$@"
