#!/usr/bin/env bash
# Install careersite with its test tools into .venv, then run ruff, mypy and the tests.
# This is the README's test command; .ci/run runs exactly this.
set -euo pipefail
cd "$(dirname "$0")/.."
python3 -m venv .venv
.venv/bin/python -m pip install --quiet --disable-pip-version-check -e ".[test]"
.venv/bin/ruff check careersite tests scripts
.venv/bin/mypy
.venv/bin/python -m pytest -q "$@"
