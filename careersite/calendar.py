"""Plan -> calendar.ics (RFC 5545): goal targets, milestones and the review reminder.

Every event is an all-day event (``DTSTART;VALUE=DATE``, ``DTEND`` the next day, as RFC
5545 3.6.1 asks for a one-day event) marked ``TRANSP:TRANSPARENT``, so deadlines never
show as busy time. UIDs come from ids only (careersite.outputs.stable_uuid): editing a
title or moving a date updates the event in a subscribed calendar instead of adding one.

Speed. icalendar costs about 0.1 ms per event, and a 5,000-document plan has ~10,000
events. So properties are set as typed values (three times faster than
``Component.add``), and each goal's events, serialized by icalendar, are kept from one
build to the next keyed by everything they are made of: a rebuild in the same process
(``serve``) serializes only the goals that changed. A calendar's bytes are its header,
its events and ``END:VCALENDAR``, exactly as ``Calendar.to_ical`` joins them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Hashable, Iterator, Mapping

from icalendar import Calendar, Event, vDate, vDatetime, vDuration, vRecur, vText, vUri

from careersite import __version__
from careersite.model import Goal, Plan
from careersite.outputs import absolute_url, midnight_utc, stable_uuid
from careersite.views import PageContext

CALENDAR_URL = "calendar.ics"
ONE_DAY = dt.timedelta(days=1)
_END = b"END:VCALENDAR\r\n"



def N_(text: str) -> str:
    """Marks a string for the translation catalog; gettext translates it where it is used."""
    return text


GOAL_TARGET = N_("Goal target: %(title)s")
ACHIEVED = N_(" — achieved")
MILESTONE = N_("Milestone: %(title)s")
DONE = N_(" — done")
MILESTONE_OF = N_("A milestone of the goal: %(goal)s")
_WORDS = (GOAL_TARGET, ACHIEVED, MILESTONE, DONE, MILESTONE_OF)


class _GoalMemo:
    """Each goal's serialized events from the previous build, keyed by their inputs."""

    previous: dict[Hashable, bytes] = {}


def calendar_files(plan: Plan, ctx: PageContext) -> Mapping[str, bytes]:
    """The site's calendar.ics."""
    return {CALENDAR_URL: calendar_bytes(plan, ctx.gettext)}


def calendar_bytes(plan: Plan, gettext: Callable[[str], str] = str) -> bytes:
    """The plan's calendar as iCalendar bytes (CRLF line ends, folded at 75 octets).

    gettext translates the few words the calendar adds ("Goal target", "Milestone").
    """
    make = _EventMaker(plan, gettext)
    header: bytes = _calendar(plan).to_ical(sorted=False)
    assert header.endswith(_END)
    parts = [header[:-len(_END)]]
    fresh: dict[Hashable, bytes] = {}
    for goal in plan.goals.values():
        if goal.status == "dropped":
            continue  # not a deadline any more
        key = make.signature(goal)
        chunk = _GoalMemo.previous.get(key)
        if chunk is None:
            chunk = b"".join(e.to_ical(sorted=False) for e in _goal_events(goal, make))
        fresh[key] = chunk
        parts.append(chunk)
    _GoalMemo.previous = fresh  # only this build's goals: the memo never outgrows a plan
    parts.append(review_reminder(plan, make).to_ical(sorted=False))
    parts.append(_END)
    return b"".join(parts)


def _calendar(plan: Plan) -> Calendar:
    """The calendar's own properties, without events."""
    config = plan.config
    cal = Calendar()
    cal["PRODID"] = vText(f"-//careersite//careersite {__version__}//EN")
    cal["VERSION"] = vText("2.0")
    cal["CALSCALE"] = vText("GREGORIAN")
    cal["METHOD"] = vText("PUBLISH")
    cal["NAME"] = vText(config.title)
    cal["X-WR-CALNAME"] = vText(config.title)
    # Ask subscribing clients to refresh daily (RFC 7986, and Outlook's own property).
    cal["REFRESH-INTERVAL"] = vDuration(ONE_DAY)
    cal["REFRESH-INTERVAL"].params["VALUE"] = "DURATION"
    cal["X-PUBLISHED-TTL"] = vDuration(ONE_DAY)
    if config.base_url:
        cal["URL"] = vUri(absolute_url(config, CALENDAR_URL))
    return cal


class _EventMaker:
    """Builds the all-day events of one calendar, sharing the values they have in common."""

    def __init__(self, plan: Plan, gettext: Callable[[str], str]) -> None:
        self.config = plan.config
        self.gettext = gettext
        self.words = {word: gettext(word) for word in _WORDS}
        self.stamp = vDatetime(midnight_utc(plan.today))
        self.transparent = vText("TRANSPARENT")
        # Everything a goal's events depend on besides the goal itself.
        self.settings = (self.config.base_url, plan.today, self.config.calendar_include_done,
                         tuple(self.words.values()))
        # Values are only read when serialized, so events share equal ones.
        self.dates: dict[dt.date, vDate] = {}
        self.urls: dict[str, vUri] = {}

    def signature(self, goal: Goal) -> Hashable:
        """Everything the goal's events are made of (the memo's key)."""
        return (self.settings, goal.id, goal.title, goal.status, goal.target, goal.url,
                tuple((m.title, m.due.last if m.due else None, m.done)
                      for m in goal.milestones))

    def date(self, day: dt.date) -> vDate:
        """A DATE value (`;VALUE=DATE`), one object per day."""
        value = self.dates.get(day)
        if value is None:
            value = self.dates[day] = vDate(day, {"VALUE": "DATE"})
        return value

    def url(self, url: str) -> vUri:
        """The absolute URL of a page, one object per page."""
        value = self.urls.get(url)
        if value is None:
            value = self.urls[url] = vUri(absolute_url(self.config, url))
        return value

    def event(self, key: str, day: dt.date, summary: str, url: str,
              description: str = "") -> Event:
        """An all-day event on day; key (made of ids) gives its UID."""
        event = Event()
        event["UID"] = vText(str(stable_uuid(self.config, key)))
        event["DTSTAMP"] = self.stamp
        event["DTSTART"] = self.date(day)
        event["DTEND"] = self.date(day + ONE_DAY)
        event["SUMMARY"] = vText(summary)
        event["TRANSP"] = self.transparent
        if description:
            event["DESCRIPTION"] = vText(description)
        if self.config.base_url:
            event["URL"] = self.url(url)
        return event


def _goal_events(goal: Goal, make: _EventMaker) -> Iterator[Event]:
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


def review_reminder(plan: Plan, make: _EventMaker) -> Event:
    """The next review, repeating every review_every_days."""
    every = plan.config.review_every_days
    _ = make.gettext
    description = _("Check in against your plan: what went well, what to improve, are you "
                    "on the right track? Every %(n)d days.") % {"n": every}
    event = make.event("review/next", next_review(plan), _("Career plan review"),
                       "reviews/index.html", description)
    event["RRULE"] = vRecur(freq="DAILY", interval=every)
    return event
