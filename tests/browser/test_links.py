"""LinkChecker finds no broken link, and no missing anchor, in the built sites."""

from __future__ import annotations

import csv
import io
import shutil
import subprocess
from pathlib import Path

import pytest

from .conftest import ROOT, Site, require

pytestmark = pytest.mark.browser


def linkchecker() -> str | None:
    """The linkchecker of the virtual environment, else one on PATH."""
    venv = ROOT / ".venv" / "bin" / "linkchecker"
    return str(venv) if venv.is_file() else shutil.which("linkchecker")


def test_no_broken_links(site: Site, tmp_path: Path) -> None:
    program = linkchecker()
    require(program, "linkchecker (pip install -e '.[browser]')")
    config = tmp_path / "linkcheckerrc"
    config.write_text("[AnchorCheck]\n")  # enables the check of #fragments
    # Every page is a start URL, so pages no link leads to (404.html) are checked too.
    urls = [(site.path / page).as_uri() for page in site.pages()]
    proc = subprocess.run([str(program), "--config", str(config), "--no-status", "--output",
                           "csv", "--verbose", *urls],
                          capture_output=True, text=True, timeout=600)
    lines = [x for x in proc.stdout.splitlines() if x and not x.startswith("#")]
    rows = list(csv.DictReader(io.StringIO("\n".join(lines)), delimiter=";"))
    assert len(rows) > len(urls), proc.stderr  # links were followed and checked
    broken = [f"{r['parentname'] or r['urlname']}:{r['line']}: {r['urlname']}: "
              f"{r['result']} {r['warningstring']}".strip()
              for r in rows if r["valid"] != "True" or "Anchor" in r["warningstring"]]
    assert broken == [], f"{len(broken)} broken links in {site.name}:\n" + "\n".join(broken[:40])
