"""One plan file -> Document: frontmatter checked against its kind's keys, body rendered.

Speed: about 0.8 ms of CPU for a 2 KB document, two thirds of it the body (see
careersite.markdown); the cyclic garbage collector waits while a document is parsed.
"""

from __future__ import annotations

import gc
import logging
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import PurePosixPath
from typing import Any, cast

from careersite.diagnostics import Diagnostic, error, sort_diagnostics
from careersite.documents import (
    HORIZONS,
    STATUSES,
    Body,
    CheckIn,
    Document,
    GoalFields,
    Horizon,
    Milestone,
    Ref,
    ReviewFields,
    SourceFile,
    Status,
    ValueItem,
    VisionFields,
)
from careersite.fields import (
    FieldReader,
    MapNode,
    Node,
    Scalar,
    SeqNode,
    describe,
    got,
    is_private_like,
    plan_date,
    shown,
    to_python,
)
from careersite.frontmatter import Frontmatter, read_frontmatter
from careersite.markdown import render_body

log = logging.getLogger(__name__)

KNOWN_KEYS: dict[str, tuple[str, ...]] = {
    "goal": ("title", "horizon", "target", "start", "status", "achieved", "parent",
             "progress", "milestones", "develop", "tags", "private"),
    "review": ("date", "title", "goals", "mood", "private"),
    "vision": ("title", "updated", "hard_values", "soft_values", "private"),
    "note": ("title", "private"),
}
REQUIRED_KEYS: dict[str, tuple[str, ...]] = {
    "goal": ("title", "horizon", "target"),
    "review": ("date",),
}
MILESTONE_KEYS = ("title", "due", "done")
CHECKIN_KEYS = ("progress", "status", "note")
_EMPTY_BODY = Body(html="", html_private="")

Entries = dict[str, tuple[Scalar, Node]]


def parse_document(
    source: SourceFile, data: bytes, *, loader: Any = None
) -> tuple[Document, list[Diagnostic]]:
    """Parse one plan file; always returns a Document (fields None when they are invalid)."""
    with _gc_paused():
        fm = read_frontmatter(source.rel, data, loader=loader)
        body = render_body(fm.body, fm.body_line) if fm.body else _EMPTY_BODY
        try:
            doc, diags = _document(source, fm, body)
        except Exception as exc:  # a bug must not stop the build, nor publish the document
            log.exception("parsing %s", source.rel)
            doc = Document(source=source, title=source.id, private=True, body=body,
                           fields=None)
            diags = [error(source.rel, 1, 1, f"cannot read frontmatter: {exc}")]
        return doc, sort_diagnostics([*fm.diagnostics, *diags])


@contextmanager
def _gc_paused() -> Iterator[None]:
    """No cyclic garbage collection while a document is parsed.

    Parsing makes hundreds of short-lived, acyclic objects per document (markdown-it's
    tokens and their dicts), which reference counting frees; every 700 of them would
    otherwise start a collection, and some of those walk every object alive, the
    documents parsed before included (a tenth of the parse time of 5,000 documents kept).
    """
    if not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()


def _document(source: SourceFile, fm: Frontmatter, body: Body) -> tuple[Document, list[Diagnostic]]:
    reader = FieldReader(source.rel)
    kind = source.kind
    known = KNOWN_KEYS[kind]
    entries: Entries = {}
    meta: dict[str, Any] = {}
    key_lines: dict[str, int] = {}
    private = not fm.readable  # what cannot be read is never published
    if fm.root is not None:
        for name, (key, node) in fm.root.items.items():
            key_lines[name] = key.line
            if name in known:
                entries[name] = (key, node)
            elif reader.unknown(key, known):
                private = True
            else:
                meta[name] = to_python(node)
        if any(is_private_like(str(dup.value)) for dup in fm.root.duplicates):
            private = True
    if fm.readable:
        for name in REQUIRED_KEYS.get(kind, ()):
            if name not in entries:
                reader.error_at(1, 1, f"missing required key '{name}'")
    private_meta: dict[str, Any] = {}
    if "private" in entries:
        flag = _private(reader, entries["private"][1])
        if isinstance(flag, dict):
            private_meta = flag
        else:
            private = private or flag
    title = _title(reader, entries, required=kind == "goal")
    fields: GoalFields | ReviewFields | VisionFields | None = None
    if kind == "goal":
        fields = _goal(reader, entries)
    elif kind == "review":
        fields = _review(reader, entries)
        if title is None and "date" in entries:
            when = plan_date(entries["date"][1])
            title = when.text if when is not None else None
    elif kind == "vision":
        fields = _vision(reader, entries)
        title = title or "Vision"
    elif title is None:
        title = body.first_h1 or PurePosixPath(source.plan_rel).stem
    if reader.invalid:
        fields = None
    doc = Document(source=source, title=title or source.id, private=private, body=body,
                   fields=fields, meta=meta, private_meta=private_meta, key_lines=key_lines)
    return doc, reader.diags


def _optional(entries: Entries, name: str) -> Node | None:
    """The value of a key, None when absent or left empty (`start:`)."""
    entry = entries.get(name)
    if entry is None or (isinstance(entry[1], Scalar) and entry[1].tag == "null"):
        return None
    return entry[1]


def _private(reader: FieldReader, node: Node) -> bool | dict[str, Any]:
    """`private`: the unquoted words true/false (any case) or a mapping; else an error."""
    if isinstance(node, MapNode):
        return cast(dict[str, Any], to_python(node))
    if isinstance(node, Scalar) and node.plain and node.text.lower() in ("true", "false"):
        return node.text.lower() == "true"
    if isinstance(node, Scalar) and node.tag == "alias":
        return True
    if isinstance(node, Scalar) and node.text and not node.plain:
        what = f'the quoted text "{shown(node.text)}"; write it without quotes'
    else:
        what = got(node)
    reader.diags.append(error(reader.rel, node.line, node.col,
                              f"private: expected true, false or a mapping, got {what}"))
    return True


def _title(reader: FieldReader, entries: Entries, *, required: bool) -> str | None:
    entry = entries.get("title")
    if entry is None:
        return None
    node = entry[1]
    if not required and isinstance(node, Scalar) and node.tag == "null":
        return None
    title = reader.text("title", node)
    if title is not None and not title.strip():
        if required:
            reader.fail(node, "title: must not be empty")
        return None
    return title


def _goal(reader: FieldReader, entries: Entries) -> GoalFields | None:
    horizon = target = None
    if "horizon" in entries:
        horizon = reader.choice("horizon", entries["horizon"][1], HORIZONS)
    if "target" in entries:
        target = reader.date("target", entries["target"][1])
    node = _optional(entries, "start")
    start = reader.date("start", node) if node else None
    node = _optional(entries, "status")
    status = reader.choice("status", node, STATUSES) if node else "planned"
    node = _optional(entries, "achieved")
    achieved = reader.date("achieved", node) if node else None
    if achieved is not None and status is not None and status != "achieved":
        key = entries["achieved"][0]
        reader.diags.append(error(reader.rel, key.line, key.col,
                                  "achieved: only a goal with status 'achieved' has an "
                                  f"achieved date (status is '{status}')"))
    node = _optional(entries, "parent")
    parents = reader.refs("parent", node) if node else ()
    node = _optional(entries, "progress")
    progress = reader.integer("progress", node, 0, 100) if node else None
    node = _optional(entries, "milestones")
    milestones = _milestones(reader, node) if node else ()
    node = _optional(entries, "develop")
    develop = reader.texts("develop", node) if node else ()
    node = _optional(entries, "tags")
    tags = reader.texts("tags", node) if node else ()
    if (horizon is None or target is None or status is None or parents is None
            or milestones is None or develop is None or tags is None):
        return None
    return GoalFields(horizon=cast(Horizon, horizon), target=target, start=start,
                      status=cast(Status, status), achieved=achieved, parents=parents,
                      progress=progress, milestones=milestones, develop=develop, tags=tags)


def _milestones(reader: FieldReader, node: Node) -> tuple[Milestone, ...] | None:
    if not isinstance(node, SeqNode):
        reader.fail(node, "milestones: expected a list of milestones (title, due, done), "
                          f"got {describe(node)}")
        return None
    out: list[Milestone] = []
    for item in node.items:
        if not isinstance(item, MapNode):
            reader.fail(item, "milestones: expected a milestone (a mapping with title, due "
                              f"and done), got {describe(item)}")
            continue
        title, due, done, done_on = None, None, False, None
        for name, (key, value) in item.items.items():
            empty = isinstance(value, Scalar) and value.tag == "null"
            if name == "title":
                title = reader.text("milestone title", value)
            elif name == "due" and not empty:
                due = reader.date("milestone due", value)
            elif name == "done" and not empty:
                if isinstance(value, Scalar) and value.tag == "bool":
                    done = bool(value.value)
                elif (when := plan_date(value)) is not None:
                    done, done_on = True, when.last
                else:
                    reader.fail(value, "milestone done: expected true, false or a date, "
                                       f"got {got(value)}")
            elif name not in MILESTONE_KEYS:
                reader.unknown(key, MILESTONE_KEYS, " in a milestone")
        if "title" not in item.items:
            reader.fail(item, "milestone: missing required key 'title'")
        if title is not None:
            out.append(Milestone(title, due, done, done_on, item.line))
    return None if reader.invalid else tuple(out)


def _review(reader: FieldReader, entries: Entries) -> ReviewFields | None:
    date = reader.day("date", entries["date"][1]) if "date" in entries else None
    node = _optional(entries, "goals")
    checkins = _checkins(reader, node) if node else ()
    node = _optional(entries, "mood")
    mood = reader.integer("mood", node, 1, 5) if node else None
    if date is None or checkins is None:
        return None
    return ReviewFields(date=date, checkins=checkins, mood=mood)


def _checkins(reader: FieldReader, node: Node) -> tuple[CheckIn, ...] | None:
    if not isinstance(node, MapNode):
        reader.fail(node, "goals: expected a mapping of goal ids to check-ins "
                          f"(progress, status, note), got {describe(node)}")
        return None
    out: list[CheckIn] = []
    for gid, (key, value) in node.items.items():
        ref_ = Ref(str(key.value), key.line, key.col)
        if isinstance(value, Scalar) and value.tag == "null":
            out.append(CheckIn(ref_))
            continue
        if not isinstance(value, MapNode):
            reader.fail(value, f"goals: '{shown(gid)}': expected a check-in (a mapping with "
                               f"progress, status and note), got {describe(value)}")
            continue
        progress = status = note = None
        for name, (k, v) in value.items.items():
            if isinstance(v, Scalar) and v.tag == "null" and name in CHECKIN_KEYS:
                continue
            if name == "progress":
                progress = reader.integer("check-in progress", v, 0, 100)
            elif name == "status":
                status = reader.choice("check-in status", v, STATUSES)
            elif name == "note":
                note = reader.text("check-in note", v)
            else:
                reader.unknown(k, CHECKIN_KEYS, " in a check-in")
        out.append(CheckIn(ref_, progress, cast(Status | None, status), note))
    return tuple(out)


def _vision(reader: FieldReader, entries: Entries) -> VisionFields | None:
    node = _optional(entries, "updated")
    updated = reader.date("updated", node) if node else None
    node = _optional(entries, "hard_values")
    hard = _values(reader, "hard_values", node) if node else ()
    node = _optional(entries, "soft_values")
    soft = _values(reader, "soft_values", node) if node else ()
    if hard is None or soft is None:
        return None
    return VisionFields(updated=updated, hard_values=hard, soft_values=soft)


def _values(reader: FieldReader, name: str, node: Node) -> tuple[ValueItem, ...] | None:
    """hard_values/soft_values: a mapping label -> text, or a list of text."""
    items: list[ValueItem | None] = []
    if isinstance(node, MapNode):
        for label, (_, value) in node.items.items():
            empty = isinstance(value, Scalar) and value.tag == "null"
            text = "" if empty else reader.text(name, value)
            items.append(None if text is None else ValueItem(label, text))
    elif isinstance(node, SeqNode):
        for value in node.items:
            text = reader.text(name, value)
            items.append(None if text is None else ValueItem(None, text))
    else:
        reader.fail(node, f"{name}: expected a mapping of labels to text, or a list of text, "
                          f"got {describe(node)}")
        return None
    kept = tuple(item for item in items if item is not None)
    return kept if len(kept) == len(items) else None
