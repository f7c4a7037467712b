"""Whole builds through the real CLI, asserted on the parsed HTML."""

from __future__ import annotations

import shutil
from pathlib import Path
from urllib.parse import unquote, urlsplit

from conftest import ROOT, soup, write_tree

LONG = """\
---
title: Become a key account manager
horizon: long
start: 2026-01-01
target: 2029-Q4
status: active
---
- [ ] act

The long game. [[short-a]] and [[short-b|the second step]] lead here.
"""

SHORT_A = """\
---
title: Short goal A
horizon: short
start: 2026-06
target: 2027-03
status: active
parent: long
milestones:
  - {title: First, due: 2026-09-30, done: 2026-09-12}
  - {title: Second, due: 2027-01-31, done: false}
---
Leads to [the long goal](long.md) and the [vision](../vision.md).

## Action plan

- [x] One
- [ ] Two
"""

SHORT_B = """\
---
title: Short goal B
horizon: short
target: 2027
status: active
parent: [long]
progress: 40
milestones:
  - {title: Only, due: 2027-Q2, done: false}
---
Body of B.
"""

REVIEW = """\
---
date: 2026-11-20
mood: 4
goals:
  short-a: {progress: 70, status: active, note: "Going well"}
---
## What went well

Worked on [[short-a]].
"""

VISION = """\
---
title: My vision
hard_values:
  Salary: Top quartile
soft_values:
  - Explaining hard things simply
---
I want to lead strategic accounts.

More text.
"""


def make_plan(root: Path, extra: dict[str, str] | None = None) -> Path:
    files = {
        "plans/vision.md": VISION,
        "plans/goals/long.md": LONG,
        "plans/goals/short-a.md": SHORT_A,
        "plans/goals/short-b.md": SHORT_B,
        "plans/reviews/2026-11-20.md": REVIEW,
        **(extra or {}),
    }
    return write_tree(root, files)


def local_links(out: Path) -> list[tuple[Path, str]]:
    """(page, target) of every relative link, stylesheet and image of every page."""
    found = []
    for page in out.rglob("*.html"):
        doc = soup(page)
        for tag, attr in (("a", "href"), ("link", "href"), ("img", "src")):
            for el in doc.find_all(tag):
                value = el.get(attr)
                if not value:
                    continue
                parts = urlsplit(value)
                if parts.scheme or parts.netloc or not parts.path:
                    continue
                found.append((page, unquote(parts.path)))
    return found


def test_example_plan_builds_without_warnings_and_every_link_resolves(cli, tmp_path):
    project = tmp_path / "example"
    shutil.copytree(ROOT / "plans", project / "plans")
    shutil.copy(ROOT / "careersite.toml", project / "careersite.toml")
    run = cli("build", "--project", project)
    assert run.code == 0, run.err
    assert run.lines == []
    out = project / "output"
    for md in (project / "plans").rglob("*.md"):
        rel = md.relative_to(project / "plans").as_posix()
        if rel == "vision.md":
            assert (out / "vision.html").is_file()
        elif rel.startswith(("goals/", "reviews/")):
            assert (out / (rel[:-3] + ".html")).is_file(), rel
        else:
            assert (out / (rel[:-3] + ".html")).is_file(), rel
    links = local_links(out)
    assert len(links) > 100
    for page, target in links:
        assert (page.parent / target).resolve().is_file(), f"{page}: {target}"


def test_dashboard_shows_goal_tree_with_progress(cli, tmp_path):
    make_plan(tmp_path)
    assert cli("build", "--project", tmp_path).code == 0
    page = soup(tmp_path / "output/index.html")
    tree = page.select_one(".goal-tree ul.tree")
    assert tree is not None
    top = tree.find_all("li", recursive=False)
    assert [li.find("a").get_text() for li in top] == ["Become a key account manager"]
    kids = top[0].select_one("ul.tree").find_all("li", recursive=False)
    titles = [li.find("a").get_text() for li in kids]
    assert sorted(titles) == ["Short goal A", "Short goal B"]
    for li in kids:
        assert li.select_one(".progress-value").get_text().endswith("%")
        assert li.select_one(".status").get_text(strip=True).endswith("active")


def test_goal_page_links_parents_and_children_both_ways(cli, tmp_path):
    make_plan(tmp_path)
    assert cli("build", "--project", tmp_path).code == 0
    out = tmp_path / "output"
    long_page = soup(out / "goals/long.html")
    child_hrefs = {a["href"] for a in long_page.select(".relations a")}
    assert child_hrefs == {"../goals/short-a.html", "../goals/short-b.html"}
    a_page = soup(out / "goals/short-a.html")
    assert [a["href"] for a in a_page.select(".relations a")] == ["../goals/long.html"]


def progress_of(page: Path) -> str:
    return soup(page).select_one(".facts .progress-value").get_text()


def test_progress_sources(cli, tmp_path):
    make_plan(tmp_path, {
        "plans/goals/computed.md": """\
            ---
            title: Computed
            horizon: short
            target: 2027-06
            parent: long
            status: active
            milestones:
              - {title: M1, due: 2027-01, done: true}
              - {title: M2, due: 2027-02, done: false}
            ---
            - [x] a
            - [ ] b
            - [ ] c
            """,
        "plans/goals/won.md": """\
            ---
            title: Won
            horizon: short
            target: 2026-10
            parent: long
            status: achieved
            achieved: 2026-09-20
            progress: 30
            ---
            """,
    })
    assert cli("build", "--project", tmp_path).code == 0
    out = tmp_path / "output/goals"
    assert progress_of(out / "short-a.html") == "70%"  # from the review
    assert progress_of(out / "short-b.html") == "40%"  # set in the goal
    assert progress_of(out / "computed.html") == "40%"  # 2 of 5 done
    assert progress_of(out / "won.html") == "100%"  # achieved
    how = soup(out / "computed.html").select_one(".progress-how").get_text()
    assert "2 of 5 milestones and actions done" in how
    how = soup(out / "short-a.html").select_one(".progress-how")
    assert how.find("a")["href"] == "../reviews/2026-11-20.html"


def test_date_forms_on_goal_pages(cli, tmp_path):
    make_plan(tmp_path)
    assert cli("build", "--project", tmp_path).code == 0
    out = tmp_path / "output/goals"

    def span(name: str) -> list[str]:
        return [t["datetime"] for t in soup(out / name).select(".facts time")][:2]

    assert span("long.html") == ["2026-01-01", "2029-12-31"]  # quarter target
    assert span("short-a.html") == ["2026-06-01", "2027-03-31"]  # month start and target
    assert span("short-b.html") == ["2026-12-31", "2027-12-31"]  # year target, default start


def test_wikilinks_and_relative_links(cli, tmp_path):
    make_plan(tmp_path)
    assert cli("build", "--project", tmp_path).code == 0
    out = tmp_path / "output"
    body = soup(out / "goals/long.html").select_one(".goal-body")
    links = {a.get_text(): a["href"] for a in body.find_all("a")}
    assert links == {"Short goal A": "short-a.html", "the second step": "short-b.html"}
    body = soup(out / "goals/short-a.html").select_one(".goal-body")
    links = {a.get_text(): a["href"] for a in body.find_all("a")}
    assert links == {"the long goal": "long.html", "vision": "../vision.html"}
    review = soup(out / "reviews/2026-11-20.html")
    assert review.select_one(".review-body a")["href"] == "../goals/short-a.html"


def test_review_checkins_appear_on_goal_page(cli, tmp_path):
    make_plan(tmp_path)
    assert cli("build", "--project", tmp_path).code == 0
    page = soup(tmp_path / "output/goals/short-a.html")
    item = page.select_one(".checkins li")
    assert item.find("a")["href"] == "../reviews/2026-11-20.html"
    assert "progress 70%" in item.get_text()
    assert item.find("blockquote").get_text() == "Going well"
    review = soup(tmp_path / "output/reviews/2026-11-20.html")
    row = review.select_one(".checkin-table tbody tr")
    assert row.find("a")["href"] == "../goals/short-a.html"


def test_development_page_lists_goals_per_area(cli, tmp_path):
    make_plan(tmp_path, {"plans/goals/dev.md": """\
        ---
        title: Negotiate better
        horizon: short
        target: 2027-06
        parent: long
        develop: [negotiation, Financial acumen]
        ---
        """})
    assert cli("build", "--project", tmp_path).code == 0
    page = soup(tmp_path / "output/development.html")
    areas = {s.find("h2").contents[0].strip(): [a["href"] for a in s.find_all("a")]
             for s in page.select("section.area")}
    assert areas == {"Financial acumen": ["goals/dev.html"], "negotiation": ["goals/dev.html"]}
    goal = soup(tmp_path / "output/goals/dev.html")
    assert {a["href"] for a in goal.select(".tags a")} == {
        "../development.html#dev-negotiation", "../development.html#dev-financial-acumen"}


def test_template_override_extends_builtin(cli, tmp_path):
    make_plan(tmp_path, {"templates/goal.html": """\
        {% extends "default/goal.html" %}
        {% block content %}<p id="custom">Custom {{ goal.title }}</p>{{ super() }}{% endblock %}
        """})
    assert cli("build", "--project", tmp_path).code == 0
    page = soup(tmp_path / "output/goals/long.html")
    assert page.select_one("#custom").get_text() == "Custom Become a key account manager"
    assert page.select_one(".goal-body") is not None


def test_template_error_is_located(cli, tmp_path):
    make_plan(tmp_path, {"templates/goal.html": "{% extends 'default/goal.html' %}\n{% block x %}\n"})
    run = cli("build", "--project", tmp_path)
    assert run.code == 1
    assert run.lines[-1] == (
        "templates/goal.html:2:1: error: template: Unexpected end of template. Jinja was "
        "looking for the following tags: 'endblock'. The innermost block that needs to be "
        "closed is 'block'.")
