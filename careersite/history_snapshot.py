"""One revision of one plan file -> a Snapshot: what history needs of it, nothing private.

The frontmatter is parsed with `parse_document` (the same rules as the build); the body is
rendered only when needed (a goal whose progress is computed from its actions, a `:::`
block that may hide private text), and remembered by its text, since most commits leave
it as it was.
"""

from __future__ import annotations

import functools
import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from careersite.discover import classify, is_junk
from careersite.documents import GoalFields, ReviewFields, SourceFile, VisionFields
from careersite.frontmatter import decode_source, split_frontmatter
from careersite.markdown import render_body
from careersite.parse import parse_document


@dataclass(frozen=True)
class Snapshot:
    """What history needs from one revision of one document."""

    title: str
    private: bool
    """`private: true`, or unreadable: never shown in a public build (fails closed)."""
    public: str = ""
    """Digest of everything a public build shows of the revision (private fields and
    blocks left out): a revision that changed only private things is not a public one."""
    valid: bool = False
    """The typed fields could be read; an invalid revision is counted but not compared."""
    horizon: str | None = None
    target: str | None = None
    """Dates as written ("2027-Q2"): the plan's own words."""
    start: str | None = None
    status: str | None = None
    achieved: str | None = None
    progress: int | None = None
    """The goal's own progress: set, 100 when achieved, else computed from milestones and
    actions; None when there is nothing to count."""
    milestones: tuple[tuple[str, str | None, bool], ...] = ()
    """(title, due as written, done)."""
    computed: bool = False
    """The progress is computed from milestones and actions (no `progress` written)."""

    def to_json(self) -> list[Any]:
        return [self.title, self.private, self.public, self.valid, self.horizon, self.target,
                self.start, self.status, self.achieved, self.progress,
                [list(m) for m in self.milestones], self.computed]

    @classmethod
    def from_json(cls, data: list[Any]) -> Snapshot:
        ms = tuple((str(m[0]), m[1], bool(m[2])) for m in data[10])
        return cls(str(data[0]), bool(data[1]), str(data[2]), bool(data[3]), data[4], data[5],
                   data[6], data[7], data[8], data[9], ms, bool(data[11]))


UNREADABLE = Snapshot(title="", private=True)


@functools.lru_cache(maxsize=65536)
def is_document(plan_rel: str) -> bool:
    """A path under the plans folder that discover() would read as a document."""
    return plan_rel.endswith(".md") and not any(is_junk(p) for p in plan_rel.split("/"))


def source_for(plan_rel: str) -> SourceFile:
    """A SourceFile for a revision (there is no file on disk to point at)."""
    kind, doc_id = classify(plan_rel)
    return SourceFile(Path(plan_rel), plan_rel, plan_rel, kind, doc_id)


BodyFacts = Callable[[str, bool], tuple[int, int, str]]
"""(body text, actions needed) -> (actions done, actions, digest of the public body)."""


def body_facts(cache: dict[str, tuple[int, int, str]]) -> BodyFacts:
    """Facts about a body, remembered by its text (bodies repeat across revisions).

    Markdown is rendered only when needed: for the actions of a goal whose progress is
    computed, or when a `:::` block may hide private text from the public digest."""

    def facts(body: str, need_actions: bool) -> tuple[int, int, str]:
        found = cache.get(body)
        if found is not None and (found[1] >= 0 or not need_actions):
            return found
        blocks = ":::" in body
        if need_actions or blocks:
            rendered = render_body(body, 1)
            done = sum(1 for a in rendered.actions if a.done)
            found = (done, len(rendered.actions), _digest(rendered.html if blocks else body))
        else:
            found = (0, -1, _digest(body))  # -1: actions not counted yet
        cache[body] = found
        return found

    return facts


def _digest(*parts: object) -> str:
    text = json.dumps(parts, default=str, ensure_ascii=False, sort_keys=True)
    return hashlib.sha1(text.encode("utf-8", "surrogatepass")).hexdigest()[:20]


def snapshot(source: SourceFile, data: bytes, facts: BodyFacts) -> Snapshot:
    """Parse one revision. Only the frontmatter is parsed, except for notes (their title may
    be the first heading); bodies go through `facts`."""
    text, _ = decode_source(source.rel, data)
    if text is None:
        return UNREADABLE
    split = split_frontmatter(text)
    light = source.kind != "note" and split.problem is None and split.yaml is not None
    head = ("---\n" + (split.yaml or "") + "---\n").encode("utf-8") if light else data
    doc, _ = parse_document(source, head)
    fields = doc.fields
    need_actions = (isinstance(fields, GoalFields) and fields.progress is None
                    and fields.status != "achieved")
    if light:
        done, total, body = facts(split.body, need_actions) if split.body.strip() else (0, 0, "")
    else:
        done, total, body = 0, 0, _digest(doc.body.html)
    public = _digest(doc.title, doc.meta, body, _public_fields(fields))
    if isinstance(fields, GoalFields):
        progress = 100 if fields.status == "achieved" else fields.progress
        if need_actions:
            done += sum(1 for m in fields.milestones if m.done)
            total += len(fields.milestones)
            progress = (200 * done + total) // (2 * total) if total else None
        return Snapshot(
            doc.title, doc.private, public, True, fields.horizon, fields.target.text,
            fields.start.text if fields.start else None, fields.status,
            fields.achieved.text if fields.achieved else None, progress,
            tuple((m.title, m.due.text if m.due else None, m.done) for m in fields.milestones),
            need_actions)
    return Snapshot(doc.title, doc.private, public, fields is not None or doc.kind == "note")


def _public_fields(fields: object) -> object:
    """The typed fields without source positions (they move when private keys do)."""
    if isinstance(fields, GoalFields):
        return [fields.horizon, fields.target.text, fields.start and fields.start.text,
                fields.status, fields.achieved and fields.achieved.text, fields.progress,
                [r.id for r in fields.parents], [(m.title, m.due and m.due.text, m.done,
                                                  m.done_on) for m in fields.milestones],
                fields.develop, fields.tags]
    if isinstance(fields, ReviewFields):
        return [fields.date, fields.mood,
                [(c.goal.id, c.progress, c.status, c.note) for c in fields.checkins]]
    if isinstance(fields, VisionFields):
        return [fields.updated and fields.updated.text,
                [(v.label, v.text) for v in fields.hard_values],
                [(v.label, v.text) for v in fields.soft_values]]
    return None
