"""History from git: goal History sections, created/changed lines, the changelog, chart
points and timeline events, from real repositories with commits at set dates."""

from __future__ import annotations

import json
from pathlib import Path

from conftest import soup
from gitrepo import Repo, goal

from careersite.history_views import CHANGELOG_TYPES


def build(cli, root: Path, *args: str | Path):  # type: ignore[no-untyped-def]
    run = cli("build", "--project", root, *args)
    assert run.code == 0, run.err
    return run


def history_items(page: Path) -> list[tuple[str, str]]:
    """(datetime, words) of each item of a goal page's History section, as shown."""
    section = soup(page).select_one("section.goal-history")
    assert section is not None
    return [(li.time["datetime"], li.select_one(".hist-what").get_text(" ", strip=True))
            for li in section.select("li")]


def doc_line(page: Path) -> str:
    found = soup(page).select_one(".doc-history")
    return found.get_text(" ", strip=True) if found else ""


def changelog(page: Path) -> list[tuple[str, list[str]]]:
    """(day, ["Kind Title — words", ...]) per day group of history.html, as shown."""
    days = []
    for section in soup(page).select("section.hist-day"):
        items = [li.get_text(" ", strip=True) for li in section.select("li.hist-ev")]
        days.append((section.h2.time["datetime"], items))
    return days


def deal_history(repo: Repo) -> None:
    """A goal whose target, status, progress and milestones change over four commits."""
    ms = "milestones:\n  - {title: First 1 MSEK deal, due: 2027-03, done: %s}\n"
    repo.commit("2026-01-10", "Set the deal goal", {
        "plans/goals/deal.md": goal(target="2027-06-30", status="planned", progress=20,
                                    extra=ms % "false")})
    repo.commit("2026-03-05", "Push the target", {
        "plans/goals/deal.md": goal(target="2027-09-30", status="active", progress=45,
                                    extra=ms % "true")})
    repo.commit("2026-04-01", "Only the body", {
        "plans/goals/deal.md": goal(target="2027-09-30", status="active", progress=45,
                                    extra=ms % "true", body="Why it matters, rewritten.")})
    repo.commit("2026-05-20", "Done!", {
        "plans/goals/deal.md": goal(target="2027-09-30", status="achieved", progress=None,
                                    extra=ms % "true" + "achieved: 2026-05-19\n")})


def test_goal_page_history_in_the_plans_words(cli, tmp_path):
    repo = Repo(tmp_path)
    deal_history(repo)
    build(cli, tmp_path)
    page = tmp_path / "output/goals/deal.html"
    assert history_items(page) == [
        ("2026-05-20", "achieved (2026-05-19)"),
        ("2026-03-05", "target moved from 2027-06-30 to 2027-09-30"),
        ("2026-03-05", "status planned → active"),
        ("2026-03-05", "progress 20 → 45"),
        ("2026-03-05", "milestone 'First 1 MSEK deal' done"),
        ("2026-01-10", "goal set"),
    ]
    assert doc_line(page) == "Created 10 Jan 2026 · last changed 20 May 2026 · 4 revisions"
    times = soup(page).select(".doc-history time")
    assert [t["datetime"] for t in times] == ["2026-01-10", "2026-05-20"]


def test_every_document_page_has_created_changed_and_revisions(cli, tmp_path):
    repo = Repo(tmp_path)
    repo.commit("2026-02-01", "Start", {
        "plans/vision.md": "---\ntitle: Vision\n---\nWhere I go.\n",
        "plans/reviews/2026-02-01.md": "---\ndate: 2026-02-01\n---\nFine.\n",
        "plans/notes/coach.md": "# Coach\n\nNotes.\n",
        "plans/goals/deal.md": goal(),
    })
    repo.commit("2026-02-15", "Revise the vision", {
        "plans/vision.md": "---\ntitle: Vision\n---\nWhere I go, revised.\n"})
    build(cli, tmp_path)
    out = tmp_path / "output"
    assert doc_line(out / "vision.html") == (
        "Created 1 Feb 2026 · last changed 15 Feb 2026 · 2 revisions")
    for page in ("reviews/2026-02-01.html", "notes/coach.html", "goals/deal.html"):
        assert doc_line(out / page) == (
            "Created 1 Feb 2026 · last changed 1 Feb 2026 · 1 revision"), page
    assert doc_line(out / "index.html") == ""


def test_changelog_newest_first_grouped_by_date(cli, tmp_path):
    repo = Repo(tmp_path)
    repo.commit("2026-01-10", "Start", {
        "plans/vision.md": "---\ntitle: Vision\n---\nFirst take.\n",
        "plans/goals/deal.md": goal("First deal"),
        "plans/goals/old.md": goal("Old goal"),
        "plans/goals/talk.md": goal("Give a talk"),
    })
    repo.commit("2026-02-01", "Target", {"plans/goals/deal.md": goal(target="2027-12-31")})
    repo.move("2026-02-01", "plans/goals/old.md", "plans/goals/renamed.md")
    repo.commit("2026-03-01", "Review and vision", {
        "plans/reviews/2026-03-01.md": "---\ndate: 2026-03-01\ntitle: March check-in\n---\n",
        "plans/vision.md": "---\ntitle: Vision\n---\nSecond take.\n",
        "plans/goals/talk.md": goal("Give a talk", status="dropped"),
    })
    repo.commit("2026-04-01", "Gone", {"plans/goals/deal.md": None})
    build(cli, tmp_path)
    page = tmp_path / "output/history.html"
    assert changelog(page) == [
        ("2026-04-01", ["Goal First deal — goal removed"]),
        ("2026-03-01", ["Goal Give a talk — dropped",
                        "Review March check-in — review added",
                        "Vision Vision — vision revised"]),
        ("2026-02-01", ["Goal Old goal — renamed from old to renamed",
                        "Goal First deal — target moved from 2027-06-30 to 2027-12-31"]),
        ("2026-01-10", ["Goal First deal — goal set", "Goal Give a talk — goal set",
                        "Goal Old goal — goal set", "Vision Vision — vision written"]),
    ]
    links = {a.get_text(): a["href"] for a in soup(page).select("li.hist-ev a")}
    assert links["Old goal"] == "goals/renamed.html"  # renames followed to today's page
    assert links["March check-in"] == "reviews/2026-03-01.html"
    assert "First deal" not in links  # a removed goal has no page to link to
    nav = [a["href"] for a in soup(page).select("header nav a")]
    assert nav[-1] == "history.html"
    renamed = tmp_path / "output/goals/renamed.html"
    assert doc_line(renamed).startswith("Created 10 Jan 2026 · last changed 1 Feb 2026")


def test_changelog_lists_only_plan_level_changes(cli, tmp_path):
    repo = Repo(tmp_path)
    deal_history(repo)
    build(cli, tmp_path)
    kinds = {li["class"][1] for li in soup(tmp_path / "output/history.html")
             .select("li.hist-ev")}
    assert kinds == {"hist-added", "hist-target", "hist-achieved"}
    assert kinds <= {f"hist-{t}" for t in CHANGELOG_TYPES}


def test_progress_chart_gets_a_point_per_commit_that_changed_progress(cli, tmp_path):
    repo = Repo(tmp_path)
    repo.commit("2026-01-10", "Set", {"plans/goals/deal.md": goal(progress=20)})
    repo.commit("2026-02-10", "Text", {"plans/goals/deal.md": goal(progress=20, body="More.")})
    repo.commit("2026-03-10", "Up", {"plans/goals/deal.md": goal(progress=45)})
    repo.commit("2026-04-02", "Review", {"plans/reviews/2026-04-01.md": """\
        ---
        date: 2026-04-01
        goals:
          deal: {progress: 50}
        ---
        """})
    repo.commit("2026-05-10", "Computed", {"plans/goals/deal.md": goal(
        progress=None, body="- [x] one\n- [x] two\n- [ ] three\n")})
    build(cli, tmp_path)
    svg = soup(tmp_path / "output/goals/deal.html").select_one("svg.pc-chart")
    points = [(p["data-day"], p["data-progress"], p.select_one(".pc-point")["class"][1])
              for p in svg.select(".pc-link")]
    assert points == [("2026-01-10", "20", "pc-commit"), ("2026-03-10", "45", "pc-commit"),
                      ("2026-04-01", "50", "pc-review"), ("2026-05-10", "67", "pc-commit")]
    legend = soup(tmp_path / "output/goals/deal.html").select_one(".pc-legend").get_text()
    assert "Squares: progress as committed" in legend
    assert history_items(tmp_path / "output/goals/deal.html")[0] == (
        "2026-05-10", "progress 45 → 67 (computed from milestones and actions)")


def test_timeline_gets_goal_set_and_achieved_from_history(cli, tmp_path):
    repo = Repo(tmp_path)
    repo.commit("2026-01-10", "Set", {"plans/goals/deal.md": goal(status="active")})
    repo.commit("2026-06-03", "Done", {"plans/goals/deal.md": goal(status="achieved")})
    build(cli, tmp_path)
    events = soup(tmp_path / "output/timeline.html").select("li.tl-ev")
    seen = [(e["class"][1], e.time["datetime"]) for e in events]
    assert ("tl-ev-goal-set", "2026-01-10") in seen
    assert ("tl-ev-goal-achieved", "2026-06-03") in seen  # no `achieved:` date written
    assert not [c for c, _ in seen if c == "tl-ev-goal-target"]


def test_renames_are_followed_for_created_and_revisions(cli, tmp_path):
    repo = Repo(tmp_path)
    repo.commit("2026-01-10", "Set", {"plans/goals/a.md": goal("Moving goal")})
    repo.move("2026-02-10", "plans/goals/a.md", "plans/goals/sub/b.md")
    repo.commit("2026-03-10", "Edit", {"plans/goals/sub/b.md": goal("Moving goal", progress=30)})
    build(cli, tmp_path)
    page = tmp_path / "output/goals/sub/b.html"
    assert doc_line(page) == "Created 10 Jan 2026 · last changed 10 Mar 2026 · 3 revisions"
    assert history_items(page) == [("2026-03-10", "progress 20 → 30"),
                                   ("2026-02-10", "renamed from a to sub/b"),
                                   ("2026-01-10", "goal set")]


def test_merge_is_read_along_the_first_parent(cli, tmp_path):
    repo = Repo(tmp_path)
    repo.commit("2026-01-10", "Set", {"plans/goals/deal.md": goal(progress=10)})
    repo.git("checkout", "-q", "-b", "side")
    repo.commit("2026-02-10", "Side work", {"plans/goals/side.md": goal("Side goal")})
    repo.git("checkout", "-q", "main")
    repo.commit("2026-02-15", "Main work", {"plans/goals/deal.md": goal(progress=30)})
    repo.git("merge", "-q", "--no-edit", "side", date="2026-03-01")
    build(cli, tmp_path)
    assert history_items(tmp_path / "output/goals/side.html") == [("2026-03-01", "goal set")]
    assert history_items(tmp_path / "output/goals/deal.html")[0] == (
        "2026-02-15", "progress 10 → 30")


def test_history_page_without_changes_and_cache_is_git_ignored(cli, tmp_path):
    repo = Repo(tmp_path)
    repo.commit("2026-01-10", "Set", {"plans/goals/deal.md": goal()})
    build(cli, tmp_path)
    cache = tmp_path / ".careersite"
    assert (cache / ".gitignore").read_text().splitlines()[-1] == "*"
    assert repo.git("status", "--porcelain", "--", ".careersite") == ""
    stored = json.loads((cache / "history-public.json").read_text())
    assert stored["key"][2] == repo.git("rev-parse", "HEAD")
