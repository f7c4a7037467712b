"""The serve part of the benchmark: from a file's write to the new bytes served over HTTP."""

from __future__ import annotations

import http.client
import os
import re
import signal
import statistics
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path

POLL = 0.002
"""Seconds between two requests while waiting for new bytes."""
TEMPLATE = ('{% extends "default/goal.html" %}{% block content %}{{ super() }}'
            '<p class="bench">TOKEN</p>{% endblock %}')


class _Serve:
    """A `careersite serve` process with its standard error read in a thread."""

    def __init__(self, project: Path) -> None:
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "careersite", "serve", "--project", str(project), "--port",
             "0"], stderr=subprocess.PIPE, stdout=subprocess.DEVNULL, text=True)
        self.lines: list[str] = []
        threading.Thread(target=self._read, daemon=True).start()
        started = time.perf_counter()
        line = self.wait(lambda x: "serving a" in x, 0, 1200)
        self.ready = time.perf_counter() - started
        found = re.search(r":(\d+)/", line)
        assert found, line
        self.port = int(found.group(1))

    def _read(self) -> None:
        assert self.proc.stderr is not None
        for line in self.proc.stderr:
            self.lines.append(line.rstrip("\n"))

    def wait(self, match: Callable[[str], bool], after: int, timeout: float = 600) -> str:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            for line in self.lines[after:]:
                if match(line):
                    return line
            if self.proc.poll() is not None:
                raise RuntimeError("careersite serve exited:\n" + "\n".join(self.lines[-20:]))
            time.sleep(0.01)
        raise RuntimeError("careersite serve: timed out\n" + "\n".join(self.lines[-20:]))

    def get(self, path: str) -> bytes:
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        try:
            conn.request("GET", path)
            return conn.getresponse().read()
        finally:
            conn.close()

    def stop(self) -> None:
        self.proc.send_signal(signal.SIGINT)
        try:
            self.proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()


def _first_progress(page: bytes) -> int | None:
    """The progress in a goal page's header (the first progress value on the page)."""
    found = re.search(rb'class="progress-value">(\d+)%', page)
    return int(found.group(1)) if found else None


def _measure(server: _Serve, edit: Callable[[int], None], shown: Callable[[bytes, int], bool],
             url: str, count: int, first: int) -> list[float]:
    """Milliseconds from each edit to the first response showing it; waits for the whole
    rebuild after each edit, so that every edit starts from a quiet server."""
    latencies = []
    for i in range(first, first + count):
        mark = len(server.lines)
        started = time.perf_counter()
        edit(i)
        while not shown(server.get(url), i):
            time.sleep(POLL)
        latencies.append((time.perf_counter() - started) * 1000)
        server.wait(lambda x: x.startswith(("careersite: rebuilt", "careersite: not rebuilt")),
                    mark)
        time.sleep(0.05)
    return latencies


def serve_latency(project: Path, edits: int, goal: Path) -> list[str]:
    """Table rows: goal progress, review and template edits on one corpus."""
    docs = sum(1 for _ in (project / "plans").rglob("*.md"))
    review = sorted((project / "plans/reviews").glob("*.md"))[-1]
    templates = project / "templates"
    originals = {goal: goal.read_bytes(), review: review.read_bytes()}
    goal_url = "/" + goal.relative_to(project / "plans").with_suffix(".html").as_posix()
    review_url = "/" + review.relative_to(project / "plans").with_suffix(".html").as_posix()
    server = _Serve(project)
    rows = [f"| {docs} | server ready (first build, then serving) | {server.ready * 1000:.0f} "
            "| - | 1 |"]
    try:
        from careersite.bench import set_progress

        base = ((_first_progress(server.get(goal_url)) or 0) + 1) % 50

        def progress(i: int) -> None:
            set_progress(goal, base + i % 50)

        def review_edit(i: int) -> None:
            review.write_bytes(originals[review] + f"\n\nREVIEWTOKEN{i}x\n".encode())

        def template_edit(i: int) -> None:
            templates.mkdir(exist_ok=True)
            (templates / "goal.html").write_text(TEMPLATE.replace("TOKEN", f"TPL{i}x"))

        runs = [
            ("goal progress", _measure(server, progress,
                                       lambda page, i: _first_progress(page) == base + i % 50,
                                       goal_url, edits, 0)),
            ("review body", _measure(server, review_edit,
                                     lambda page, i: f"REVIEWTOKEN{i}x".encode() in page,
                                     review_url, edits, 0)),
            ("template (goal.html)", _measure(server, template_edit,
                                              lambda page, i: f"TPL{i}x".encode() in page,
                                              goal_url, min(edits, 3), 0)),
        ]
    finally:
        server.stop()
        for path, data in originals.items():
            path.write_bytes(data)
        if (templates / "goal.html").exists():
            os.unlink(templates / "goal.html")
            templates.rmdir()
    for name, ms in runs:
        rows.append(f"| {docs} | {name} | {statistics.median(ms):.0f} | "
                    f"{min(ms):.0f}-{max(ms):.0f} | {len(ms)} |")
    return rows
