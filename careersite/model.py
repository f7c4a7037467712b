"""Documents -> Plan: ids, references, backlinks, progress, URL collisions."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

from careersite.config import Config
from careersite.diagnostics import Diagnostic, error
from careersite.documents import (
    Action,
    Asset,
    CheckIn,
    Document,
    GoalFields,
    Horizon,
    Milestone,
    ReviewFields,
    Status,
    VisionFields,
)
from careersite.urls import GENERATED_PAGES, goal_url, note_url, review_url

if TYPE_CHECKING:
    from careersite.history_views import PlanHistory

ProgressSource = Literal["set", "review", "computed", "achieved", "none"]
OPEN_STATUSES: frozenset[Status] = frozenset(("planned", "active", "paused"))


def add_months(day: dt.date, months: int) -> dt.date:
    """The same day `months` later (or earlier), clamped to the month's end."""
    year, month0 = divmod(day.month - 1 + months, 12)
    year += day.year
    month = month0 + 1
    last = (dt.date(year + month // 12, month % 12 + 1, 1) - dt.timedelta(days=1)).day
    return dt.date(year, month, min(day.day, last))


@dataclass(frozen=True)
class GoalCheckIn:
    """A review's check-in as seen from the goal it is about."""

    review_id: str
    date: dt.date
    checkin: CheckIn


@dataclass(frozen=True)
class Goal:
    """A goal with everything the site shows about it."""

    doc: Document
    fields: GoalFields
    url: str
    start: dt.date
    target: dt.date
    achieved: dt.date | None
    parents: tuple[str, ...]
    """Ids of the goals this one leads to (published ones only)."""
    children: tuple[str, ...]
    """Ids of the goals that lead to this one (published ones only)."""
    progress: int
    progress_source: ProgressSource
    done_count: int
    """Milestones and actions done (for the computed progress and its explanation)."""
    total_count: int
    checkins: tuple[GoalCheckIn, ...]
    """Check-ins from published reviews, oldest first."""

    @property
    def id(self) -> str:
        return self.doc.id

    @property
    def title(self) -> str:
        return self.doc.title

    @property
    def horizon(self) -> Horizon:
        return self.fields.horizon

    @property
    def status(self) -> Status:
        return self.fields.status

    @property
    def milestones(self) -> tuple[Milestone, ...]:
        return self.fields.milestones

    @property
    def actions(self) -> tuple[Action, ...]:
        return self.doc.body.actions


@dataclass(frozen=True)
class Review:
    doc: Document
    fields: ReviewFields
    url: str
    checkins: tuple[CheckIn, ...]
    """Check-ins on published goals."""

    @property
    def id(self) -> str:
        return self.doc.id

    @property
    def date(self) -> dt.date:
        return self.fields.date


@dataclass(frozen=True)
class Note:
    doc: Document
    url: str


@dataclass(frozen=True)
class Plan:
    """The whole plan as one build publishes it."""

    config: Config
    today: dt.date
    private: bool
    """True for a private build: private documents, fields and blocks are shown."""
    vision: Document | None
    vision_fields: VisionFields | None
    goals: Mapping[str, Goal]
    """Published goals by id, in id order."""
    reviews: tuple[Review, ...]
    """Published reviews, oldest first."""
    notes: tuple[Note, ...]
    assets: tuple[Asset, ...]
    develop: Mapping[str, tuple[str, ...]]
    """Development area -> ids of the goals that need it."""
    urls: Mapping[tuple[str, str], str]
    """(kind, id) -> site URL of every published document."""
    unpublished: frozenset[tuple[str, str]]
    """(kind, id) of every valid document left out of this build (private ones)."""
    all_documents: Mapping[tuple[str, str], Document]
    """Every parsed document by (kind, id), published or not (for link resolution)."""
    history: PlanHistory | None = None
    """The plan's history from git as this build shows it (history_views.py), once loaded."""


def document_url(doc: Document) -> str:
    """Site URL of a document's page."""
    if doc.kind == "goal":
        return goal_url(doc.id)
    if doc.kind == "review":
        return review_url(doc.id)
    if doc.kind == "vision":
        return "vision.html"
    return note_url(doc.id)


def _round_half_up(numerator: int, denominator: int) -> int:
    return (200 * numerator + denominator) // (2 * denominator)


def goal_span(fields: GoalFields) -> tuple[dt.date, dt.date]:
    """(start, target) days of a goal; start defaults from the horizon (FORMAT.md)."""
    target = fields.target.last
    if fields.start is not None:
        return fields.start.first, target
    months = 12 if fields.horizon == "short" else 48
    return add_months(target, -months), target


def url_collisions(docs: Sequence[Document]) -> list[Diagnostic]:
    """Two documents with one URL, or a document with a generated page's URL."""
    diags: list[Diagnostic] = []
    by_url: dict[str, list[Document]] = {}
    for doc in docs:
        by_url.setdefault(document_url(doc), []).append(doc)
    for url, group in by_url.items():
        if url in GENERATED_PAGES and group[0].kind != "vision":
            for doc in group:
                diags.append(error(doc.source.rel, 1, 1,
                                   f"this page's URL {url} is taken by a generated page; "
                                   "rename the file"))
        if len(group) > 1:
            for doc in group:
                others = ", ".join(o.source.rel for o in group if o is not doc)
                diags.append(error(doc.source.rel, 1, 1,
                                   f"URL {url} collides with {others}; rename one of them"))
    return diags


def _progress(
    fields: GoalFields, actions: tuple[Action, ...], latest: CheckIn | None
) -> tuple[int, ProgressSource, int, int]:
    done = sum(1 for m in fields.milestones if m.done) + sum(1 for a in actions if a.done)
    total = len(fields.milestones) + len(actions)
    if fields.status == "achieved":
        return 100, "achieved", done, total
    if fields.progress is not None:
        return fields.progress, "set", done, total
    if latest is not None and latest.progress is not None:
        return latest.progress, "review", done, total
    if total:
        return _round_half_up(done, total), "computed", done, total
    return 0, "none", done, total


def build_plan(
    config: Config, documents: Sequence[Document], assets: Sequence[Asset],
    *, today: dt.date, private: bool,
) -> Plan:
    """Assemble the published plan; references to unknown or private documents are dropped.

    Reference errors are reported by `check_references`; this function assumes nothing
    and never fails.
    """
    published = [d for d in documents if private or not d.private]
    all_docs: dict[tuple[str, str], Document] = {(d.kind, d.id): d for d in documents}
    unpublished = frozenset((d.kind, d.id) for d in documents
                            if not (private or not d.private))
    goal_docs = {d.id: d for d in published
                 if d.kind == "goal" and isinstance(d.fields, GoalFields)}
    review_docs = sorted(
        (d for d in published if d.kind == "review" and isinstance(d.fields, ReviewFields)),
        key=lambda d: (d.fields.date, d.source.plan_rel),  # type: ignore[union-attr]
    )

    latest: dict[str, CheckIn] = {}
    goal_checkins: dict[str, list[GoalCheckIn]] = {gid: [] for gid in goal_docs}
    reviews: list[Review] = []
    for doc in review_docs:
        fields = doc.fields
        assert isinstance(fields, ReviewFields)
        kept = tuple(c for c in fields.checkins if c.goal.id in goal_docs)
        for c in kept:
            goal_checkins[c.goal.id].append(GoalCheckIn(doc.id, fields.date, c))
            if c.progress is not None:
                latest[c.goal.id] = c
        reviews.append(Review(doc, fields, review_url(doc.id), kept))

    parents: dict[str, tuple[str, ...]] = {}
    children: dict[str, list[str]] = {gid: [] for gid in goal_docs}
    for gid in sorted(goal_docs):
        fields = goal_docs[gid].fields
        assert isinstance(fields, GoalFields)
        ps = tuple(dict.fromkeys(r.id for r in fields.parents
                                 if r.id in goal_docs and r.id != gid))
        parents[gid] = ps
        for p in ps:
            children[p].append(gid)

    goals: dict[str, Goal] = {}
    develop: dict[str, list[str]] = {}
    for gid in sorted(goal_docs):
        doc = goal_docs[gid]
        fields = doc.fields
        assert isinstance(fields, GoalFields)
        start, target = goal_span(fields)
        progress, source, done, total = _progress(fields, doc.body.actions, latest.get(gid))
        achieved = fields.achieved.last if fields.achieved else None
        goals[gid] = Goal(doc, fields, goal_url(gid), start, target, achieved, parents[gid],
                          tuple(children[gid]), progress, source, done, total,
                          tuple(goal_checkins[gid]))
        for area in fields.develop:
            develop.setdefault(area, []).append(gid)

    vision = next((d for d in published if d.kind == "vision"), None)
    vision_fields = vision.fields if vision and isinstance(vision.fields, VisionFields) else None
    notes = tuple(Note(d, note_url(d.id)) for d in published if d.kind == "note")
    urls: dict[tuple[str, str], str] = {(d.kind, d.id): document_url(d) for d in published}
    return Plan(
        config=config, today=today, private=private, vision=vision,
        vision_fields=vision_fields, goals=goals, reviews=tuple(reviews), notes=notes,
        assets=tuple(assets),
        develop={k: tuple(v) for k, v in sorted(develop.items(), key=lambda kv: kv[0].lower())},
        urls=urls, unpublished=unpublished, all_documents=all_docs,
    )
