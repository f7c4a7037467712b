"""What a page read while rendering, and which of those inputs a new plan changed.

While the incremental engine renders a page, the PageContext collects the *keys* of the
inputs its view builders read (views.py calls :meth:`PageContext.read`): a document with
everything the plan derived from it (an *entity*), all goals or all reviews as lists show
them, how one body link resolves, and the site-wide context every page gets. After a
change, :func:`changed_keys` compares the old and the new plan key by key (identity first,
so an unchanged document costs a pointer comparison) and the engine re-renders only the
pages that read a changed key. Plan fields this module does not know (added by a feature
later) are compared whole: a change there re-renders every page, never a stale one.
"""

from __future__ import annotations

import dataclasses
import hashlib
import re
from collections.abc import Callable, Hashable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

import jinja2

from careersite.checks import LinkIndex
from careersite.documents import LinkRef
from careersite.model import Plan, Review

Key = tuple[str, ...]
"""An input of a page: ("site",), ("goals",), ("reviews",), ("doc", kind, id),
("target", kind, id), ("link", source plan_rel, link kind, target) or ("plan", "*")."""

SITE: Key = ("site",)
"""The context every page gets (site settings, build date, notes list, language)."""
GOALS: Key = ("goals",)
"""Every published goal as lists, trees and timelines show it (bodies excluded)."""
REVIEWS: Key = ("reviews",)
"""Every published review as lists show it (bodies excluded)."""
EVERYTHING: Key = ("plan", "*")
"""Read by every page: a change to a plan field this module does not know."""

KNOWN_PLAN_FIELDS = frozenset({
    "config", "today", "private", "vision", "vision_fields", "goals", "reviews", "notes",
    "assets", "develop", "urls", "unpublished", "all_documents", "history",
})
"""Plan fields compared key by key; any other field is compared whole (EVERYTHING)."""


def entity(kind: str, doc_id: str) -> Key:
    """A document and everything derived from it: its record, URL and history."""
    return ("doc", kind, doc_id)


def ref(goal_id: str) -> Key:
    """One goal as lists, trees and timelines show it (its body excluded)."""
    return ("ref", goal_id)


def target(kind: str, doc_id: str) -> Key:
    """What a link to a document shows: its URL (or that it is private) and its title."""
    return ("target", kind, doc_id)


def link(source_plan_rel: str, link_kind: str, target: str) -> Key:
    """Where one body link points (changes only when files come or go)."""
    return ("link", source_plan_rel, link_kind, target)


class RecordedRefs(dict[str, Any]):
    """ctx.refs: reading one goal's ref records ref(id); listing them records GOALS."""

    def __init__(self, items: Mapping[str, Any], record: Callable[[Key], None]) -> None:
        super().__init__(items)
        self._record = record

    def __getitem__(self, gid: str) -> Any:
        self._record(ref(gid))
        return super().__getitem__(gid)

    def get(self, gid: str, default: Any = None) -> Any:
        """Like dict.get, recording the goal."""
        self._record(ref(gid))
        return super().get(gid, default)

    def values(self) -> Any:
        """Every ref, recording GOALS."""
        self._record(GOALS)
        return super().values()

    def items(self) -> Any:
        """Every (id, ref), recording GOALS."""
        self._record(GOALS)
        return super().items()

    def __iter__(self) -> Any:
        self._record(GOALS)
        return super().__iter__()


@dataclass
class Snapshot:
    """One plan as the engine rendered it, with lazily made lookups for comparing."""

    plan: Plan
    index: LinkIndex
    site: Mapping[str, Any]
    """The site-wide part of every page's context (render.common_context)."""
    refs: Mapping[str, Any]
    """ctx.refs: GoalRef by goal id (depends on today)."""
    _reviews: dict[str, Review] | None = field(default=None, repr=False)

    def reviews_by_id(self) -> dict[str, Review]:
        """Published reviews by id."""
        if self._reviews is None:
            self._reviews = {r.id: r for r in self.plan.reviews}
        return self._reviews

    def entity_value(self, kind: str, doc_id: str) -> tuple[Any, ...]:
        """Everything a page can read about one document."""
        plan = self.plan
        key = (kind, doc_id)
        record: Any = None
        if kind == "goal":
            record = (plan.goals.get(doc_id), self.refs.get(doc_id))
        elif kind == "review":
            record = self.reviews_by_id().get(doc_id)
        elif kind == "vision":
            record = plan.vision_fields if plan.vision is not None else None
        history = plan.history.docs.get(key) if plan.history is not None else None
        return plan.all_documents.get(key), plan.urls.get(key), record, history

    def target_value(self, kind: str, doc_id: str) -> tuple[Any, ...]:
        """What a link to one document shows."""
        key = (kind, doc_id)
        doc = self.plan.all_documents.get(key)
        return self.plan.urls.get(key), doc.title if doc is not None else None

    def ref_value(self, gid: str) -> tuple[Any, ...] | None:
        """One goal as lists show it: all but its body."""
        g = self.plan.goals.get(gid)
        if g is None:
            return None
        return (g.doc.title, g.fields, g.url, g.start, g.target, g.achieved, g.parents,
                g.children, g.progress, g.progress_source, g.done_count, g.total_count,
                g.checkins, g.doc.body.actions, g.doc.meta, g.doc.private_meta,
                self.refs.get(gid))

    def goals_value(self) -> tuple[Any, ...]:
        """Every goal as lists show it: all but the bodies."""
        return (tuple((gid, self.ref_value(gid)) for gid in self.plan.goals),
                tuple(self.plan.develop.items()))

    def reviews_value(self) -> tuple[Any, ...]:
        """Every review as lists show it: all but the body HTML."""
        return tuple((r.id, r.url, r.doc.title, r.fields, r.checkins, r.doc.meta)
                     for r in self.plan.reviews)


def _link_ref(link_kind: str, target: str) -> LinkRef:
    return LinkRef(0, target, link_kind, "", False, 1, 1)  # type: ignore[arg-type]


def _unknown_fields(plan: Plan) -> dict[str, Any]:
    return {f.name: getattr(plan, f.name) for f in dataclasses.fields(plan)
            if f.name not in KNOWN_PLAN_FIELDS}


def _history_rest(plan: Plan) -> Any:
    history = plan.history
    if history is None:
        return None
    return tuple(getattr(history, f.name) for f in dataclasses.fields(history)
                 if f.name not in ("docs", "by_url"))


def changed_keys(old: Snapshot, new: Snapshot, link_keys: Iterable[Key]) -> set[Key]:
    """The keys whose value differs between two snapshots (link_keys: those recorded)."""
    changed: set[Key] = set()
    if old.site != new.site:
        changed.add(SITE)
    if _unknown_fields(old.plan) != _unknown_fields(new.plan) or (
            _history_rest(old.plan) != _history_rest(new.plan)):
        changed.add(EVERYTHING)
    old_docs, new_docs = old.plan.all_documents, new.plan.all_documents
    for kind, doc_id in old_docs.keys() | new_docs.keys():
        if old.entity_value(kind, doc_id) != new.entity_value(kind, doc_id):
            changed.add(entity(kind, doc_id))
            if old.target_value(kind, doc_id) != new.target_value(kind, doc_id):
                changed.add(target(kind, doc_id))
    for gid in old.plan.goals.keys() | new.plan.goals.keys():
        if old.ref_value(gid) != new.ref_value(gid):
            changed.add(ref(gid))
    if old.goals_value() != new.goals_value():
        changed.add(GOALS)
    if old.reviews_value() != new.reviews_value():
        changed.add(REVIEWS)
    if old.index != new.index:
        for key in link_keys:
            _, source, link_kind, to = key
            link_ref = _link_ref(link_kind, to)
            if old.index.resolve(source, link_ref) != new.index.resolve(source, link_ref):
                changed.add(key)
    return changed


def pages_reading(changed: Iterable[Key], readers: Mapping[Key, Iterable[Hashable]]
                  ) -> set[Hashable]:
    """Every page (by URL) that read one of the changed keys."""
    out: set[Hashable] = set()
    for key in changed:
        out.update(readers.get(key, ()))
    return out


class TemplateDigests:
    """A digest of each template together with every template it extends, includes or
    imports, so that editing one template re-renders only the pages that use it.

    The names are found with a regular expression rather than Jinja's parser (ten times
    faster); one inside a comment or a raw block only makes the digest wider.
    """

    def __init__(self, env: jinja2.Environment) -> None:
        self.env = env
        self._digests: dict[str, bytes] = {}
        self._sources: dict[str, str | None] = {}

    def digest(self, name: str) -> bytes:
        """The digest of `name` and everything it uses (TemplateError if it cannot parse)."""
        found = self._digests.get(name)
        if found is None:
            found = self._digests[name] = self._compute(name)
        return found

    def _source(self, name: str) -> str | None:
        if name not in self._sources:
            loader = self.env.loader
            try:
                source = loader.get_source(self.env, name)[0] if loader else None
            except jinja2.TemplateNotFound:
                source = None
            self._sources[name] = source
        return self._sources[name]

    def _compute(self, name: str) -> bytes:
        seen: set[str] = set()
        stack = [name]
        while stack:
            current = stack.pop()
            if current in seen:
                continue
            seen.add(current)
            source = self._source(current)
            if source is None:
                continue
            if _DYNAMIC_USE.search(source):  # a name only known when rendering: any template
                stack.extend(self.env.list_templates())
            stack.extend(match.group(2) for match in _USE.finditer(source))
        hashed = hashlib.blake2b(digest_size=16)
        for current in sorted(seen):
            hashed.update(f"{current}\0{self._source(current)}\0".encode())
        return hashed.digest()


_USE = re.compile(r"""\{%[-+]?\s*(?:extends|include|import|from)\s+(["'])([^"']+)\1""")
"""A template used by name: extends, include, import, from."""
_DYNAMIC_USE = re.compile(r"""\{%[-+]?\s*(?:extends|include|import|from)\s+[^"'\s]""")
"""A template used by an expression (a variable, a list): any template may be used."""
