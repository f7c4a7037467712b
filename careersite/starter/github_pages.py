"""The GitHub Actions workflow `careersite init --publish github-pages` writes."""

from __future__ import annotations

import json
from importlib import metadata

from careersite import __version__

WORKFLOW_PATH = ".github/workflows/careersite-pages.yml"

_WORKFLOW = """\
# Publish the public career plan to GitHub Pages on every push to the main branch.
# Once, in the repository on GitHub: Settings > Pages > Build and deployment > Source:
# "GitHub Actions". Only the public build is published: nothing marked private leaves
# the repository (and keep the repository itself private if the plan holds secrets).
name: Publish the career plan

on:
  push:
    branches: [main]  # your default branch
  workflow_dispatch:

permissions:
  contents: read
  pages: write
  id-token: write

concurrency:
  group: pages
  cancel-in-progress: false

env:
  # What pip installs: a released version, or a git URL such as
  # git+https://github.com/OWNER/careersite@v@VERSION@
  CAREERSITE: "@REQUIREMENT@"

jobs:
  build:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
        with:
          fetch-depth: 0  # the whole history: the history pages and dates need it
      - uses: actions/setup-python@v5
        with:
          python-version: "3.12"
      - name: Install careersite
        run: python -m pip install "$CAREERSITE"
      - name: Build the public site
        run: careersite build --output _site
      - uses: actions/configure-pages@v5
      - uses: actions/upload-pages-artifact@v3
        with:
          path: _site

  deploy:
    needs: build
    runs-on: ubuntu-latest
    environment:
      name: github-pages
      url: ${{ steps.deployment.outputs.page_url }}
    steps:
      - name: Deploy to GitHub Pages
        id: deployment
        uses: actions/deploy-pages@v4
"""


def requirement() -> str:
    """Where this careersite came from, as pip understands it in CI.

    A careersite installed from a git repository (pip records it, PEP 610) is installed
    from the same commit; otherwise the same version, by name.
    """
    try:
        raw = metadata.distribution("careersite").read_text("direct_url.json")
        info = json.loads(raw) if raw else {}
    except (metadata.PackageNotFoundError, ValueError):
        info = {}
    url, vcs = info.get("url", ""), info.get("vcs_info")
    if isinstance(vcs, dict) and vcs.get("vcs") == "git" and str(url).startswith("https://"):
        return f"careersite @ git+{url}@{vcs.get('commit_id', '')}".rstrip("@")
    return f"careersite=={__version__}"


def workflow_text() -> str:
    """The workflow file's text."""
    return (_WORKFLOW.replace("@REQUIREMENT@", requirement())
            .replace("@VERSION@", __version__))
