"""Plan -> calendar.ics (RFC 5545): goal targets, milestones and the review reminder.

Every event is an all-day event (``DTSTART;VALUE=DATE``, ``DTEND`` the next day, as RFC
5545 3.6.1 asks for a one-day event) marked ``TRANSP:TRANSPARENT``, so deadlines never
show as busy time. UIDs come from ids only (careersite.outputs.stable_uuid): editing a
title or moving a date updates the event in a subscribed calendar instead of adding one.

The calendar is written here, not by a library: it has one value type that needs
escaping (TEXT), no parameters but fixed ``VALUE=`` ones, and one recurrence rule.
`text` and `content_line` do what icalendar does, byte for byte (tests/test_calendar.py
checks the output against icalendar's and parses it back): TEXT escaping of backslash,
semicolon, comma and line breaks, UTF-8, lines folded before 75 octets but never inside a
character or between a backslash and the character it escapes, CRLF line ends.

Speed. icalendar took about 0.1 ms per event: 1 s of CPU for the 9,333 events of the
5,000-document benchmark plan. Written here, they take 90 ms, a third of it the UUIDs
(uuid5). Each goal's events are also kept as bytes from one build to the next, keyed by
everything they are made of: a rebuild in the same process (``serve``) writes only the
goals that changed (20 ms when none did, mostly making the keys).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Hashable, Iterator, Mapping

from careersite import __version__
from careersite.model import Goal, Plan
from careersite.outputs import absolute_url, stable_uuid
from careersite.views import PageContext

CALENDAR_URL = "calendar.ics"
ONE_DAY = dt.timedelta(days=1)
CRLF = b"\r\n"
FOLD = 74
"""Octets a line holds before it is folded (icalendar's choice: the limit is 75)."""


def N_(text: str) -> str:
    """Marks a string for the translation catalog; gettext translates it where it is used."""
    return text


GOAL_TARGET = N_("Goal target: %(title)s")
ACHIEVED = N_(" — achieved")
MILESTONE = N_("Milestone: %(title)s")
DONE = N_(" — done")
MILESTONE_OF = N_("A milestone of the goal: %(goal)s")
_WORDS = (GOAL_TARGET, ACHIEVED, MILESTONE, DONE, MILESTONE_OF)


# -- RFC 5545 writing --------------------------------------------------------------------

def text(value: str) -> str:
    """value as a TEXT value (RFC 5545 3.3.11): backslash, ``;``, ``,`` and line breaks escaped.

    Exactly icalendar's escaping, including its reading of a ``\\N`` already in the value
    as an escaped line break, and of CR LF or a lone CR as one line break.
    """
    return (value.replace("\\N", "\n").replace("\\", "\\\\").replace(";", "\\;")
            .replace(",", "\\,").replace("\r\n", "\\n").replace("\n", "\\n")
            .replace("\r", "\\n"))


def content_line(name: str, value: str) -> bytes:
    """``name:value`` (value already escaped) in UTF-8, folded, ending in CRLF (RFC 5545 3.1).

    A line longer than FOLD octets goes on after CRLF and a space. It is never folded
    inside a UTF-8 sequence, nor right after a backslash (or a ``^``, RFC 6868's escape),
    which then starts the next line, as icalendar does.
    """
    if "\n" in value or "\r" in value:
        raise ValueError(f"a line break in a {name} value: {value!r}")
    line = f"{name}:{value}".encode()
    if len(line) <= FOLD:
        return line + CRLF
    parts = []
    start = 0
    while len(line) - start > FOLD:
        cut = start + FOLD
        while line[cut] & 0xC0 == 0x80:  # a continuation byte: fold before its character
            cut -= 1
        if line[cut - 1] in b"\\^":
            cut -= 1
        parts.append(line[start:cut])
        start = cut
    parts.append(line[start:])
    return b"\r\n ".join(parts) + CRLF


def date_value(day: dt.date) -> bytes:
    """A DATE value: ``20270331``."""
    return b"%04d%02d%02d" % (day.year, day.month, day.day)


# -- the calendar --------------------------------------------------------------------------

class _GoalMemo:
    """Each goal's events as bytes from the previous build, keyed by their inputs."""

    previous: dict[Hashable, bytes] = {}


def calendar_files(plan: Plan, ctx: PageContext) -> Mapping[str, bytes]:
    """The site's calendar.ics."""
    return {CALENDAR_URL: calendar_bytes(plan, ctx.gettext)}


def calendar_bytes(plan: Plan, gettext: Callable[[str], str] = str) -> bytes:
    """The plan's calendar as iCalendar bytes (CRLF line ends, folded at 75 octets).

    gettext translates the few words the calendar adds ("Goal target", "Milestone").
    """
    make = _EventMaker(plan, gettext)
    parts = [_header(plan)]
    fresh: dict[Hashable, bytes] = {}
    for goal in plan.goals.values():
        if goal.status == "dropped":
            continue  # not a deadline any more
        key = make.signature(goal)
        chunk = _GoalMemo.previous.get(key)
        if chunk is None:
            chunk = b"".join(_goal_events(goal, make))
        fresh[key] = chunk
        parts.append(chunk)
    _GoalMemo.previous = fresh  # only this build's goals: the memo never outgrows a plan
    parts.append(review_reminder(plan, make))
    parts.append(b"END:VCALENDAR\r\n")
    return b"".join(parts)


def _header(plan: Plan) -> bytes:
    """``BEGIN:VCALENDAR`` and the calendar's own properties."""
    config = plan.config
    title = text(config.title)
    lines = [
        content_line("BEGIN", "VCALENDAR"),
        content_line("PRODID", text(f"-//careersite//careersite {__version__}//EN")),
        content_line("VERSION", "2.0"),
        content_line("CALSCALE", "GREGORIAN"),
        content_line("METHOD", "PUBLISH"),
        content_line("NAME", title),
        content_line("X-WR-CALNAME", title),
        # Ask subscribing clients to refresh daily (RFC 7986, and Outlook's own property).
        content_line("REFRESH-INTERVAL;VALUE=DURATION", "P1D"),
        content_line("X-PUBLISHED-TTL", "P1D"),
    ]
    if config.base_url:
        lines.append(content_line("URL", absolute_url(config, CALENDAR_URL)))
    return b"".join(lines)


class _EventMaker:
    """Writes the all-day events of one calendar, sharing the lines they have in common."""

    def __init__(self, plan: Plan, gettext: Callable[[str], str]) -> None:
        self.config = plan.config
        self.gettext = gettext
        self.words = {word: gettext(word) for word in _WORDS}
        # The build date at 00:00 UTC (as outputs.midnight_utc), so a day's builds are equal.
        self.stamp = b"DTSTAMP:%sT000000Z\r\n" % date_value(plan.today)
        # Everything a goal's events depend on besides the goal itself.
        self.settings = (self.config.base_url, plan.today, self.config.calendar_include_done,
                         tuple(self.words.values()))
        self.dates: dict[dt.date, bytes] = {}
        self.urls: dict[str, bytes] = {}

    def signature(self, goal: Goal) -> Hashable:
        """Everything the goal's events are made of (the memo's key)."""
        return (self.settings, goal.id, goal.title, goal.status, goal.target, goal.url,
                tuple((m.title, m.due.last if m.due else None, m.done)
                      for m in goal.milestones))

    def date(self, day: dt.date) -> bytes:
        """The DATE value of a day, written once per day."""
        value = self.dates.get(day)
        if value is None:
            value = self.dates[day] = date_value(day)
        return value

    def url(self, url: str) -> bytes:
        """The URL line of a page (absolute), written once per page."""
        line = self.urls.get(url)
        if line is None:
            line = self.urls[url] = content_line("URL", absolute_url(self.config, url))
        return line

    def event(self, key: str, day: dt.date, summary: str, url: str,
              description: str = "", repeat: str = "") -> bytes:
        """An all-day event on day; key (made of ids) gives its UID, repeat its RRULE."""
        # UID, DTSTART and DTEND are short ASCII: never escaped, never folded.
        lines = [b"BEGIN:VEVENT\r\nUID:%s\r\n" % str(stable_uuid(self.config, key)).encode(),
                 self.stamp,
                 b"DTSTART;VALUE=DATE:%s\r\nDTEND;VALUE=DATE:%s\r\n"
                 % (self.date(day), self.date(day + ONE_DAY)),
                 content_line("SUMMARY", text(summary)),
                 b"TRANSP:TRANSPARENT\r\n"]
        if description:
            lines.append(content_line("DESCRIPTION", text(description)))
        if self.config.base_url:
            lines.append(self.url(url))
        if repeat:
            lines.append(content_line("RRULE", repeat))
        lines.append(b"END:VEVENT\r\n")
        return b"".join(lines)


def _goal_events(goal: Goal, make: _EventMaker) -> Iterator[bytes]:
    """The target of a goal and its milestones' due dates (done ones as the config says)."""
    words = make.words
    include_done = make.config.calendar_include_done
    achieved = goal.status == "achieved"
    if include_done or not achieved:
        summary = words[GOAL_TARGET] % {"title": goal.title}
        if achieved:
            summary += words[ACHIEVED]
        yield make.event(f"goal/{goal.id}/target", goal.target, summary, goal.url)
    for number, milestone in enumerate(goal.milestones, 1):
        done = milestone.done or achieved
        if milestone.due is None or (done and not include_done):
            continue
        summary = words[MILESTONE] % {"title": milestone.title}
        if done:
            summary += words[DONE]
        # Milestones have no id: their place in the goal's list is the next best thing.
        yield make.event(f"goal/{goal.id}/milestone/{number}", milestone.due.last, summary,
                         goal.url, words[MILESTONE_OF] % {"goal": goal.title})


def next_review(plan: Plan) -> dt.date:
    """When the next review is due: review_every_days after the latest published review."""
    if not plan.reviews:
        return plan.today
    return plan.reviews[-1].date + dt.timedelta(days=plan.config.review_every_days)


def review_reminder(plan: Plan, make: _EventMaker) -> bytes:
    """The next review, repeating every review_every_days."""
    every = plan.config.review_every_days
    _ = make.gettext
    description = _("Check in against your plan: what went well, what to improve, are you "
                    "on the right track? Every %(n)d days.") % {"n": every}
    return make.event("review/next", next_review(plan), _("Career plan review"),
                      "reviews/index.html", description, f"FREQ=DAILY;INTERVAL={every}")
