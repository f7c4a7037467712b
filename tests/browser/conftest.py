"""The built site in real checkers: Nu HTML Checker, axe-core in Chromium, LinkChecker.

The tools come from the package registries (scripts/test.sh installs them): Debian's
chromium and a Java runtime, npm's axe-core and vnu-jar (in .venv/node), PyPI's playwright
and linkchecker (the `browser` extra). A missing tool skips these tests with the reason,
except in CI (CI=true), where it fails them: a green CI must not hide a missing install.
"""

from __future__ import annotations

import functools
import http.server
import os
import shutil
import subprocess
import sys
import tempfile
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
NODE_MODULES = ROOT / ".venv" / "node" / "node_modules"
VNU_JAR = NODE_MODULES / "vnu-jar" / "build" / "dist" / "vnu.jar"
AXE_JS = NODE_MODULES / "axe-core" / "axe.min.js"
CHROMIUM = Path("/usr/bin/chromium")
MAKE_CORPUS = ROOT.parent / "shared" / "bench" / "make_corpus.py"
"""CI puts a copy of shared/ beside the checkout."""
TODAY_EPOCH = "1796083200"  # 2026-12-01, as in tests/conftest.py
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update",
                 "--disable-sync"]


def require(found: object, what: str) -> None:
    """Skip (or, in CI, fail) when a checker is not installed."""
    if found:
        return
    message = f"{what} is not installed: run scripts/test.sh, which installs it"
    if os.environ.get("CI"):
        pytest.fail(message)
    pytest.skip(message)


@dataclass(frozen=True)
class Site:
    """A built site: its folder, its pages and where the test server serves it."""

    name: str
    path: Path
    url: str

    def pages(self) -> list[str]:
        """Every HTML page the build produced, site-relative, sorted."""
        return sorted(p.relative_to(self.path).as_posix() for p in self.path.rglob("*.html"))


def _build(project: Path, out: Path) -> None:
    env = {**os.environ, "SOURCE_DATE_EPOCH": TODAY_EPOCH, "PYTHONPATH": str(ROOT)}
    proc = subprocess.run([sys.executable, "-m", "careersite", "build", "--project",
                           str(project), "--output", str(out)],
                          capture_output=True, text=True, env=env, timeout=300)
    assert proc.returncode == 0, proc.stderr


@pytest.fixture(scope="session")
def sites_dir() -> Iterator[Path]:
    """A folder every user can read: linkchecker, run as root, drops to `nobody`."""
    path = Path(tempfile.mkdtemp(prefix="careersite-browser-"))
    path.chmod(0o755)
    yield path
    shutil.rmtree(path, ignore_errors=True)


@pytest.fixture(scope="session")
def example_site(sites_dir: Path) -> Path:
    """The example plan of this repository, built."""
    out = sites_dir / "example"
    _build(ROOT, out)
    return out


@pytest.fixture(scope="session")
def corpus_site(sites_dir: Path) -> Path:
    """A 200-document plan from shared/bench/make_corpus.py, built."""
    if not MAKE_CORPUS.is_file():
        pytest.skip(f"{MAKE_CORPUS} is absent (CI copies shared/ beside the checkout)")
    project = Path(tempfile.mkdtemp(prefix="careersite-corpus-"))
    try:
        subprocess.run([sys.executable, str(MAKE_CORPUS), str(project / "plans"), "--goals",
                        "160", "--reviews", "40", "--seed", "1"],
                       check=True, capture_output=True, timeout=300)
        out = sites_dir / "corpus"
        _build(project, out)
    finally:
        shutil.rmtree(project, ignore_errors=True)
    return out


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture(scope="session")
def server(sites_dir: Path) -> Iterator[str]:
    """A loopback HTTP server for the built sites; its base URL."""
    handler = functools.partial(_Quiet, directory=str(sites_dir))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_port}/"
    httpd.shutdown()
    httpd.server_close()


@pytest.fixture(scope="session", params=["example", "corpus"])
def site(request: pytest.FixtureRequest, server: str) -> Site:
    """Each built site in turn."""
    path: Path = request.getfixturevalue(f"{request.param}_site")
    return Site(request.param, path, f"{server}{request.param}/")


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    """Debian's Chromium, headless, driven by Playwright (no browser download)."""
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        sync_playwright = None
    require(sync_playwright, "playwright (pip install -e '.[browser]')")
    require(CHROMIUM.is_file(), "chromium (apt-get install chromium)")
    assert sync_playwright is not None
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM),
                                              args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()
