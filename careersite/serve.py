"""careersite serve: the preview folder over HTTP, with live reload and an error overlay.

The server answers GET and HEAD with files inside the preview folder only: any path that
is not a plain list of names inside it (`..`, encoded slashes or dots, backslashes,
hidden names, a symbolic link leading out) is a 404. Pages are read whole from files
that the build replaces atomically, so a request during a rebuild gets the old or the new
page, never a mix. HTML responses get a small script (never written to disk, so never in
`build` output) that listens to `/__careersite/events` (server-sent events): after a good
rebuild, a tab whose page changed reloads, and a tab whose page is gone goes to the
dashboard; after a bad one, the tab shows the problems over the last good page.
"""

from __future__ import annotations

import errno
import html
import json
import logging
import mimetypes
import os
import secrets
import socket
import threading
import time
from collections.abc import Callable, Iterable
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import TYPE_CHECKING, Any

from careersite.diagnostics import UsageError

if TYPE_CHECKING:
    from careersite.state import Outcome

log = logging.getLogger(__name__)

EVENTS_PATH = "/__careersite/events"
SCRIPT_PATH = "/__careersite/reload.js"
HEARTBEAT_S = 10.0
"""A comment line this often on idle event streams: a closed tab is noticed and dropped."""

CONTENT_TYPES = {
    ".html": "text/html; charset=utf-8", ".css": "text/css; charset=utf-8",
    ".js": "text/javascript; charset=utf-8", ".json": "application/json",
    ".xml": "application/xml", ".ics": "text/calendar; charset=utf-8",
    ".svg": "image/svg+xml", ".txt": "text/plain; charset=utf-8",
    ".csv": "text/csv; charset=utf-8", ".pdf": "application/pdf", ".png": "image/png",
    ".jpg": "image/jpeg", ".jpeg": "image/jpeg", ".gif": "image/gif",
    ".webp": "image/webp", ".avif": "image/avif",
}

RELOAD_JS = """\
(() => {
  "use strict";
  const me = document.currentScript;
  let id = me.dataset.build;
  const here = () => {
    let path = decodeURIComponent(location.pathname).replace(/^\\/+/, "");
    if (path === "" || path.endsWith("/")) path += "index.html";
    return path;
  };
  const overlay = (errors) => {
    let box = document.getElementById("careersite-overlay");
    if (!errors.length) { if (box) box.remove(); return; }
    if (!box) {
      box = document.createElement("div");
      box.id = "careersite-overlay";
      box.setAttribute("role", "alertdialog");
      box.setAttribute("aria-labelledby", "careersite-overlay-title");
      document.body.append(box);
    }
    const title = document.createElement("p");
    title.id = "careersite-overlay-title";
    title.textContent = me.dataset.title;
    const list = document.createElement("pre");
    list.textContent = errors.join("\\n");
    box.replaceChildren(title, list);
  };
  const events = new EventSource("EVENTS_PATH");
  events.addEventListener("build", (message) => {
    const build = JSON.parse(message.data);
    overlay(build.errors);
    if (build.id === id) return;
    const page = here();
    if (build.removed.includes(page)) location.href = "/";
    else if (build.hello || build.all || build.changed.includes(page)) location.reload();
    else id = build.id;  // this page is still current
  });
})();
""".replace("EVENTS_PATH", EVENTS_PATH)

OVERLAY_STYLE = (
    "#careersite-overlay{position:fixed;inset:auto 0 0 0;max-height:60vh;overflow:auto;"
    "z-index:2147483647;margin:0;padding:1rem 1.25rem;background:#1b1b1f;color:#f4f4f5;"
    "border-top:4px solid #e5484d;font:14px/1.5 ui-monospace,SFMono-Regular,Menlo,"
    "Consolas,monospace;box-shadow:0 -4px 24px rgba(0,0,0,.4)}"
    "#careersite-overlay p{margin:0 0 .5rem;font-weight:bold;color:#f4f4f5}"
    "#careersite-overlay pre{margin:0;padding:0;border:0;white-space:pre-wrap;font:inherit;"
    "color:#f4f4f5!important;background:none!important;box-shadow:none;overflow:visible}"
    "@media print{#careersite-overlay{display:none}}"
)
OVERLAY_TITLE = "careersite: the last change has problems; this is the last good build."
NOT_FOUND_PAGE = (b'<!doctype html>\n<html lang="en"><head><meta charset="utf-8">'
                  b"<title>Not found</title></head><body><p>Not found.</p></body></html>\n")


class BuildEvents:
    """The builds browsers are told about: a sequence of events, waited on by streams."""

    def __init__(self) -> None:
        self.token = secrets.token_hex(4)
        self.epoch = 0
        self.errors: tuple[str, ...] = ()
        self._seq = 0
        self._event: dict[str, Any] = self._make(hello=True)
        self._cond = threading.Condition()
        self.closed = False

    @property
    def build_id(self) -> str:
        """Names the last good build: a page shows it in its script tag."""
        return f"{self.token}-{self.epoch}"

    def _make(self, *, changed: Iterable[str] = (), removed: Iterable[str] = (),
              everything: bool = False, hello: bool = False) -> dict[str, Any]:
        return {"id": self.build_id, "changed": sorted(changed), "removed": sorted(removed),
                "all": everything, "hello": hello, "errors": list(self.errors)}

    def good(self, changed: Iterable[str], removed: Iterable[str], everything: bool) -> None:
        """A good rebuild: pages whose bytes changed, pages gone, or everything."""
        changed, removed = list(changed), list(removed)
        with self._cond:
            if changed or removed or everything or self.errors:
                if changed or removed or everything:
                    self.epoch += 1
                self.errors = ()
                self._publish(self._make(changed=changed, removed=removed,
                                         everything=everything))

    def bad(self, errors: Iterable[str]) -> None:
        """A rebuild with errors: the last good site stays, the overlay shows them."""
        with self._cond:
            self.errors = tuple(errors)
            self._publish(self._make())

    def _publish(self, event: dict[str, Any]) -> None:
        self._seq += 1
        self._event = event
        self._cond.notify_all()

    def close(self) -> None:
        """End every event stream (shutting down)."""
        with self._cond:
            self.closed = True
            self._cond.notify_all()

    def hello(self) -> tuple[int, dict[str, Any]]:
        """What a new stream is told first: the current build."""
        with self._cond:
            return self._seq, {**self._make(), "hello": True}

    def wait(self, seen: int, timeout: float) -> tuple[int, dict[str, Any] | None]:
        """The next event after `seen`, or None after timeout (or when closed)."""
        with self._cond:
            self._cond.wait_for(lambda: self._seq != seen or self.closed, timeout)
            if self.closed or self._seq == seen:
                return seen, None
            return self._seq, self._event


class PreviewServer(ThreadingHTTPServer):
    """Serves a folder, with live reload; one thread per connection."""

    daemon_threads = True
    block_on_close = False

    def __init__(self, address: tuple[str, int], folder: Path, events: BuildEvents) -> None:
        self.folder = folder
        self.events = events
        if ":" in address[0]:
            self.address_family = socket.AF_INET6
        try:
            super().__init__(address, _Handler)
        except OSError as exc:
            if exc.errno == errno.EADDRINUSE:
                raise UsageError(f"port {address[1]} on {address[0]} is taken (by another "
                                 "server?): choose another one with --port") from None
            raise UsageError(f"cannot listen on {address[0]} port {address[1]}: "
                             f"{exc.strerror or exc}") from None

    def handle_error(self, request: Any, client_address: Any) -> None:
        """A dropped connection is normal: never a traceback."""
        log.debug("request from %s failed", client_address, exc_info=True)

    def resolve(self, url_path: str) -> Path | str | None:
        """The file for a request path; a str is a redirect target; None is 404."""
        parts = safe_parts(url_path)
        if parts is None:
            return None
        root = os.path.realpath(self.folder)
        candidate = os.path.join(root, *parts) if parts else root
        real = os.path.realpath(candidate)
        if real != root and not real.startswith(root + os.sep):
            return None  # a symbolic link out of the preview
        if os.path.isdir(real):
            if parts and not url_path.endswith("/"):
                return url_path + "/"
            index = os.path.join(real, "index.html")
            return Path(index) if os.path.isfile(index) else None
        return Path(real) if os.path.isfile(real) else None


def safe_parts(url_path: str) -> list[str] | None:
    """The names of a request path inside the site, or None if it could leave it."""
    path = url_path.split("?", 1)[0].split("#", 1)[0]
    lowered = path.lower()
    if not path.startswith("/") or path.startswith("//") or "\\" in path or "%2f" in lowered \
            or "%5c" in lowered or "%00" in lowered or "\0" in path:
        return None
    from urllib.parse import unquote

    try:
        text = unquote(path, errors="strict")
    except UnicodeDecodeError:
        return None
    if "\\" in text or "\0" in text:
        return None
    parts = text.split("/")[1:]
    if parts and parts[-1] == "":
        parts.pop()  # a folder: "/goals/"
    if any(part in ("", ".", "..") or part.startswith(".") for part in parts):
        return None
    return parts


class _Handler(BaseHTTPRequestHandler):
    server: PreviewServer
    server_version = "careersite"

    def do_GET(self) -> None:
        self._answer(body=True)

    def do_HEAD(self) -> None:
        self._answer(body=False)

    def _not_allowed(self) -> None:
        self.send_response(HTTPStatus.METHOD_NOT_ALLOWED)
        self.send_header("Allow", "GET, HEAD")
        self.send_header("Content-Length", "0")
        self.end_headers()

    do_POST = do_PUT = do_DELETE = do_PATCH = do_OPTIONS = do_TRACE = do_CONNECT = _not_allowed

    def log_message(self, format: str, *args: Any) -> None:
        log.debug("%s %s", self.address_string(), format % args)

    def _answer(self, *, body: bool) -> None:
        try:
            if self.path.split("?", 1)[0] == EVENTS_PATH and body:
                self._events()
                return
            if self.path.split("?", 1)[0] == SCRIPT_PATH:
                self._send(HTTPStatus.OK, CONTENT_TYPES[".js"], RELOAD_JS.encode(), body)
                return
            found = self.server.resolve(self.path)
            if isinstance(found, str):
                self.send_response(HTTPStatus.MOVED_PERMANENTLY)
                self.send_header("Location", found)
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
            status = HTTPStatus.OK
            if found is None:
                status, found = HTTPStatus.NOT_FOUND, self.server.folder / "404.html"
            try:
                data = found.read_bytes()
            except OSError:  # no 404.html yet (the first build failed)
                data, found = NOT_FOUND_PAGE, Path("404.html")
                status = HTTPStatus.NOT_FOUND
            kind = content_type(found.name)
            if kind.startswith("text/html"):
                data = inject(data, self.server.events)
            self._send(status, kind, data, body)
        except (ConnectionError, TimeoutError):
            pass  # the browser went away

    def _send(self, status: HTTPStatus, kind: str, data: bytes, body: bool) -> None:
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(data)))
        self.send_header("Cache-Control", "no-store")
        self.send_header("X-Content-Type-Options", "nosniff")
        self.end_headers()
        if body:
            self.wfile.write(data)

    def _events(self) -> None:
        """A server-sent event stream, until the browser or the server goes."""
        events = self.server.events
        self.send_response(HTTPStatus.OK)
        self.send_header("Content-Type", "text/event-stream; charset=utf-8")
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        seen, hello = events.hello()
        event: dict[str, Any] | None = hello
        self.wfile.write(b"retry: 500\n")
        while event is not None or not events.closed:
            if event is not None:
                self.wfile.write(f"event: build\ndata: {json.dumps(event)}\n\n".encode())
            else:
                self.wfile.write(b": still here\n\n")
            self.wfile.flush()
            seen, event = events.wait(seen, HEARTBEAT_S)
            if events.closed:
                return


def content_type(name: str) -> str:
    """The Content-Type of a file of the site."""
    ext = os.path.splitext(name)[1].lower()
    return CONTENT_TYPES.get(ext) or mimetypes.guess_type(name)[0] or "application/octet-stream"


def inject(page: bytes, events: BuildEvents) -> bytes:
    """A served page: the reload script, and the error overlay when the last build failed."""
    parts = [f'<script src="{SCRIPT_PATH}" data-build="{events.build_id}" '
             f'data-title="{html.escape(OVERLAY_TITLE)}"></script>']
    if events.errors:
        lines = html.escape("\n".join(events.errors))
        parts.insert(0, f'<style>{OVERLAY_STYLE}</style><div id="careersite-overlay" '
                        'role="alertdialog" aria-labelledby="careersite-overlay-title">'
                        f'<p id="careersite-overlay-title">{html.escape(OVERLAY_TITLE)}</p>'
                        f"<pre>{lines}</pre></div>")
    else:
        parts.insert(0, f"<style>{OVERLAY_STYLE}</style>")
    snippet = "".join(parts).encode()
    at = page.rfind(b"</body>")
    return page + snippet if at < 0 else page[:at] + snippet + page[at:]


def preview_folder(root: Path, *, public: bool) -> Path:
    """Where serve builds: careersite's own folder, never output/."""
    return root / ".careersite" / ("preview-public" if public else "preview")


def publish(events: BuildEvents, outcome: Outcome) -> None:
    """Tell the browsers about a rebuild."""
    if outcome.report is None and not outcome.quick:
        events.bad(str(d) for d in outcome.diagnostics)
    else:
        events.good(outcome.changed, outcome.removed, outcome.full)


def run(root: Path, *, host: str, port: int, public: bool,
        ready: Callable[[str], None], done: Callable[[Outcome, float], None]) -> None:
    """Build the preview, serve it and keep it up to date until interrupted.

    ready(url) once the server answers; done(outcome, seconds) after each rebuild.
    """
    from careersite.history import find_git_dir
    from careersite.incremental import Site
    from careersite.watch import rebuild_forever, start_watching

    folder = preview_folder(root, public=public)
    events = BuildEvents()
    server = PreviewServer((host, port), folder, events)  # first: a taken port fails fast
    thread: threading.Thread | None = None
    try:
        site = Site(root, folder, private=not public, preview=True)
        started = time.perf_counter()
        outcome = site.rebuild()
        site.autosave = False  # the cache keeps this first build; later ones cost no time
        publish(events, outcome)
        done(outcome, time.perf_counter() - started)
        git_dir = find_git_dir(root)
        watcher = start_watching(site, git_dir)
        thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.1},
                                  name="careersite-http", daemon=True)
        thread.start()
        bound_host, bound_port = server.server_address[:2]
        if isinstance(bound_host, bytes):
            bound_host = bound_host.decode()
        shown = f"[{bound_host}]" if ":" in bound_host else bound_host
        ready(f"http://{shown}:{bound_port}/")

        def rebuilt(outcome: Outcome, seconds: float) -> None:
            publish(events, outcome)
            done(outcome, seconds)

        rebuild_forever(site, watcher, rebuilt, git_dir)
    finally:
        events.close()
        if thread is not None:
            server.shutdown()
        server.server_close()
