"""SourceFile + bytes -> Document: typed fields per kind, titles, privacy, messages."""

from __future__ import annotations

import datetime as dt
import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from careersite.documents import (
    CheckIn,
    Document,
    GoalFields,
    Kind,
    Milestone,
    PlanDate,
    Ref,
    ReviewFields,
    SourceFile,
    ValueItem,
    VisionFields,
)
from careersite.parse import parse_document

GOAL_HEAD = "---\ntitle: T\nhorizon: short\ntarget: 2027-06\n"


def source(kind: Kind, plan_rel: str) -> SourceFile:
    """A SourceFile as discover.py makes it (ids per FORMAT.md)."""
    stem = plan_rel.removesuffix(".md")
    doc_id = stem.split("/", 1)[1] if kind in ("goal", "review") else stem
    return SourceFile(Path("/p/plans") / plan_rel, f"plans/{plan_rel}", plan_rel, kind, doc_id)


DEFAULT_PATHS: dict[Kind, str] = {
    "goal": "goals/g.md", "review": "reviews/r.md", "vision": "vision.md", "note": "notes/n.md",
}


def parse(kind: Kind, text: str | bytes, plan_rel: str | None = None) -> tuple[Document, list[str]]:
    data = text.encode() if isinstance(text, str) else text
    doc, diags = parse_document(source(kind, plan_rel or DEFAULT_PATHS[kind]), data)
    return doc, [str(d) for d in diags]


def goal(text: str) -> tuple[Document, list[str]]:
    return parse("goal", GOAL_HEAD + text + "---\n")


# --- every error, exactly as reported --------------------------------------------------

G = "plans/goals/g.md"
R = "plans/reviews/r.md"
V = "plans/vision.md"
N = "plans/notes/n.md"

ERRORS = [
    # required keys
    ("missing-target", "goal", "---\ntitle: T\nhorizon: long\n---\n",
     [f"{G}:1:1: error: missing required key 'target'"]),
    ("no-frontmatter-goal", "goal", "# Just a body\n",
     [f"{G}:1:1: error: missing required key 'horizon'",
      f"{G}:1:1: error: missing required key 'target'",
      f"{G}:1:1: error: missing required key 'title'"]),
    ("missing-date", "review", "---\nmood: 3\n---\n",
     [f"{R}:1:1: error: missing required key 'date'"]),
    ("empty-mapping-review", "review", "---\n---\n",
     [f"{R}:1:1: error: missing required key 'date'"]),
    # values taken as written
    ("title-bool", "goal", "---\ntitle: NO\nhorizon: long\ntarget: 2030\n---\n",
     [f'{G}:2:8: error: title: expected text, got a boolean (NO); put it in quotes: "NO"']),
    ("title-float", "goal", "---\ntitle: 3.10\nhorizon: long\ntarget: 2030\n---\n",
     [f'{G}:2:8: error: title: expected text, got a number (3.10); put it in quotes: "3.10"']),
    ("title-sexagesimal", "goal", "---\ntitle: 1:30\nhorizon: long\ntarget: 2030\n---\n",
     [f'{G}:2:8: error: title: expected text, got a number (1:30); put it in quotes: "1:30"']),
    ("title-off", "note", "---\ntitle: off\n---\n",
     [f'{N}:2:8: error: title: expected text, got a boolean (off); put it in quotes: "off"']),
    ("title-list", "vision", "---\ntitle: [a]\n---\n",
     [f"{V}:2:8: error: title: expected text, got a list"]),
    ("title-empty-goal", "goal", "---\ntitle: ''\nhorizon: long\ntarget: 2030\n---\n",
     [f"{G}:2:8: error: title: must not be empty"]),
    ("title-null-goal", "goal", "---\ntitle:\nhorizon: long\ntarget: 2030\n---\n",
     [f"{G}:2:7: error: title: expected text, got nothing"]),
    # dates
    ("target-free-text", "goal", "---\ntitle: T\nhorizon: long\ntarget: next year\n---\n",
     [f"{G}:4:9: error: target: expected a date such as 2027-06-30, got 'next year'"]),
    ("target-impossible", "goal", "---\ntitle: T\nhorizon: long\ntarget: 2027-02-30\n---\n",
     [f"{G}:4:9: error: target: expected a date such as 2027-06-30, got '2027-02-30'"]),
    ("target-month-13", "goal", "---\ntitle: T\nhorizon: long\ntarget: '2027-13'\n---\n",
     [f"{G}:4:9: error: target: expected a date such as 2027-06-30, got '2027-13'"]),
    ("target-quarter-5", "goal", "---\ntitle: T\nhorizon: long\ntarget: 2027-Q5\n---\n",
     [f"{G}:4:9: error: target: expected a date such as 2027-06-30, got '2027-Q5'"]),
    ("target-short-year", "goal", "---\ntitle: T\nhorizon: long\ntarget: 27\n---\n",
     [f"{G}:4:9: error: target: expected a date such as 2027-06-30, got '27'"]),
    ("target-null", "goal", "---\ntitle: T\nhorizon: long\ntarget:\n---\n",
     [f"{G}:4:8: error: target: expected a date such as 2027-06-30, got nothing"]),
    ("start-bad", "goal", GOAL_HEAD + "start: soon\n---\n",
     [f"{G}:5:8: error: start: expected a date such as 2027-06-30, got 'soon'"]),
    ("updated-bad", "vision", "---\nupdated: [2027]\n---\n",
     [f"{V}:2:10: error: updated: expected a date such as 2027-06-30, got a list"]),
    ("review-date-month", "review", "---\ndate: 2026-09\n---\n",
     [f"{R}:2:7: error: date: expected a day such as 2027-06-30, got '2026-09'"]),
    ("review-date-quarter", "review", "---\ndate: 2026-Q3\n---\n",
     [f"{R}:2:7: error: date: expected a day such as 2027-06-30, got '2026-Q3'"]),
    ("review-date-year", "review", "---\ndate: 2026\n---\n",
     [f"{R}:2:7: error: date: expected a day such as 2027-06-30, got '2026'"]),
    # choices and numbers
    ("horizon", "goal", "---\ntitle: T\nhorizon: medium\ntarget: 2027\n---\n",
     [f"{G}:3:10: error: horizon: expected 'long' or 'short', got 'medium'"]),
    ("status", "goal", GOAL_HEAD + "status: done\n---\n",
     [f"{G}:5:9: error: status: expected one of 'planned', 'active', 'achieved', 'dropped', "
      "'paused', got 'done'"]),
    ("achieved-without-status", "goal", GOAL_HEAD + "status: active\nachieved: 2027-05-02\n---\n",
     [f"{G}:6:1: error: achieved: only a goal with status 'achieved' has an achieved date "
      "(status is 'active')"]),
    ("progress-range", "goal", GOAL_HEAD + "progress: 150\n---\n",
     [f"{G}:5:11: error: progress: expected a whole number from 0 to 100, got 150"]),
    ("progress-negative", "goal", GOAL_HEAD + "progress: -1\n---\n",
     [f"{G}:5:11: error: progress: expected a whole number from 0 to 100, got -1"]),
    ("progress-bool", "goal", GOAL_HEAD + "progress: yes\n---\n",
     [f"{G}:5:11: error: progress: expected a whole number from 0 to 100, got a boolean "
      "(yes)"]),
    ("progress-float", "goal", GOAL_HEAD + "progress: 50.5\n---\n",
     [f"{G}:5:11: error: progress: expected a whole number from 0 to 100, got a number "
      "(50.5)"]),
    ("progress-text", "goal", GOAL_HEAD + "progress: '50'\n---\n",
     [f"{G}:5:11: error: progress: expected a whole number from 0 to 100, got text ('50')"]),
    ("mood", "review", "---\ndate: 2026-09-04\nmood: 6\n---\n",
     [f"{R}:3:7: error: mood: expected a whole number from 1 to 5, got 6"]),
    # lists and references
    ("parent-number", "goal", GOAL_HEAD + "parent: [a, 2027]\n---\n",
     [f'{G}:5:13: error: parent: expected a goal id, got a number (2027); put it in quotes: '
      '"2027"']),
    ("parent-mapping", "goal", GOAL_HEAD + "parent: {a: 1}\n---\n",
     [f"{G}:5:9: error: parent: expected a goal id or a list of goal ids, got a mapping"]),
    ("tags-item", "goal", GOAL_HEAD + "tags: [sales, on]\n---\n",
     [f'{G}:5:15: error: tags: expected text, got a boolean (on); put it in quotes: "on"']),
    ("develop-mapping", "goal", GOAL_HEAD + "develop: {a: b}\n---\n",
     [f"{G}:5:10: error: develop: expected a list of text, got a mapping"]),
    ("milestones-not-list", "goal", GOAL_HEAD + "milestones: soon\n---\n",
     [f"{G}:5:13: error: milestones: expected a list of milestones (title, due, done), got "
      "text ('soon')"]),
    ("milestone-not-mapping", "goal", GOAL_HEAD + "milestones:\n  - Sign the deal\n---\n",
     [f"{G}:6:5: error: milestones: expected a milestone (a mapping with title, due and "
      "done), got text ('Sign the deal')"]),
    ("milestone-fields", "goal",
     GOAL_HEAD + "milestones:\n  - title: A\n    due: soon\n    done: maybe\n  - due: 2027\n"
     "---\n",
     [f"{G}:7:10: error: milestone due: expected a date such as 2027-06-30, got 'soon'",
      f"{G}:8:11: error: milestone done: expected true, false or a date, got 'maybe'",
      f"{G}:9:5: error: milestone: missing required key 'title'"]),
    ("checkins-not-mapping", "review", "---\ndate: 2026-09-04\ngoals: [a]\n---\n",
     [f"{R}:3:8: error: goals: expected a mapping of goal ids to check-ins (progress, status, "
      "note), got a list"]),
    ("checkin-values", "review",
     "---\ndate: 2026-09-04\ngoals:\n  a: {progress: 101, status: nope, note: NO}\n  b: 5\n"
     "---\n",
     [f"{R}:4:17: error: check-in progress: expected a whole number from 0 to 100, got 101",
      f"{R}:4:30: error: check-in status: expected one of 'planned', 'active', 'achieved', "
      "'dropped', 'paused', got 'nope'",
      f'{R}:4:42: error: check-in note: expected text, got a boolean (NO); put it in quotes: '
      '"NO"',
      f"{R}:5:6: error: goals: 'b': expected a check-in (a mapping with progress, status and "
      "note), got a number (5)"]),
    ("hard-values", "vision", "---\nhard_values:\n  Salary: 60000\nsoft_values: yes\n---\n",
     [f'{V}:3:11: error: hard_values: expected text, got a number (60000); put it in quotes: '
      '"60000"',
      f"{V}:4:14: error: soft_values: expected a mapping of labels to text, or a list of "
      "text, got a boolean (yes)"]),
    # private
    ("private-off", "goal", GOAL_HEAD + "private: off\n---\n",
     [f"{G}:5:10: error: private: expected true, false or a mapping, got 'off'"]),
    ("private-yes", "note", "---\nprivate: yes\n---\n",
     [f"{N}:2:10: error: private: expected true, false or a mapping, got 'yes'"]),
    ("private-quoted", "goal", GOAL_HEAD + 'private: "false"\n---\n',
     [f'{G}:5:10: error: private: expected true, false or a mapping, got the quoted text '
      '"false"; write it without quotes']),
    ("private-quoted-true", "review", "---\ndate: 2026-09-04\nprivate: 'true'\n---\n",
     [f'{R}:3:10: error: private: expected true, false or a mapping, got the quoted text '
      '"true"; write it without quotes']),
    ("private-empty", "vision", "---\nprivate:\n---\n",
     [f"{V}:2:9: error: private: expected true, false or a mapping, got nothing"]),
    ("private-number", "note", "---\nprivate: 0\n---\n",
     [f"{N}:2:10: error: private: expected true, false or a mapping, got '0'"]),
    ("private-list", "note", "---\nprivate: [salary]\n---\n",
     [f"{N}:2:10: error: private: expected true, false or a mapping, got a list"]),
    ("private-tagged", "note", "---\nprivate: !!bool true\n---\n",
     [f"{N}:2:10: error: YAML tags are not allowed (!!bool)"]),
    ("private-duplicate", "goal", GOAL_HEAD + "private: true\nprivate: false\n---\n",
     [f"{G}:6:1: error: duplicate key 'private' (first on line 5)"]),
    # misspellings
    ("tagret", "goal", GOAL_HEAD + "tagret: 2028\n---\n",
     [f"{G}:5:1: warning: unknown key 'tagret': did you mean 'target'?"]),
    ("Title", "note", "---\nTitle: x\n---\n",
     [f"{N}:2:1: warning: unknown key 'Title': did you mean 'title'?"]),
    ("mod", "review", "---\ndate: 2026-09-04\nmod: 3\n---\n",
     [f"{R}:3:1: warning: unknown key 'mod': did you mean 'mood'?"]),
    ("hard-value", "vision", "---\nhard_value: [x]\n---\n",
     [f"{V}:2:1: warning: unknown key 'hard_value': did you mean 'hard_values'?"]),
    ("milestone-tilte", "goal",
     GOAL_HEAD + "milestones:\n  - due: 2027\n    tilte: A\n    title: A\n---\n",
     [f"{G}:7:5: warning: unknown key 'tilte' in a milestone: did you mean 'title'?"]),
    ("checkin-progres", "review",
     "---\ndate: 2026-09-04\ngoals:\n  a:\n    progres: 40\n---\n",
     [f"{R}:5:5: warning: unknown key 'progres' in a check-in: did you mean 'progress'?"]),
]
PRIVATE_MISSES = [
    (key, [f"{G}:5:1: error: unknown key '{key}': did you mean 'private'? (a near miss of "
           "'private' is an error, so a mistake never publishes)"])
    for key in ("privat", "Private", "PRIVATE", "PRIVAT", "privacy", "pirvate", "prvate")
]


@pytest.mark.parametrize(("kind", "text", "expected"),
                         [pytest.param(k, t, e, id=i) for i, k, t, e in ERRORS])
def test_error_messages(kind: Kind, text: str, expected: list[str]) -> None:
    _, diags = parse(kind, text)
    assert diags == expected


@pytest.mark.parametrize(("key", "expected"), PRIVATE_MISSES)
def test_near_miss_of_private_is_an_error_and_fails_closed(key: str, expected: list[str]) -> None:
    doc, diags = goal(f"{key}: true\n")
    assert diags == expected
    assert doc.private is True
    assert key not in doc.meta


def test_private_in_a_milestone_or_check_in_is_an_error() -> None:
    _, diags = goal("milestones:\n  - title: A\n    private: true\n")
    assert diags == [f"{G}:7:5: error: unknown key 'private' in a milestone: only a whole "
                     "document can be private"]
    _, diags = parse("review", "---\ndate: 2026-09-04\ngoals:\n  a: {Private: true}\n---\n")
    assert diags == [f"{R}:4:7: error: unknown key 'Private' in a check-in: only a whole "
                     "document can be private"]


@pytest.mark.parametrize(
    "value", ["off", "yes", "'false'", '"true"', "", "0", "1", "~", "[a]", "privat"])
def test_a_bad_private_never_publishes(value: str) -> None:
    doc, diags = goal(f"private: {value}\n")
    assert doc.private is True
    assert diags and all(" error: " in d for d in diags)


def test_duplicate_private_false_after_true_stays_private() -> None:
    doc, diags = goal("private: true\nprivate: false\n")
    assert diags == [f"{G}:6:1: error: duplicate key 'private' (first on line 5)"]
    assert doc.private is True


@pytest.mark.parametrize(("value", "private"),
                         [("true", True), ("True", True), ("TRUE", True), ("tRuE", True),
                          ("false", False), ("False", False), ("FALSE", False)])
def test_private_words_in_any_case(value: str, private: bool) -> None:
    doc, diags = goal(f"private: {value}\n")
    assert diags == [] and doc.private is private and doc.private_meta == {}


def test_private_mapping_holds_extra_fields_only() -> None:
    doc, diags = goal("salary: public\nprivate:\n  salary: 62 000 SEK\n  manager: Eva\n"
                      "  title: Secret title\n")
    assert diags == []
    assert doc.private is False
    assert doc.title == "T"
    assert dict(doc.private_meta) == {"salary": "62 000 SEK", "manager": "Eva",
                                      "title": "Secret title"}
    assert dict(doc.meta) == {"salary": "public"}


def test_empty_private_mapping_is_public() -> None:
    doc, diags = goal("private: {}\n")
    assert (diags, doc.private, dict(doc.private_meta)) == ([], False, {})


@pytest.mark.parametrize(
    "text",
    ["---\ntitle: [\n---\n", "---\n- a\n---\n", "---\ntitle: x\n", "+++\ntitle = 1\n+++\n",
     b"---\ntitle: \xff\n---\n", b"x" * 1_048_577],
    ids=["syntax", "not-mapping", "unclosed", "toml", "utf8", "too-big"],
)
def test_unreadable_frontmatter_fails_closed(text: str | bytes) -> None:
    doc, diags = parse("goal", text)
    assert doc.private is True
    assert doc.fields is None
    assert doc.title == "g"
    assert len(diags) == 1 and "missing required key" not in diags[0]


# --- dates -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("written", "form", "first", "last"),
    [
        ("2027-06-15", "day", dt.date(2027, 6, 15), dt.date(2027, 6, 15)),
        ("'2027-06-15'", "day", dt.date(2027, 6, 15), dt.date(2027, 6, 15)),
        ("2027-06", "month", dt.date(2027, 6, 1), dt.date(2027, 6, 30)),
        ("2028-02", "month", dt.date(2028, 2, 1), dt.date(2028, 2, 29)),
        ("2027-Q1", "quarter", dt.date(2027, 1, 1), dt.date(2027, 3, 31)),
        ("2027-Q2", "quarter", dt.date(2027, 4, 1), dt.date(2027, 6, 30)),
        ("2027-Q4", "quarter", dt.date(2027, 10, 1), dt.date(2027, 12, 31)),
        ("2029", "year", dt.date(2029, 1, 1), dt.date(2029, 12, 31)),
        ("'2029'", "year", dt.date(2029, 1, 1), dt.date(2029, 12, 31)),
    ],
)
def test_date_forms_as_start_and_target(
    written: str, form: str, first: dt.date, last: dt.date
) -> None:
    doc, diags = parse("goal", f"---\ntitle: T\nhorizon: long\nstart: {written}\n"
                               f"target: {written}\n---\n")
    assert diags == []
    assert isinstance(doc.fields, GoalFields)
    text = written.strip("'")
    assert doc.fields.start == PlanDate(text, form, first, last)  # type: ignore[arg-type]
    assert doc.fields.start.first == first and doc.fields.target.last == last


@pytest.mark.parametrize(
    "written", ["2027-06-15T23:30:00+05:00", "2027-06-15 23:30:00", "2027-06-15t23:30:00Z",
                "2027-6-15T23:30:00-11:00"])
def test_yaml_datetime_is_its_calendar_date_as_written(written: str) -> None:
    doc, diags = parse("review", f"---\ndate: {written}\n---\n")
    assert diags == []
    assert isinstance(doc.fields, ReviewFields)
    assert doc.fields.date == dt.date(2027, 6, 15)
    assert doc.title == "2027-06-15"


# --- whole documents -------------------------------------------------------------------


GOAL = """\
---
title: Lead two renewals
horizon: short
parent: [key-account-manager, "2027"]
start: 2026-06
target: 2027-Q2
status: achieved
achieved: 2027-05-20
progress: 40
milestones:
  - {title: First, due: 2026-09-30, done: 2026-09-12}
  - title: Second
    due: 2027-Q1
    done: false
  - title: Third
develop: [negotiation, pricing]
tags: renewals
team: sales
links: {crm: x}
---
# Heading

- [ ] an action
"""


def test_goal_fields() -> None:
    doc, diags = parse("goal", GOAL, "goals/sales/renewals.md")
    assert diags == []
    assert doc.id == "sales/renewals" and doc.title == "Lead two renewals"
    assert doc.private is False
    assert doc.fields == GoalFields(
        horizon="short",
        target=PlanDate("2027-Q2", "quarter", dt.date(2027, 4, 1), dt.date(2027, 6, 30)),
        start=PlanDate("2026-06", "month", dt.date(2026, 6, 1), dt.date(2026, 6, 30)),
        status="achieved",
        achieved=PlanDate("2027-05-20", "day", dt.date(2027, 5, 20), dt.date(2027, 5, 20)),
        parents=(Ref("key-account-manager", 4, 10), Ref("2027", 4, 31)),
        progress=40,
        milestones=(
            Milestone("First", PlanDate("2026-09-30", "day", dt.date(2026, 9, 30),
                                        dt.date(2026, 9, 30)), True, dt.date(2026, 9, 12), 11),
            Milestone("Second", PlanDate("2027-Q1", "quarter", dt.date(2027, 1, 1),
                                         dt.date(2027, 3, 31)), False, None, 12),
            Milestone("Third", None, False, None, 15),
        ),
        develop=("negotiation", "pricing"),
        tags=("renewals",),
    )
    assert dict(doc.meta) == {"team": "sales", "links": {"crm": "x"}}
    assert dict(doc.key_lines) == {
        "title": 2, "horizon": 3, "parent": 4, "start": 5, "target": 6, "status": 7,
        "achieved": 8, "progress": 9, "milestones": 10, "develop": 16, "tags": 17, "team": 18,
        "links": 19}
    assert doc.body.first_h1 == "Heading"
    assert [(a.text, a.done, a.line) for a in doc.body.actions] == [("an action", False, 23)]


def test_goal_defaults_and_single_parent() -> None:
    doc, diags = goal("parent: long-goal\nstart:\ntags:\n")
    assert diags == []
    assert isinstance(doc.fields, GoalFields)
    f = doc.fields
    assert (f.status, f.start, f.achieved, f.progress, f.milestones, f.develop, f.tags) == (
        "planned", None, None, None, (), (), ())
    assert f.parents == (Ref("long-goal", 5, 9),)


def test_invalid_typed_field_keeps_the_document_without_fields() -> None:
    doc, diags = goal("progress: lots\nextra: 1\n")
    assert len(diags) == 1
    assert doc.fields is None
    assert (doc.id, doc.title, doc.private, dict(doc.meta)) == ("g", "T", False, {"extra": 1})


def test_missing_goal_title_falls_back_to_id() -> None:
    doc, _ = parse("goal", "---\nhorizon: long\ntarget: 2030\n---\n", "goals/sales/big.md")
    assert doc.title == "sales/big" and doc.fields is None


def test_review_fields_and_check_ins() -> None:
    text = ("---\ndate: 2026-09-04\ntitle: After the summer\nmood: 4\ngoals:\n"
            "  sales/renewals: {progress: 70, status: active, note: Going well}\n"
            "  key-account-manager:\n  other:\n    note: 'yes'\n---\n## What went well\n")
    doc, diags = parse("review", text)
    assert diags == []
    assert doc.title == "After the summer"
    assert doc.fields == ReviewFields(
        date=dt.date(2026, 9, 4),
        checkins=(CheckIn(Ref("sales/renewals", 6, 3), 70, "active", "Going well"),
                  CheckIn(Ref("key-account-manager", 7, 3)),
                  CheckIn(Ref("other", 8, 3), note="yes")),
        mood=4,
    )


def test_review_title_defaults_to_the_date() -> None:
    doc, _ = parse("review", "---\ndate: 2026-09-04\n---\n")
    assert doc.title == "2026-09-04"


def test_vision_fields() -> None:
    text = ("---\nupdated: 2026-08\nhard_values:\n  Salary: Top quartile\n  Role: ''\n"
            "  Industry:\nsoft_values:\n  - Explaining hard things\n  - 'yes'\n---\nStatement.\n")
    doc, diags = parse("vision", text)
    assert diags == []
    assert doc.title == "Vision"
    assert doc.fields == VisionFields(
        updated=PlanDate("2026-08", "month", dt.date(2026, 8, 1), dt.date(2026, 8, 31)),
        hard_values=(ValueItem("Salary", "Top quartile"), ValueItem("Role", ""),
                     ValueItem("Industry", "")),
        soft_values=(ValueItem(None, "Explaining hard things"), ValueItem(None, "yes")),
    )


def test_vision_without_frontmatter() -> None:
    doc, diags = parse("vision", "I want to lead.\n")
    assert diags == []
    assert doc.title == "Vision"
    assert doc.fields == VisionFields(None, (), ())


@pytest.mark.parametrize(
    ("text", "title"),
    [("---\ntitle: From key\n---\n# From heading\n", "From key"),
     ("---\nauthor: me\n---\n\n# From heading\n", "From heading"),
     ("# From heading\n", "From heading"),
     ("Just text.\n", "meeting-notes"),
     ("---\ntitle:\n---\n## Not a level one\n", "meeting-notes")],
    ids=["key", "heading", "heading-no-frontmatter", "file-name", "empty-title"],
)
def test_note_title_fallbacks(text: str, title: str) -> None:
    doc, diags = parse("note", text, "notes/meeting-notes.md")
    assert diags == []
    assert doc.title == title and doc.fields is None and doc.id == "notes/meeting-notes"


def test_unknown_keys_are_meta_as_plain_values() -> None:
    doc, diags = parse("note", "---\ncount: 3\nratio: 0.5\nflag: yes\nwhen: 2027-06-15\n"
                               "items: [a, {b: c}]\nnothing:\n---\n")
    assert diags == []
    assert dict(doc.meta) == {"count": 3, "ratio": 0.5, "flag": True,
                              "when": dt.date(2027, 6, 15), "items": ["a", {"b": "c"}],
                              "nothing": None}


def test_known_key_of_another_kind_is_meta_without_warning() -> None:
    doc, diags = parse("note", "---\nhorizon: long\nmood: 3\n---\n")
    assert diags == [] and dict(doc.meta) == {"horizon": "long", "mood": 3}


def test_body_lines_are_file_lines() -> None:
    data = b"\xef\xbb\xbf---\r\ntitle: T\r\nhorizon: long\r\ntarget: 2030\r\n---\r\n\r\n- [x] done\r\n"
    doc, diags = parse("goal", data)
    assert diags == []
    assert [(a.text, a.done, a.line) for a in doc.body.actions] == [("done", True, 7)]


def test_same_document_from_lf_crlf_cr_and_bom() -> None:
    lf = GOAL.encode()
    variants = [lf, b"\xef\xbb\xbf" + lf, lf.replace(b"\n", b"\r\n"), lf.replace(b"\n", b"\r")]
    docs = [parse("goal", v)[0] for v in variants]
    assert all(d == docs[0] for d in docs)


def test_everything_reported_at_once() -> None:
    _, diags = parse("goal", "---\ntitle: NO\nhorizon: mid\ntarget: soon\nx: !!str y\n"
                             "tagret: 1\nprivate: off\n---\n")
    assert diags == [
        f'{G}:2:8: error: title: expected text, got a boolean (NO); put it in quotes: "NO"',
        f"{G}:3:10: error: horizon: expected 'long' or 'short', got 'mid'",
        f"{G}:4:9: error: target: expected a date such as 2027-06-30, got 'soon'",
        f"{G}:5:4: error: YAML tags are not allowed (!!str)",
        f"{G}:6:1: warning: unknown key 'tagret': did you mean 'target'?",
        f"{G}:7:10: error: private: expected true, false or a mapping, got 'off'",
    ]


def test_a_dozen_lines_of_frontmatter_parse_quickly() -> None:
    data = (b"---\ntitle: Lead two renewals\nhorizon: short\nparent: key-account-manager\n"
            b"start: 2026-06\ntarget: 2027-Q2\nstatus: active\nprogress: 40\n"
            b"develop: [negotiation, pricing]\ntags:\n  - negotiation\n  - renewals\n---\n"
            b"Body.\n")
    src = source("goal", "goals/g.md")
    parse_document(src, data)
    best = min(_timed(lambda: parse_document(src, data)) for _ in range(5))
    assert best < 0.001  # typically ~0.1 ms; generous for slow CI machines


def _timed(fn: object) -> float:
    started = time.perf_counter()
    for _ in range(20):
        fn()  # type: ignore[operator]
    return (time.perf_counter() - started) / 20


YAMLISH = st.text(alphabet=st.sampled_from(list("ab:-[]{}'\"!&*#|>?,.~ \t\n\r1\x00\x85\u2028\ufeffé")),
                  max_size=80)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(kind=st.sampled_from(["goal", "review", "vision", "note"]), block=YAMLISH,
       tail=st.binary(max_size=8))
def test_any_input_gives_a_document_and_never_raises(kind: Kind, block: str, tail: bytes) -> None:
    data = ("---\n" + block + "\n---\nbody\n").encode() + tail
    doc, diags = parse_document(source(kind, DEFAULT_PATHS[kind]), data)
    assert doc.source.kind == kind
    assert all(isinstance(d, str) for d in map(str, diags))
    if any(" error: " in str(d) and "private" in str(d) for d in diags):
        assert doc.private


def test_an_unexpected_failure_is_reported_and_fails_closed(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def boom(*args: object) -> None:
        raise RuntimeError("boom")

    monkeypatch.setattr("careersite.parse._goal", boom)
    doc, diags = goal("")
    assert diags == [f"{G}:1:1: error: cannot read frontmatter: boom"]
    assert (doc.private, doc.fields, doc.title) == (True, None, "g")
