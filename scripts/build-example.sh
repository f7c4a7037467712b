#!/usr/bin/env bash
# Install careersite into .venv and build the example plan (plans/) into output/.
set -euo pipefail
cd "$(dirname "$0")/.."
python3 -m venv .venv
.venv/bin/python -m pip install --quiet --disable-pip-version-check -e .
.venv/bin/careersite build "$@"
