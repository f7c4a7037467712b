"""calendar.ics, feed.xml, plan.json, sitemap.xml and the pages' canonical/Open Graph tags.

Every output is parsed back with independent parsers (icalendar and vobject, feedparser,
jsonschema, ElementTree, BeautifulSoup) from real builds through the CLI.
"""

from __future__ import annotations

import datetime as dt
import json
import shutil
import tomllib
import xml.etree.ElementTree as ET
from fnmatch import fnmatch
from pathlib import Path
from typing import Any

import feedparser
import icalendar
import jsonschema
import pytest
import vobject
from bs4 import BeautifulSoup
from conftest import ROOT, site_files, soup, write_tree

from careersite import calendar, feed, planjson
from careersite.build import load_project
from careersite.documents import Document
from careersite.model import build_plan
from careersite.outputs import DocMemo
from careersite.parse import parse_document
from careersite.planjson import schema as plan_schema
from careersite.render import make_environment, page_context

BASE = "https://example.org/plan"
TODAY = dt.date(2026, 12, 1)  # conftest pins SOURCE_DATE_EPOCH to this day
ATOM = "{http://www.w3.org/2005/Atom}"
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"

LONG = """\
---
title: Become a key account manager
horizon: long
target: 2029-Q4
status: active
develop: [negotiation]
milestones:
  - {title: Shadow a KAM, due: 2027-06, done: false}
---
The long game, in one paragraph.

- [ ] Ask for a mentor
"""

SHORT = """\
---
title: Account plans
horizon: short
start: 2026-06-01
target: 2027-03-31
status: active
parent: long
develop: [planning, negotiation]
milestones:
  - {title: Template agreed, due: 2026-08-31, done: 2026-08-26}
  - {title: Plan 2 done, due: 2026-11-15, done: false}
  - {title: No date yet, done: false}
---
Written plans for my five **largest** accounts, see [[long]].

## Action plan

- [x] Pick a template
- [ ] Book the meetings
"""

WON = """\
---
title: Negotiation course
horizon: short
target: 2026-10
status: achieved
achieved: 2026-10-20
parent: long
milestones:
  - {title: Course booked, due: 2026-05-31, done: true}
---
Two days with a coach.
"""

DROPPED = """\
---
title: Move to Berlin
horizon: long
target: 2028
status: dropped
milestones:
  - {title: Learn German, due: 2027-06, done: false}
---
Not any more.
"""

REVIEW_OCT = """\
---
title: October check-in
date: 2026-10-01
goals:
  short: {progress: 20}
---
First paragraph of October.
"""

REVIEW_NOV = """\
---
title: November check-in
date: 2026-11-20
mood: 4
goals:
  short: {progress: 40, status: active, note: "Plan 2 is late"}
---
## What went well

Worked on [[short]] and [the long goal](../goals/long.md).
"""


def make_plan(root: Path, config: str = "", extra: dict[str, str] | None = None) -> Path:
    """A small plan: two open goals, one achieved, one dropped, two reviews, a note."""
    return write_tree(root, {
        "careersite.toml": f'title = "Sara\'s plan"\nauthor = "Sara"\n{config}',
        "plans/vision.md": "---\nhard_values: [Top quartile salary]\n---\nI lead strategic accounts.\n",
        "plans/goals/long.md": LONG,
        "plans/goals/short.md": SHORT,
        "plans/goals/won.md": WON,
        "plans/goals/dropped.md": DROPPED,
        "plans/reviews/2026-10-01.md": REVIEW_OCT,
        "plans/reviews/2026-11-20.md": REVIEW_NOV,
        "plans/notes/coach.md": "# Coach\n\nNotes from my coach.\n",
        **(extra or {}),
    })


def build(cli: Any, root: Path, *args: str) -> Path:
    run = cli("build", "--project", root, *args)
    assert run.code == 0, run.err
    return root / "output"


def ical_events(out: Path) -> dict[str, icalendar.Event]:
    """The calendar's events by SUMMARY, parsed with icalendar."""
    cal = icalendar.Calendar.from_ical((out / "calendar.ics").read_bytes())
    events = {str(e["SUMMARY"]): e for e in cal.walk("VEVENT")}
    assert len(events) == len(cal.walk("VEVENT")), "summaries are unique in these plans"
    return events


def uids(out: Path) -> dict[str, str]:
    return {summary: str(e["UID"]) for summary, e in ical_events(out).items()}


# -- calendar.ics -------------------------------------------------------------------------

def test_calendar_holds_open_targets_milestones_and_the_review_reminder(cli, tmp_path):
    out = build(cli, make_plan(tmp_path))
    events = ical_events(out)
    expected = {
        "Goal target: Become a key account manager": dt.date(2029, 12, 31),
        "Milestone: Shadow a KAM": dt.date(2027, 6, 30),
        "Goal target: Account plans": dt.date(2027, 3, 31),
        "Milestone: Plan 2 done": dt.date(2026, 11, 15),
        "Career plan review": dt.date(2026, 12, 20),  # 2026-11-20 + 30 days
    }
    # Done milestones, achieved and dropped goals and undated milestones are left out.
    assert {s: e.decoded("DTSTART") for s, e in events.items()} == expected
    for event in events.values():
        start = event.decoded("DTSTART")
        assert type(start) is dt.date
        assert event["DTSTART"].params["VALUE"] == "DATE"
        assert event.decoded("DTEND") == start + dt.timedelta(days=1)
        assert event.decoded("DTSTAMP") == dt.datetime(2026, 12, 1, tzinfo=dt.UTC)
        assert str(event["TRANSP"]) == "TRANSPARENT"
        assert "URL" not in event  # no base_url: no absolute URL to give
    reminder = events["Career plan review"]
    assert reminder["RRULE"]["FREQ"] == ["DAILY"]
    assert reminder["RRULE"]["INTERVAL"] == [30]
    assert str(events["Milestone: Plan 2 done"]["DESCRIPTION"]) == \
        "A milestone of the goal: Account plans"
    cal = icalendar.Calendar.from_ical((out / "calendar.ics").read_bytes())
    assert str(cal["VERSION"]) == "2.0"
    assert str(cal["PRODID"]).startswith("-//careersite//")
    assert str(cal["X-WR-CALNAME"]) == "Sara's plan"


def test_calendar_is_valid_for_a_second_parser_vobject(cli, tmp_path):
    out = build(cli, make_plan(tmp_path, 'review_every_days = 45\n'))
    raw = (out / "calendar.ics").read_bytes()
    lines = raw.split(b"\r\n")
    assert lines[-1] == b"" and b"\n" not in raw.replace(b"\r\n", b"")  # CRLF everywhere
    assert max(len(line) for line in lines) <= 75  # folded as RFC 5545 3.1 asks
    cal = vobject.readOne(raw.decode("utf-8"))
    by_summary = {ev.summary.value: ev for ev in cal.vevent_list}
    ical_uids = uids(out)
    assert {s: ev.uid.value for s, ev in by_summary.items()} == ical_uids
    shadow = by_summary["Milestone: Shadow a KAM"]
    assert shadow.dtstart.value == dt.date(2027, 6, 30)
    assert shadow.dtend.value == dt.date(2027, 7, 1)
    reminder = by_summary["Career plan review"]
    occurrences = [d.date() for _, d in zip(range(3), reminder.getrruleset(), strict=False)]
    assert occurrences == [dt.date(2027, 1, 4), dt.date(2027, 2, 18), dt.date(2027, 4, 4)]


def test_calendar_uids_are_stable_across_builds_and_follow_ids_not_titles(cli, tmp_path):
    project = make_plan(tmp_path)
    out = build(cli, project)
    first_bytes = (out / "calendar.ics").read_bytes()
    first = uids(out)
    assert len(set(first.values())) == len(first)
    out = build(cli, project)
    assert (out / "calendar.ics").read_bytes() == first_bytes  # reproducible

    # A new title and a new date: same UIDs, so a subscribed calendar updates the event.
    edited = SHORT.replace("title: Account plans", "title: Written account plans") \
                  .replace("target: 2027-03-31", "target: 2027-04-30")
    write_tree(project, {"plans/goals/short.md": edited})
    second = uids(build(cli, project))
    assert second["Goal target: Written account plans"] == first["Goal target: Account plans"]
    assert second["Milestone: Plan 2 done"] == first["Milestone: Plan 2 done"]
    assert ical_events(out)["Goal target: Written account plans"].decoded("DTSTART") == \
        dt.date(2027, 4, 30)

    # A new id (the file renamed) is a new goal: a new UID.
    (project / "plans/goals/short.md").rename(project / "plans/goals/plans.md")
    write_tree(project, {"plans/reviews/2026-10-01.md": REVIEW_OCT.replace("short:", "plans:"),
                         "plans/reviews/2026-11-20.md": REVIEW_NOV.replace("short", "plans")})
    third = uids(build(cli, project))
    assert third["Goal target: Written account plans"] != first["Goal target: Account plans"]
    assert third["Career plan review"] == first["Career plan review"]


def test_calendar_include_done_keeps_achieved_goals_and_done_milestones_marked(cli, tmp_path):
    out = build(cli, make_plan(tmp_path, "calendar_include_done = true\n"))
    events = ical_events(out)
    assert events["Goal target: Negotiation course — achieved"].decoded("DTSTART") == \
        dt.date(2026, 10, 31)
    assert events["Milestone: Template agreed — done"].decoded("DTSTART") == \
        dt.date(2026, 8, 31)
    assert "Milestone: Course booked — done" in events  # a milestone of an achieved goal
    assert "Milestone: Plan 2 done" in events  # open ones unchanged
    assert not any("Berlin" in s or "German" in s for s in events)  # dropped: never


def test_calendar_with_base_url_links_events_and_without_reviews_reminds_today(cli, tmp_path):
    project = make_plan(tmp_path, f'base_url = "{BASE}/"\nreview_every_days = 14\n')
    for review in (project / "plans/reviews").iterdir():
        review.unlink()
    events = ical_events(build(cli, project))
    assert str(events["Goal target: Account plans"]["URL"]) == f"{BASE}/goals/short.html"
    assert str(events["Milestone: Shadow a KAM"]["URL"]) == f"{BASE}/goals/long.html"
    reminder = events["Career plan review"]
    assert reminder.decoded("DTSTART") == TODAY  # no review yet: one is due now
    assert reminder["RRULE"]["INTERVAL"] == [14]
    assert str(reminder["URL"]) == f"{BASE}/reviews/index.html"


@pytest.mark.parametrize(("line", "message"), [
    ('calendar_include_done = "yes"', "calendar_include_done: expected true or false"),
    ("feed_limit = -1", "feed_limit: expected a whole number of entries (0 for all of them)"),
    ('feed_limit = "10"', "feed_limit: expected a whole number of entries (0 for all of them)"),
    ('base_url = "example.org/plan"', "base_url: expected an absolute http(s) URL such as "
                                      "https://example.org/plan, got 'example.org/plan'"),
    ('base_url = "ftp://example.org"', "base_url: expected an absolute http(s) URL such as "
                                       "https://example.org/plan, got 'ftp://example.org'"),
])
def test_bad_output_settings_are_errors_at_their_line(cli, tmp_path, line, message):
    make_plan(tmp_path, f"\n{line}\n")
    run = cli("build", "--project", tmp_path)
    assert run.code == 1
    assert run.lines == [f"careersite.toml:4:1: error: {message}"]
    assert not (tmp_path / "output").exists()


# -- feed.xml -------------------------------------------------------------------------------

def parse_feed(out: Path) -> Any:
    feed = feedparser.parse((out / "feed.xml").read_bytes())
    assert not feed.bozo, feed.get("bozo_exception")
    assert feed.version == "atom10"
    return feed


def test_feed_lists_reviews_and_achieved_goals_newest_first_with_relative_links(cli, tmp_path):
    out = build(cli, make_plan(tmp_path))
    feed = parse_feed(out)
    assert feed.feed.title == "Sara's plan"
    assert feed.feed.author == "Sara"
    assert [e.title for e in feed.entries] == [
        "November check-in", "Goal achieved: Negotiation course", "October check-in"]
    assert [e.updated_parsed[:3] for e in feed.entries] == [
        (2026, 11, 20), (2026, 10, 20), (2026, 10, 1)]
    assert feed.feed.updated_parsed[:3] == (2026, 11, 20)
    assert [e.link for e in feed.entries] == [
        "reviews/2026-11-20.html", "goals/won.html", "reviews/2026-10-01.html"]
    assert all(e.id.startswith("urn:uuid:") for e in feed.entries)
    assert len({e.id for e in feed.entries}) == 3
    assert feed.entries[2].summary == "First paragraph of October."
    content = BeautifulSoup(feed.entries[0].content[0].value, "html.parser")
    assert [a["href"] for a in content.find_all("a")] == ["goals/short.html", "goals/long.html"]
    for href in ("reviews/2026-11-20.html", "goals/short.html"):
        assert (out / href).is_file()


@pytest.mark.parametrize(("setting", "kept"), [("", 50), ("feed_limit = 7\n", 7),
                                                ("feed_limit = 0\n", 63)])
def test_feed_keeps_the_newest_entries_up_to_feed_limit(cli, tmp_path, setting, kept):
    days = [dt.date(2021, 1, 1) + dt.timedelta(days=20 * i) for i in range(60)]
    reviews = {f"plans/reviews/{day}.md": f"---\ntype: review\ndate: {day}\n---\nReview.\n"
               for day in days}
    feed = parse_feed(build(cli, make_plan(tmp_path, setting, reviews)))
    updated = [dt.date(*e.updated_parsed[:3]) for e in feed.entries]
    assert len(updated) == kept  # 60 reviews here, 2 in make_plan, the achieved goal
    assert updated == sorted(updated, reverse=True)
    assert updated[0] == dt.date(2026, 11, 20)  # the newest are the ones kept
    assert feed.feed.updated_parsed[:3] == (2026, 11, 20)


def test_feed_is_atom_with_every_required_element(cli, tmp_path):
    out = build(cli, make_plan(tmp_path, f'base_url = "{BASE}"\n'))
    root = ET.parse(out / "feed.xml").getroot()
    assert root.tag == f"{ATOM}feed"
    for parent in (root, *root.findall(f"{ATOM}entry")):
        for tag in ("id", "title", "updated"):
            assert len(parent.findall(f"{ATOM}{tag}")) == 1, (parent.tag, tag)
        dt.datetime.strptime(parent.findtext(f"{ATOM}updated") or "", "%Y-%m-%dT%H:%M:%SZ")
    assert root.find(f"{ATOM}author/{ATOM}name") is not None
    assert len(root.findall(f"{ATOM}entry")) == 3


def test_feed_links_are_absolute_with_base_url_and_ids_survive_a_title_edit(cli, tmp_path):
    project = make_plan(tmp_path, f'base_url = "{BASE}"\n')
    feed = parse_feed(build(cli, project))
    assert [e.link for e in feed.entries] == [
        f"{BASE}/reviews/2026-11-20.html", f"{BASE}/goals/won.html",
        f"{BASE}/reviews/2026-10-01.html"]
    assert feed.feed.link == f"{BASE}/index.html"
    self_link = [link.href for link in feed.feed.links if link.rel == "self"]
    assert self_link == [f"{BASE}/feed.xml"]
    # Relative links in the content resolve against xml:base, the site root.
    content = BeautifulSoup(feed.entries[0].content[0].value, "html.parser")
    assert [a["href"] for a in content.find_all("a")] == [
        f"{BASE}/goals/short.html", f"{BASE}/goals/long.html"]
    ids = [e.id for e in feed.entries]

    write_tree(project, {"plans/goals/won.md": WON.replace("Negotiation course", "Course")})
    again = parse_feed(build(cli, project))
    assert again.entries[1].title == "Goal achieved: Course"
    assert [e.id for e in again.entries] == ids


# -- plan.json ------------------------------------------------------------------------------

def validate_plan_json(out: Path) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((out / "plan.json").read_text(encoding="utf-8"))
    schema = plan_schema()
    jsonschema.Draft202012Validator.check_schema(schema)
    jsonschema.Draft202012Validator(schema, format_checker=jsonschema.FormatChecker()) \
        .validate(data)
    return data


def test_plan_json_holds_the_public_plan_and_validates_against_the_shipped_schema(cli, tmp_path):
    out = build(cli, make_plan(tmp_path))
    data = validate_plan_json(out)
    assert data["format"] == "careersite-plan" and data["format_version"] == 1
    assert data["build"] == {"date": "2026-12-01", "private": False}
    assert data["vision"]["hard_values"] == [{"label": None, "text": "Top quartile salary"}]
    goals = {g["id"]: g for g in data["goals"]}
    assert list(goals) == ["dropped", "long", "short", "won"]
    short = goals["short"]
    assert (short["progress"], short["progress_source"]) == (40, "review")
    assert (short["done_count"], short["total_count"]) == (2, 5)
    assert short["parents"] == ["long"] and goals["long"]["children"] == ["short", "won"]
    assert short["target"] == "2027-03-31" and short["target_as_written"] == "2027-03-31"
    assert short["milestones"][0] == {"title": "Template agreed", "due": "2026-08-31",
                                      "done": True, "done_on": "2026-08-26"}
    assert short["milestones"][2]["due"] is None
    assert short["actions"] == [{"text": "Pick a template", "done": True},
                                {"text": "Book the meetings", "done": False}]
    assert short["links"] == [{"kind": "goal", "id": "long", "url": "goals/long.html"}]
    assert goals["won"]["progress"] == 100 and goals["won"]["achieved"] == "2026-10-20"
    body = BeautifulSoup(short["html"], "html.parser")
    assert body.find("strong").get_text() == "largest"
    assert body.find("a")["href"] == "goals/long.html"  # relative to the site root
    reviews = data["reviews"]
    assert [r["id"] for r in reviews] == ["2026-10-01", "2026-11-20"]
    assert reviews[1]["checkins"] == [
        {"goal": "short", "progress": 40, "status": "active", "note": "Plan 2 is late"}]
    assert reviews[1]["mood"] == 4
    assert [n["url"] for n in data["notes"]] == ["notes/coach.html"]
    assert data["development"] == [{"area": "negotiation", "goals": ["long", "short"]},
                                   {"area": "planning", "goals": ["short"]}]
    assert all("private_fields" not in g for g in data["goals"])


def test_plan_json_schema_rejects_what_careersite_never_writes(cli, tmp_path):
    data = validate_plan_json(build(cli, make_plan(tmp_path)))
    validator = jsonschema.Draft202012Validator(plan_schema(),
                                                format_checker=jsonschema.FormatChecker())
    bad_progress = json.loads(json.dumps(data))
    bad_progress["goals"][0]["progress"] = 101
    unknown_key = json.loads(json.dumps(data))
    unknown_key["goals"][0]["salary"] = "secret"
    bad_date = json.loads(json.dumps(data))
    bad_date["reviews"][0]["date"] = "2026-13-45"
    for bad in (bad_progress, unknown_key, bad_date):
        assert not validator.is_valid(bad)


def test_plan_json_schema_ships_in_the_package():
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    patterns = pyproject["tool"]["setuptools"]["package-data"]["careersite"]
    assert any(fnmatch("schemas/plan.schema.json", p) for p in patterns)
    assert (ROOT / "careersite/schemas/plan.schema.json").is_file()
    assert plan_schema()["$id"] == "urn:careersite:schema:plan:1"


def test_example_plan_outputs_validate(cli, tmp_path):
    project = tmp_path / "example"
    shutil.copytree(ROOT / "plans", project / "plans")
    config = (ROOT / "careersite.toml").read_text(encoding="utf-8")
    (project / "careersite.toml").write_text(config + f'\nbase_url = "{BASE}"\n',
                                             encoding="utf-8")
    out = build(cli, project)
    data = validate_plan_json(out)
    assert len(data["goals"]) == len(list((project / "plans/goals").rglob("*.md")))
    assert parse_feed(out).entries
    assert ical_events(out)
    assert vobject.readOne((out / "calendar.ics").read_text(encoding="utf-8")).vevent_list
    assert sitemap_locs(out)


# -- sitemap.xml, canonical and Open Graph ---------------------------------------------------

def sitemap_locs(out: Path) -> list[str]:
    root = ET.parse(out / "sitemap.xml").getroot()
    assert root.tag == f"{SITEMAP}urlset"
    return [url.findtext(f"{SITEMAP}loc") or "" for url in root.findall(f"{SITEMAP}url")]


def html_pages(out: Path) -> list[str]:
    return sorted(p.relative_to(out).as_posix() for p in site_files(out) if p.suffix == ".html")


def test_sitemap_lists_exactly_the_published_pages_and_only_with_base_url(cli, tmp_path):
    project = make_plan(tmp_path, f'base_url = "{BASE}"\n')
    out = build(cli, project)
    pages = html_pages(out)
    assert "goals/short.html" in pages and "404.html" in pages
    assert sitemap_locs(out) == [f"{BASE}/{p}" for p in pages if p != "404.html"]

    write_tree(project, {"careersite.toml": 'title = "Sara\'s plan"\n'})
    out = build(cli, project)
    assert not (out / "sitemap.xml").exists()  # removed with base_url


def test_pages_have_canonical_and_open_graph_with_base_url(cli, tmp_path):
    out = build(cli, make_plan(tmp_path, f'base_url = "{BASE}"\n'))
    for rel in html_pages(out):
        page = soup(out / rel)
        canonical = [link["href"] for link in page.find_all("link", rel="canonical")]
        og_url = [m["content"] for m in page.find_all("meta", property="og:url")]
        if rel == "404.html":  # served at any missing URL: it has no URL of its own
            assert canonical == [] and og_url == []
        else:
            assert canonical == og_url == [f"{BASE}/{rel}"], rel
        assert page.find("meta", property="og:title")["content"]
        assert page.find("meta", property="og:description")["content"]
    goal = soup(out / "goals/short.html")
    assert goal.find("meta", property="og:title")["content"] == "Account plans"
    assert goal.find("meta", property="og:type")["content"] == "article"
    assert goal.find("meta", property="og:description")["content"] == \
        "Written plans for my five largest accounts, see Become a key account manager."
    index = soup(out / "index.html")
    assert index.find("meta", property="og:type")["content"] == "website"
    assert index.find("meta", property="og:description")["content"] == \
        "I lead strategic accounts."
    calendar = index.select_one(".subscribe a[type='text/calendar']")
    assert calendar["href"] == "webcal://example.org/plan/calendar.ics"


def test_pages_without_base_url_have_open_graph_but_no_absolute_urls(cli, tmp_path):
    out = build(cli, make_plan(tmp_path))
    goal = soup(out / "goals/short.html")
    assert goal.find("link", rel="canonical") is None
    assert goal.find("meta", property="og:url") is None
    assert goal.find("meta", property="og:title")["content"] == "Account plans"
    feed = goal.find("link", rel="alternate", type="application/atom+xml")
    assert feed["href"] == "../feed.xml" and (out / "goals" / feed["href"]).resolve().is_file()
    links = {a["type"]: a["href"] for a in goal.select(".subscribe a")}
    assert links == {"application/atom+xml": "../feed.xml", "text/calendar": "../calendar.ics",
                     "application/json": "../plan.json"}
    for href in links.values():
        assert (out / "goals" / href).resolve().is_file()


# -- privacy ------------------------------------------------------------------------------

CANARY_FIELD = "CANARY-FIELD-a1"
CANARY_META = "CANARY-META-b2"
CANARY_BLOCK = "CANARY-BLOCK-c3"
CANARY_DOC = "CANARY-DOC-d4"
CANARY_TITLE = "CANARY-TITLE-e5"
CANARY_ID = "canary-id-f6"
CANARY_MILESTONE = "CANARY-MILESTONE-g7"
CANARY_CHECKIN = "CANARY-CHECKIN-h8"
CANARY_REVIEW = "CANARY-REVIEW-i9"
CANARY_REVIEW_BLOCK = "CANARY-REVIEW-BLOCK-j0"
CANARY_NOTE = "canary-note-k1"
CANARIES = (CANARY_FIELD, CANARY_META, CANARY_BLOCK, CANARY_DOC, CANARY_TITLE, CANARY_ID,
            CANARY_MILESTONE, CANARY_CHECKIN, CANARY_REVIEW, CANARY_REVIEW_BLOCK, CANARY_NOTE)
OUTPUTS = ("calendar.ics", "feed.xml", "plan.json", "sitemap.xml")


def private_plan(root: Path) -> Path:
    """A plan where every kind of private thing could reach the outputs."""
    return make_plan(root, f'base_url = "{BASE}"\n', {
        "plans/vision.md": f"""\
            ---
            private: {{salary: "{CANARY_FIELD}"}}
            ---
            I lead strategic accounts.
            """,
        "plans/goals/long.md": LONG.replace("---\nThe long game", f"""\
private:
  manager: "{CANARY_META}"
---
::: private
{CANARY_BLOCK}, see [the note](../notes/hidden.md).
:::

The long game"""),
        f"plans/goals/{CANARY_ID}.md": f"""\
            ---
            title: {CANARY_TITLE}
            horizon: short
            target: 2027-06
            status: achieved
            achieved: 2026-11-30
            parent: long
            private: true
            milestones:
              - {{title: {CANARY_MILESTONE}, due: 2027-01, done: false}}
            ---
            {CANARY_DOC}
            """,
        "plans/reviews/2026-11-20.md": REVIEW_NOV.replace(
            "goals:\n", f"goals:\n  {CANARY_ID}: {{progress: 90, note: \"{CANARY_CHECKIN}\"}}\n")
        + f"\n::: private\n{CANARY_REVIEW_BLOCK}\n:::\n",
        "plans/reviews/2026-11-29.md": f"""\
            ---
            title: {CANARY_REVIEW}
            date: 2026-11-29
            private: true
            ---
            {CANARY_REVIEW}
            """,
        "plans/notes/hidden.md": "# Hidden\n\nA public note only a private block links to.\n",
        f"plans/notes/{CANARY_NOTE}.md": f"---\nprivate: true\n---\n# {CANARY_NOTE}\n",
    })


def unfolded(path: Path) -> str:
    """A file's text; iCalendar lines unfolded so a folded canary is still found."""
    return path.read_text(encoding="utf-8").replace("\r\n ", "")


def test_public_outputs_hold_nothing_private(cli, tmp_path):
    out = build(cli, private_plan(tmp_path))
    for name in OUTPUTS:
        text = unfolded(out / name)
        for canary in CANARIES:
            assert canary not in text, (name, canary)
    for path in site_files(out):  # the pages' descriptions and Open Graph tags too
        text = path.read_text(encoding="utf-8", errors="replace")
        assert not [c for c in CANARIES if c in text], path
    # Nothing from a private review, not even its date: the reminder counts from the last
    # public review, the feed's newest entry is a public one.
    assert ical_events(out)["Career plan review"].decoded("DTSTART") == dt.date(2026, 12, 20)
    feed = parse_feed(out)
    assert feed.feed.updated_parsed[:3] == (2026, 11, 20)
    assert "Goal achieved: " + CANARY_TITLE not in [e.title for e in feed.entries]
    data = validate_plan_json(out)
    long = next(g for g in data["goals"] if g["id"] == "long")
    assert long["links"] == []  # the link inside the private block is private too
    assert long["children"] == ["short", "won"]
    assert "private_fields" not in long
    description = soup(out / "goals/long.html").find("meta", property="og:description")
    assert description["content"] == "The long game, in one paragraph."


def test_private_build_plan_json_holds_the_private_parts(cli, tmp_path):
    out = build(cli, private_plan(tmp_path), "--private")
    data = validate_plan_json(out)
    assert data["build"]["private"] is True
    assert data["vision"]["private_fields"] == {"salary": CANARY_FIELD}
    goals = {g["id"]: g for g in data["goals"]}
    assert goals["long"]["private_fields"] == {"manager": CANARY_META}
    assert CANARY_BLOCK in goals["long"]["html"]
    assert goals["long"]["links"] == [{"kind": "note", "id": "notes/hidden",
                                       "url": "notes/hidden.html"}]
    secret = goals[CANARY_ID]
    assert secret["private"] is True and secret["title"] == CANARY_TITLE
    assert CANARY_DOC in secret["html"]
    assert secret["milestones"][0]["title"] == CANARY_MILESTONE
    november = next(r for r in data["reviews"] if r["id"] == "2026-11-20")
    assert {"goal": CANARY_ID, "progress": 90, "status": None, "note": CANARY_CHECKIN} in \
        november["checkins"]
    assert CANARY_REVIEW_BLOCK in november["html"]
    assert [r["title"] for r in data["reviews"]][-1] == CANARY_REVIEW
    assert CANARY_NOTE in [n["id"].split("/")[-1] for n in data["notes"]]


# -- made again in one process (serve) -------------------------------------------------------

def test_outputs_made_again_in_one_process_equal_outputs_made_afresh(tmp_path):
    """serve keeps unchanged Document objects; the outputs' memos must never go stale."""
    project = make_plan(tmp_path, f'base_url = "{BASE}"\n')
    loaded = load_project(project, today=TODAY)

    def outputs(documents: list[Document], *, fresh: bool = False) -> dict[str, bytes]:
        if fresh:
            calendar._GoalMemo.previous = {}
            planjson._Memo.documents = DocMemo()
            feed._Memo.bodies = DocMemo()
        plan = build_plan(loaded.config, documents, loaded.assets, today=TODAY, private=False)
        ctx = page_context(plan, make_environment(None), loaded.index)
        return {**calendar.calendar_files(plan, ctx), **feed.feed_files(plan, ctx),
                **planjson.plan_json_files(plan, ctx)}

    def edited(rel: str, old: str, new: str) -> Document:
        path = project / "plans" / rel
        path.write_text(path.read_text(encoding="utf-8").replace(old, new), encoding="utf-8")
        doc = next(d for d in loaded.documents if d.source.plan_rel == rel)
        return parse_document(doc.source, path.read_bytes())[0]

    def swap(documents: list[Document], new: Document) -> list[Document]:
        return [new if d.source.plan_rel == new.source.plan_rel else d for d in documents]

    documents = list(loaded.documents)
    first = outputs(documents, fresh=True)
    long_json = planjson._Memo.documents.current[("goal", "long")][2]
    assert outputs(documents) == first
    assert planjson._Memo.documents.current[("goal", "long")][2] is long_json  # reused

    # Only the review changes, yet the goal it checks in on gets a new progress.
    documents = swap(documents, edited("reviews/2026-11-20.md", "progress: 40", "progress: 55"))
    warm = outputs(documents)
    assert planjson._Memo.documents.current[("goal", "long")][2] is long_json
    assert warm == outputs(documents, fresh=True) != first
    data = json.loads(warm["plan.json"])
    assert next(g for g in data["goals"] if g["id"] == "short")["progress"] == 55

    # A new title: the review's bare [[short]] shows it, in plan.json and in the feed.
    documents = swap(documents, edited("goals/short.md", "title: Account plans",
                                       "title: Account plans, all five"))
    warm = outputs(documents)
    assert warm == outputs(documents, fresh=True)
    november = json.loads(warm["plan.json"])["reviews"][1]["html"]
    assert BeautifulSoup(november, "html.parser").find("a").get_text() == \
        "Account plans, all five"
    entry = feedparser.parse(warm["feed.xml"]).entries[0]
    content = BeautifulSoup(entry.content[0].value, "html.parser")
    assert content.find("a").get_text() == "Account plans, all five"
    events = icalendar.Calendar.from_ical(warm["calendar.ics"]).walk("VEVENT")
    assert "Goal target: Account plans, all five" in [str(e["SUMMARY"]) for e in events]
