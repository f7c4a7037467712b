"""Plan -> view objects: what templates see (documented in docs/TEMPLATES.md)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

from markupsafe import Markup

from careersite.checks import LinkIndex
from careersite.deps import GOALS, REVIEWS, Key, RecordedRefs, entity
from careersite.deps import link as link_key
from careersite.deps import target as target_key
from careersite.documents import Document, LinkRef, ValueItem
from careersite.links import Resolution, resolve_links
from careersite.model import OPEN_STATUSES, Goal, Plan, Review
from careersite.ontrack import OnTrack, on_track
from careersite.timeline import goal_timeline, progress_points
from careersite.urls import relative_url

SOON_DAYS = 90


@dataclass(frozen=True)
class GoalRef:
    """A goal as other pages list it."""

    id: str
    title: str
    url: str
    horizon: str
    status: str
    progress: int
    target: dt.date
    overdue: bool
    ontrack: OnTrack | None = None
    """The "On track?" verdict of an active goal (careersite/ontrack.py), else None."""


@dataclass(frozen=True)
class MilestoneView:
    title: str
    due: dt.date | None
    done: bool
    done_on: dt.date | None
    overdue: bool


@dataclass(frozen=True)
class ActionView:
    text: str
    done: bool


@dataclass(frozen=True)
class GoalCheckinView:
    """A review's check-in shown on the goal page."""

    review_title: str
    review_url: str
    date: dt.date
    progress: int | None
    status: str | None
    note: str | None


@dataclass(frozen=True)
class ReviewCheckinView:
    """A check-in shown on the review page."""

    goal: GoalRef
    progress: int | None
    status: str | None
    note: str | None


@dataclass(frozen=True)
class DueItem:
    """A goal target or a milestone due date on the dashboard."""

    kind: str
    """"goal" or "milestone"."""
    title: str
    due: dt.date
    days: int
    """Days from today (negative: overdue)."""
    goal: GoalRef


@dataclass(frozen=True)
class TreeNode:
    goal: GoalRef
    children: tuple[TreeNode, ...]


def is_overdue(goal: Goal, today: dt.date) -> bool:
    """An open goal whose target has passed."""
    return goal.status in OPEN_STATUSES and goal.target < today


def goal_ref(goal: Goal, today: dt.date) -> GoalRef:
    """The short form of a goal that lists and trees show."""
    return GoalRef(goal.id, goal.title, goal.url, goal.horizon, goal.status, goal.progress,
                   goal.target, is_overdue(goal, today),
                   on_track(goal.status, goal.start, goal.target, goal.progress, today))


class PageContext:
    """Builds view objects for one plan; body links resolve relative to each page."""

    def __init__(self, plan: Plan, index: LinkIndex, private_word: str = "private",
                 gettext: Callable[[str], str] = str,
                 refs: Mapping[str, GoalRef] | None = None) -> None:
        self.plan = plan
        self.index = index
        self.private_word = private_word
        """Text of a bare [[id]] to a private document (localized)."""
        self.gettext = gettext
        """The build language's gettext, for strings made in Python (page titles)."""
        self.reads: set[Key] | None = None
        """While the incremental engine renders a page: the inputs it read (deps.py)."""
        self.all_refs = dict(refs) if refs is not None else {
            gid: goal_ref(g, plan.today) for gid, g in plan.goals.items()}
        """GoalRef by id, for views of every goal (which record GOALS, not each goal); given
        by the caller when it has them (serve's shortcut for an edit, quick.py)."""
        self.refs = RecordedRefs(self.all_refs, self.read)
        self._reviews: dict[str, Review] | None = None

    def read(self, key: Key) -> None:
        """Note that the page being rendered read this input (see deps.py)."""
        if self.reads is not None:
            self.reads.add(key)

    # -- bodies -------------------------------------------------------------------------

    def body(self, doc: Document, page_url: str) -> Markup:
        """The document's body HTML with its links resolved for page_url."""
        self.read(entity(doc.kind, doc.id))
        html = doc.body.html_private if self.plan.private else doc.body.html
        if not doc.body.links:
            return Markup(html)
        resolver = self._resolver(doc, page_url)
        return Markup(resolve_links(html, doc.body.links, resolver))

    def _resolver(self, doc: Document, page_url: str) -> Callable[[LinkRef], Resolution]:
        plan = self.plan

        def resolve(link: LinkRef) -> Resolution:
            self.read(link_key(doc.source.plan_rel, link.kind, link.target))
            target = self.index.resolve(doc.source.plan_rel, link)
            if target is None:
                return Resolution(None, link.target)
            if isinstance(target, str):  # an asset
                return Resolution(quote(relative_url(page_url, target)), link.target)
            self.read(target_key(*target))
            url = plan.urls.get(target)
            if url is None:  # private (or invalid) document in this build
                return Resolution(None, self.private_word)
            href = relative_url(page_url, url)
            if link.fragment:
                href += "#" + quote(link.fragment)
            title = plan.all_documents[target].title
            return Resolution(href, title)

        return resolve

    # -- goals ----------------------------------------------------------------------------

    def milestones(self, goal: Goal) -> tuple[MilestoneView, ...]:
        today = self.plan.today
        open_goal = goal.status in OPEN_STATUSES
        return tuple(
            MilestoneView(m.title, m.due.last if m.due else None, m.done, m.done_on,
                          open_goal and not m.done and m.due is not None and m.due.last < today)
            for m in goal.milestones
        )

    def goal_checkins(self, goal: Goal) -> tuple[GoalCheckinView, ...]:
        if self._reviews is None:
            self._reviews = {r.id: r for r in self.plan.reviews}
        reviews = self._reviews
        for c in goal.checkins:
            self.read(entity("review", c.review_id))
        return tuple(
            GoalCheckinView(reviews[c.review_id].doc.title, reviews[c.review_id].url, c.date,
                            c.checkin.progress, c.checkin.status, c.checkin.note)
            for c in goal.checkins
        )

    def goal(self, goal: Goal) -> dict[str, Any]:
        """Template variables of a goal page."""
        self.read(entity("goal", goal.id))
        plan = self.plan
        checkins = self.goal_checkins(goal)
        return {
            "goal": self.refs[goal.id],
            "doc": goal.doc,
            "fields": goal.fields,
            "start": goal.start,
            "achieved": goal.achieved,
            "progress_source": goal.progress_source,
            "done_count": goal.done_count,
            "total_count": goal.total_count,
            "progress_review": next((c for c in reversed(checkins) if c.progress is not None),
                                    None),
            "parents": [self.refs[p] for p in goal.parents],
            "children": [self.refs[c] for c in goal.children],
            "milestones": self.milestones(goal),
            "actions": [ActionView(a.text, a.done) for a in goal.actions],
            "actions_done": sum(1 for a in goal.actions if a.done),
            "develop": goal.fields.develop,
            "tags": goal.fields.tags,
            "checkins": checkins,
            "body": self.body(goal.doc, goal.url),
            "meta": goal.doc.meta,
            "private_meta": goal.doc.private_meta if plan.private else {},
            "timeline": goal_timeline(plan, goal),
            "progress_points": progress_points(plan, goal),
        }

    def tree(self) -> tuple[TreeNode, ...]:
        """Long-term goals with the goals that lead to them; goals with no parent at the top."""
        self.read(GOALS)
        goals, refs = self.plan.goals, self.all_refs

        def node(gid: str, seen: frozenset[str]) -> TreeNode:
            kids = tuple(node(c, seen | {c}) for c in goals[gid].children if c not in seen)
            return TreeNode(refs[gid], kids)

        roots = [g for g in goals.values() if not g.parents]
        roots.sort(key=lambda g: (g.horizon != "long", g.target, g.title))
        return tuple(node(g.id, frozenset([g.id])) for g in roots)

    def due_items(self) -> tuple[list[DueItem], list[DueItem]]:
        """(overdue, due in the next 90 days), each sorted by date."""
        self.read(GOALS)
        today = self.plan.today
        overdue: list[DueItem] = []
        soon: list[DueItem] = []
        for goal in self.plan.goals.values():
            if goal.status not in OPEN_STATUSES:
                continue
            ref = self.all_refs[goal.id]
            items = [DueItem("goal", goal.title, goal.target, (goal.target - today).days, ref)]
            items += [DueItem("milestone", m.title, m.due.last, (m.due.last - today).days, ref)
                      for m in goal.milestones if not m.done and m.due is not None]
            for item in items:
                if item.days < 0:
                    overdue.append(item)
                elif item.days <= SOON_DAYS:
                    soon.append(item)
        key: Callable[[DueItem], tuple[Any, ...]] = lambda i: (i.due, i.kind, i.title)  # noqa: E731
        return sorted(overdue, key=key), sorted(soon, key=key)

    # -- reviews --------------------------------------------------------------------------

    def review(self, review: Review) -> dict[str, Any]:
        """Template variables of a review page."""
        self.read(entity("review", review.id))
        return {
            "review": review,
            "doc": review.doc,
            "date": review.date,
            "mood": review.fields.mood,
            "checkins": [ReviewCheckinView(self.refs[c.goal.id], c.progress, c.status, c.note)
                         for c in review.checkins],
            "body": self.body(review.doc, review.url),
            "meta": review.doc.meta,
            "private_meta": review.doc.private_meta if self.plan.private else {},
        }

    def latest_review(self) -> tuple[Review | None, int | None, bool]:
        """The latest review, its age in days, and whether a new one is due."""
        self.read(REVIEWS)
        if not self.plan.reviews:
            return None, None, True
        last = self.plan.reviews[-1]
        age = (self.plan.today - last.date).days
        return last, age, age > self.plan.config.review_every_days

    # -- vision ---------------------------------------------------------------------------

    def values(self) -> tuple[tuple[ValueItem, ...], tuple[ValueItem, ...]]:
        self.read(entity("vision", "vision"))
        fields = self.plan.vision_fields
        if fields is None:
            return (), ()
        return fields.hard_values, fields.soft_values

    def vision_summary(self) -> Markup:
        """The first paragraph of the vision statement."""
        vision = self.plan.vision
        if vision is None:
            return Markup("")
        html = str(self.body(vision, "index.html"))
        start = html.find("<p>")
        end = html.find("</p>", start)
        return Markup(html[start:end + 4]) if start >= 0 and end > start else Markup("")

    def development(self) -> Mapping[str, list[GoalRef]]:
        self.read(GOALS)
        refs = self.all_refs
        return {area: [refs[g] for g in ids] for area, ids in self.plan.develop.items()}
