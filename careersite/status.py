"""`careersite status`: the plan in the terminal, as text or JSON.

Built from the same view objects as the dashboard (views.PageContext): the goal tree, the
overdue and upcoming goals and milestones, and the review nudge. It is the owner's view:
private documents are included, as in a private build.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from careersite.build import load_project
from careersite.i18n import days_ago_en as days_ago
from careersite.model import Plan, build_plan
from careersite.views import DueItem, GoalRef, PageContext, TreeNode

BAR_WIDTH = 20
_STATUS_COLOURS = {"active": "36", "achieved": "32", "paused": "33", "dropped": "2",
                   "planned": ""}


@dataclass(frozen=True)
class Style:
    """How the text looks: ANSI colours on a terminal, plain text when piped."""

    colour: bool = False
    unicode: bool = False
    """Block characters for the progress bars (a terminal that can show them)."""

    def paint(self, text: str, code: str) -> str:
        """text in an ANSI style (nothing when colour is off or code is empty)."""
        return f"\x1b[{code}m{text}\x1b[0m" if self.colour and code else text

    def bar(self, progress: int) -> str:
        """[#####...............]: a 20-character progress bar."""
        filled = (progress * BAR_WIDTH + 50) // 100
        full, empty = ("█", "░") if self.unicode else ("#", ".")
        rest = empty * (BAR_WIDTH - filled)
        return "[" + self.paint(full * filled, "32") + self.paint(rest, "2") + "]"


def terminal_style(stream: Any, mode: str, environ: Mapping[str, str]) -> Style:
    """Colour for "always", or for "auto" on a terminal without NO_COLOR; else plain."""
    try:
        tty = bool(stream.isatty())
    except (AttributeError, ValueError):
        tty = False
    colour = mode == "always" or (mode == "auto" and tty and not environ.get("NO_COLOR"))
    try:
        "█░".encode(getattr(stream, "encoding", None) or "ascii")
        unicode = tty
    except (LookupError, UnicodeEncodeError):
        unicode = False
    return Style(colour=colour, unicode=unicode)


@dataclass(frozen=True)
class Status:
    """Everything `status` shows, computed once."""

    plan: Plan
    tree: tuple[TreeNode, ...]
    overdue: tuple[DueItem, ...]
    upcoming: tuple[DueItem, ...]
    last_review_id: str | None
    last_review_title: str | None
    last_review_date: dt.date | None
    review_age: int | None
    review_due: bool
    errors: int
    warnings: int


def load_status(root: Path, *, today: dt.date) -> Status:
    """Read the plan and compute what `status` shows."""
    loaded = load_project(root, today=today)
    plan = build_plan(loaded.config, loaded.documents, loaded.assets, today=today,
                      private=True)
    ctx = PageContext(plan, loaded.index)
    overdue, upcoming = ctx.due_items()
    last, age, due = ctx.latest_review()
    errors = sum(1 for d in loaded.diagnostics if d.severity == "error")
    return Status(plan, ctx.tree(), tuple(overdue), tuple(upcoming),
                  last.id if last else None, last.doc.title if last else None,
                  last.date if last else None, age, due, errors,
                  len(loaded.diagnostics) - errors)


def _goal_line(ref: GoalRef, depth: int, style: Style) -> str:
    status = style.paint(f"{ref.status:<8}", _STATUS_COLOURS.get(ref.status, ""))
    flag = "  " + style.paint("overdue", "31;1") if ref.overdue else ""
    return (f"  {style.bar(ref.progress)} {ref.progress:>3}%  {ref.horizon:<5}  {status}  "
            f"{ref.target}  {'  ' * depth}{ref.title}{flag}")


def _tree_lines(nodes: Sequence[TreeNode], style: Style, depth: int = 0) -> Iterator[str]:
    for node in nodes:
        yield _goal_line(node.goal, depth, style)
        yield from _tree_lines(node.children, style, depth + 1)


def _due_line(item: DueItem) -> str:
    when = days_ago(-item.days)
    what = (f"milestone  {item.title} ({item.goal.title})" if item.kind == "milestone"
            else f"goal       {item.title}")
    return f"  {item.due}  {when:<13}  {what}"


def _review_lines(status: Status, style: Style) -> list[str]:
    every = status.plan.config.review_every_days
    if status.last_review_date is None:
        return [style.paint("No review yet.", "33;1") + " Check in against your plan: "
                "careersite new review"]
    assert status.review_age is not None
    title = status.last_review_title
    named = f"{title}, " if title and title != str(status.last_review_date) else ""
    first = (f"Last review: {named}{status.last_review_date} ({days_ago(status.review_age)}); "
             f"the plan asks for one every {every} days.")
    if status.review_due:
        return [first, style.paint("Time for a review.", "33;1") +
                " Write one with: careersite new review"]
    next_by = status.last_review_date + dt.timedelta(days=every)
    return [first, f"Next review by {next_by} ({days_ago((status.plan.today - next_by).days)})."]


def status_text(status: Status, style: Style) -> str:
    """The plan as lines of text."""
    plan = status.plan
    counts = Counter(g.status for g in plan.goals.values())
    summary = ", ".join(f"{counts[s]} {s}" for s in
                        ("active", "planned", "paused", "achieved", "dropped") if counts[s])
    n = len(plan.goals)
    lines = [style.paint(plan.config.title, "1"),
             f"{plan.today}: {n} goal{'s' * (n != 1)}" + (f" ({summary})" if summary else ""),
             "", style.paint("Goals", "1")]
    lines += list(_tree_lines(status.tree, style)) or ["  No goals yet: careersite new goal"]
    for heading, items, none in (
            ("Overdue", status.overdue, "Nothing overdue."),
            ("Next 90 days", status.upcoming, "Nothing due in the next 90 days.")):
        lines += ["", style.paint(heading, "31;1" if heading == "Overdue" and items else "1")]
        lines += [_due_line(i) for i in items] or [f"  {none}"]
    lines += ["", style.paint("Review", "1"), *(f"  {x}" for x in _review_lines(status, style))]
    if status.errors or status.warnings:
        lines += ["", f"The plan has {status.errors} error{'s' * (status.errors != 1)} and "
                      f"{status.warnings} warning{'s' * (status.warnings != 1)}: "
                      "careersite check"]
    return "\n".join(lines) + "\n"


def _ref_json(ref: GoalRef) -> dict[str, Any]:
    return {"id": ref.id, "title": ref.title, "horizon": ref.horizon, "status": ref.status,
            "progress": ref.progress, "target": ref.target.isoformat(),
            "overdue": ref.overdue}


def _node_json(node: TreeNode) -> dict[str, Any]:
    return {**_ref_json(node.goal), "children": [_node_json(c) for c in node.children]}


def _due_json(item: DueItem) -> dict[str, Any]:
    return {"kind": item.kind, "title": item.title, "due": item.due.isoformat(),
            "days": item.days, "goal": item.goal.id}


def status_json(status: Status) -> dict[str, Any]:
    """The plan as a JSON-ready mapping."""
    plan = status.plan
    every = plan.config.review_every_days
    last = status.last_review_date
    return {
        "title": plan.config.title,
        "today": plan.today.isoformat(),
        "goals": len(plan.goals),
        "by_status": dict(sorted(Counter(g.status for g in plan.goals.values()).items())),
        "tree": [_node_json(n) for n in status.tree],
        "overdue": [_due_json(i) for i in status.overdue],
        "upcoming": [_due_json(i) for i in status.upcoming],
        "review": {
            "last": None if last is None else {
                "id": status.last_review_id, "title": status.last_review_title,
                "date": last.isoformat()},
            "days_since": status.review_age,
            "every_days": every,
            "due": status.review_due,
            "next_by": None if last is None else (last + dt.timedelta(days=every)).isoformat(),
        },
        "errors": status.errors,
        "warnings": status.warnings,
    }
