"""Frozen records passed between the stages: SourceFile -> Document -> Plan."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

Kind = Literal["vision", "goal", "review", "note"]
DateForm = Literal["day", "month", "quarter", "year"]
Horizon = Literal["long", "short"]
Status = Literal["planned", "active", "achieved", "dropped", "paused"]

STATUSES: tuple[Status, ...] = ("planned", "active", "achieved", "dropped", "paused")
HORIZONS: tuple[Horizon, ...] = ("long", "short")


@dataclass(frozen=True)
class SourceFile:
    """A document found under the plans folder."""

    path: Path
    """Absolute path on disk."""
    rel: str
    """Project-relative path with forward slashes, as messages name it."""
    plan_rel: str
    """Path relative to the plans folder ("goals/sales/first-deal.md")."""
    kind: Kind
    id: str
    """goals/x/y.md -> "x/y" (goal), reviews/d.md -> "d" (review), notes: path without .md."""


@dataclass(frozen=True)
class Asset:
    """A file copied to the site as it is."""

    path: Path
    rel: str
    plan_rel: str


@dataclass(frozen=True)
class PlanDate:
    """A date in one of the four forms of FORMAT.md, as written."""

    text: str
    """The form as written: "2027-06-15", "2027-06", "2027-Q2", "2029"."""
    form: DateForm
    first: dt.date
    """First day the form covers (used for `start`)."""
    last: dt.date
    """Last day the form covers (used for `target` and `due`)."""


@dataclass(frozen=True)
class Ref:
    """A reference to another document by id, with where it was written."""

    id: str
    line: int
    col: int


@dataclass(frozen=True)
class LinkRef:
    """A link in a body, to be resolved once the whole plan is known.

    The body HTML carries placeholders for it (see markdown.py): the resolver replaces
    them with a real relative URL, or drops the link when its target is private.
    """

    index: int
    """Number of the placeholder in the body HTML."""
    target: str
    """For kind "path": the URL as written (percent-decoded, no fragment);
    for kind "wiki": the id inside [[ ]]."""
    kind: Literal["path", "wiki"]
    fragment: str
    """"#section" part, without the '#', or ""."""
    bare: bool
    """True for [[id]] without |text: the text is the target's title."""
    line: int
    col: int


@dataclass(frozen=True)
class Action:
    """A GitHub-style task list item in a body."""

    text: str
    done: bool
    line: int


@dataclass(frozen=True)
class Heading:
    level: int
    text: str
    anchor: str


@dataclass(frozen=True)
class Body:
    """A rendered Markdown body."""

    html: str
    """HTML for a public build (private blocks removed), with link placeholders."""
    html_private: str
    """HTML with `::: private` blocks included, with link placeholders."""
    actions: tuple[Action, ...] = ()
    links: tuple[LinkRef, ...] = ()
    headings: tuple[Heading, ...] = ()
    first_h1: str | None = None
    """Text of the first `#` heading (a note's default title)."""


@dataclass(frozen=True)
class Milestone:
    title: str
    due: PlanDate | None
    done: bool
    done_on: dt.date | None
    line: int


@dataclass(frozen=True)
class CheckIn:
    """One goal's entry in a review's `goals:` mapping."""

    goal: Ref
    progress: int | None = None
    status: Status | None = None
    note: str | None = None


@dataclass(frozen=True)
class GoalFields:
    horizon: Horizon
    target: PlanDate
    start: PlanDate | None
    status: Status
    achieved: PlanDate | None
    parents: tuple[Ref, ...]
    progress: int | None
    milestones: tuple[Milestone, ...]
    develop: tuple[str, ...]
    tags: tuple[str, ...]


@dataclass(frozen=True)
class ReviewFields:
    date: dt.date
    checkins: tuple[CheckIn, ...]
    mood: int | None


@dataclass(frozen=True)
class ValueItem:
    """One hard or soft value: a mapping entry (label -> text) or a list item (no label)."""

    label: str | None
    text: str


@dataclass(frozen=True)
class VisionFields:
    updated: PlanDate | None
    hard_values: tuple[ValueItem, ...]
    soft_values: tuple[ValueItem, ...]


@dataclass(frozen=True)
class Document:
    """One parsed plan file: typed fields, extra keys, rendered body."""

    source: SourceFile
    title: str
    private: bool
    """`private: true`: left out of a public build."""
    body: Body
    fields: GoalFields | ReviewFields | VisionFields | None
    """Typed fields for goals, reviews and the vision; None for notes."""
    meta: Mapping[str, Any] = field(default_factory=dict)
    """Unknown keys (public), as plain Python values, for templates (`page.meta`)."""
    private_meta: Mapping[str, Any] = field(default_factory=dict)
    """The `private:` mapping: extra fields shown only in a private build."""
    key_lines: Mapping[str, int] = field(default_factory=dict)
    """Line of each top-level frontmatter key, for messages reported later."""

    @property
    def kind(self) -> Kind:
        return self.source.kind

    @property
    def id(self) -> str:
        return self.source.id
