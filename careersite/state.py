"""What the rebuild engine keeps between rebuilds, and what a rebuild reports.

Shared by the engine (incremental.py), its shortcut for edits (quick.py), the cache
(cache.py) and serve; plain data, so the cache can keep it.
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from careersite.deps import Key
from careersite.diagnostics import Diagnostic
from careersite.documents import Document, SourceFile
from careersite.write import WriteReport

Stat = tuple[int, int, int]
"""(mtime_ns, size, inode) of a file."""
RACY_NS = 2_000_000_000
"""A file modified this close to when it was read may change again unseen: re-hash it."""


def stat_of(path: Path | str) -> Stat | None:
    """The file's (mtime_ns, size, inode), or None when it cannot be read."""
    try:
        st = os.stat(path)
    except OSError:
        return None
    return st.st_mtime_ns, st.st_size, st.st_ino


def digest(data: bytes) -> bytes:
    """Content hash of a file or a page."""
    return hashlib.blake2b(data, digest_size=16).digest()


@dataclass(frozen=True)
class Parsed:
    """One plan file as last read."""

    source: SourceFile
    stat: Stat | None
    read_ns: int
    """time.time_ns() when it was read: a stat close to it is not trusted (RACY_NS)."""
    digest: bytes
    document: Document | None
    """None when the file could not be read."""
    diagnostics: tuple[Diagnostic, ...]

    def fresh(self, source: SourceFile, stat: Stat | None) -> bool:
        """True when the file is certainly unchanged since it was read."""
        return (stat is not None and stat == self.stat and source == self.source
                and stat[0] + RACY_NS < self.read_ns)


@dataclass
class PageRecord:
    """What the engine knows of a page it rendered."""

    template: str
    template_digest: bytes
    reads: frozenset[Key] | None
    """Inputs read while rendering; None when the variables came as a dict."""
    variables: dict[str, Any] | None
    """The variables given as a dict (compared with the next ones); not saved."""
    variables_digest: bytes | None
    """Saved instead of them (cache.value_digest), computed when saving."""
    digest: bytes
    out_stat: Stat | None
    """The output file as written, so a file changed by someone else is noticed."""

    def same_variables(self, variables: Any) -> bool:
        """The variables of a page given as a dict are those it was last rendered with."""
        if self.variables is not None:
            return bool(self.variables == variables)
        if self.variables_digest is None:
            return False
        from careersite.cache import value_digest

        return value_digest(variables) == self.variables_digest


@dataclass(frozen=True)
class Changes:
    """What a batch of file events touched (watch.py); paths are absolute."""

    paths: frozenset[str] = frozenset()
    config: bool = False
    templates: bool = False


@dataclass(frozen=True)
class Outcome:
    """What one rebuild did."""

    diagnostics: tuple[Diagnostic, ...]
    report: WriteReport | None
    """None when nothing was written (errors, or --strict with warnings)."""
    pages: int
    rendered: tuple[str, ...]
    """Pages rendered this time (the others were unchanged)."""
    changed: tuple[str, ...] = ()
    """Site paths whose bytes changed, removed ones included."""
    removed: tuple[str, ...] = ()
    full: bool = False
    """True when everything was rendered (first build, settings or templates changed)."""
    quick: bool = False
    """Only the edited documents' own pages, ahead of the rebuild (quick.py)."""


HEAVY_PAGES = frozenset({"index.html", "goals/index.html", "development.html",
                         "timeline.html", "reviews/index.html", "history.html",
                         "interview.html"})
"""Pages that list every goal or review: seconds each on a large plan."""
