"""Plan -> the interview page: a one-page answer to "where will you be in 3-5 years?".

Recruiters listen less for the goals than for proof of a plan, so the page says, in
sentences and short bullets: the vision in two or three sentences, the hard and soft
values, each long-term goal with the goals that lead to it (next milestone, actions under
way), the development areas, and the follow-through (reviews held, goals achieved).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from html.parser import HTMLParser
from typing import Any

from careersite.documents import ValueItem
from careersite.model import OPEN_STATUSES, Goal, Plan
from careersite.views import GoalRef, MilestoneView, PageContext

MAX_ACTIONS = 2
"""Open actions named per goal; the rest are counted ("and 3 more")."""
PITCH_SENTENCES = (2, 3)
"""The derived pitch has at least 2 sentences (when there are) and at most 3..."""
PITCH_WORDS = 45
"""... and stops after the second once it has this many words."""

_SENTENCE_END = re.compile(r"[.!?…][\"”’)]*(?=\s+[\"“‘(]*[A-ZÅÄÖÆØÉ0-9])")
"""A stop (with its closing quotes), then a space and a capital or a digit."""


@dataclass(frozen=True)
class ValueLine:
    """A hard or soft value as one bullet: its label and the first sentence of its text."""

    label: str | None
    text: str


@dataclass(frozen=True)
class Step:
    """A goal as the interview page tells it: what comes next and what is under way."""

    goal: GoalRef
    next_milestone: MilestoneView | None
    """The first open milestone by due date."""
    actions: tuple[str, ...]
    """The first MAX_ACTIONS open actions, in the order written."""
    more_actions: int
    """Open actions not named."""


@dataclass(frozen=True)
class LongTermGoal:
    """An open long-term goal, with the open goals that lead to it."""

    step: Step
    leads_here: tuple[Step, ...]


@dataclass(frozen=True)
class Achievement:
    goal: GoalRef
    achieved: dt.date | None


@dataclass(frozen=True)
class FollowThrough:
    """Evidence that the plan is worked on."""

    reviews: int
    first_review: dt.date | None
    last_review: dt.date | None
    last_review_url: str | None
    review_age: int | None
    """Days since the latest review."""
    average_gap: int | None
    """Average days between reviews (two reviews or more)."""
    review_every_days: int
    achieved: tuple[Achievement, ...]
    """Achieved goals, latest first."""
    milestones_done: int
    milestones_total: int
    actions_done: int
    actions_total: int


class _Paragraphs(HTMLParser):
    """Text of the top-level <p> elements of rendered body HTML."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.depth = 0
        self.in_p = False
        self.paragraphs: list[str] = []
        self._text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("br", "img", "hr", "input", "wbr"):
            return
        if tag == "p" and self.depth == 0:
            self.in_p = True
            self._text = []
        self.depth += 1

    def handle_endtag(self, tag: str) -> None:
        if tag in ("br", "img", "hr", "input", "wbr"):
            return
        self.depth = max(0, self.depth - 1)
        if tag == "p" and self.depth == 0 and self.in_p:
            self.in_p = False
            text = " ".join("".join(self._text).split())
            if text:
                self.paragraphs.append(text)

    def handle_data(self, data: str) -> None:
        if self.in_p:
            self._text.append(data)


def sentences(text: str) -> list[str]:
    """A paragraph split into sentences (a stop, then a capital or a digit)."""
    found: list[str] = []
    start = 0
    for match in _SENTENCE_END.finditer(text):
        found.append(text[start:match.end()].strip())
        start = match.end()
    found.append(text[start:].strip())
    return [s for s in found if s]


def pitch_from_html(html: str) -> str:
    """The first two or three sentences of a body's paragraphs."""
    parser = _Paragraphs()
    parser.feed(html)
    parser.close()
    taken: list[str] = []
    words = 0
    least, most = PITCH_SENTENCES
    for paragraph in parser.paragraphs:
        for sentence in sentences(paragraph):
            if len(taken) >= most or (len(taken) >= least and words >= PITCH_WORDS):
                return " ".join(taken)
            taken.append(sentence)
            words += len(sentence.split())
    return " ".join(taken)


def first_sentence(text: str) -> str:
    found = sentences(" ".join(text.split()))
    return found[0] if found else ""


class InterviewView:
    """Builds the interview page's variables from a plan."""

    def __init__(self, plan: Plan, ctx: PageContext) -> None:
        self.plan = plan
        self.ctx = ctx

    def pitch(self) -> str:
        """The vision frontmatter's `pitch:` when it is a string, else the body's start."""
        vision = self.plan.vision
        if vision is None:
            return ""
        written = vision.meta.get("pitch")
        if isinstance(written, str) and written.strip():
            return " ".join(written.split())
        return pitch_from_html(str(self.ctx.body(vision, "interview.html")))

    def values(self) -> tuple[tuple[ValueLine, ...], tuple[ValueLine, ...]]:
        hard, soft = self.ctx.values()

        def lines(items: Sequence[ValueItem]) -> tuple[ValueLine, ...]:
            return tuple(ValueLine(v.label, first_sentence(v.text) or v.text) for v in items)

        return lines(hard), lines(soft)

    def step(self, goal: Goal) -> Step:
        open_milestones = [m for m in self.ctx.milestones(goal) if not m.done]
        open_milestones.sort(key=lambda m: (m.due is None, m.due or dt.date.max))
        open_actions = [a.text for a in goal.actions if not a.done and a.text]
        return Step(self.ctx.refs[goal.id], open_milestones[0] if open_milestones else None,
                    tuple(open_actions[:MAX_ACTIONS]), max(0, len(open_actions) - MAX_ACTIONS))

    def goals(self) -> tuple[tuple[LongTermGoal, ...], tuple[Step, ...]]:
        """Open long-term goals with the open short-term goals leading to each, and the open
        short-term goals that lead to none of them."""
        open_goals = [g for g in self.plan.goals.values() if g.status in OPEN_STATUSES]
        open_goals.sort(key=lambda g: (g.target, g.title.lower()))
        shorts = {g.id: g for g in open_goals if g.horizon == "short"}
        result: list[LongTermGoal] = []
        placed: set[str] = set()
        for goal in open_goals:
            if goal.horizon == "long":
                kids = sorted((shorts[c] for c in goal.children if c in shorts),
                              key=lambda g: (g.target, g.title.lower()))
                placed.update(k.id for k in kids)
                result.append(LongTermGoal(self.step(goal), tuple(self.step(k) for k in kids)))
        others = tuple(self.step(g) for g in shorts.values() if g.id not in placed)
        return tuple(result), others

    def development(self) -> tuple[str, ...]:
        """Development areas of the open goals, the most needed first."""
        goals = self.plan.goals
        counted = []
        for area, ids in self.plan.develop.items():
            n = sum(1 for gid in ids if goals[gid].status in OPEN_STATUSES)
            if n:
                counted.append((-n, area.lower(), area))
        return tuple(area for _, _, area in sorted(counted))

    def follow_through(self) -> FollowThrough:
        plan = self.plan
        reviews = plan.reviews
        first = reviews[0].date if reviews else None
        last = reviews[-1] if reviews else None
        gap = None
        if len(reviews) > 1 and first is not None and last is not None:
            gap = int((last.date - first).days / (len(reviews) - 1) + 0.5)  # half up
        counted = [g for g in plan.goals.values() if g.status != "dropped"]
        achieved = sorted(
            (Achievement(self.ctx.refs[g.id], g.achieved)
             for g in plan.goals.values() if g.status == "achieved"),
            key=lambda a: (a.achieved or a.goal.target, a.goal.title), reverse=True)
        return FollowThrough(
            reviews=len(reviews), first_review=first,
            last_review=last.date if last else None, last_review_url=last.url if last else None,
            review_age=(plan.today - last.date).days if last else None, average_gap=gap,
            review_every_days=plan.config.review_every_days, achieved=tuple(achieved),
            milestones_done=sum(1 for g in counted for m in g.milestones if m.done),
            milestones_total=sum(len(g.milestones) for g in counted),
            actions_done=sum(1 for g in counted for a in g.actions if a.done),
            actions_total=sum(len(g.actions) for g in counted),
        )


def interview_pages(plan: Plan, ctx: PageContext) -> Iterator[tuple[str, str, dict[str, Any]]]:
    """interview.html (a page source for render.page_sources)."""
    view = InterviewView(plan, ctx)
    hard, soft = view.values()
    long_goals, other_steps = view.goals()
    yield "interview.html", "interview.html", {
        "title": ctx.gettext("Interview answer"),
        "pitch": view.pitch(),
        "has_vision": plan.vision is not None,
        "hard_values": hard,
        "soft_values": soft,
        "long_goals": long_goals,
        "other_steps": other_steps,
        "development": view.development(),
        "follow_through": view.follow_through(),
    }
