"""Shared helpers: write a plan tree, run the real CLI, parse the HTML."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from careersite.cli import main

ROOT = Path(__file__).resolve().parent.parent
TODAY_EPOCH = "1796083200"  # 2026-12-01 00:00 UTC: pinned "today" for reproducible tests


def write_tree(root: Path, files: Mapping[str, str | bytes]) -> Path:
    """Write files (dedented text, or raw bytes) under root; returns root."""
    for rel, content in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(textwrap.dedent(content).lstrip("\n"), encoding="utf-8")
    return root


@dataclass
class Run:
    code: int
    out: str
    err: str

    @property
    def lines(self) -> list[str]:
        """Diagnostic lines of standard error (without the summary line)."""
        return [x for x in self.err.splitlines() if not x.startswith("careersite:")]


@pytest.fixture(autouse=True)
def _pinned_today(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", TODAY_EPOCH)


@pytest.fixture
def cli(capsys: pytest.CaptureFixture[str]):  # type: ignore[no-untyped-def]
    """Run careersite's real entry point in-process: cli("build", "--project", path)."""

    def run(*args: str | Path) -> Run:
        code = main([str(a) for a in args])
        captured = capsys.readouterr()
        return Run(code, captured.out, captured.err)

    return run


def run_subprocess(*args: str | Path, cwd: Path | None = None) -> Run:
    """Run `python -m careersite` as a separate process."""
    proc = subprocess.run([sys.executable, "-m", "careersite", *map(str, args)],
                          capture_output=True, text=True, cwd=cwd, timeout=120)
    return Run(proc.returncode, proc.stdout, proc.stderr)


def soup(path: Path) -> BeautifulSoup:
    """Parsed HTML of a built page."""
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


def site_files(out: Path) -> list[Path]:
    """Every file careersite published (its bookkeeping files excluded)."""
    return sorted(p for p in out.rglob("*") if p.is_file() and not p.name.startswith(".careersite"))
