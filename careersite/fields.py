"""Frontmatter values: the position-carrying node tree, YAML 1.1 scalars, typed checks."""

from __future__ import annotations

import calendar
import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from yaml.constructor import SafeConstructor
from yaml.nodes import ScalarNode
from yaml.resolver import Resolver

from careersite.diagnostics import Diagnostic, error, warning
from careersite.documents import PlanDate, Ref

YAML_TAG = "tag:yaml.org,2002:"
_SHORT_TAGS = {
    YAML_TAG + "bool": "bool",
    YAML_TAG + "int": "int",
    YAML_TAG + "float": "float",
    YAML_TAG + "null": "null",
    YAML_TAG + "timestamp": "timestamp",
}
_IMPLICIT = Resolver.yaml_implicit_resolvers
_UNPRINTABLE = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff]")
_CONSTRUCTOR = SafeConstructor()


@dataclass(slots=True)
class Scalar:
    """A scalar as YAML 1.1 reads it, with the text as written and where it is."""

    value: Any
    """str, int, float, bool, None, date or datetime (the raw text if YAML can't build it)."""
    text: str
    """The scalar as written (without quotes)."""
    tag: str
    """What YAML made of it: str, int, float, bool, null, timestamp or alias."""
    plain: bool
    """Written without quotes (and not as a block scalar)."""
    line: int
    col: int


@dataclass(slots=True)
class MapNode:
    """A mapping: string keys in the order written (first occurrence of a duplicate wins)."""

    line: int
    col: int
    items: dict[str, tuple[Scalar, Node]] = field(default_factory=dict)
    duplicates: list[Scalar] = field(default_factory=list)
    """Keys written a second time (reported as errors, their values ignored)."""


@dataclass(slots=True)
class SeqNode:
    """A list."""

    line: int
    col: int
    items: list[Node] = field(default_factory=list)


Node = Scalar | MapNode | SeqNode


@lru_cache(maxsize=8192)
def resolve_plain(text: str) -> tuple[str, Any]:
    """(tag, value): YAML 1.1 implicit resolution of a plain scalar (as SafeLoader does it)."""
    resolvers = _IMPLICIT.get(text[0] if text else "", []) + _IMPLICIT.get(None, [])
    for tag, regexp in resolvers:
        if regexp.match(text):
            short = _SHORT_TAGS.get(tag)
            if short is None:  # "<<" and "=": only special to a constructor we never run
                return "str", text
            node = ScalarNode(tag, text)
            try:
                if short == "bool":
                    return short, _CONSTRUCTOR.construct_yaml_bool(node)
                if short == "int":
                    return short, _CONSTRUCTOR.construct_yaml_int(node)
                if short == "float":
                    return short, _CONSTRUCTOR.construct_yaml_float(node)
                if short == "timestamp":
                    return short, _CONSTRUCTOR.construct_yaml_timestamp(node)
            except ValueError:  # 2027-02-30: looks like a date, is none
                return short, text
            return short, None
    return "str", text


def describe(node: Node) -> str:
    """What a node is, for messages: "a list", "a boolean (NO)", "text ('x')"..."""
    if isinstance(node, MapNode):
        return "a mapping"
    if isinstance(node, SeqNode):
        return "a list"
    tag, text = node.tag, shown(node.text)
    if tag == "str":
        return f"text ('{text}')"
    if tag == "null":
        return f"null ({text})" if text else "nothing"
    if tag == "bool":
        return f"a boolean ({text})"
    if tag in ("int", "float"):
        return f"a number ({text})"
    if tag == "timestamp":
        return f"a date ({text})"
    return f"an alias ({text})"


def shown(text: str, limit: int = 80) -> str:
    """Text as a message shows it: on one line, control characters escaped, long text cut."""
    if len(text) > limit:
        text = text[: limit - 1] + "…"
    if _UNPRINTABLE.search(text):
        text = _UNPRINTABLE.sub(lambda m: m.group().encode("unicode_escape").decode(), text)
    return text


def quote_hint(node: Node) -> str:
    """'; put it in quotes: "NO"' for a plain scalar YAML read as something else."""
    if not isinstance(node, Scalar) or not node.plain or not node.text:
        return ""
    escaped = node.text.replace("\\", "\\\\").replace('"', '\\"')
    return f'; put it in quotes: "{escaped}"'


def to_python(node: Node) -> Any:
    """Plain Python values (dict, list, str, int, float, bool, None, date) of a tree."""
    if isinstance(node, Scalar):
        return node.value
    if isinstance(node, SeqNode):
        return [to_python(item) for item in node.items]
    return {key: to_python(value) for key, (_, value) in node.items.items()}


def scalar_date(node: Scalar) -> dt.date | None:
    """The calendar date of a YAML date or datetime scalar, as written (offset ignored)."""
    value = node.value
    if isinstance(value, dt.datetime):
        return dt.date(value.year, value.month, value.day)
    return value if isinstance(value, dt.date) else None


DATE_EXAMPLE = "2027-06-30"

_MONTH = re.compile(r"(\d{4})-(\d{2})\Z")
_QUARTER = re.compile(r"(\d{4})-[Qq]([1-4])\Z")
_DAY = re.compile(r"(\d{4})-(\d{2})-(\d{2})\Z")
_YEAR = re.compile(r"\d{4}\Z")


def plan_date(node: Node) -> PlanDate | None:
    """A date in one of the four forms, or None when the node is not one."""
    if not isinstance(node, Scalar):
        return None
    if node.tag == "timestamp":
        day = scalar_date(node)
        return PlanDate(day.isoformat(), "day", day, day) if day is not None else None
    if node.tag == "int":
        return _year(node.text) if _YEAR.match(node.text) else None
    if node.tag == "str":
        return _parse_date_text(node.value.strip())
    return None


@lru_cache(maxsize=4096)
def _parse_date_text(text: str) -> PlanDate | None:
    try:
        if m := _DAY.match(text):
            day = dt.date(int(m[1]), int(m[2]), int(m[3]))
            return PlanDate(text, "day", day, day)
        if m := _MONTH.match(text):
            year, month = int(m[1]), int(m[2])
            first = dt.date(year, month, 1)
            return PlanDate(text, "month", first, _month_end(year, month))
        if m := _QUARTER.match(text):
            year, last_month = int(m[1]), 3 * int(m[2])
            first = dt.date(year, last_month - 2, 1)
            return PlanDate(text, "quarter", first, _month_end(year, last_month))
        if _YEAR.match(text):
            return _year(text)
    except ValueError:  # month 13, day 30 of February, year 0
        return None
    return None


def _month_end(year: int, month: int) -> dt.date:
    return dt.date(year, month, calendar.monthrange(year, month)[1])


def _year(text: str) -> PlanDate | None:
    year = int(text)
    if year < 1:
        return None
    return PlanDate(text, "year", dt.date(year, 1, 1), dt.date(year, 12, 31))


def edit_distance(a: str, b: str, limit: int = 2) -> int:
    """Damerau-Levenshtein (optimal string alignment) distance; limit+1 once beyond limit."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    prev2: list[int] = []
    prev = list(range(len(b) + 1))
    for i in range(1, len(a) + 1):
        cur = [i] + [0] * len(b)
        for j in range(1, len(b) + 1):
            cost = 0 if a[i - 1] == b[j - 1] else 1
            cur[j] = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost)
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                cur[j] = min(cur[j], prev2[j - 2] + 1)
        if min(cur) > limit:
            return limit + 1
        prev2, prev = prev, cur
    return min(prev[-1], limit + 1)


@lru_cache(maxsize=4096)
def near_miss(key: str, known: tuple[str, ...]) -> str | None:
    """The known key a misspelt key most likely means (edit distance at most 2)."""
    best: tuple[int, str] | None = None
    for candidate in known:
        d = edit_distance(key, candidate)
        if d <= 2 and (best is None or d < best[0]):
            best = (d, candidate)
    return best[1] if best else None


def is_private_like(key: str) -> bool:
    """`private` in any case, or within edit distance 2 of it: privacy fails closed."""
    return edit_distance(key.lower(), "private") <= 2


class FieldReader:
    """Converts frontmatter nodes to typed values, collecting located problems."""

    def __init__(self, rel: str) -> None:
        self.rel = rel
        self.diags: list[Diagnostic] = []
        self.invalid = False
        """Some typed value was rejected: the document's fields cannot be trusted."""

    def fail(self, node: Node, message: str) -> None:
        """An error at the node; an alias was already reported, so stays silent."""
        self.invalid = True
        if not (isinstance(node, Scalar) and node.tag == "alias"):
            self.diags.append(error(self.rel, node.line, node.col, message))

    def error_at(self, line: int, col: int, message: str) -> None:
        """An error at a position, marking the fields invalid."""
        self.invalid = True
        self.diags.append(error(self.rel, line, col, message))

    def warn(self, line: int, col: int, message: str) -> None:
        """A warning at a position."""
        self.diags.append(warning(self.rel, line, col, message))

    def text(self, name: str, node: Node, what: str = "text") -> str | None:
        """A string as written; YAML's other readings of a plain scalar suggest quotes."""
        if isinstance(node, Scalar) and node.tag == "str":
            return str(node.value)
        self.fail(node, f"{name}: expected {what}, got {describe(node)}{quote_hint(node)}")
        return None

    def date(self, name: str, node: Node) -> PlanDate | None:
        """A date in any of the four forms."""
        value = plan_date(node)
        if value is None:
            self.fail(node, f"{name}: expected a date such as {DATE_EXAMPLE}, got {got(node)}")
        return value

    def day(self, name: str, node: Node) -> dt.date | None:
        """A date in the day form (a YAML datetime counts as its calendar date)."""
        value = plan_date(node)
        if value is None or value.form != "day":
            self.fail(node, f"{name}: expected a day such as {DATE_EXAMPLE}, got {got(node)}")
            return None
        return value.first

    def integer(self, name: str, node: Node, low: int, high: int) -> int | None:
        """An integer from low to high (a boolean is not one)."""
        if isinstance(node, Scalar) and node.tag == "int" and low <= node.value <= high:
            return int(node.value)
        is_int = isinstance(node, Scalar) and node.tag == "int"
        what = shown(node.text) if isinstance(node, Scalar) and is_int else describe(node)
        self.fail(node, f"{name}: expected a whole number from {low} to {high}, got {what}")
        return None

    def choice(self, name: str, node: Node, choices: Sequence[str]) -> str | None:
        """One of a few words."""
        if isinstance(node, Scalar) and node.tag == "str" and node.value in choices:
            return str(node.value)
        quoted = [f"'{c}'" for c in choices]
        allowed = (" or ".join(quoted) if len(quoted) == 2
                   else "one of " + ", ".join(quoted))
        self.fail(node, f"{name}: expected {allowed}, got {got(node)}")
        return None

    def texts(self, name: str, node: Node, what: str = "text") -> tuple[str, ...] | None:
        """A list of strings (one string counts as a list of one)."""
        items: list[Node]
        if isinstance(node, SeqNode):
            items = node.items
        elif isinstance(node, Scalar) and node.tag == "str":
            items = [node]
        else:
            self.fail(node, f"{name}: expected a list of {what}, got {describe(node)}")
            return None
        out = [self.text(name, item, what) for item in items]
        return tuple(x for x in out if x is not None) if None not in out else None

    def refs(self, name: str, node: Node) -> tuple[Ref, ...] | None:
        """A goal id or a list of ids, each with where it was written."""
        if isinstance(node, MapNode):
            self.fail(node, f"{name}: expected a goal id or a list of goal ids, got a mapping")
            return None
        ok, out = True, []
        for item in node.items if isinstance(node, SeqNode) else [node]:
            value = self.text(name, item, "a goal id")
            if value is None:
                ok = False
            else:
                out.append(Ref(value, item.line, item.col))
        return tuple(out) if ok else None

    def unknown(self, key: Scalar, known: tuple[str, ...], where: str = "") -> bool:
        """Warn about a likely misspelling (error for `private`); True when it is one."""
        raw = str(key.value)
        name = shown(raw)
        if is_private_like(raw):
            why = ("only a whole document can be private" if where else
                   "did you mean 'private'? (a near miss of 'private' is an error, "
                   "so a mistake never publishes)")
            self.diags.append(error(self.rel, key.line, key.col,
                                    f"unknown key '{name}'{where}: {why}"))
            return True
        guess = near_miss(raw, known)
        if guess is not None:
            self.warn(key.line, key.col, f"unknown key '{name}'{where}: did you mean '{guess}'?")
        return False


def got(node: Node) -> str:
    """A value for a message: 'as written' for a scalar, else what it is."""
    if isinstance(node, Scalar) and node.text and node.tag != "alias":
        return f"'{shown(node.text)}'"
    return describe(node)
