"""Checks across documents: references, links, cycles, and the method's warnings."""

from __future__ import annotations

import datetime as dt
import os
import posixpath
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from careersite.diagnostics import Diagnostic, error, warning
from careersite.documents import Document, GoalFields, LinkRef, ReviewFields
from careersite.model import add_months, goal_span

Key = tuple[str, str]
"""(kind, id) of a document."""


@dataclass(frozen=True)
class LinkIndex:
    """What a link in a body can point to."""

    documents: Mapping[str, Key]
    """plans-relative path ("goals/a.md") -> (kind, id)."""
    assets: frozenset[str]
    """plans-relative paths of assets."""
    ids: Mapping[str, Key]
    """[[x]] lookup: goal id, else review id, else note id."""
    plans_dir: str
    """Absolute plans folder, to tell a missing file from an unpublished one."""

    @classmethod
    def build(cls, docs: Sequence[Document], assets: Sequence[str], plans_dir: str) -> LinkIndex:
        """Index every document and asset of the plan."""
        documents = {d.source.plan_rel: (d.kind, d.id) for d in docs}
        ids: dict[str, Key] = {}
        for kind in ("note", "review", "goal"):  # later kinds win: goal, then review, then note
            for d in docs:
                if d.kind == kind:
                    ids[d.id] = (kind, d.id)
        return cls(documents, frozenset(assets), ids, plans_dir)

    def resolve(self, source_plan_rel: str, link: LinkRef) -> Key | str | None:
        """(kind, id) of a document, an asset's plans-relative path, or None when broken."""
        if link.kind == "wiki":
            return self.ids.get(link.target)
        base = posixpath.dirname(source_plan_rel)
        path = posixpath.normpath(posixpath.join(base, link.target))
        if path.startswith("../") or path == "..":
            return None
        if path in self.documents:
            return self.documents[path]
        if path in self.assets:
            return path
        return None

    def describe_broken(self, source_plan_rel: str, link: LinkRef) -> str:
        """The message for a link that does not resolve."""
        if link.kind == "wiki":
            return (f"broken link [[{link.target}]]: no goal, review or note has the id "
                    f"'{link.target}'")
        base = posixpath.dirname(source_plan_rel)
        path = posixpath.normpath(posixpath.join(base, link.target))
        if not path.startswith("..") and os.path.isfile(os.path.join(self.plans_dir, path)):
            return (f"broken link '{link.target}': the file is not published "
                    "(only .md documents and images, PDF, text and CSV files are)")
        return f"broken link '{link.target}': no such file in the plans folder"


def check_links(docs: Sequence[Document], index: LinkIndex) -> list[Diagnostic]:
    """Every link in every body resolves."""
    diags: list[Diagnostic] = []
    for doc in docs:
        for link in doc.body.links:
            if index.resolve(doc.source.plan_rel, link) is None:
                diags.append(error(doc.source.rel, link.line, link.col,
                                   index.describe_broken(doc.source.plan_rel, link)))
    return diags


def check_references(docs: Sequence[Document]) -> list[Diagnostic]:
    """Parents and review check-ins name existing goals; no cycle of parents."""
    diags: list[Diagnostic] = []
    goal_ids = {d.id for d in docs if d.kind == "goal"}
    goals = {d.id: d for d in docs if d.kind == "goal" and isinstance(d.fields, GoalFields)}
    for doc in docs:
        fields = doc.fields
        if isinstance(fields, GoalFields):
            for ref in fields.parents:
                if ref.id not in goal_ids:
                    diags.append(error(doc.source.rel, ref.line, ref.col,
                                       f"parent: no goal has the id '{ref.id}'"))
        elif isinstance(fields, ReviewFields):
            for checkin in fields.checkins:
                if checkin.goal.id not in goal_ids:
                    diags.append(error(doc.source.rel, checkin.goal.line, checkin.goal.col,
                                       f"goals: no goal has the id '{checkin.goal.id}'"))
    diags.extend(_cycles(goals))
    return diags


def _cycles(goals: Mapping[str, Document]) -> list[Diagnostic]:
    """Every goal on a cycle of parents, at its parent line."""
    edges = {gid: [r.id for r in d.fields.parents if r.id in goals]  # type: ignore[union-attr]
             for gid, d in goals.items()}
    state: dict[str, int] = {}  # 1 = on the current path, 2 = finished
    reported: set[str] = set()
    diags: list[Diagnostic] = []
    for start in sorted(edges):
        if start in state:
            continue
        path: list[str] = [start]
        iters = [iter(edges[start])]
        state[start] = 1
        while iters:
            nxt = next(iters[-1], None)
            if nxt is None:
                state[path.pop()] = 2
                iters.pop()
                continue
            if state.get(nxt) == 1:
                cycle = path[path.index(nxt):]
                text = " → ".join([*cycle, nxt])
                for gid in cycle:
                    if gid in reported:
                        continue
                    reported.add(gid)
                    doc = goals[gid]
                    ref = next(r for r in doc.fields.parents  # type: ignore[union-attr]
                               if r.id in cycle)
                    diags.append(error(doc.source.rel, ref.line, ref.col,
                                       f"parent: goals lead to each other in a cycle: {text}"))
            elif nxt not in state:
                state[nxt] = 1
                path.append(nxt)
                iters.append(iter(edges[nxt]))
    return diags


def _months_between(start: dt.date, end: dt.date) -> int:
    months = (end.year - start.year) * 12 + end.month - start.month
    return months + (1 if end.day >= start.day else 0)


def check_method(
    docs: Sequence[Document], *, today: dt.date, review_every_days: int
) -> list[Diagnostic]:
    """Warnings from the method: the plan's shape and its rhythm of reviews."""
    diags: list[Diagnostic] = []
    goals = [d for d in docs if isinstance(d.fields, GoalFields)]
    # A goal whose fields did not parse may well lead somewhere: say nothing about
    # long-term goals "with no short-term goal" until the errors are fixed.
    broken_goals = any(d.kind == "goal" and d.fields is None for d in docs)
    led_to: set[str] = set()
    for doc in goals:
        assert isinstance(doc.fields, GoalFields)
        if doc.fields.horizon == "short":
            led_to.update(r.id for r in doc.fields.parents)
    for doc in goals:
        fields = doc.fields
        assert isinstance(fields, GoalFields)
        rel, lines = doc.source.rel, doc.key_lines
        horizon_line = lines.get("horizon", 1)
        start, target = goal_span(fields)
        target_line = lines.get("target", 1)
        if fields.horizon == "short":
            if not fields.parents:
                diags.append(warning(rel, horizon_line, 1,
                                     "short-term goal has no parent: which long-term goal "
                                     "does it lead to?"))
            if target > add_months(start, 15):
                diags.append(warning(
                    rel, target_line, 1,
                    f"short-term goal spans {_months_between(start, target)} months "
                    f"({start} to {target}): short-term goals are 6–12 months; "
                    "split it or make it long-term"))
        else:
            if target < add_months(start, 24) or target > add_months(start, 72):
                years = (target - start).days / 365.25
                diags.append(warning(
                    rel, target_line, 1,
                    f"long-term goal spans {years:.1f} years ({start} to {target}): "
                    "long-term goals are 3–5 years"))
            if (doc.id not in led_to and fields.status in ("planned", "active", "paused")
                    and not broken_goals):
                diags.append(warning(rel, horizon_line, 1,
                                     "long-term goal has no short-term goal leading to it: "
                                     "what will you do in the next 6–12 months?"))
        if fields.status == "active" and not fields.milestones and not doc.body.actions:
            diags.append(warning(rel, lines.get("status", 1), 1,
                                 "active goal has no milestones and no actions: "
                                 "add milestones or an action plan"))
    reviews = sorted((d for d in docs if isinstance(d.fields, ReviewFields)),
                     key=lambda d: (d.fields.date, d.source.plan_rel))  # type: ignore[union-attr]
    if reviews:
        last = reviews[-1]
        assert isinstance(last.fields, ReviewFields)
        age = (today - last.fields.date).days
        if age > review_every_days:
            diags.append(warning(last.source.rel, last.key_lines.get("date", 1), 1,
                                 f"the last review was {age} days ago; the plan asks for one "
                                 f"every {review_every_days} days: time for a check-in"))
    return diags
