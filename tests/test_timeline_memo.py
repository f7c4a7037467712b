"""The timeline's memos and fast paths: the same output as the plain way, and nothing kept
from one build, language or plan for another."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import jinja2
import pytest
from conftest import write_tree
from markupsafe import Markup

from careersite import svgkit
from careersite.build import load_project
from careersite.cache import value_digest
from careersite.model import Plan, build_plan
from careersite.render import build_date
from careersite.svgkit import Words, char_em, num, truncate
from careersite.timeline import Axis, goal_timeline, gridlines, horizon_bands, plan_timeline
from careersite.timeline_axis import Canvas, header
from careersite.timeline_svg import GOAL, MAIN

PLAN = {
    "plans/goals/lead.md": """\
        ---
        title: Lead the platform team
        horizon: long
        start: 2026-01
        target: 2029-Q4
        status: active
        progress: 25
        ---
        """,
    "plans/goals/step.md": """\
        ---
        title: First step
        horizon: short
        parent: lead
        start: 2026-Q3
        target: 2027-Q1
        status: active
        milestones:
          - {title: Kick-off held, due: 2026-08-15, done: 2026-08-20}
          - {title: Draft sent, due: 2026-11-15, done: false}
        ---
        """,
}


def build(cli, root: Path) -> Path:  # type: ignore[no-untyped-def]
    run = cli("build", "--project", root)
    assert run.code == 0, run.err
    return root / "output"


def load_plan(project: Path) -> Plan:
    """The project's public plan, made anew (new objects) on every call."""
    today = build_date()
    loaded = load_project(project, today=today)
    return build_plan(loaded.config, loaded.documents, loaded.assets, today=today,
                      private=False)


def goal_svg(out: Path, name: str) -> str:
    page = (out / "goals" / f"{name}.html").read_text(encoding="utf-8")
    return page[page.index('<svg xmlns="http://www.w3.org/2000/svg" class="tl-chart"'):]


# -- the same output as the plain way ------------------------------------------------------


def truncate_by_loop(text: str, width: float, size: float) -> str:
    """svgkit.truncate as it was first written: one character at a time."""
    if sum(char_em(c) for c in text) * size <= width:
        return text
    budget = width - char_em("…") * size
    used = 0.0
    for i, char in enumerate(text):
        used += char_em(char) * size
        if used > budget:
            return text[:i].rstrip() + "…"
    return text


@pytest.mark.parametrize("size", [10.0, 11.0, 12.0])
def test_truncate_cuts_where_a_loop_would(size: float) -> None:
    texts = ["Lead the strategic accounts team", "↳ Lead the strategic accounts team",
             "↑ Äga plattformens säkerhetsarbete", "Ship v2 → then rest ✓ done", "",
             "短い目標とその次の長い目標", "emoji 🚀 in the middle of a long title", "a  b  c" * 9,
             "x" * 300]
    for text in texts:
        for width in [-5.0, 0.0, 7.2, 50.0, 120.5, 183.6, 211.6, 400.0, 3000.0]:
            assert truncate(text, width, size) == truncate_by_loop(text, width, size), (
                text, width)


def test_num_writes_at_most_two_decimals() -> None:
    for _ in range(2):  # the second time from the memo
        assert [num(v) for v in (0.0, -0.0, -0.001, 1.005, 2.5, 3.10, 980, 12.3456, -7.0)] == [
            "0", "0", "0", "1", "2.5", "3.1", "980", "12.35", "-7"]


def test_header_is_the_same_for_any_order_of_heights() -> None:
    axis = Axis(dt.date(2024, 1, 1), dt.date(2031, 1, 1))
    today = dt.date(2026, 12, 1)
    grid, bands = gridlines(axis), horizon_bands(axis, today)
    heights = [120.0, 98.0, 120.0, 76.5]
    warm = Words.english()
    drawn = [header(Canvas(axis, GOAL), warm, today, grid, bands, h) for h in heights]
    for h, text in zip(heights, drawn, strict=True):
        assert header(Canvas(axis, GOAL), Words.english(), today, grid, bands, h) == text
        assert f'y2="{num(h)}"' in text and "\x00" not in text
    assert drawn[0] != drawn[1]


# -- nothing kept for another build, language or plan ---------------------------------------


def test_goal_pages_follow_the_language_of_each_build(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    project = write_tree(tmp_path, PLAN)
    english = goal_svg(build(cli, project), "step")
    (project / "careersite.toml").write_text('language = "sv"\n', encoding="utf-8")
    swedish = goal_svg(build(cli, project), "step")
    (project / "careersite.toml").unlink()
    assert "milestone of Lead" not in english and "milestone of First step" in english
    assert "delmål för First step" in swedish and "milestone of" not in swedish
    assert goal_svg(build(cli, project), "step") == english


def test_a_rebuild_draws_the_edited_goal(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    project = write_tree(tmp_path, PLAN)
    before = goal_svg(build(cli, project), "lead")
    step = project / "plans/goals/step.md"
    step.write_text(step.read_text(encoding="utf-8").replace("First step", "Second step")
                    .replace("Draft sent", "Draft mailed"), encoding="utf-8")
    after = goal_svg(build(cli, project), "lead")
    assert "First step" in before and "Draft sent" in before
    assert "First step" not in after and "Draft sent" not in after
    assert "Second step" in after and "Draft mailed" in after


def test_pages_of_a_plan_share_a_goals_bar_and_a_new_plan_gets_its_own(tmp_path: Path) -> None:
    project = write_tree(tmp_path, PLAN)

    first = load_plan(project)
    lead, step = first.goals["lead"], first.goals["step"]
    on_lead = {r.bar.id: r.bar for r in goal_timeline(first, lead).rows}
    on_step = {r.bar.id: r.bar for r in goal_timeline(first, step).rows}
    assert on_lead["step"] is on_step["step"] and on_lead["lead"] is on_step["lead"]
    second = load_plan(project)
    again = {r.bar.id: r.bar for r in goal_timeline(second, second.goals["lead"]).rows}
    assert again["step"] == on_lead["step"] and again["step"] is not on_lead["step"]


def test_one_words_per_environment_until_new_translations(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(svgkit, "_CURRENT", {})
    env = jinja2.Environment(autoescape=True)
    env.filters["date"] = str
    seen: list[Words] = []

    @jinja2.pass_context
    def grab(context: jinja2.runtime.Context) -> str:
        words = Words.from_context(context)
        seen.append(words)
        return str(words("Today"))

    env.globals.update(grab=grab, gettext=lambda s, **v: Markup(s))
    page = env.from_string("{{ grab() }}")
    assert page.render() == page.render() == "Today"
    assert seen[0] is seen[1] and seen[0]._done
    env.globals["gettext"] = lambda s, **v: Markup("Idag")
    assert page.render() == "Idag"
    assert seen[2] is not seen[0] and not seen[0]._done  # the old one's memos are dropped
    other = jinja2.Environment(autoescape=True)
    other.filters["date"], other.globals = env.filters["date"], {**env.globals}
    other.from_string("{{ grab() }}").render()
    assert seen[3] is not seen[2]


def test_memos_stay_bounded(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(svgkit, "NUMS_MEMO", 50)
    monkeypatch.setattr(svgkit, "PIECES_MEMO", 10)
    for i in range(500):
        num(i + 0.25)
    assert len(svgkit._NUMS) <= 50
    words = Words.english()
    for i in range(100):
        words.keep(i, i)
        words(f"message {i}")
        words.date(dt.date(2020, 1, 1) + dt.timedelta(days=i))
    assert len(words.memo) <= 10
    axis = Axis(dt.date(2020, 1, 1), dt.date(2030, 1, 1))
    today = dt.date(2026, 12, 1)
    for h in range(100):
        header(Canvas(axis, MAIN), words, today, gridlines(axis), horizon_bands(axis, today),
               float(h))
    assert len(words.memo) <= 10
    assert all(len(drawn.heights) <= 32 for drawn in words.memo.values()
               if hasattr(drawn, "heights"))


def test_memos_change_no_digest_of_the_timeline_page(tmp_path: Path) -> None:
    """The incremental build compares a pickle's digest: shared objects must not show."""
    project = write_tree(tmp_path, PLAN)

    first = load_plan(project)
    gridlines.cache_clear()
    fresh = value_digest(plan_timeline(first))
    for goal in first.goals.values():
        goal_timeline(first, goal)
    plan_timeline(load_plan(project))  # equal axes and bars, made of other objects
    assert value_digest(plan_timeline(first)) == fresh
