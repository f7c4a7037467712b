"""Parse and render on every core: a forked process pool, and the serial path it must equal.

Large plans are parsed and rendered by worker processes forked from the build, so they
share its parsed plan and templates without copying them; each worker sends back only its
results. Small jobs stay in the process: forking costs more than it saves. Both paths run
the same functions on the same inputs, so their output is byte for byte the same
(tests/test_incremental.py checks it).
"""

from __future__ import annotations

import gc
import logging
import multiprocessing
import os
import threading
from collections.abc import Callable, Iterator, Sequence
from typing import Any, TypeVar

log = logging.getLogger(__name__)

MIN_PARSE_JOBS = 150
"""Fewer documents to parse than this: parse in the process (a worker pool costs ~50 ms)."""
MIN_RENDER_JOBS = 200
"""Fewer pages to render than this: render in the process (on a small plan)."""
LARGE_PLAN = 1000
"""Goals from which pages that list every goal, and file sources, are slow enough that two
of them already make a pool worth it."""

T = TypeVar("T")
R = TypeVar("R")

_TASK: Callable[[Any], Any] | None = None
"""The function workers apply; set before the pool forks, so workers inherit it."""
_ITEMS: Sequence[Any] = ()
"""What it is applied to; workers get only indices into it."""


def cpu_count() -> int:
    """Cores this process may use."""
    try:
        return len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        return os.cpu_count() or 1


def default_jobs() -> int:
    """Worker processes for a large build: CAREERSITE_JOBS, else one per core."""
    value = os.environ.get("CAREERSITE_JOBS", "")
    if value.strip().isdigit() and int(value) > 0:
        return int(value)
    return cpu_count()


def can_fork() -> bool:
    """True where forking is safe: a POSIX system, and no other thread that holds locks."""
    return (hasattr(os, "fork") and "fork" in multiprocessing.get_all_start_methods()
            and threading.active_count() == 1)


def _worker_gc() -> None:
    """A worker collects cycles, but rarely: rendering makes many short-lived objects and
    few cycles, and each collection costs time."""
    gc.set_threshold(WORKER_GC_THRESHOLD, 50, 50)
    gc.enable()


WORKER_GC_THRESHOLD = 20_000
"""Allocations between two young-generation collections in a worker (Python's default: 700)."""


def _run_chunk(bounds: tuple[int, int]) -> list[Any]:
    assert _TASK is not None
    return [_TASK(item) for item in _ITEMS[bounds[0]:bounds[1]]]


def _chunks(total: int, count: int, heavy: int) -> Iterator[tuple[int, int]]:
    """The first `heavy` items one by one (each worker takes one of them first), then the
    rest in about `count` chunks."""
    heavy = min(heavy, total)
    for start in range(heavy):
        yield start, start + 1
    size = max(1, -(-(total - heavy) // count))
    for start in range(heavy, total, size):
        yield start, min(total, start + size)


def run(task: Callable[[T], R], items: Sequence[T], *, jobs: int, minimum: int,
        heavy: int = 0) -> list[R]:
    """task(item) for every item, in order; in forked workers when worth it.

    `task`, the items and everything they reference are inherited by the workers (fork),
    never pickled; only the results travel back. Items go out in many small chunks, the first
    ones first, so put the slowest items first and say how many they are (`heavy`):
    each is a chunk of its own, so that no worker gets two of them (time, peak memory).
    """
    global _TASK, _ITEMS
    if jobs <= 1 or len(items) < minimum or not can_fork():
        return [task(item) for item in items]
    _TASK, _ITEMS = task, items
    # Freeze what the workers inherit: their collector then looks only at what they make
    # (the build runs with the collector off; a worker rendering pages makes cycles).
    gc.freeze()
    try:
        context = multiprocessing.get_context("fork")
        with context.Pool(jobs, initializer=_worker_gc) as pool:
            parts = pool.map(_run_chunk, list(_chunks(len(items), jobs * 8, heavy)),
                             chunksize=1)
    finally:
        _TASK, _ITEMS = None, ()
        gc.unfreeze()
    return [result for part in parts for result in part]
