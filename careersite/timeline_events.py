"""Plan -> the dated events of the timeline page's chronological list, and that page.

The list is the chart's accessible and printable twin: every goal start, milestone due or
done, review held, and goal target or achieved, grouped by year and quarter.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal

from careersite.history_views import goal_event_day
from careersite.model import Plan
from careersite.timeline import is_overdue, milestone_marks, plan_timeline, quarter_of

if TYPE_CHECKING:
    from careersite.views import PageContext

EventKind = Literal["goal-start", "goal-target", "goal-achieved", "milestone-due",
                    "milestone-done", "review", "goal-set"]


@dataclass(frozen=True)
class Event:
    """One line of the chronological list."""

    day: dt.date
    kind: EventKind
    title: str
    url: str
    goal_title: str | None = None
    """For milestones: the goal they belong to."""
    status: str | None = None
    overdue: bool = False
    assumed: bool = False
    """A goal start that defaults from the horizon."""


@dataclass(frozen=True)
class QuarterEvents:
    year: int
    quarter: int
    events: tuple[Event, ...]


@dataclass(frozen=True)
class YearEvents:
    year: int
    quarters: tuple[QuarterEvents, ...]


_KIND_ORDER = {"goal-set": -1, "goal-start": 0, "milestone-done": 1, "milestone-due": 2,
               "review": 3, "goal-achieved": 4, "goal-target": 5}


def plan_events(plan: Plan) -> list[Event]:
    """Every dated event of the plan, oldest first."""
    today = plan.today
    events: list[Event] = []
    for goal in plan.goals.values():
        overdue = is_overdue(goal, today)
        events.append(Event(goal.start, "goal-start", goal.title, goal.url,
                            status=goal.status, assumed=goal.fields.start is None))
        set_on = goal_event_day(plan, goal.id, "added")  # from git history, when known
        if set_on is not None:
            events.append(Event(set_on, "goal-set", goal.title, goal.url, status=goal.status))
        achieved = goal.achieved or goal_event_day(plan, goal.id, "achieved")
        if goal.status == "achieved" and achieved:
            events.append(Event(achieved, "goal-achieved", goal.title, goal.url,
                                status=goal.status))
        else:
            events.append(Event(goal.target, "goal-target", goal.title, goal.url,
                                status=goal.status, overdue=overdue))
        for mark in milestone_marks(goal, today):
            if mark.done and mark.done_on:
                events.append(Event(mark.done_on, "milestone-done", mark.title, mark.url,
                                    goal.title))
            else:
                kind: EventKind = "milestone-done" if mark.done else "milestone-due"
                events.append(Event(mark.day, kind, mark.title, mark.url, goal.title,
                                    overdue=mark.overdue))
    events += [Event(r.date, "review", r.doc.title, r.url) for r in plan.reviews]
    events.sort(key=lambda e: (e.day, _KIND_ORDER[e.kind], e.title, e.url))
    return events


def group_events(events: Iterable[Event]) -> tuple[YearEvents, ...]:
    """Events (sorted by day) grouped by year, then quarter."""
    years: list[YearEvents] = []
    quarters: list[QuarterEvents] = []
    current: list[Event] = []
    key: tuple[int, int] | None = None

    def close_quarter() -> None:
        if key is not None and current:
            quarters.append(QuarterEvents(key[0], key[1], tuple(current)))

    for event in events:
        k = (event.day.year, quarter_of(event.day))
        if k != key:
            close_quarter()
            if key is not None and k[0] != key[0]:
                years.append(YearEvents(key[0], tuple(quarters)))
                quarters = []
            key, current = k, []
        current.append(event)
    close_quarter()
    if key is not None:
        years.append(YearEvents(key[0], tuple(quarters)))
    return tuple(years)


def timeline_pages(plan: Plan, ctx: PageContext) -> Iterator[tuple[str, str, dict[str, Any]]]:
    """The timeline page (a page source for render.page_sources)."""
    yield "timeline.html", "timeline.html", {
        "title": ctx.gettext("Timeline"),
        "timeline": plan_timeline(plan),
        "years": group_events(plan_events(plan)),
    }
