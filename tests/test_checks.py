"""Errors and warnings across documents, through `careersite check` and `build`."""

from __future__ import annotations

import json

from conftest import write_tree

LONG = """\
---
title: Long
horizon: long
start: 2026-01-01
target: 2029-12-31
status: active
---
- [ ] act
"""


def goal(title: str, parent: str = "long", extra: str = "") -> str:
    return (f"---\ntitle: {title}\nhorizon: short\nstart: 2026-06-01\ntarget: 2027-03-31\n"
            f"status: active\nparent: {parent}\n{extra}---\n- [ ] act\n")


def test_unknown_parent_and_review_goal(cli, tmp_path):
    write_tree(tmp_path, {
        "plans/goals/long.md": LONG,
        "plans/goals/a.md": goal("A", parent="nope"),
        "plans/reviews/2026-11-20.md": "---\ndate: 2026-11-20\ngoals:\n  ghost: {progress: 5}\n---\n",
    })
    run = cli("check", "--project", tmp_path)
    assert run.code == 1
    assert run.lines == [
        "plans/goals/a.md:7:9: error: parent: no goal has the id 'nope'",
        "plans/goals/long.md:3:1: warning: long-term goal has no short-term goal leading to it: "
        "what will you do in the next 6–12 months?",
        "plans/reviews/2026-11-20.md:4:3: error: goals: no goal has the id 'ghost'",
    ]


def test_cycle_of_parents_reports_every_goal(cli, tmp_path):
    write_tree(tmp_path, {
        "plans/goals/long.md": LONG,
        "plans/goals/a.md": goal("A", parent="b"),
        "plans/goals/b.md": goal("B", parent="[long, a]"),
    })
    run = cli("check", "--project", tmp_path)
    assert run.code == 1
    assert run.lines == [
        "plans/goals/a.md:7:9: error: parent: goals lead to each other in a cycle: a → b → a",
        "plans/goals/b.md:7:16: error: parent: goals lead to each other in a cycle: a → b → a",
    ]


def test_broken_links_are_located(cli, tmp_path):
    write_tree(tmp_path, {
        "plans/goals/long.md": LONG + "\nSee [x](missing.md) and [[ghost]].\n\n[r]: ../nope.md\n\nUse [ref][r].\n",
        "plans/goals/a.md": goal("A"),
        "plans/notes/doc.md": "Read [the file](file.docx).\n",
        "plans/notes/file.docx": "binary",
    })
    run = cli("check", "--project", tmp_path)
    assert run.code == 1
    assert run.lines == [
        "plans/goals/long.md:10:5: error: broken link 'missing.md': no such file in the plans folder",
        "plans/goals/long.md:10:25: error: broken link [[ghost]]: no goal, review or note has the id 'ghost'",
        "plans/goals/long.md:14:5: error: broken link '../nope.md': no such file in the plans folder",
        "plans/notes/doc.md:1:6: error: broken link 'file.docx': the file is not published "
        "(only .md documents and images, PDF, text and CSV files are)",
    ]


def test_url_collisions(cli, tmp_path):
    write_tree(tmp_path, {
        "plans/goals/long.md": LONG,
        "plans/goals/a.md": goal("A"),
        "plans/notes/Plan.md": "# One\n",
        "plans/notes/plan.md": "# Two\n",
        "plans/timeline.md": "# Mine\n",
        "plans/goals/index.md": goal("Index"),
    })
    run = cli("check", "--project", tmp_path)
    assert run.code == 1
    assert run.lines == [
        "plans/goals/index.md:1:1: error: this page's URL goals/index.html is taken by a "
        "generated page; rename the file",
        "plans/notes/Plan.md:1:1: error: URL notes/plan.html collides with plans/notes/plan.md; "
        "rename one of them",
        "plans/notes/plan.md:1:1: error: URL notes/plan.html collides with plans/notes/Plan.md; "
        "rename one of them",
        "plans/timeline.md:1:1: error: this page's URL timeline.html is taken by a generated "
        "page; rename the file",
    ]


def test_method_warnings(cli, tmp_path):
    write_tree(tmp_path, {
        "plans/goals/long.md": LONG,
        "plans/goals/lonely.md": "---\ntitle: Lonely\nhorizon: short\nstart: 2026-01-01\n"
                                 "target: 2027-06-30\nstatus: active\n---\n",
        "plans/goals/brief.md": "---\ntitle: Brief long\nhorizon: long\nstart: 2026-01-01\n"
                                "target: 2027-01-01\nstatus: planned\n---\n",
        "plans/goals/a.md": goal("A", parent="[long, brief]"),
        "plans/reviews/2026-09-01.md": "---\ndate: 2026-09-01\n---\n",
    })
    run = cli("check", "--project", tmp_path)
    assert run.code == 0
    assert run.lines == [
        "plans/goals/brief.md:5:1: warning: long-term goal spans 1.0 years (2026-01-01 to "
        "2027-01-01): long-term goals are 3–5 years",
        "plans/goals/lonely.md:3:1: warning: short-term goal has no parent: which long-term "
        "goal does it lead to?",
        "plans/goals/lonely.md:5:1: warning: short-term goal spans 18 months (2026-01-01 to "
        "2027-06-30): short-term goals are 6–12 months; split it or make it long-term",
        "plans/goals/lonely.md:6:1: warning: active goal has no milestones and no actions: "
        "add milestones or an action plan",
        "plans/reviews/2026-09-01.md:2:1: warning: the last review was 91 days ago; the plan "
        "asks for one every 30 days: time for a check-in",
    ]
    assert cli("check", "--project", tmp_path, "--strict").code == 1


def test_check_json_report(cli, tmp_path):
    write_tree(tmp_path, {"plans/goals/long.md": LONG, "plans/goals/a.md": goal("A", "nope")})
    run = cli("check", "--project", tmp_path, "--format", "json")
    assert run.code == 1
    report = json.loads(run.out)
    assert report["ok"] is False and report["errors"] == 1
    assert report["diagnostics"][0] == {
        "path": "plans/goals/a.md", "line": 7, "col": 9, "severity": "error",
        "message": "parent: no goal has the id 'nope'"}


def test_build_with_errors_writes_nothing(cli, tmp_path):
    write_tree(tmp_path, {"plans/goals/long.md": LONG, "plans/goals/a.md": goal("A", "nope")})
    run = cli("build", "--project", tmp_path)
    assert run.code == 1
    assert not (tmp_path / "output").exists()


def test_usage_errors_exit_2(cli, tmp_path):
    assert cli("build", "--project", tmp_path / "nowhere").code == 2
    run = cli("check", "--format", "xml")
    assert run.code == 2
    assert "invalid choice: 'xml'" in run.err
