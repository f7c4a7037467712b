#!/usr/bin/env bash
# Install careersite with its test tools into .venv, then run ruff, mypy and the tests:
# the fast suite, then the checks of the built site in Chromium and validators.
# This is the README's test command; .ci/run runs exactly this.
set -euo pipefail
cd "$(dirname "$0")/.."
python3 -m venv .venv
.venv/bin/python -m pip install --quiet --disable-pip-version-check -e ".[test,browser]"
bash scripts/install-check-tools.sh  # Chromium, Java, axe-core, vnu.jar for tests/browser
.venv/bin/ruff check careersite tests scripts
.venv/bin/mypy
.venv/bin/python -m pytest -q "$@"
# The built site in a real browser and validators (slow; deselected from the run above).
.venv/bin/python -m pytest -q -m browser tests/browser
