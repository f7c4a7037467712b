"""Every page of the example plan and of a 200-document plan passes the Nu HTML Checker."""

from __future__ import annotations

import json
import shutil
import subprocess

import pytest

from .conftest import VNU_JAR, Site, require

pytestmark = pytest.mark.browser


def test_every_page_passes_the_nu_html_checker(site: Site) -> None:
    java = shutil.which("java")
    require(java, "a Java runtime (apt-get install default-jre-headless)")
    require(VNU_JAR.is_file(), "vnu.jar (npm install vnu-jar)")
    pages = [site.path / page for page in site.pages()]
    assert len(pages) > 10
    proc = subprocess.run([str(java), "-jar", str(VNU_JAR), "--format", "json", "--exit-zero-always",
                           *map(str, pages)],
                          capture_output=True, text=True, timeout=600)
    report = json.loads(proc.stderr)
    errors = [f"{m.get('url', '').removeprefix('file:')}:{m.get('lastLine', '?')}: "
              f"{m.get('message')} [{m.get('extract', '').strip()}]"
              for m in report["messages"] if m.get("type") in ("error", "non-document-error")]
    assert errors == [], f"{len(errors)} errors in {site.name}:\n" + "\n".join(errors[:40])
