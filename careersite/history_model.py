"""Committed revisions -> per-document lineages (renames followed) and events in the plan's words.

Each revision is parsed into a small `Snapshot` (history_snapshot.py: what history shows,
never a `private:` value). Consecutive snapshots are compared into events:
"target moved from 2027-06-30 to 2027-09-30", "status planned -> active", "progress
20 -> 45", "milestone 'First 1 MSEK deal' done". Every lineage gets two tracks: one for a
private build (every revision) and one for a public build (FORMAT.md, History of privacy:
only revisions in which the document was public; nothing of a deleted document that was
ever private).
"""

from __future__ import annotations

import dataclasses
import hashlib
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from careersite.discover import classify
from careersite.documents import Kind
from careersite.history import Change, Commit
from careersite.history_snapshot import UNREADABLE, Snapshot, is_document


@dataclass(frozen=True)
class Event:
    """One change of one document, in the plan's words."""

    commit: int
    """Index into History.commits."""
    type: str
    """added, removed, renamed, revised, achieved, dropped, status, title, target, start,
    horizon, progress, milestone-added, milestone-removed, milestone-done,
    milestone-reopened, milestone-due."""
    title: str
    """The document's title at that revision."""
    name: str = ""
    """The milestone an event is about."""
    old: str = ""
    new: str = ""

    def to_json(self) -> list[Any]:
        return [self.commit, self.type, self.title, self.name, self.old, self.new]

    @classmethod
    def from_json(cls, data: list[Any]) -> Event:
        return cls(int(data[0]), *map(str, data[1:6]))


@dataclass(frozen=True)
class Track:
    """What one kind of build shows of a lineage."""

    commits: tuple[int, ...] = ()
    """The revisions shown, oldest first (commit indexes)."""
    created_exact: bool = True
    """False when the first revision is a shallow clone's boundary (it may be older)."""
    events: tuple[Event, ...] = ()
    points: tuple[tuple[int, int], ...] = ()
    """(commit index, own progress) for each revision that changed the progress."""

    def to_json(self) -> list[Any]:
        return [list(self.commits), self.created_exact, [e.to_json() for e in self.events],
                [list(p) for p in self.points]]

    @classmethod
    def from_json(cls, data: list[Any]) -> Track:
        return cls(tuple(data[0]), bool(data[1]), tuple(Event.from_json(e) for e in data[2]),
                   tuple((int(c), int(p)) for c, p in data[3]))


@dataclass(frozen=True)
class Lineage:
    """One document through its revisions, renames followed."""

    kind: Kind
    path: str
    """Its last path under the plans folder."""
    live: bool
    """Still there at HEAD (False: deleted, or moved out of the plans folder)."""
    head_blob: str | None
    """Blob id at HEAD, for a live document (finds uncommitted changes)."""
    track: Track
    """What one kind of build (public or private) shows of it."""

    def to_json(self) -> list[Any]:
        return [self.kind, self.path, self.live, self.head_blob, self.track.to_json()]

    @classmethod
    def from_json(cls, data: list[Any]) -> Lineage:
        return cls(data[0], data[1], bool(data[2]), data[3], Track.from_json(data[4]))


@dataclass(frozen=True)
class History:
    """The plans folder's committed history as one kind of build may show it."""

    commits: tuple[Commit, ...]
    """In a public history, commit subjects are blank: they are never published."""
    lineages: tuple[Lineage, ...]
    shallow: bool


@dataclass
class Chain:
    """One document's revisions as the log gives them, before any parsing."""

    kind: Kind
    revs: list[tuple[int, str, str | None]] = field(default_factory=list)
    """(commit index, path, blob id or None for a non-file)."""
    deleted_at: int | None = None

    def signature(self, commits: Sequence[Commit]) -> str:
        """Everything its lineages depend on: a lineage cached under it can be reused."""
        parts = [self.kind, *(f"{c}:{commits[c].sha}:{commits[c].boundary:d}:{blob}:{path}"
                              for c, path, blob in self.revs)]
        if self.deleted_at is not None:
            parts.append(f"deleted:{self.deleted_at}:{commits[self.deleted_at].sha}")
        return hashlib.sha1("\0".join(parts).encode("utf-8", "surrogatepass")).hexdigest()


def chains(log: Sequence[tuple[Commit, Sequence[Change]]]) -> list[Chain]:
    """Group the changes, oldest commit first, into one chain per document (renames followed)."""
    out: list[Chain] = []
    live: dict[str, Chain] = {}

    def start(index: int, path: str, blob: str | None) -> None:
        chain = Chain(classify(path)[0], [(index, path, blob)])
        out.append(chain)
        live[path] = chain

    def end(index: int, path: str) -> None:
        chain = live.pop(path, None)
        if chain is not None:
            chain.deleted_at = index

    for index, (_, changes) in enumerate(log):
        for ch in changes:
            if ch.status == "D":
                end(index, ch.path)
                continue
            doc = is_document(ch.path)
            if ch.status == "R" and ch.old_path is not None:
                chain = live.pop(ch.old_path, None)
                if chain is not None and doc and classify(ch.path)[0] == chain.kind:
                    chain.revs.append((index, ch.path, ch.blob))
                    live[ch.path] = chain
                    continue
                if chain is not None:
                    chain.deleted_at = index
            if not doc:
                continue
            chain = live.get(ch.path)
            if chain is None:
                start(index, ch.path, ch.blob)
            else:
                chain.revs.append((index, ch.path, ch.blob))
    return out


SnapshotOf = Callable[[str, str | None], Snapshot]
"""(path, blob id) -> its parsed snapshot."""


def lineages(chain: Chain, commits: Sequence[Commit], snap: SnapshotOf
              ) -> tuple[Lineage, Lineage | None]:
    """A chain as a private build shows it, and as a public one does (None: nothing)."""
    revs = [(c, path, snap(path, blob) if blob else UNREADABLE) for c, path, blob in chain.revs]
    live = chain.deleted_at is None
    last = chain.revs[-1]
    head = last[2] if live else None
    private = Lineage(chain.kind, last[1], live, head,
                      track(revs, chain.kind, commits, chain.deleted_at))
    if not live and any(s.private for _, _, s in revs):
        return private, None  # a deleted document that was ever private: nothing of it
    public = track(public_revisions(revs), chain.kind, commits, chain.deleted_at)
    return private, Lineage(chain.kind, last[1], live, head, public)


Rev = tuple[int, str, Snapshot]
"""(commit index, path, snapshot) of one revision."""


def public_revisions(revs: Sequence[Rev]) -> list[Rev]:
    """The revisions a public build shows: public ones that changed something public."""
    out: list[Rev] = []
    for rev in revs:
        if rev[2].private:
            continue
        if out and out[-1][1] == rev[1] and out[-1][2].public == rev[2].public:
            continue
        out.append(rev)
    return out


def track(revs: Sequence[Rev], kind: Kind, commits: Sequence[Commit],
          deleted_at: int | None) -> Track:
    """Events and progress points of the revisions a build may show."""
    if not revs:
        return Track()
    events: list[Event] = []
    points: list[tuple[int, int]] = []
    first_commit, _, first = revs[0]
    exact = not commits[first_commit].boundary
    if exact:
        events.append(Event(first_commit, "added", first.title))
    prev: Snapshot | None = None
    prev_path = revs[0][1]
    for commit, path, snap in revs:
        if path != prev_path:
            events.append(Event(commit, "renamed", snap.title, "", classify(prev_path)[1],
                                classify(path)[1]))
            prev_path = path
        if snap.valid and prev is not None:
            events += diff(commit, kind, prev, snap)
        if kind == "vision" and commit != first_commit:
            events.append(Event(commit, "revised", snap.title))
        if snap.valid and snap.progress is not None and (
                not points or points[-1][1] != snap.progress):
            points.append((commit, snap.progress))
        if snap.valid:
            prev = snap
    if deleted_at is not None:
        last_title = next((s.title for _, _, s in reversed(revs) if s.title), "")
        events.append(Event(deleted_at, "removed", last_title))
    return Track(tuple(c for c, _, _ in revs), exact, tuple(events), tuple(points))


def diff(commit: int, kind: Kind, old: Snapshot, new: Snapshot) -> list[Event]:
    """The changes between two readable revisions of one document."""
    out: list[Event] = []

    def add(type_: str, before: object, after: object, name: str = "") -> None:
        out.append(Event(commit, type_, new.title, name, "" if before is None else str(before),
                         "" if after is None else str(after)))

    if old.title != new.title:
        add("title", old.title, new.title)
    if kind != "goal":
        return out
    if old.horizon != new.horizon:
        add("horizon", old.horizon, new.horizon)
    if old.start != new.start:
        add("start", old.start, new.start)
    if old.target != new.target:
        add("target", old.target, new.target)
    if old.status != new.status:
        special = {"achieved": "achieved", "dropped": "dropped"}.get(new.status or "")
        if special == "achieved":
            add("achieved", old.status, new.achieved)
        else:
            add(special or "status", old.status, new.status)
    if old.progress != new.progress and new.status != "achieved":
        add("progress", old.progress, new.progress, "computed" if new.computed else "")
    before = {m[0]: m for m in old.milestones}
    after = {m[0]: m for m in new.milestones}
    for title, (_, due, done) in after.items():
        was = before.get(title)
        if was is None:
            add("milestone-added", None, due, title)
            continue
        if was[2] != done:
            add("milestone-done" if done else "milestone-reopened", None, None, title)
        if was[1] != due:
            add("milestone-due", was[1], due, title)
    for title in before:
        if title not in after:
            add("milestone-removed", None, None, title)
    return out


Built = tuple[list[Any], list[Any] | None]
"""A chain's lineages as JSON: (for a private build, for a public one or None)."""


@dataclass(frozen=True)
class HistoryBuild:
    """The whole history of the plans folder, both kinds of build, as cacheable JSON."""

    commits: tuple[Commit, ...]
    shallow: bool
    signatures: tuple[str, ...]
    built: tuple[Built, ...]
    """One per chain, in the order of `signatures`."""

    def history(self, private: bool) -> History:
        """The history one kind of build shows (a public one holds no commit subject)."""
        commits = self.commits if private else tuple(
            dataclasses.replace(c, subject="") for c in self.commits)
        found = (b[0] if private else b[1] for b in self.built)
        return History(commits, tuple(Lineage.from_json(j) for j in found if j is not None),
                       self.shallow)


def build_history(commits: Sequence[Commit], chains_: Sequence[Chain],
                  signatures: Sequence[str], snap: SnapshotOf, *, shallow: bool,
                  reuse: Mapping[str, Built] | None = None) -> HistoryBuild:
    """The whole history; a chain whose signature is in `reuse` is not worked out again."""
    reuse = reuse or {}
    built: list[Built] = []
    for chain, sig in zip(chains_, signatures, strict=True):
        found = reuse.get(sig)
        if found is None:
            private, public = lineages(chain, commits, snap)
            found = (private.to_json(), public.to_json() if public is not None else None)
        built.append(found)
    return HistoryBuild(tuple(commits), shallow, tuple(signatures), tuple(built))
