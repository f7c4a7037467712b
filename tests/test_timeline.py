"""The timeline page, the goal pages' small timelines and progress charts, the dashboard's
12 months, and the "On track?" rule: built through the real CLI, asserted on the parsed SVG."""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess
import sys
import unicodedata
import xml.etree.ElementTree as ET
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
from bs4 import BeautifulSoup, Tag
from conftest import ROOT, soup, write_tree

from careersite.ontrack import expected_progress, on_track

D = dt.date
TODAY = D(2026, 12, 1)
CORPUS_SCRIPT = ROOT.parent / "shared" / "bench" / "make_corpus.py"

PLAN = {
    "plans/goals/long.md": """\
        ---
        title: Lead the strategic accounts team
        horizon: long
        start: 2026-01
        target: 2029-Q4
        status: active
        progress: 25
        ---
        - [ ] act
        """,
    "plans/goals/qtr.md": """\
        ---
        title: Quarterly step
        horizon: short
        parent: long
        start: 2026-Q3
        target: 2027-Q1
        status: active
        milestones:
          - {title: Kick-off held, due: 2026-08-15, done: 2026-08-20}
          - {title: Draft sent, due: 2026-11-15, done: false}
          - {title: Final version, due: 2027-03, done: false}
        ---
        """,
    "plans/goals/yearly.md": """\
        ---
        title: A goal with a year and no start
        horizon: short
        parent: long
        target: 2027
        status: planned
        ---
        - [ ] act
        """,
    "plans/goals/done.md": """\
        ---
        title: Certified early
        horizon: short
        parent: long
        start: 2026-01-15
        target: 2026-09
        status: achieved
        achieved: 2026-08-28
        ---
        """,
    "plans/goals/late.md": """\
        ---
        title: Late and unlinked
        horizon: short
        start: 2026-01
        target: 2026-06-30
        status: active
        progress: 30
        ---
        - [ ] act
        """,
    "plans/reviews/2026-10-01.md": """\
        ---
        title: October check-in
        date: 2026-10-01
        goals:
          qtr: {progress: 20}
        ---
        """,
    "plans/reviews/2026-11-20.md": """\
        ---
        title: November check-in
        date: 2026-11-20
        goals:
          qtr: {progress: 30, note: "slow"}
          long: {note: "fine"}
        ---
        """,
}


# -- helpers --------------------------------------------------------------------------------


def build(cli, root: Path, *extra: str) -> Path:  # type: ignore[no-untyped-def]
    run = cli("build", "--project", root, *extra)
    assert run.code == 0, run.err
    return root / "output"


def charts(page: BeautifulSoup) -> list[Tag]:
    return page.select("svg.tl-chart")


class Scale:
    """The date -> x mapping an SVG states (data-axis-*, data-plot-*), recomputed here."""

    def __init__(self, svg: Tag) -> None:
        self.start = D.fromisoformat(svg["data-axis-start"])
        self.end = D.fromisoformat(svg["data-axis-end"])
        self.x0 = float(svg["data-plot-x0"])
        self.x1 = float(svg["data-plot-x1"])

    def x(self, day: dt.date) -> float:
        """Start of day."""
        return self.x0 + (day - self.start).days / (self.end - self.start).days * (self.x1 - self.x0)

    def mid(self, day: dt.date) -> float:
        return self.x(day) + (self.x1 - self.x0) / (self.end - self.start).days / 2


def bars(svgs: list[Tag]) -> dict[str, Tag]:
    found: dict[str, Tag] = {}
    for svg in svgs:
        for rect in svg.select("rect.tl-bar"):
            assert rect["data-goal"] not in found, f"two bars for {rect['data-goal']}"
            found[rect["data-goal"]] = rect
    return found


def right(rect: Tag) -> float:
    return float(rect["x"]) + float(rect["width"])


def path_start(path: Tag) -> tuple[float, float]:
    """The M x,y of an SVG path."""
    x, y = path["d"].split()[0][1:].split(",")
    return float(x), float(y)


def em(char: str) -> float:
    """Width of a character in ems, generously (wide glyphs and symbols count 1 em)."""
    code = ord(char)
    if code < 0x2000:
        return 0.6
    if code < 0x3000 or unicodedata.east_asian_width(char) in "WF":
        return 1.0
    return 0.6


def text_box(text: Tag) -> tuple[float, float, float, float]:
    """(left, top, right, bottom) of a <text>, from its x, y, font-size and text-anchor."""
    size = float(text["font-size"])
    width = sum(em(c) for c in text.get_text()) * size
    x, y = float(text["x"]), float(text["y"])
    anchor = text.get("text-anchor")
    left = x - width if anchor == "end" else x - width / 2 if anchor == "middle" else x
    return left, y - 0.8 * size, left + width, y + 0.25 * size


def assert_no_overlaps(svg: Tag) -> int:
    """No two labels of the chart overlap; labels in the label column stay inside it."""
    boxes = [(text_box(t), t.get_text()) for t in svg.find_all("text")]
    label_w = float(svg.get("data-label-w", 0))
    column = svg.select_one("g.tl-labels")
    if column is not None:
        for t in column.find_all("text"):
            assert text_box(t)[2] <= label_w, f"label {t.get_text()!r} runs into the bars"
        for rect in svg.select("rect.tl-bar"):
            assert float(rect["x"]) >= float(svg["data-plot-x0"]) > label_w
    boxes.sort(key=lambda b: b[0][1])
    for i, (a, ta) in enumerate(boxes):
        for b, tb in boxes[i + 1:]:
            if b[1] >= a[3]:
                break
            assert not (a[0] < b[2] and b[0] < a[2]), f"labels overlap: {ta!r} and {tb!r}"
    return len(boxes)


def assert_links_resolve(out: Path, page_url: str, page: BeautifulSoup) -> int:
    """Every link of the page leads to a built page (and to an element, for #fragments)."""
    checked = 0
    base = (out / page_url).parent
    targets: dict[Path, BeautifulSoup] = {}
    for a in page.find_all("a", href=True):
        parts = urlsplit(a["href"])
        if parts.scheme or not parts.path:
            continue
        target = (base / unquote(parts.path)).resolve()
        assert target.is_file(), f"{page_url}: broken link {a['href']}"
        if parts.fragment:
            if target not in targets:
                targets[target] = soup(target)
            assert targets[target].find(id=parts.fragment), f"{page_url}: no #{parts.fragment}"
        checked += 1
    return checked


# -- the timeline page ----------------------------------------------------------------------


def test_bars_follow_their_dates(cli, tmp_path):
    out = build(cli, write_tree(tmp_path, PLAN))
    svgs = charts(soup(out / "timeline.html"))
    assert len(svgs) == 1
    svg = svgs[0]
    assert (svg["data-axis-start"], svg["data-axis-end"]) == ("2026-01-01", "2030-01-01")
    s = Scale(svg)
    found = bars(svgs)
    assert set(found) == {"long", "qtr", "yearly", "done", "late"}
    expected = {  # goal: (first day, day after the last)
        "long": (D(2026, 1, 1), D(2030, 1, 1)),      # month start, quarter target
        "qtr": (D(2026, 7, 1), D(2027, 4, 1)),       # quarter start, quarter target
        "yearly": (D(2026, 12, 31), D(2028, 1, 1)),  # no start: target 2027 minus 12 months
        "done": (D(2026, 1, 15), D(2026, 8, 29)),    # ends at `achieved`, not at its target
        "late": (D(2026, 1, 1), D(2026, 7, 1)),
    }
    for gid, (first, after) in expected.items():
        rect = found[gid]
        assert float(rect["x"]) == pytest.approx(s.x(first), abs=0.01), gid
        assert right(rect) == pytest.approx(s.x(after), abs=0.02), gid
    # the year form ends exactly on the 2028 gridline, the quarter form starts on one
    year_lines = {round(float(line["x1"]), 1) for line in svg.select("line.tl-grid-year")}
    all_lines = {round(float(line["x1"]), 1) for line in svg.select("line.tl-grid")}
    assert round(right(found["yearly"]), 1) in year_lines
    assert round(float(found["qtr"]["x"]), 1) in all_lines
    assert [t.get_text() for t in svg.select("text.tl-year")] == ["2026", "2027", "2028", "2029"]
    assert "tl-s-achieved" in found["done"]["class"]
    assert found["done"].parent.select_one("path.tl-check") is not None


def test_overdue_goal_is_marked_and_runs_on_to_today(cli, tmp_path):
    out = build(cli, write_tree(tmp_path, PLAN))
    svg = charts(soup(out / "timeline.html"))[0]
    s = Scale(svg)
    late = bars([svg])["late"]
    link = late.parent
    assert "tl-overdue" in late["class"]
    mark = link.select_one("path.tl-overdue-mark")
    assert path_start(mark)[0] == pytest.approx(s.x(D(2026, 7, 1)), abs=0.01)
    run = link.select_one("line.tl-overdue-run")
    assert float(run["x2"]) == pytest.approx(s.mid(TODAY), abs=0.01)
    assert "overdue" in link.find("title").get_text()
    for gid, rect in bars([svg]).items():
        if gid != "late":
            assert "tl-overdue" not in rect["class"], gid
    today = svg.select_one("line.tl-today")
    assert float(today["x1"]) == pytest.approx(s.mid(TODAY), abs=0.01)


def test_milestones_and_reviews_are_markers_linking_to_their_pages(cli, tmp_path):
    out = build(cli, write_tree(tmp_path, PLAN))
    page = soup(out / "timeline.html")
    svg = charts(page)[0]
    s = Scale(svg)
    ms = [a for a in svg.select("a.tl-ms-link") if a["href"].startswith("goals/qtr.html")]
    assert [a["href"] for a in ms] == [f"goals/qtr.html#milestone-{n}" for n in (1, 2, 3)]
    states = [a.select_one("path.tl-ms")["class"][1] for a in ms]
    assert states == ["tl-ms-done", "tl-ms-overdue", "tl-ms-open"]
    for a, due in zip(ms, (D(2026, 8, 15), D(2026, 11, 15), D(2027, 3, 31)), strict=True):
        assert path_start(a.select_one("path.tl-ms"))[0] == pytest.approx(s.mid(due), abs=0.01)
    assert "done 20 Aug 2026" in ms[0].find("title").get_text()
    reviews = svg.select("a.tl-review-link")
    assert [a["href"] for a in reviews] == ["reviews/2026-10-01.html", "reviews/2026-11-20.html"]
    assert "October check-in" in reviews[0].find("title").get_text()
    for a in svg.find_all("a"):
        assert a.find("title", recursive=False) is not None, a
    assert assert_links_resolve(out, "timeline.html", page) > 15
    qtr_page = soup(out / "goals/qtr.html")
    assert qtr_page.find(id="milestone-2").get_text(" ", strip=True).find("Draft sent") >= 0


def test_rows_group_long_goals_with_the_goals_leading_to_them(cli, tmp_path):
    out = build(cli, write_tree(tmp_path, PLAN))
    svg = charts(soup(out / "timeline.html"))[0]
    labels = [t.get_text() for t in svg.select("g.tl-labels text.tl-label")]
    assert labels == ["Lead the strategic accounts team", "Certified early", "Quarterly step",
                      "A goal with a year and no start", "Late and unlinked"]
    heading = svg.select_one("g.tl-labels text.tl-section")
    assert heading.get_text() == "Goals that lead to no long-term goal"
    late_y = [float(t["y"]) for t in svg.select("text.tl-label") if t.get_text().startswith("Late")]
    assert float(heading["y"]) < late_y[0]
    assert "tl-label-long" in svg.select("text.tl-label")[0]["class"]
    icons = [t.get_text() for t in svg.select("g.tl-labels text.tl-icon")]
    assert icons == ["◐", "●", "◐", "○", "◐"]  # status as a marker, not colour alone
    assert_no_overlaps(svg)


def test_on_track_tick_sits_at_the_expected_point(cli, tmp_path):
    out = build(cli, write_tree(tmp_path, PLAN))
    svg = charts(soup(out / "timeline.html"))[0]
    s = Scale(svg)
    ticks = {line.parent.select_one("rect.tl-bar")["data-goal"]: line
             for line in svg.select("line.tl-expected")}
    assert set(ticks) == {"long", "qtr", "late"}  # active goals only
    qtr = ticks["qtr"]  # 153 of 274 days elapsed: 56 %; progress 30 (latest review)
    assert qtr["data-expected"] == "56" and "tl-behind" in qtr["class"]
    start, after = s.x(D(2026, 7, 1)), s.x(D(2027, 4, 1))
    assert float(qtr["x1"]) == pytest.approx(start + (after - start) * 0.56, abs=0.02)
    assert ticks["long"]["data-expected"] == "23" and "tl-on-track" in ticks["long"]["class"]
    assert ticks["late"]["data-expected"] == "100" and "tl-behind" in ticks["late"]["class"]


def test_chronological_list_grouped_by_year_and_quarter(cli, tmp_path):
    out = build(cli, write_tree(tmp_path, PLAN))
    page = soup(out / "timeline.html")
    events = page.select_one("section.tl-events")
    assert [h.get_text() for h in events.select("h3")] == ["2026", "2027", "2029"]
    days = [li.find("time")["datetime"] for li in events.select("li.tl-ev")]
    assert days == sorted(days)
    lines = {(li.find("time")["datetime"], li.select_one(".tl-ev-kind").get_text(" ", strip=True),
              li.find("a").get_text()) for li in events.select("li.tl-ev")}
    assert ("2026-08-28", "● Goal achieved", "Certified early") in lines
    assert not any(k.endswith("Goal target") and t == "Certified early" for _, k, t in lines)
    assert ("2026-08-20", "◆ Milestone done", "Kick-off held") in lines
    assert ("2026-11-15", "◇ Milestone due", "Draft sent") in lines
    assert ("2026-10-01", "✎ Review held", "October check-in") in lines
    assert ("2026-07-01", "▶ Goal starts", "Quarterly step") in lines
    assert ("2027-12-31", "⚑ Goal target", "A goal with a year and no start") in lines
    q4 = events.find(id="tl-y2026q4").find_next_sibling("ul")
    draft = [li for li in q4.select("li") if "Draft sent" in li.get_text()][0]
    assert draft.select_one(".flag-overdue") is not None
    assumed = [li for li in events.select("li.tl-ev-goal-start") if "year and no start" in li.get_text()]
    assert "start assumed" in assumed[0].get_text()
    assert_links_resolve(out, "timeline.html", page)


def test_timeline_is_in_the_navigation_of_every_page(cli, tmp_path):
    out = build(cli, write_tree(tmp_path, PLAN))
    for page in ("index.html", "goals/qtr.html", "reviews/2026-10-01.html"):
        nav = [a.get_text() for a in soup(out / page).select("header nav a")]
        assert nav[:2] == ["Dashboard", "Timeline"], page
    current = soup(out / "timeline.html").select_one('header nav a[aria-current="page"]')
    assert current.get_text() == "Timeline"


def test_svg_is_well_formed_and_escapes_titles(cli, tmp_path):
    title = 'Fix <b>tags</b> & "quotes" in a title that is far too long to fit in the column, really'
    write_tree(tmp_path, {"plans/goals/x.md": f"""\
        ---
        title: '{title}'
        horizon: long
        target: 2030
        status: active
        milestones:
          - {{title: "M <i>1</i> & co", due: 2028-01-01}}
        ---
        - [ ] act
        """})
    out = build(cli, tmp_path)
    text = (out / "timeline.html").read_text(encoding="utf-8")
    start = text.index("<svg", text.index('class="timeline-charts"'))
    root = ET.fromstring(text[start:text.index("</svg>", start) + 6])
    ns = {"s": "http://www.w3.org/2000/svg"}
    label = root.find(".//s:g[@class='tl-labels']//s:text[@class='tl-label tl-label-long']", ns)
    assert label is not None and label.text.endswith("…") and label.text[:-1] in title
    tips = [t.text for t in root.iterfind(".//s:a/s:title", ns)]
    assert any(t.startswith(title) for t in tips)
    assert any(t.startswith("M <i>1</i> & co") for t in tips)
    assert root.find(".//s:b", ns) is None and root.find(".//s:i", ns) is None


def test_one_goal_is_readable(cli, tmp_path):
    write_tree(tmp_path, {"plans/goals/only.md": """\
        ---
        title: The only goal
        horizon: short
        start: 2027-02-01
        target: 2027-06-30
        status: planned
        ---
        - [ ] act
        """})
    out = build(cli, tmp_path)
    page = soup(out / "timeline.html")
    svg = charts(page)[0]
    s = Scale(svg)
    assert (s.end - s.start).days >= 365  # at least four quarters, so the bar has context
    assert len(bars([svg])) == 1
    assert [t.get_text() for t in svg.select("text.tl-tick-label")][:4] == ["Q4", "Q1", "Q2", "Q3"]
    assert svg.select_one("g.tl-labels text.tl-label").get_text() == "The only goal"
    assert_no_overlaps(svg)
    assert len(page.select("li.tl-ev")) == 2


def test_empty_plan_still_has_a_timeline_page(cli, tmp_path):
    write_tree(tmp_path, {"plans/vision.md": "---\ntitle: V\n---\nVision.\n"})
    out = build(cli, tmp_path)
    page = soup(out / "timeline.html")
    assert len(charts(page)) == 1 and bars(charts(page)) == {}
    assert "Nothing dated in the plan yet." in page.select_one("section.tl-events").get_text()


# -- goal pages and the dashboard --------------------------------------------------------------


def test_goal_page_has_its_small_timeline(cli, tmp_path):
    out = build(cli, write_tree(tmp_path, PLAN))
    page = soup(out / "goals/qtr.html")
    svg = page.select_one("section.goal-time svg.tl-chart")
    assert set(bars([svg])) == {"long", "qtr"}
    labels = [t.get_text() for t in svg.select("g.tl-labels text.tl-label")]
    assert labels == ["↑ Lead the strategic acc…", "Quarterly step"]  # parent first, cut
    tip = svg.select("g.tl-labels a")[0].find("title").get_text()
    assert tip == "Lead the strategic accounts team (active)"
    assert "tl-label-self" in svg.select("text.tl-label")[1]["class"]
    assert len([a for a in svg.select("a.tl-ms-link") if "qtr.html" in a["href"]]) == 3
    assert [a["href"] for a in svg.select("a.tl-review-link")] == [
        "../reviews/2026-10-01.html", "../reviews/2026-11-20.html"]
    long_page = soup(out / "goals/long.html")
    svg = long_page.select_one("section.goal-time svg.tl-chart")
    assert list(bars([svg])) == ["long", "done", "qtr", "yearly"]
    assert [a["href"] for a in svg.select("a.tl-review-link")] == ["../reviews/2026-11-20.html"]
    assert_no_overlaps(svg)
    assert_links_resolve(out, "goals/long.html", long_page)
    late = soup(out / "goals/late.html").select_one("section.goal-time svg.tl-chart")
    assert late.select("a.tl-review-link") == [] and list(bars([late])) == ["late"]


def test_goal_page_progress_chart_plots_review_checkins(cli, tmp_path):
    out = build(cli, write_tree(tmp_path, PLAN))
    page = soup(out / "goals/qtr.html")
    svg = page.select_one("svg.pc-chart")
    lo, hi = D.fromisoformat(svg["data-x-start"]), D.fromisoformat(svg["data-x-end"])
    assert (lo, hi) == (D(2026, 7, 1), D(2027, 4, 1))  # the goal's span
    x0, x1 = float(svg["data-plot-x0"]), float(svg["data-plot-x1"])
    y0, y100 = float(svg["data-plot-y0"]), float(svg["data-plot-y100"])
    points = svg.select(".pc-link")
    assert [(p["data-day"], p["data-progress"]) for p in points] == [
        ("2026-10-01", "20"), ("2026-11-20", "30")]
    for p in points:
        day, value = D.fromisoformat(p["data-day"]), int(p["data-progress"])
        circle = p.select_one("circle.pc-point")
        assert float(circle["cx"]) == pytest.approx(
            x0 + ((day - lo).days + 0.5) / (hi - lo).days * (x1 - x0), abs=0.01)
        assert float(circle["cy"]) == pytest.approx(y0 - value / 100 * (y0 - y100), abs=0.01)
        assert p.name == "a" and p.find("title") is not None
    assert [a["href"] for a in points] == ["../reviews/2026-10-01.html", "../reviews/2026-11-20.html"]
    assert {t.get_text() for t in svg.select("text.pc-value")} == {"20%", "30%"}
    dates = {t.get_text() for t in svg.select("text.pc-date")}
    assert {"1 Oct 2026", "20 Nov 2026", "Start 1 Jul 2026", "Target 31 Mar 2027"} <= dates
    assert_no_overlaps(svg)
    assert soup(out / "goals/long.html").select_one("svg.pc-chart") is None  # no figures yet


def test_on_track_is_shown_on_goal_page_and_dashboard(cli, tmp_path):
    out = build(cli, write_tree(tmp_path, PLAN))
    fact = soup(out / "goals/qtr.html").select_one(".ontrack-fact")
    assert fact.select_one(".ontrack").get_text(" ", strip=True) == "▼ behind"
    assert "30% done, 56% of the time" in fact.get_text(" ", strip=True)
    assert soup(out / "goals/yearly.html").select_one(".ontrack-fact") is None  # planned
    tree = soup(out / "index.html").select_one("section.goal-tree")
    verdicts = {li.find("a").get_text(): li.select_one(":scope > .ontrack").get_text(" ", strip=True)
                for li in tree.select("li") if li.select_one(":scope > .ontrack")}
    assert verdicts == {"Lead the strategic accounts team": "● on track",
                        "Quarterly step": "▼ behind", "Late and unlinked": "▼ behind"}


def test_dashboard_shows_the_next_12_months(cli, tmp_path):
    out = build(cli, write_tree(tmp_path, PLAN))
    page = soup(out / "index.html")
    svg = page.select_one("section.next-months svg.tl-chart")
    s = Scale(svg)
    assert (s.start, s.end) == (D(2026, 12, 1), D(2027, 12, 1))
    found = bars([svg])
    assert set(found) == {"long", "qtr", "yearly", "late"}  # open goals; achieved one left out
    assert list(found)[0] == "late"  # overdue first
    assert float(found["yearly"]["x"]) == pytest.approx(s.x(D(2026, 12, 31)), abs=0.01)
    assert right(found["long"]) == pytest.approx(s.x1, abs=0.01)  # clipped at the window
    assert [t.get_text() for t in svg.select("text.tl-tick-label")][:3] == ["Dec", "Jan", "Feb"]
    assert_no_overlaps(svg)
    assert_links_resolve(out, "index.html", page)


def test_dashboard_caps_its_rows_and_counts_the_rest(cli, tmp_path):
    files = {f"plans/goals/g{n:02}.md": f"""\
        ---
        title: Goal {n}
        horizon: short
        start: 2026-11-01
        target: 2027-0{1 + n % 9}
        status: active
        ---
        - [ ] act
        """ for n in range(25)}
    out = build(cli, write_tree(tmp_path, files))
    section = soup(out / "index.html").select_one("section.next-months")
    assert len(section.select("rect.tl-bar")) == 20
    assert "5 more goals in these months are on the timeline." in section.get_text()


# -- privacy ----------------------------------------------------------------------------------


CANARY = "CANARY-TIMELINE-4d2e"


def test_private_goals_and_reviews_stay_out_of_every_timeline(cli, tmp_path):
    write_tree(tmp_path, PLAN)
    write_tree(tmp_path, {
        "plans/goals/secret.md": f"""\
            ---
            title: {CANARY} goal
            horizon: short
            parent: long
            start: 2026-09
            target: 2027-03
            status: active
            private: true
            milestones:
              - {{title: {CANARY} milestone, due: 2027-01-31}}
            ---
            - [ ] act
            """,
        "plans/reviews/2026-11-25.md": f"""\
            ---
            title: {CANARY} review
            date: 2026-11-25
            private: true
            goals:
              qtr: {{progress: 99}}
            ---
            """,
        "plans/goals/public.md": """\
            ---
            title: Public goal
            horizon: short
            parent: [long]
            target: 2027-06
            status: active
            private:
              salary: CANARY-TIMELINE-4d2e
            ---
            - [ ] act
            """,
    })
    out = build(cli, tmp_path)
    for page in ("timeline.html", "index.html", "goals/long.html", "goals/qtr.html",
                 "goals/public.html"):
        assert CANARY not in (out / page).read_text(encoding="utf-8"), page
    assert "secret" not in bars(charts(soup(out / "timeline.html")))
    points = soup(out / "goals/qtr.html").select(".pc-link")
    assert [p["data-progress"] for p in points] == ["20", "30"]  # not the private review's 99
    private = build(cli, tmp_path, "--private", "--output", tmp_path / "private")
    assert CANARY in (tmp_path / "private/timeline.html").read_text(encoding="utf-8")
    assert private.exists()


# -- the example plan and a 300-goal plan ---------------------------------------------------------


def test_example_plan_shows_every_goal_milestone_and_review(cli, tmp_path):
    shutil.copytree(ROOT / "plans", tmp_path / "plans")
    shutil.copy(ROOT / "careersite.toml", tmp_path / "careersite.toml")
    out = build(cli, tmp_path)
    page = soup(out / "timeline.html")
    svgs = charts(page)
    goal_pages = sorted(p.relative_to(out).as_posix() for p in (out / "goals").rglob("*.html")
                        if p.name != "index.html")
    assert sorted(f"goals/{gid}.html" for gid in bars(svgs)) == goal_pages
    milestones = sum(len(soup(out / p).select("li[id^=milestone-]")) for p in goal_pages)
    assert milestones > 0
    assert sum(len(svg.select("a.tl-ms-link")) for svg in svgs) == milestones
    reviews = sorted(p.name for p in (out / "reviews").glob("*.html") if p.name != "index.html")
    assert sorted(a["href"].split("/")[-1] for a in page.select("a.tl-review-link")) == reviews
    for svg in svgs:
        assert_no_overlaps(svg)
    assert_links_resolve(out, "timeline.html", page)


@pytest.mark.skipif(not CORPUS_SCRIPT.is_file(), reason="needs ../shared/bench/make_corpus.py")
def test_300_goal_plan_has_no_overlapping_labels_and_no_broken_links(cli, tmp_path):
    subprocess.run([sys.executable, str(CORPUS_SCRIPT), str(tmp_path / "plans"), "--goals", "300",
                    "--reviews", "100", "--seed", "1"], check=True, capture_output=True)
    out = build(cli, tmp_path)
    text = (out / "timeline.html").read_text(encoding="utf-8")
    page = BeautifulSoup(text, "html.parser")
    svgs = charts(page)
    assert len(svgs) > 1  # long plans are split into several charts (pages in print)
    assert len(bars(svgs)) == 300
    labels = sum(assert_no_overlaps(svg) for svg in svgs)
    assert labels > 3 * 300  # icon, title and progress of every row, and the axes
    for svg in svgs:
        assert len(svg.select("g.tl-labels text.tl-label")) == len(svg.select("rect.tl-bar"))
    assert assert_links_resolve(out, "timeline.html", page) > 2000
    pos = 0
    for _ in svgs:  # each chart is well-formed XML on its own
        pos = text.index('<svg xmlns="http://www.w3.org/2000/svg" class="tl-chart"', pos)
        end = text.index("</svg>", pos) + 6
        ET.fromstring(text[pos:end])
        pos = end
    dashboard = soup(out / "index.html")
    assert_no_overlaps(dashboard.select_one("section.next-months svg.tl-chart"))
    for goal in sorted((out / "goals").glob("*.html"))[:40]:
        for svg in soup(goal).select("svg.tl-chart, svg.pc-chart"):
            assert_no_overlaps(svg)


# -- the rule itself ------------------------------------------------------------------------------


@pytest.mark.parametrize(("start", "target", "today", "expected"), [
    (D(2026, 1, 1), D(2026, 12, 31), D(2026, 1, 1), 0),      # first day: nothing elapsed
    (D(2026, 1, 1), D(2026, 12, 31), D(2026, 7, 2), 50),     # 182 of 365 days: 49.9 -> 50
    (D(2026, 1, 1), D(2026, 1, 4), D(2026, 1, 3), 50),       # 2 of 4 days
    (D(2026, 1, 1), D(2026, 1, 8), D(2026, 1, 2), 13),       # 1 of 8: 12.5 rounds half up
    (D(2026, 1, 1), D(2026, 12, 31), D(2025, 6, 1), 0),      # before the start
    (D(2026, 1, 1), D(2026, 12, 31), D(2027, 1, 1), 100),    # after the last day
    (D(2026, 5, 1), D(2026, 4, 1), D(2026, 3, 15), 0),       # span upside down, not yet over
    (D(2026, 5, 1), D(2026, 4, 1), D(2026, 4, 15), 100),     # span upside down, target passed
])
def test_expected_progress(start, target, today, expected):
    assert expected_progress(start, target, today) == expected


@pytest.mark.parametrize(("progress", "verdict"), [
    (60, "on-track"), (40, "on-track"), (61, "ahead"), (39, "behind"), (100, "ahead"), (0, "behind"),
])
def test_verdict_is_within_10_points_either_side(progress, verdict):
    result = on_track("active", D(2026, 1, 1), D(2026, 1, 10), progress, D(2026, 1, 6))
    assert result is not None and result.expected == 50
    assert result.verdict == verdict and result.difference == progress - 50


@pytest.mark.parametrize("status", ["planned", "achieved", "dropped", "paused"])
def test_only_active_goals_get_a_verdict(status):
    assert on_track(status, D(2026, 1, 1), D(2026, 12, 31), 0, D(2026, 6, 1)) is None
