"""`careersite status`: the plan in the terminal, text line by line and JSON field by field."""

from __future__ import annotations

import json
import os
import pty
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import ROOT, TODAY_EPOCH, write_tree

PLAN = {
    "careersite.toml": 'title = "Test plan"\nreview_every_days = 30\n',
    "plans/goals/lead.md": """\
        ---
        title: Lead
        horizon: long
        start: 2025-01
        target: 2029-12-31
        status: active
        progress: 25
        milestones:
          - {title: Told my manager, due: 2026-04-30, done: 2026-04-22}
          - {title: Own an account, due: 2027-01-15, done: false}
        ---
        """,
    "plans/goals/plans.md": """\
        ---
        title: Plans
        horizon: short
        parent: lead
        start: 2026-06
        target: 2027-02-28
        status: active
        milestones:
          - {title: Plan 1, due: 2026-10-31, done: true}
          - {title: Plan 2, due: 2026-11-15, done: false}
        ---
        - [x] a
        - [ ] b
        """,
    "plans/goals/old.md": """\
        ---
        title: Old
        horizon: short
        parent: lead
        target: 2026-10-31
        status: active
        ---
        """,
    "plans/goals/done.md": """\
        ---
        title: Done
        horizon: short
        parent: lead
        target: 2026-09
        status: achieved
        achieved: 2026-08-28
        ---
        """,
    "plans/goals/solo.md": """\
        ---
        title: Solo
        horizon: short
        target: 2027-06
        status: planned
        ---
        """,
    "plans/reviews/2026-10-20.md": """\
        ---
        date: 2026-10-20
        goals:
          plans: {progress: 40}
        ---
        """,
}

EXPECTED = """\
Test plan
2026-12-01: 5 goals (3 active, 1 planned, 1 achieved)

Goals
  [#####...............]  25%  long   active    2029-12-31  Lead
  [####################] 100%  short  achieved  2026-09-30    Done
  [....................]   0%  short  active    2026-10-31    Old  overdue
  [########............]  40%  short  active    2027-02-28    Plans
  [....................]   0%  short  planned   2027-06-30  Solo

Overdue
  2026-10-31  31 days ago    goal       Old
  2026-11-15  16 days ago    milestone  Plan 2 (Plans)

Next 90 days
  2027-01-15  in 45 days     milestone  Own an account (Lead)
  2027-02-28  in 89 days     goal       Plans

Review
  Last review: 2026-10-20 (42 days ago); the plan asks for one every 30 days.
  Time for a review. Write one with: careersite new review

The plan has 0 errors and 3 warnings: careersite check
"""


def test_status_text_line_by_line(cli, tmp_path):
    write_tree(tmp_path, PLAN)
    run = cli("status", "--project", tmp_path)
    assert run.code == 0
    assert run.out.splitlines() == EXPECTED.splitlines()
    assert run.out == EXPECTED
    assert "\x1b[" not in run.out


def test_status_json_field_by_field(cli, tmp_path):
    write_tree(tmp_path, PLAN)
    run = cli("status", "--project", tmp_path, "--format", "json")
    assert run.code == 0
    data = json.loads(run.out)
    assert list(data) == ["title", "today", "goals", "by_status", "tree", "overdue", "upcoming",
                          "review", "errors", "warnings"]
    assert data["title"] == "Test plan"
    assert data["today"] == "2026-12-01"
    assert data["goals"] == 5
    assert data["by_status"] == {"achieved": 1, "active": 3, "planned": 1}
    lead, solo = data["tree"]
    assert lead == {
        "id": "lead", "title": "Lead", "horizon": "long", "status": "active", "progress": 25,
        "target": "2029-12-31", "overdue": False, "children": [
            {"id": "done", "title": "Done", "horizon": "short", "status": "achieved",
             "progress": 100, "target": "2026-09-30", "overdue": False, "children": []},
            {"id": "old", "title": "Old", "horizon": "short", "status": "active",
             "progress": 0, "target": "2026-10-31", "overdue": True, "children": []},
            {"id": "plans", "title": "Plans", "horizon": "short", "status": "active",
             "progress": 40, "target": "2027-02-28", "overdue": False, "children": []},
        ]}
    assert solo == {"id": "solo", "title": "Solo", "horizon": "short", "status": "planned",
                    "progress": 0, "target": "2027-06-30", "overdue": False, "children": []}
    assert data["overdue"] == [
        {"kind": "goal", "title": "Old", "due": "2026-10-31", "days": -31, "goal": "old"},
        {"kind": "milestone", "title": "Plan 2", "due": "2026-11-15", "days": -16,
         "goal": "plans"}]
    assert data["upcoming"] == [
        {"kind": "milestone", "title": "Own an account", "due": "2027-01-15", "days": 45,
         "goal": "lead"},
        {"kind": "goal", "title": "Plans", "due": "2027-02-28", "days": 89, "goal": "plans"}]
    assert data["review"] == {
        "last": {"id": "2026-10-20", "title": "2026-10-20", "date": "2026-10-20"},
        "days_since": 42, "every_days": 30, "due": True, "next_by": "2026-11-19"}
    assert (data["errors"], data["warnings"]) == (0, 3)


def test_status_when_the_review_is_not_due_yet(cli, tmp_path):
    write_tree(tmp_path, {**PLAN, "plans/reviews/2026-11-27.md":
                          "---\ndate: 2026-11-27\ntitle: End of November\n---\n"})
    run = cli("status", "--project", tmp_path)
    review = run.out.split("\nReview\n")[1].split("\n\n")[0].splitlines()
    assert review == [
        "  Last review: End of November, 2026-11-27 (4 days ago); the plan asks for one every "
        "30 days.",
        "  Next review by 2026-12-27 (in 26 days)."]
    data = json.loads(cli("status", "--project", tmp_path, "--format", "json").out)
    assert data["review"] == {
        "last": {"id": "2026-11-27", "title": "End of November", "date": "2026-11-27"},
        "days_since": 4, "every_days": 30, "due": False, "next_by": "2026-12-27"}


def test_status_of_an_empty_project(cli, tmp_path):
    run = cli("status", "--project", tmp_path)
    assert run.code == 0
    assert run.out.splitlines() == [
        "Career plan", "2026-12-01: 0 goals", "", "Goals", "  No goals yet: careersite new goal",
        "", "Overdue", "  Nothing overdue.", "", "Next 90 days",
        "  Nothing due in the next 90 days.", "", "Review",
        "  No review yet. Check in against your plan: careersite new review"]
    data = json.loads(cli("status", "--project", tmp_path, "--format", "json").out)
    assert data["review"] == {"last": None, "days_since": None, "every_days": 30, "due": True,
                              "next_by": None}
    assert (data["tree"], data["overdue"], data["upcoming"], data["by_status"]) == ([], [], [],
                                                                                   {})


def test_status_shows_private_goals_and_plan_errors(cli, tmp_path):
    write_tree(tmp_path, {
        "plans/goals/secret.md": "---\ntitle: Secret\nhorizon: long\ntarget: 2030\n"
                                 "private: true\n---\n",
        "plans/goals/bad.md": "---\ntitle: Bad\nhorizon: mid\ntarget: 2030\n---\n"})
    run = cli("status", "--project", tmp_path)
    assert run.code == 0
    assert "  [....................]   0%  long   planned   2030-12-31  Secret" in run.out
    assert "Bad" not in run.out
    last = run.out.splitlines()[-1]
    assert last.startswith("The plan has 1 error and ") and last.endswith(": careersite check")


def test_status_of_a_missing_folder_is_a_usage_error(cli, tmp_path):
    run = cli("status", "--project", tmp_path / "nope")
    assert run.code == 2 and "no such project folder" in run.err


def test_status_colour_always_and_never(cli, tmp_path):
    write_tree(tmp_path, PLAN)
    coloured = cli("status", "--project", tmp_path, "--color", "always").out
    assert "\x1b[31;1moverdue\x1b[0m" in coloured
    assert "\x1b[1mGoals\x1b[0m" in coloured
    plain = cli("status", "--project", tmp_path, "--color", "never").out
    assert plain == EXPECTED


def _on_a_terminal(project: Path, **env: str) -> str:
    """Run `careersite status` with its output on a pseudo-terminal; what it wrote."""
    master, slave = pty.openpty()
    environ = {"PATH": os.environ.get("PATH", ""), "SOURCE_DATE_EPOCH": TODAY_EPOCH,
               "PYTHONIOENCODING": "utf-8", **env}
    proc = subprocess.Popen([sys.executable, "-m", "careersite", "status", "--project",
                             str(project)], stdout=slave, stderr=subprocess.PIPE, cwd=ROOT,
                            env=environ)
    os.close(slave)
    chunks = []
    while True:
        try:
            chunk = os.read(master, 65536)
        except OSError:  # EIO: the other end closed
            break
        if not chunk:
            break
        chunks.append(chunk)
    os.close(master)
    assert proc.wait(timeout=60) == 0
    return b"".join(chunks).decode("utf-8").replace("\r\n", "\n")


@pytest.mark.skipif(sys.platform == "win32", reason="pseudo-terminals are POSIX")
def test_status_on_a_terminal_has_colour_unless_no_color(tmp_path):
    write_tree(tmp_path, PLAN)
    shown = _on_a_terminal(tmp_path)
    assert "\x1b[" in shown
    assert "█" in shown and "░" in shown
    plain = _on_a_terminal(tmp_path, NO_COLOR="1")
    assert "\x1b[" not in plain
    assert "  [█████░░░░░░░░░░░░░░░]  25%  long   active    2029-12-31  Lead" in plain.splitlines()
