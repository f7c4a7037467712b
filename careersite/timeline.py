"""Plan -> timeline model: an axis, a row per goal with its milestones, review marks.

Pure and frozen: timeline_svg.py draws it; timeline_events.py makes the dated list. Every
date here is a calendar day; a bar covers its first day to the end of its last day, so a
goal with target `2027-Q2` ends exactly where the third quarter of 2027 begins.

Speed: a goal shows on its own page, its parents' and its children's, and the timeline
page. Its GoalBar (dates, progress, milestone marks) is made once per goal object and day
(goal_bar) and a Row only places it, so the SVG can recognise what it drew of it before;
grid lines are made once per axis. Both memos are bounded, and neither changes a pickle of
a page's variables (the incremental build compares their digests).
"""

from __future__ import annotations

import datetime as dt
import weakref
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Literal

from careersite.history_views import goal_progress_points
from careersite.model import OPEN_STATUSES, Goal, Plan, add_months
from careersite.ontrack import OnTrack, on_track

GridKind = Literal["year", "quarter", "month"]
RowRole = Literal["goal", "parent", "self", "child"]

DASHBOARD_MONTHS = 12
DASHBOARD_ROWS = 20
"""Most goal rows the dashboard's compact timeline shows; the rest are counted."""
AXIS_MEMO = 2048
"""Most axes whose grid lines are kept (goal pages share a few hundred)."""
BARS_MEMO = 20_000
"""Most goals whose bars are kept."""


@dataclass(frozen=True)
class Axis:
    """The span of days a timeline shows: start inclusive, end exclusive."""

    start: dt.date
    end: dt.date

    @property
    def days(self) -> int:
        return max(1, (self.end - self.start).days)

    def share(self, day: dt.date) -> float:
        """Position of the start of `day` along the axis, 0.0–1.0 (outside: beyond)."""
        return (day - self.start).days / self.days


@dataclass(frozen=True)
class Gridline:
    """A year, quarter or month boundary inside the axis."""

    day: dt.date
    kind: GridKind


@dataclass(frozen=True)
class Band:
    """A shaded horizon from today: "short" (6–12 months) or "long" (3–5 years)."""

    kind: Literal["short", "long"]
    start: dt.date
    end: dt.date
    """Exclusive; clipped to the axis."""


@dataclass(frozen=True)
class MilestoneMark:
    title: str
    day: dt.date
    """Where the marker sits: the due date, else the done date."""
    due: dt.date | None
    done: bool
    done_on: dt.date | None
    overdue: bool
    url: str
    """The goal page's milestone anchor."""


@dataclass(frozen=True)
class GoalBar:
    """A goal as every row that shows it draws it (one per goal and day: see goal_bar)."""

    id: str
    title: str
    url: str
    horizon: str
    status: str
    start: dt.date
    end: dt.date
    """Last day of the bar: the `achieved` date of an achieved goal, else the target."""
    target: dt.date
    start_assumed: bool
    """No `start` was written: it defaults from the horizon."""
    achieved: dt.date | None
    progress: int
    overdue: bool
    ontrack: OnTrack | None
    milestones: tuple[MilestoneMark, ...]


@dataclass(frozen=True)
class Row:
    """One goal's row: its bar, and where the row sits among the others."""

    bar: GoalBar
    depth: int
    """0 for a goal with no parent in its group, 1 for a goal leading to it, and so on."""
    role: RowRole = "goal"
    section: str | None = None
    """Set on the first row of a section that needs a heading ("unlinked")."""


@dataclass(frozen=True)
class ReviewMark:
    day: dt.date
    title: str
    url: str


@dataclass(frozen=True)
class Timeline:
    axis: Axis
    today: dt.date
    gridlines: tuple[Gridline, ...]
    bands: tuple[Band, ...]
    rows: tuple[Row, ...]
    reviews: tuple[ReviewMark, ...]
    hidden: int = 0
    """Goals left out of a compact timeline."""


@dataclass(frozen=True)
class ProgressPoint:
    """A goal's progress on a day, from a review (or, later, a commit of the goal file)."""

    day: dt.date
    progress: int
    source: str
    """"review" (the history feature adds "commit")."""
    label: str
    """What it came from, for the tooltip: a review's title."""
    url: str | None


# -- dates -----------------------------------------------------------------------------

def quarter_start(day: dt.date) -> dt.date:
    """First day of the quarter holding day."""
    return dt.date(day.year, 3 * ((day.month - 1) // 3) + 1, 1)


def quarter_of(day: dt.date) -> int:
    return (day.month - 1) // 3 + 1


def make_axis(days: Iterable[dt.date], *, min_quarters: int = 4) -> Axis:
    """From the quarter holding the earliest day to the end of the quarter of the latest."""
    lo, hi = min(days_list := list(days)), max(days_list)
    start = quarter_start(lo)
    end = add_months(quarter_start(hi), 3)
    return Axis(start, max(end, add_months(start, 3 * min_quarters)))


@lru_cache(maxsize=AXIS_MEMO)
def gridlines(axis: Axis, *, months: bool = False) -> tuple[Gridline, ...]:
    """Month (when asked), quarter and year boundaries from the axis start to its end.

    Memoized, so charts on the same axis share one tuple (timeline_axis compares them).
    Its days are its own, so sharing it changes no pickle of the page's variables, unlike
    horizon_bands', which may be the axis' own days (so that one is not memoized).
    """
    lines: list[Gridline] = []
    step = 1 if months else 3
    year, month0 = axis.start.year, axis.start.month - 1
    if not months:
        month0 -= month0 % 3
    while True:
        day = dt.date(year, month0 + 1, 1)
        if day >= axis.end:
            break
        if day >= axis.start:
            kind: GridKind = "year" if month0 == 0 else "quarter" if month0 % 3 == 0 \
                else "month"
            lines.append(Gridline(day, kind))
        year, month0 = divmod(year * 12 + month0 + step, 12)
    return tuple(lines)


def horizon_bands(axis: Axis, today: dt.date) -> tuple[Band, ...]:
    """The 6–12 months and 3–5 years horizons from today, clipped to the axis."""
    bands: list[Band] = []
    for kind, lo, hi in (("short", 6, 12), ("long", 36, 60)):
        start, end = max(add_months(today, lo), axis.start), min(add_months(today, hi), axis.end)
        if start < end:
            bands.append(Band(kind, start, end))  # type: ignore[arg-type]
    return tuple(bands)


# -- rows --------------------------------------------------------------------------------

def is_overdue(goal: Goal, today: dt.date) -> bool:
    """An open goal whose target has passed."""
    return goal.status in OPEN_STATUSES and goal.target < today


def milestone_marks(goal: Goal, today: dt.date) -> tuple[MilestoneMark, ...]:
    """The goal's dated milestones; anchors number every milestone from 1."""
    marks: list[MilestoneMark] = []
    open_goal = goal.status in OPEN_STATUSES
    for n, m in enumerate(goal.milestones, 1):
        due = m.due.last if m.due else None
        day = due or m.done_on
        if day is None:
            continue
        overdue = open_goal and not m.done and due is not None and due < today
        marks.append(MilestoneMark(m.title, day, due, m.done, m.done_on, overdue,
                                   f"{goal.url}#milestone-{n}"))
    return tuple(marks)


def goal_bar(goal: Goal, today: dt.date) -> GoalBar:
    """The goal's bar, its progress and its milestones as of today.

    Memoized per goal object and day (a Goal is frozen): every page that shows the goal
    gets the same bar, which timeline_svg recognises to reuse what it drew of it.
    """
    key = (id(goal), today)
    found = _BARS.get(key)
    if found is not None and found[0]() is goal:
        return found[1]
    end = goal.achieved if goal.status == "achieved" and goal.achieved else goal.target
    bar = GoalBar(goal.id, goal.title, goal.url, goal.horizon, goal.status, goal.start, end,
                  goal.target, goal.fields.start is None, goal.achieved, goal.progress,
                  is_overdue(goal, today),
                  on_track(goal.status, goal.start, goal.target, goal.progress, today),
                  milestone_marks(goal, today))
    if len(_BARS) >= BARS_MEMO:
        _BARS.clear()
    _BARS[key] = (weakref.ref(goal), bar)
    return bar


_BARS: dict[tuple[int, dt.date], tuple[weakref.ref[Goal], GoalBar]] = {}
"""goal_bar by goal (a weak reference: a rebuilt plan's old goals may go)."""


def make_row(goal: Goal, today: dt.date, depth: int = 0, role: RowRole = "goal",
             section: str | None = None) -> Row:
    """One goal as a timeline row."""
    return Row(goal_bar(goal, today), depth, role, section)


def _order_key(goal: Goal) -> tuple[Any, ...]:
    return (goal.start, goal.target, goal.title, goal.id)


def goal_order(plan: Plan) -> list[tuple[Goal, int, bool]]:
    """(goal, depth, starts the unlinked section) in timeline order.

    Each long-term goal with no parent comes first, followed depth-first by the goals
    that lead to it (a goal with several parents sits under its first one); then the
    goals with no parent that are not long-term, in their own section.
    """
    goals = plan.goals
    placed: set[str] = set()
    out: list[tuple[Goal, int, bool]] = []

    def visit(root: Goal, section_start: bool) -> None:
        stack: list[tuple[Goal, int]] = [(root, 0)]
        while stack:
            goal, depth = stack.pop()
            if goal.id in placed:
                continue
            placed.add(goal.id)
            out.append((goal, depth, section_start and goal is root))
            kids = sorted((goals[c] for c in goal.children
                           if c not in placed and goals[c].parents[0] == goal.id),
                          key=_order_key, reverse=True)
            stack.extend((k, depth + 1) for k in kids)

    roots = sorted((g for g in goals.values() if not g.parents), key=_order_key)
    for goal in roots:
        if goal.horizon == "long":
            visit(goal, False)
    first_unlinked = True
    for goal in [g for g in roots if g.horizon != "long"] + sorted(goals.values(),
                                                                   key=_order_key):
        if goal.id not in placed:  # also goals whose parents form a cycle
            visit(goal, first_unlinked)
            first_unlinked = False
    return out


def review_marks(plan: Plan) -> tuple[ReviewMark, ...]:
    return tuple(ReviewMark(r.date, r.doc.title, r.url) for r in plan.reviews)


def _row_days(rows: Iterable[Row]) -> Iterator[dt.date]:
    for row in rows:
        yield row.bar.start
        yield row.bar.end
        yield row.bar.target
        yield from (m.day for m in row.bar.milestones)


def plan_timeline(plan: Plan) -> Timeline:
    """The whole plan: every goal, milestone and review."""
    today = plan.today
    rows = tuple(make_row(g, today, depth, section="unlinked" if unlinked else None)
                 for g, depth, unlinked in goal_order(plan))
    reviews = review_marks(plan)
    axis = make_axis([today, *_row_days(rows), *(r.day for r in reviews)])
    return Timeline(axis, today, gridlines(axis), horizon_bands(axis, today), rows, reviews)


def dashboard_timeline(plan: Plan) -> Timeline:
    """The coming 12 months: open goals whose span touches them, overdue ones first."""
    today = plan.today
    axis = Axis(dt.date(today.year, today.month, 1),
                add_months(dt.date(today.year, today.month, 1), DASHBOARD_MONTHS))
    chosen = [make_row(g, today) for g, _, _ in goal_order(plan)
              if g.status in OPEN_STATUSES and g.start < axis.end
              and (g.target >= axis.start or is_overdue(g, today))]
    chosen.sort(key=lambda r: (not r.bar.overdue, r.bar.target, r.bar.title))
    rows = tuple(chosen[:DASHBOARD_ROWS])
    reviews = tuple(r for r in review_marks(plan) if axis.start <= r.day < axis.end)
    return Timeline(axis, today, gridlines(axis, months=True), horizon_bands(axis, today),
                    rows, reviews, hidden=len(chosen) - len(rows))


def goal_timeline(plan: Plan, goal: Goal) -> Timeline:
    """One goal with its parents, its children and the reviews that mention it."""
    today, goals = plan.today, plan.goals
    rows = [make_row(goals[p], today, 0, "parent") for p in goal.parents]
    rows.append(make_row(goal, today, 0, "self"))
    rows += sorted((make_row(goals[c], today, 1, "child") for c in goal.children),
                   key=lambda r: (r.bar.start, r.bar.target, r.bar.title))
    seen: set[str] = set()
    reviews: list[ReviewMark] = []
    for c in goal.checkins:
        if c.review_id not in seen:
            seen.add(c.review_id)
            doc = plan.all_documents[("review", c.review_id)]
            reviews.append(ReviewMark(c.date, doc.title, plan.urls[("review", c.review_id)]))
    axis = make_axis([today, *_row_days(rows), *(r.day for r in reviews)], min_quarters=2)
    return Timeline(axis, today, gridlines(axis), horizon_bands(axis, today), tuple(rows),
                    tuple(reviews))


def progress_points(plan: Plan, goal: Goal) -> tuple[ProgressPoint, ...]:
    """The goal's progress at each published review that gave one, oldest first."""
    points: list[ProgressPoint] = []
    for c in goal.checkins:
        if c.checkin.progress is not None:
            doc = plan.all_documents[("review", c.review_id)]
            points.append(ProgressPoint(c.date, c.checkin.progress, "review", doc.title,
                                        plan.urls[("review", c.review_id)]))
    points += [ProgressPoint(day, value, "commit", label, None)  # git history (history_views)
               for day, value, label in goal_progress_points(plan, goal.id)]
    return tuple(sorted(points, key=lambda p: p.day))
