"""Watch a project: what editors and git do to files, batched into one change per burst.

Two watchfiles (Rust notify) watchers run in threads: one recursive, on the plans folder,
the templates folder and git's refs; one not recursive, on the project root (for
`careersite.toml`, and for the plans or templates folder appearing or going) and git's
folder (HEAD). Editors' leftovers are filtered out (JunkFilter), and so is every hidden
or generated folder, so a tool writing a cache inside the plan never starts a loop.
Changes arriving within STEP_MS of each other form one batch; a large batch (a `git
checkout`) waits until BURST_QUIET passes without a change, so it is one rebuild.
"""

from __future__ import annotations

import logging
import os
import queue
import re
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from watchfiles import DefaultFilter, watch

from careersite.config import CONFIG_NAME, Config
from careersite.incremental import Site
from careersite.state import Changes, Outcome

log = logging.getLogger(__name__)

STEP_MS = 20
"""Quiet time that ends a batch (watchfiles' `step`; its default, 50 ms, would be most of
the 100 ms an edit may take to reach the browser)."""
DEBOUNCE_MS = 1600
"""Longest a batch keeps growing while changes keep coming (watchfiles' `debounce`)."""
BURST = 20
"""A batch with this many files is a checkout, a pull or a copy: wait for the rest."""
BURST_QUIET = 0.25
"""Quiet time, in seconds, that ends a burst."""

CONTENT, TEMPLATES, CONFIG, GIT = "content", "templates", "config", "git"


class JunkFilter(DefaultFilter):
    """watchfiles' DefaultFilter, plus the editor leftovers FORMAT.md never reads (`*.swp`,
    `*~`, vim's `4913` probe, `#x#`, `.#x`, `*.bak`, `*.tmp`, `*.orig`), careersite's own
    temporary files and hidden names; `.git` stays visible (its refs mean a commit)."""

    ignore_dirs = ("__pycache__", ".careersite")  # any other folder may hold plan files
    ignore_entity_patterns = (
        *DefaultFilter.ignore_entity_patterns,
        r"\.sw[a-p]$", r"^4913$", r"^#.*#$", r"\.bak$", r"\.tmp$", r"\.orig$", r"\.lock$",
        r"^\.careersite-tmp-", r"^\.tmp-", r"\.crswap$", r"^\.~lock\.",
    )


@dataclass(frozen=True)
class Batch:
    """Changes that arrived together, sorted into kinds."""

    paths: frozenset[str]
    """Absolute paths of the relevant changes."""
    kinds: frozenset[str]
    """CONTENT, TEMPLATES, CONFIG and/or GIT."""


class Watcher:
    """The project's relevant changes, as batches (iterate; stop() ends it)."""

    def __init__(self, config: Config, git_dir: Path | None = None) -> None:
        self.config = config
        self.root = str(config.root)
        self.plans = str(config.plans_path)
        self.templates = str(config.templates_path)
        self.git = str(git_dir) if git_dir is not None and git_dir.is_dir() else None
        self.stop_event = threading.Event()
        self._queue: queue.Queue[tuple[str, str]] = queue.Queue()
        self._filter = JunkFilter(ignore_paths=[str(config.output_path),
                                                str(config.cache_path)])
        self._deep: tuple[threading.Event, threading.Thread] | None = None
        self._threads: list[threading.Thread] = []
        shallow = [self.root] + ([self.git] if self.git else [])
        self._start(shallow, recursive=False, stop=self.stop_event)
        self._restart_deep()

    def _start(self, paths: list[str], *, recursive: bool, stop: threading.Event
               ) -> threading.Thread:
        thread = threading.Thread(target=self._run, args=(paths, recursive, stop), daemon=True,
                                  name=f"careersite-watch-{'deep' if recursive else 'top'}")
        thread.start()
        self._threads.append(thread)
        return thread

    def _restart_deep(self) -> None:
        """(Re)start the recursive watcher on the folders that exist now."""
        if self._deep is not None:
            self._deep[0].set()
        paths = [p for p in (self.plans, self.templates) if os.path.isdir(p)]
        if self.git and os.path.isdir(os.path.join(self.git, "refs")):
            paths.append(os.path.join(self.git, "refs"))
        if not paths:
            self._deep = None
            return
        stop = threading.Event()
        self._deep = stop, self._start(paths, recursive=True, stop=_Either(stop, self.stop_event))

    def _run(self, paths: list[str], recursive: bool, stop: threading.Event) -> None:
        try:
            for changes in watch(*paths, watch_filter=None, debounce=DEBOUNCE_MS, step=STEP_MS,
                                 stop_event=stop, rust_timeout=500, yield_on_timeout=True,
                                 recursive=recursive, raise_interrupt=False,
                                 ignore_permission_denied=True):
                for _, path in changes:
                    kind = self.kind(path)
                    if kind is not None:
                        self._queue.put((kind, path))
        except Exception:  # a watcher that dies must not kill serve; say why
            log.exception("file watcher stopped")

    def kind(self, path: str) -> str | None:
        """The kind of a changed path, or None when it does not matter."""
        if not self._filter(None, path):  # type: ignore[arg-type]
            return None
        sep = os.sep
        if path.startswith(self.plans + sep):
            return CONTENT if not _hidden(path[len(self.plans):]) else None
        if path.startswith(self.templates + sep):
            return TEMPLATES if not _hidden(path[len(self.templates):]) else None
        if path == os.path.join(self.root, CONFIG_NAME):
            return CONFIG
        if path in (self.plans, self.templates):  # the folder itself came or went
            return "folder"
        if self.git and path.startswith(self.git + sep):
            rest = path[len(self.git) + 1:]
            if rest in ("HEAD", "packed-refs") or rest.startswith("refs" + sep):
                return GIT
        return None

    def __iter__(self) -> Iterator[Batch]:
        while not self.stop_event.is_set():
            try:
                first = self._queue.get(timeout=0.2)
            except queue.Empty:
                continue
            items = [first, *self._drain()]
            if len(items) >= BURST:
                quiet_since = time.monotonic()
                while time.monotonic() - quiet_since < BURST_QUIET:
                    time.sleep(0.02)
                    more = self._drain()
                    if more:
                        items += more
                        quiet_since = time.monotonic()
            kinds = {kind for kind, _ in items}
            if "folder" in kinds:
                self._restart_deep()
                kinds = (kinds - {"folder"}) | {CONTENT, TEMPLATES}
            yield Batch(frozenset(path for _, path in items), frozenset(kinds))

    def _drain(self) -> list[tuple[str, str]]:
        items = []
        while True:
            try:
                items.append(self._queue.get_nowait())
            except queue.Empty:
                return items

    def stop(self) -> None:
        """Stop every watcher thread (each ends within its step)."""
        self.stop_event.set()
        if self._deep is not None:
            self._deep[0].set()
        for thread in self._threads:
            thread.join(timeout=1)


class _Either(threading.Event):
    """Set when either of two events is (RustNotify polls is_set())."""

    def __init__(self, first: threading.Event, second: threading.Event) -> None:
        super().__init__()
        self.first, self.second = first, second

    def is_set(self) -> bool:
        return self.first.is_set() or self.second.is_set()


_HIDDEN = re.compile(r"[/\\]\.")


def _hidden(rest: str) -> bool:
    """A path (below a watched folder) with a part starting with a dot: never read."""
    return bool(_HIDDEN.search(rest))


def changes_of(batch: Batch) -> Changes:
    """What the rebuild engine needs to know of a batch."""
    return Changes(paths=batch.paths, config=CONFIG in batch.kinds,
                   templates=TEMPLATES in batch.kinds)


def start_watching(site: Site, git_dir: Path | None = None) -> Watcher:
    """Watch site's project, then catch up with whatever changed while it was being built
    (so no edit falls between the first build and the watcher)."""
    assert site.config is not None
    watcher = Watcher(site.config, git_dir)
    site.rebuild(Changes())
    return watcher


def rebuild_forever(site: Site, watcher: Watcher, done: Callable[[Outcome, float], None],
                    git_dir: Path | None = None) -> None:
    """Rebuild site after every batch of changes until interrupted; done(outcome, seconds)
    after each rebuild, and after each quick update of edited pages (quick.py)."""
    try:
        for batch in watcher:
            started = time.perf_counter()
            changes = changes_of(batch)
            if not changes.config and not changes.templates:
                quick = site.quick(changes.paths)
                if quick is not None:
                    done(quick, time.perf_counter() - started)
            outcome = site.rebuild(changes)
            done(outcome, time.perf_counter() - started)
            if site.config is not None and site.config != watcher.config:
                watcher.stop()
                watcher = Watcher(site.config, git_dir)
    finally:
        watcher.stop()
