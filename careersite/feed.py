"""Plan -> feed.xml: an Atom feed (RFC 4287) of the reviews and the achieved goals.

Entries are newest first. Links are absolute when base_url is set (and the feed carries
``xml:base``, so the links inside entry content resolve too), else relative to the feed,
which lives at the site root. Entry ids are ``urn:uuid:`` URIs made from document ids
only, so an edited title or date updates an entry instead of adding one.
"""

from __future__ import annotations

import datetime as dt
import xml.etree.ElementTree as ET
from collections.abc import Mapping
from dataclasses import dataclass

from markupsafe import Markup

from careersite.documents import Document
from careersite.excerpt import first_paragraph
from careersite.model import Plan
from careersite.outputs import DocMemo, absolute_url, midnight_utc, stable_uuid, xml_text
from careersite.views import PageContext

FEED_URL = "feed.xml"
ATOM = "http://www.w3.org/2005/Atom"
XML_BASE = "{http://www.w3.org/XML/1998/namespace}base"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


@dataclass(frozen=True)
class FeedEntry:
    """One entry of the feed."""

    key: str
    """What its id is made from: "review/<id>" or "goal/<id>/achieved"."""
    kind: str
    """"review" or "achieved" (the entry's category)."""
    title: str
    day: dt.date
    url: str
    """Site-relative URL of the page the entry links to."""
    body: Markup
    """Body HTML, links relative to the site root."""
    summary: str
    """Plain text of the body's first paragraph, or ""."""


class _Memo:
    """Each document's (body, summary) from the previous build of this process (serve)."""

    bodies = DocMemo()


def _body(ctx: PageContext, doc: Document) -> tuple[Markup, str]:
    """A document's body as the feed shows it, and its summary, made once per document."""
    def make() -> tuple[Markup, str]:
        body = ctx.body(doc, FEED_URL)
        return body, first_paragraph(body)

    return _Memo.bodies.get(doc, (), make)


def feed_files(plan: Plan, ctx: PageContext) -> Mapping[str, bytes]:
    """The site's feed.xml."""
    return {FEED_URL: feed_bytes(plan, ctx)}


def feed_entries(plan: Plan, ctx: PageContext) -> list[FeedEntry]:
    """Reviews and achieved goals, newest first (ties: reviews first, then by id); the
    newest `feed_limit` of them (careersite.toml, 50 unless set; 0: all)."""
    _ = ctx.gettext
    _Memo.bodies.start(plan, ctx)
    found: list[tuple[int, int, str, str, str, dt.date, str, Document]] = [
        (-r.date.toordinal(), 0, f"review/{r.id}", "review", r.doc.title, r.date, r.url,
         r.doc) for r in plan.reviews]
    for goal in plan.goals.values():
        if goal.status != "achieved":
            continue
        # Without an `achieved` date, the target (or today, if that is still ahead).
        day = goal.achieved or min(goal.target, plan.today)
        found.append((-day.toordinal(), 1, f"goal/{goal.id}/achieved", "achieved",
                      _("Goal achieved: %(title)s") % {"title": goal.title}, day, goal.url,
                      goal.doc))
    found.sort(key=lambda e: e[:3])
    limit = plan.config.feed_limit
    # Only the entries kept are rendered: a large plan's feed stays small and quick.
    return [FeedEntry(key, kind, title, day, url, *_body(ctx, doc))
            for _o, _k, key, kind, title, day, url, doc in (found[:limit] if limit else found)]


def _stamp(day: dt.date) -> str:
    return midnight_utc(day).strftime("%Y-%m-%dT%H:%M:%SZ")


def _sub(parent: ET.Element, tag: str, text: str | None = None, **attrs: str) -> ET.Element:
    element = ET.SubElement(parent, tag, attrs)
    if text is not None:
        element.text = xml_text(text)
    return element


def feed_bytes(plan: Plan, ctx: PageContext) -> bytes:
    """The feed as UTF-8 Atom XML."""
    config = plan.config
    _ = ctx.gettext
    entries = feed_entries(plan, ctx)
    # Unqualified names under an explicit xmlns: ElementTree's default_namespace option
    # rejects unqualified attributes such as rel and href.
    feed = ET.Element("feed", xmlns=ATOM)
    if config.base_url:
        feed.set(XML_BASE, config.base_url + "/")
    feed.set(XML_LANG, config.language)
    _sub(feed, "id", stable_uuid(config, "feed").urn)
    _sub(feed, "title", config.title)
    _sub(feed, "subtitle", _("Reviews and achieved goals"))
    _sub(feed, "updated", _stamp(entries[0].day if entries else plan.today))
    author = _sub(feed, "author")
    _sub(author, "name", config.author or config.title)
    _sub(feed, "link", rel="self", type="application/atom+xml",
         href=absolute_url(config, FEED_URL))
    _sub(feed, "link", rel="alternate", type="text/html",
         href=absolute_url(config, "index.html"))
    _sub(feed, "generator", "careersite")
    for item in entries:
        entry = _sub(feed, "entry")
        _sub(entry, "id", stable_uuid(config, item.key).urn)
        _sub(entry, "title", item.title)
        _sub(entry, "updated", _stamp(item.day))
        _sub(entry, "published", _stamp(item.day))
        _sub(entry, "link", rel="alternate", type="text/html",
             href=absolute_url(config, item.url))
        _sub(entry, "category", term=item.kind)
        if item.summary:
            _sub(entry, "summary", item.summary)
        if item.body:
            _sub(entry, "content", str(item.body), type="html")
    tree = ET.ElementTree(feed)
    ET.indent(tree, space=" ")
    data: bytes = ET.tostring(feed, encoding="utf-8", xml_declaration=True)
    return data + b"\n"
