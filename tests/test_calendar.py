"""calendar.ics's own RFC 5545 writer, checked against icalendar's output byte for byte.

careersite writes the calendar itself (ten times faster than icalendar); icalendar, the
library it used before, is the reference here: the same plan must give the same bytes,
and they must parse back. The behaviour of the calendar (which events, UIDs, dates) is
tested through real builds in test_outputs.py.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Iterator
from pathlib import Path

import icalendar
import pytest
import vobject
from conftest import write_tree
from hypothesis import given, settings
from hypothesis import strategies as st
from icalendar import Calendar, Event, vDate, vDatetime, vDuration, vRecur, vText, vUri
from icalendar.parser import Contentline, Parameters

from careersite import __version__, calendar
from careersite.build import load_project
from careersite.i18n import localizer
from careersite.model import Plan, build_plan
from careersite.outputs import absolute_url, midnight_utc, stable_uuid

TODAY = dt.date(2026, 12, 1)
PREFIX = len(b"SUMMARY:Goal target: ")
"""Octets before a goal's title on its SUMMARY line."""

# Titles that need escaping, or fold inside a multi-byte character or an escape.
TITLES = {
    "commas": "Sales, marketing; and a back\\slash",
    "newline": "First line\nsecond line",
    "crlf": "Windows\r\nline\rends",
    "escape-at-fold": "a" * (74 - PREFIX - 1) + ", then more",
    "caret-at-fold": "c" * (74 - PREFIX - 1) + "^n and on",
    "two-byte": "Lära mig svenska på riktigt " + "å" * 60,
    "three-byte": "日本語を勉強する" * 12,
    "emoji": "Ship it 🚀🎉 " + "👩‍💻" * 25,
    "combining": "Cafe\u0301 " * 20,
    "capital-n": "Clean up C:\\New folder",  # icalendar reads "\N" as a line break
    "quotes": "\"Quoted\" and 'single' and :colons: and tabs\there",
    "long-plain": "A very long goal title " * 8,
}


def goal(title: str, milestone: str, status: str = "active") -> str:
    """A goal file with a dated and an undated milestone (JSON strings are YAML strings)."""
    achieved = "achieved: 2026-10-20\n" if status == "achieved" else ""
    return (f"---\ntitle: {json.dumps(title, ensure_ascii=False)}\nhorizon: short\n"
            f"target: 2027-Q1\nstatus: {status}\n{achieved}milestones:\n"
            f"  - {{title: {json.dumps(milestone, ensure_ascii=False)}, due: 2026-12-24, "
            f"done: false}}\n  - {{title: No date, done: false}}\n---\nBody.\n")


def awkward_plan(root: Path, config: str) -> Plan:
    """A plan whose goal and milestone titles are TITLES, one achieved, one dropped."""
    files = {"careersite.toml": config,
             "plans/reviews/2026-11-20.md": "---\ntitle: November\ndate: 2026-11-20\n---\nOk.\n",
             "plans/goals/dropped.md": goal("Dropped", "Gone", "dropped"),
             "plans/goals/won.md": goal("Won, at last", "Done; really", "achieved")}
    for name, title in TITLES.items():
        files[f"plans/goals/{name}.md"] = goal(title, "Step: " + title[::-1])
    loaded = load_project(write_tree(root, files), today=TODAY)
    assert not [d for d in loaded.diagnostics if d.severity == "error"], loaded.diagnostics
    return build_plan(loaded.config, loaded.documents, loaded.assets, today=TODAY,
                      private=False)


def events(plan: Plan, _: Callable[[str], str]) -> Iterator[tuple[str, dt.date, str, str, str]]:
    """(UID key, day, summary, page, description) of each event, as calendar.py picks them."""
    include_done = plan.config.calendar_include_done
    for g in plan.goals.values():
        achieved = g.status == "achieved"
        if g.status == "dropped" or (achieved and not include_done):
            continue
        suffix = _(calendar.ACHIEVED) if achieved else ""
        yield (f"goal/{g.id}/target", g.target,
               _(calendar.GOAL_TARGET) % {"title": g.title} + suffix, g.url, "")
        for n, m in enumerate(g.milestones, 1):
            if m.due is not None and (include_done or not (m.done or achieved)):
                suffix = _(calendar.DONE) if m.done or achieved else ""
                yield (f"goal/{g.id}/milestone/{n}", m.due.last,
                       _(calendar.MILESTONE) % {"title": m.title} + suffix, g.url,
                       _(calendar.MILESTONE_OF) % {"goal": g.title})


def icalendar_reference(plan: Plan, _: Callable[[str], str] = str) -> bytes:
    """The plan's calendar made with icalendar, as careersite made it before its own writer."""
    config = plan.config
    cal = Calendar()
    for name, value in (("PRODID", f"-//careersite//careersite {__version__}//EN"),
                        ("VERSION", "2.0"), ("CALSCALE", "GREGORIAN"), ("METHOD", "PUBLISH"),
                        ("NAME", config.title), ("X-WR-CALNAME", config.title)):
        cal[name] = vText(value)
    cal["REFRESH-INTERVAL"] = vDuration(dt.timedelta(days=1))
    cal["REFRESH-INTERVAL"].params["VALUE"] = "DURATION"
    cal["X-PUBLISHED-TTL"] = vDuration(dt.timedelta(days=1))
    if config.base_url:
        cal["URL"] = vUri(absolute_url(config, "calendar.ics"))
    every = config.review_every_days
    reminder = ("review/next", calendar.next_review(plan), _("Career plan review"),
                "reviews/index.html",
                _("Check in against your plan: what went well, what to improve, are you "
                  "on the right track? Every %(n)d days.") % {"n": every})
    for key, day, summary, page, description in [*events(plan, _), reminder]:
        event = Event()
        event["UID"] = vText(str(stable_uuid(config, key)))
        event["DTSTAMP"] = vDatetime(midnight_utc(plan.today))
        event["DTSTART"] = vDate(day, {"VALUE": "DATE"})
        event["DTEND"] = vDate(day + dt.timedelta(days=1), {"VALUE": "DATE"})
        event["SUMMARY"] = vText(summary)
        event["TRANSP"] = vText("TRANSPARENT")
        if description:
            event["DESCRIPTION"] = vText(description)
        if config.base_url:
            event["URL"] = vUri(absolute_url(config, page))
        if key == "review/next":
            event["RRULE"] = vRecur(freq="DAILY", interval=every)
        cal.add_component(event)
    ical: bytes = cal.to_ical(sorted=False)
    return ical


CONFIGS = {
    "plain": "",
    "base-url-and-done": 'title = "Sara\'s plan, 2027; \\"draft\\" \\\\ ✓ ' + "ö" * 40 + '"\n'
                         'base_url = "https://example.org/a,b;c/' + "long-path" * 6 + '"\n'
                         "calendar_include_done = true\nreview_every_days = 45\n",
    "swedish": 'language = "sv"\nbase_url = "https://example.org/plan"\n',
}


@pytest.mark.parametrize("config", CONFIGS.values(), ids=CONFIGS.keys())
def test_awkward_titles_give_icalendars_bytes_and_parse_back(tmp_path: Path, config: str) -> None:
    plan = awkward_plan(tmp_path, config)
    gettext = localizer(plan.config.language).gettext
    calendar._GoalMemo.previous = {}
    raw = calendar.calendar_bytes(plan, gettext)
    assert raw == icalendar_reference(plan, gettext)
    assert calendar.calendar_bytes(plan, gettext) == raw  # from the memo

    lines = raw.split(b"\r\n")
    assert lines[-1] == b"" and b"\n" not in raw.replace(b"\r\n", b"")
    assert max(len(line) for line in lines) <= 75
    for line in lines:
        line.decode("utf-8")  # a fold never splits a character

    parsed = icalendar.Calendar.from_ical(raw)
    summaries = [str(e["SUMMARY"]) for e in parsed.walk("VEVENT")]
    expected = [summary for _, _, summary, _, _ in events(plan, gettext)]
    # As written, but for line breaks: a "\N" in a title, CR LF and CR all become LF.
    assert summaries[:-1] == [s.replace("\\N", "\n").replace("\r\n", "\n").replace("\r", "\n")
                              for s in expected]
    second = vobject.readOne(raw.decode("utf-8"))  # icalendar leaves NAME unparsed
    assert second.contents["x-wr-calname"][0].value == plan.config.title
    assert [e.summary.value for e in second.vevent_list] == summaries


def test_swedish_calendar_is_translated(tmp_path: Path) -> None:
    plan = awkward_plan(tmp_path, CONFIGS["swedish"])
    raw = calendar.calendar_bytes(plan, localizer("sv").gettext)
    summaries = [str(e["SUMMARY"]) for e in icalendar.Calendar.from_ical(raw).walk("VEVENT")]
    assert "Måldatum: Sales, marketing; and a back\\slash" in summaries
    assert summaries[-1] == "Avstämning av karriärplanen"


@settings(max_examples=300, deadline=None)
@given(st.text(st.sampled_from("ab\\;,:^\n\rNé日🚀\u0301 ") | st.characters(codec="utf-8"), max_size=400))
def test_text_lines_are_escaped_and_folded_as_icalendar_does(value: str) -> None:
    ours = calendar.content_line("SUMMARY", calendar.text(value))
    theirs = Contentline.from_parts("SUMMARY", Parameters(), vText(value)).to_ical()
    assert ours == theirs + b"\r\n"


@settings(max_examples=100, deadline=None)
@given(st.text(st.characters(codec="utf-8", exclude_characters="\r\n"), max_size=300))
def test_uri_lines_are_folded_as_icalendar_does(value: str) -> None:
    ours = calendar.content_line("URL", value)
    assert ours == Contentline.from_parts("URL", Parameters(), vUri(value)).to_ical() + b"\r\n"


def test_a_raw_value_with_a_line_break_is_refused() -> None:
    with pytest.raises(ValueError, match="line break"):
        calendar.content_line("URL", "https://example.org/\nBEGIN:VEVENT")
