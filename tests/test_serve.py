"""careersite serve and build --watch, for real: a server process, HTTP, real edits.

Every wait is on an event (a line on standard error, a page over HTTP, a server-sent
event) with a generous timeout, polled every few milliseconds: never a long fixed sleep.
"""

from __future__ import annotations

import http.client
import json
import os
import queue
import re
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from bs4 import BeautifulSoup
from conftest import TODAY_EPOCH, soup, write_tree

TIMEOUT = 30.0
"""Longest wait for anything (a loaded 2-core machine is slow, never this slow)."""

LONG = """\
---
title: Lead the regional sales team
horizon: long
start: 2026-01-01
target: 2029-12-31
status: active
---
The long game.
"""


def short_goal(title: str, progress: int, *, extra: str = "") -> str:
    return (f"---\ntitle: {title}\nhorizon: short\nstart: 2026-06-01\ntarget: 2027-03-31\n"
            f"status: active\nparent: long\nprogress: {progress}\n{extra}---\n"
            f"About {title}.\n\n- [ ] a first step\n")


PLAN = {
    "careersite.toml": 'title = "Test plan"\n',
    "plans/vision.md": "---\ntitle: Vision\n---\nWhere I am going.\n",
    "plans/goals/long.md": LONG,
    "plans/goals/deal.md": short_goal("Close the first deal", 10,
                                      extra="private:\n  salary: 99999 SEK\n"),
    "plans/goals/talk.md": short_goal("Give a talk", 20),
    "plans/goals/area/one.md": short_goal("Area goal one", 30),
    "plans/reviews/2026-11-20.md": "---\ndate: 2026-11-20\ngoals:\n  deal: {progress: 15}\n---\n"
                                   "Went well. See [[deal]].\n",
}


def save_atomically(path: Path, text: str) -> None:
    """What most editors do: write a temporary file next to it, then rename it over."""
    tmp = path.with_name(f".{path.name}.tmp{os.getpid()}")
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, path)


def wait_for(check: Callable[[], Any], what: str, timeout: float = TIMEOUT) -> Any:
    """Poll check() until it returns something true; fail after timeout."""
    deadline = time.monotonic() + timeout
    while True:
        value = check()
        if value:
            return value
        if time.monotonic() > deadline:
            pytest.fail(f"timed out waiting for {what}")
        time.sleep(0.01)


class Server:
    """A `careersite serve` (or `build --watch`) process and its standard error, line by line."""

    def __init__(self, project: Path, *args: str, command: str = "serve") -> None:
        env = {**os.environ, "SOURCE_DATE_EPOCH": TODAY_EPOCH, "PYTHONUNBUFFERED": "1"}
        extra = ["--port", "0"] if command == "serve" else ["--watch"]
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "careersite", command, "--project", str(project), *extra,
             *args],
            stderr=subprocess.PIPE, stdout=subprocess.DEVNULL, text=True, env=env)
        self.lines: list[str] = []
        self._lock = threading.Lock()
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()
        self.url = ""
        if command == "serve":
            line = self.wait_line(lambda x: "serving a" in x, "the server to start")
            found = re.search(r"at (http://[^ ]+)", line)
            assert found, line
            self.url = found.group(1)
            self.port = int(self.url.rsplit(":", 1)[1].strip("/"))
        else:
            self.wait_line(lambda x: "watching" in x, "the watcher to start")

    def _read(self) -> None:
        assert self.proc.stderr is not None
        for line in self.proc.stderr:
            with self._lock:
                self.lines.append(line.rstrip("\n"))

    def mark(self) -> int:
        """A position in standard error, to look only at what comes after it."""
        with self._lock:
            return len(self.lines)

    def since(self, mark: int) -> list[str]:
        with self._lock:
            return self.lines[mark:]

    def wait_line(self, match: Callable[[str], bool], what: str, after: int = 0) -> str:
        def found() -> str | None:
            if self.proc.poll() is not None and self._reader.is_alive() is False:
                pytest.fail(f"careersite exited ({self.proc.returncode}) waiting for {what}:\n"
                            + "\n".join(self.lines))
            return next((x for x in self.since(after) if match(x)), None)

        return str(wait_for(found, what))

    def rebuilds(self, mark: int) -> list[str]:
        return [x for x in self.since(mark) if x.startswith("careersite: rebuilt")]

    def get(self, path: str, method: str = "GET") -> tuple[int, dict[str, str], bytes]:
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=10)
        try:
            conn.request(method, path)
            response = conn.getresponse()
            return response.status, dict(response.getheaders()), response.read()
        finally:
            conn.close()

    def page(self, path: str) -> BeautifulSoup:
        status, _, body = self.get(path)
        assert status == 200, (path, status)
        return BeautifulSoup(body.decode(), "html.parser")

    def stop(self) -> float:
        """Ctrl-C; the seconds it took to exit."""
        started = time.monotonic()
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGINT)
        try:
            self.proc.wait(timeout=TIMEOUT)
        finally:
            if self.proc.poll() is None:
                self.proc.kill()
                self.proc.wait()
        self._reader.join(timeout=5)
        return time.monotonic() - started


class Events:
    """A reader of /__careersite/events: every server-sent event, in a queue."""

    def __init__(self, server: Server) -> None:
        self.sock = socket.create_connection(("127.0.0.1", server.port), timeout=TIMEOUT)
        self.sock.sendall(b"GET /__careersite/events HTTP/1.1\r\nHost: x\r\n\r\n")
        self.events: queue.Queue[dict[str, Any]] = queue.Queue()
        threading.Thread(target=self._read, daemon=True).start()
        hello = self.next(lambda e: e["hello"], "the first event")
        self.first = hello

    def _read(self) -> None:
        buffer = b""
        try:
            while chunk := self.sock.recv(65536):
                buffer += chunk
                while b"\n\n" in buffer:
                    block, buffer = buffer.split(b"\n\n", 1)
                    for line in block.decode().splitlines():
                        if line.startswith("data: "):
                            self.events.put(json.loads(line[6:]))
        except OSError:
            pass

    def next(self, match: Callable[[dict[str, Any]], bool], what: str) -> dict[str, Any]:
        deadline = time.monotonic() + TIMEOUT
        while True:
            try:
                event = self.events.get(timeout=max(0.01, deadline - time.monotonic()))
            except queue.Empty:
                pytest.fail(f"no server-sent event: {what}")
            if match(event):
                return event

    def close(self) -> None:
        self.sock.close()


@pytest.fixture
def project(tmp_path: Path) -> Path:
    return write_tree(tmp_path / "project", PLAN)


@pytest.fixture
def serve(project: Path) -> Iterator[Callable[..., Server]]:
    started: list[Server] = []

    def start(*args: str, command: str = "serve") -> Server:
        server = Server(project, *args, command=command)
        started.append(server)
        return server

    yield start
    for server in started:
        server.stop()


def progress_of(page: BeautifulSoup) -> str:
    """The progress a goal page shows in its header ("64" for 64 %)."""
    value = page.select_one(".goal-header .progress-value")
    return value.get_text(strip=True).rstrip("%") if value is not None else ""


# -- serving -------------------------------------------------------------------------------


def test_serves_a_private_preview_with_banner_outside_output(serve, project):
    server = serve()
    page = server.page("/")
    assert page.select_one(".private-banner") is not None
    scripts = [s.get("src") for s in page.find_all("script") if s.get("src")]
    assert "/__careersite/reload.js" in scripts
    deal = server.page("/goals/deal.html")
    assert "99999 SEK" in deal.get_text()  # a private field, shown in the private preview
    assert (project / ".careersite/preview/goals/deal.html").is_file()
    assert not (project / "output").exists()
    status, headers, body = server.get("/goals/")
    assert status == 200 and headers["Content-Type"] == "text/html; charset=utf-8"
    assert BeautifulSoup(body.decode(), "html.parser").select_one("main h1") is not None
    status, headers, _ = server.get("/goals")
    assert status == 301 and headers["Location"] == "/goals/"
    assert server.get("/style.css")[1]["Content-Type"] == "text/css; charset=utf-8"
    assert server.get("/plan.json")[1]["Content-Type"] == "application/json"
    assert server.get("/__careersite/reload.js")[1]["Content-Type"].startswith("text/javascript")
    status, headers, body = server.get("/goals/deal.html", method="HEAD")
    assert status == 200 and body == b"" and int(headers["Content-Length"]) > 1000
    assert server.get("/", method="POST")[0] == 405
    assert server.get("/", method="DELETE")[1].get("Allow") == "GET, HEAD"


def test_public_preview_is_exactly_what_build_publishes(serve, project, cli):
    server = serve("--public")
    assert cli("build", "--project", project).code == 0
    out = project / "output"
    for path in ("index.html", "goals/deal.html", "goals/area/one.html", "reviews/index.html"):
        served = server.get("/" + path)[2]
        built = (out / path).read_bytes()
        at = built.rindex(b"</body>")
        assert served[:at] == built[:at], path  # the same page, up to the injected script
        assert served.endswith(built[at:])
        assert b"99999" not in served and b"careersite/reload.js" not in built
    assert server.page("/").select_one(".private-banner") is None
    assert not any(b"__careersite" in p.read_bytes() for p in out.rglob("*.html"))


def test_every_traversal_gets_404_and_the_server_keeps_answering(serve, project, tmp_path):
    secret = tmp_path / "secret"
    secret.mkdir()
    (secret / "passwd").write_text("root:x:0:0")
    server = serve()
    (project / ".careersite/preview/leak").symlink_to(secret)
    (project / ".careersite/preview/leak.txt").symlink_to(secret / "passwd")
    attempts = ["/../secret/passwd", "/goals/../../secret/passwd", "/%2e%2e/secret/passwd",
                "/%2E%2E%2fsecret%2fpasswd", "/goals%2f..%2f..%2fsecret", "//etc/passwd",
                "/..\\..\\secret\\passwd", "/goals\\..\\index.html", "/%5c..%5csecret",
                "/leak/passwd", "/leak.txt", "/.careersite-manifest", "/%00", "/goals/./deal.html",
                "/.%2e/secret/passwd", "/goals/%2e%2e/index.html"]
    for path in attempts:
        status, _, body = server.get(path)
        assert status == 404, path
        assert b"root:x" not in body
    assert server.get("/")[0] == 200


def test_many_clients_and_dropped_connections_do_not_stop_it(serve):
    server = serve()
    streams = [Events(server) for _ in range(12)]
    for stream in streams[:6]:
        stream.close()  # tabs closed
    for _ in range(10):  # requests cut off half way, or never finished
        sock = socket.create_connection(("127.0.0.1", server.port))
        sock.sendall(b"GET /goals/deal.html HT")
        sock.close()
    results: list[int] = []

    def fetch() -> None:
        results.append(server.get("/goals/deal.html")[0])

    threads = [threading.Thread(target=fetch) for _ in range(40)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=TIMEOUT)
    assert results == [200] * 40
    for stream in streams[6:]:
        stream.close()
    assert server.get("/")[0] == 200


def test_port_taken_says_so_and_suggests_port(project):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        proc = subprocess.run(
            [sys.executable, "-m", "careersite", "serve", "--project", str(project), "--port",
             str(port)], capture_output=True, text=True, timeout=TIMEOUT)
    assert proc.returncode == 2
    assert f"port {port} on 127.0.0.1 is taken" in proc.stderr
    assert "--port" in proc.stderr
    assert not (project / ".careersite/preview").exists()


def test_ctrl_c_exits_within_a_second_and_leaves_nothing(serve, project):
    server = serve()
    Events(server)  # an open event stream must not hold it up
    save_atomically(project / "plans/goals/talk.md", short_goal("Give a talk", 55))
    server.wait_line(lambda x: x.startswith("careersite: rebuilt"), "the rebuild")
    took = server.stop()
    assert server.proc.returncode == 0
    assert took < 2.5, f"took {took:.2f} s to stop"  # ~0.2 s; the margin is for a busy CI
    assert "careersite: stopped" in server.lines
    leftovers = [p for p in project.rglob("*") if ".tmp" in p.name or "-tmp-" in p.name]
    assert leftovers == []
    with socket.socket() as probe:  # nothing is left listening on the port
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        probe.bind(("127.0.0.1", server.port))


# -- editing -------------------------------------------------------------------------------


def test_an_edit_changes_the_page_and_sends_a_reload_event(serve, project):
    server = serve()
    events = Events(server)
    save_atomically(project / "plans/goals/talk.md", short_goal("Give a talk", 64))
    wait_for(lambda: progress_of(server.page("/goals/talk.html")) == "64", "the new progress")
    event = events.next(lambda e: "goals/talk.html" in e["changed"], "a reload of talk.html")
    assert event["errors"] == [] and not event["hello"]
    assert event["id"] != events.first["id"]
    assert progress_of(server.page("/goals/talk.html")) == "64"
    # The dashboard and the goals index list the new progress too.
    wait_for(lambda: "Give a talk: 64%" in [x.get("aria-label", "").replace("Progress", "Give a talk")
                                            for x in server.page("/goals/").select(".progress")]
             or "64%" in server.page("/goals/").get_text(), "the goals index")


def test_editor_leftovers_never_trigger_a_rebuild(serve, project):
    server = serve()
    goals = project / "plans/goals"
    mark = server.mark()
    for name in (".talk.md.swp", "talk.md~", "4913", "#talk.md#", ".#talk.md", "talk.md.bak",
                 "talk.md.orig", ".hidden.md"):
        (goals / name).write_text("---\ntitle: junk\n---\n")
    (project / "plans/.obsidian").mkdir()
    for i in range(5):  # a tool's cache folder churning inside the plan
        (project / f"plans/.obsidian/state{i}.json").write_text("{}")
    save_atomically(goals / "talk.md", short_goal("Give a talk", 71))
    wait_for(lambda: progress_of(server.page("/goals/talk.html")) == "71", "the edit")
    wait_for(lambda: server.rebuilds(mark), "the rebuild")
    assert len(server.rebuilds(mark)) == 1, server.since(mark)
    assert server.get("/goals/4913.html")[0] == 404


def test_git_checkout_of_200_files_is_one_rebuild(serve, project):
    git = shutil.which("git")
    if git is None:
        pytest.skip("git is not installed")

    def run(*args: str) -> None:
        subprocess.run([git, *args], cwd=project, check=True, capture_output=True,
                       env={**os.environ, "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@x",
                            "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@x"})

    for i in range(200):
        (project / f"plans/goals/bulk{i:03}.md").write_text(short_goal(f"Bulk {i}", 5))
    run("init", "-q", "-b", "main")
    run("add", "-A")
    run("commit", "-q", "-m", "plan")
    run("checkout", "-q", "-b", "other")
    for i in range(200):
        (project / f"plans/goals/bulk{i:03}.md").write_text(short_goal(f"Bulk {i}", 77))
    run("commit", "-q", "-am", "progress")
    run("checkout", "-q", "main")
    server = serve()
    mark = server.mark()
    run("checkout", "-q", "other")
    for i in (0, 199):
        wait_for(lambda i=i: progress_of(server.page(f"/goals/bulk{i:03}.html")) == "77",
                 f"bulk{i:03} after the checkout")
    wait_for(lambda: server.rebuilds(mark), "the rebuild")
    assert len(server.rebuilds(mark)) == 1, server.since(mark)


def test_a_git_commit_refreshes_the_history(serve, project):
    git = shutil.which("git")
    if git is None:
        pytest.skip("git is not installed")
    env = {**os.environ, "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@x",
           "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@x"}

    def run(*args: str) -> None:
        subprocess.run([git, *args], cwd=project, check=True, capture_output=True, env=env)

    run("init", "-q", "-b", "main")
    run("add", "-A")
    run("commit", "-q", "-m", "The first plan")
    server = serve()
    assert "The first plan" in server.page("/history.html").get_text()  # private: subjects
    events = Events(server)
    save_atomically(project / "plans/goals/talk.md", short_goal("Give a keynote", 20))
    run("commit", "-q", "-am", "Aim higher")
    events.next(lambda e: "history.html" in e["changed"], "history.html rebuilt")
    wait_for(lambda: "Aim higher" in server.page("/history.html").get_text(), "the commit")


def test_delete_rename_and_new_folder(serve, project):
    server = serve()
    events = Events(server)
    (project / "plans/goals/talk.md").unlink()
    event = events.next(lambda e: "goals/talk.html" in e["removed"], "talk.html removed")
    assert server.get("/goals/talk.html")[0] == 404
    assert event["errors"] == []
    (project / "plans/goals/area").rename(project / "plans/goals/sector")
    event = events.next(lambda e: "goals/area/one.html" in e["removed"], "the folder renamed")
    assert "goals/sector/one.html" in event["changed"]
    assert server.get("/goals/sector/one.html")[0] == 200
    assert server.get("/goals/area/one.html")[0] == 404
    (project / "plans/goals/fresh").mkdir()
    (project / "plans/goals/fresh/new.md").write_text(short_goal("A new goal", 5))
    wait_for(lambda: server.get("/goals/fresh/new.html")[0] == 200, "the new folder's goal")
    assert "A new goal" in server.page("/goals/").get_text()


def test_deleting_a_linked_goal_is_an_error_and_keeps_the_last_good_site(serve, project):
    server = serve()
    mark = server.mark()
    (project / "plans/goals/deal.md").unlink()
    line = server.wait_line(lambda x: "error:" in x, "the broken link", after=mark)
    assert line.startswith("plans/reviews/2026-11-20.md:")
    assert server.get("/goals/deal.html")[0] == 200  # the last good site stays
    overlay = server.page("/goals/deal.html").select_one("#careersite-overlay")
    assert overlay is not None and line in overlay.get_text()


def test_broken_edit_keeps_the_old_page_with_an_overlay_until_fixed(serve, project):
    server = serve()
    events = Events(server)
    talk = project / "plans/goals/talk.md"
    good = talk.read_text()
    mark = server.mark()
    save_atomically(talk, good.replace("target: 2027-03-31", "target: <script>alert(1)</script>"))
    line = server.wait_line(lambda x: "error:" in x, "the error", after=mark)
    assert line.startswith("plans/goals/talk.md:5:9: error: target: expected a date")
    event = events.next(lambda e: e["errors"], "the errors")
    assert line in event["errors"]
    page = server.page("/goals/talk.html")
    assert "Give a talk" in page.select_one("h1").get_text()  # the last good page
    overlay = page.select_one("#careersite-overlay")
    assert overlay is not None and line in overlay.get_text()
    assert [s.get("src") for s in page.find_all("script")] == ["/__careersite/reload.js"]
    assert overlay.select_one("[role=alertdialog]") is None and overlay["role"] == "alertdialog"
    save_atomically(talk, good.replace("progress: 20", "progress: 23"))
    events.next(lambda e: not e["errors"], "the overlay cleared")
    wait_for(lambda: progress_of(server.page("/goals/talk.html")) == "23", "the fixed page")
    assert server.page("/goals/talk.html").select_one("#careersite-overlay") is None


def test_template_and_settings_changes(serve, project):
    server = serve()
    events = Events(server)
    write_tree(project, {"templates/review.html":
                         '{% extends "default/review.html" %}{% block content %}'
                         '<p class="mine">Mine</p>{{ super() }}{% endblock %}'})
    event = events.next(lambda e: "reviews/2026-11-20.html" in e["changed"], "the review page")
    assert not any(p.startswith("goals/") for p in event["changed"])  # only what uses it
    assert server.page("/reviews/2026-11-20.html").select_one("p.mine") is not None
    (project / "careersite.toml").write_text('title = "Renamed plan"\n')
    events.next(lambda e: e["all"] or "goals/talk.html" in e["changed"], "a full rebuild")
    assert "Renamed plan" in server.page("/goals/talk.html").get_text()


def test_build_watch_rebuilds_output_and_injects_nothing(serve, project):
    watcher = serve(command="build")
    out = project / "output"
    assert soup(out / "goals/talk.html").select_one(".private-banner") is None
    mark = watcher.mark()
    save_atomically(project / "plans/goals/talk.md", short_goal("Give a talk", 88))
    wait_for(lambda: progress_of(soup(out / "goals/talk.html")) == "88", "output/ rebuilt")
    wait_for(lambda: watcher.rebuilds(mark), "the rebuild")
    assert not any(b"__careersite" in p.read_bytes() for p in out.rglob("*.html"))
    assert b"99999" not in (out / "goals/deal.html").read_bytes()
    assert len(watcher.rebuilds(mark)) == 1, watcher.since(mark)  # its writes never loop


def test_a_plan_broken_from_the_start_is_served_once_fixed(serve, project):
    talk = project / "plans/goals/talk.md"
    good = talk.read_text()
    talk.write_text(good.replace("horizon: short", "horizon: sideways"))
    server = serve()
    line = next(x for x in server.lines if "error:" in x)
    assert line.startswith("plans/goals/talk.md:3:10: error: horizon:")
    status, _, body = server.get("/")
    assert status == 404  # nothing good to show yet: the problems, over an empty page
    overlay = BeautifulSoup(body.decode(), "html.parser").select_one("#careersite-overlay")
    assert overlay is not None and line in overlay.get_text()
    save_atomically(talk, good)
    wait_for(lambda: server.get("/")[0] == 200, "the first good build")
    # The overlay goes when the rebuild is over (a moment after its first page is written).
    wait_for(lambda: server.page("/").select_one("#careersite-overlay") is None, "no overlay")
