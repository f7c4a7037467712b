"""Helpers shared by the machine-readable outputs: calendar, feed, plan.json, sitemap."""

from __future__ import annotations

import datetime as dt
import re
import uuid
from collections.abc import Callable, Hashable
from typing import Any, TypeVar

from careersite.config import Config
from careersite.documents import Document
from careersite.model import Plan
from careersite.views import PageContext

T = TypeVar("T")

_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")
"""Characters XML 1.0 does not allow (C0 controls other than tab, LF, CR; non-characters)."""


def absolute_url(config: Config, url: str) -> str:
    """A site-relative URL made absolute with base_url; unchanged when base_url is empty."""
    return f"{config.base_url}/{url}" if config.base_url else url


def stable_uuid(config: Config, key: str) -> uuid.UUID:
    """A UUID that depends only on the site's base_url and key (a document id, not a title).

    Subscribed calendars and feed readers recognise an item by it across builds, so it
    never depends on titles or dates: only on ids ("goal/sales/first-deal/target").
    """
    scope = config.base_url or "careersite:"
    return uuid.uuid5(uuid.NAMESPACE_URL, f"{scope}#{key}")


def midnight_utc(day: dt.date) -> dt.datetime:
    """The start of a day, in UTC: how dates without a time become timestamps."""
    return dt.datetime(day.year, day.month, day.day, tzinfo=dt.UTC)


def xml_text(text: str) -> str:
    """text with the characters XML 1.0 cannot hold replaced by U+FFFD."""
    return _NOT_XML.sub("\ufffd", text)


def link_signature(plan: Plan, ctx: PageContext) -> Hashable:
    """Everything a body's links resolve by, besides the body: equal, the links are too."""
    index = ctx.index
    return (plan.private, ctx.private_word, frozenset(plan.urls.items()),
            frozenset((key, doc.title) for key, doc in plan.all_documents.items()),
            frozenset(index.documents.items()), index.assets, frozenset(index.ids.items()))


class DocMemo:
    """Values made from one document, kept from the previous build in this process.

    A rebuild (``serve``) keeps the Document of every unchanged file, so a value made from
    the same Document object, with the same `extra` inputs and the same link signature,
    is the same value. Only the previous build's values are kept: the memo never holds
    more than one plan's worth.
    """

    def __init__(self) -> None:
        self.signature: Hashable = None
        self.previous: dict[tuple[str, str], tuple[Document, Hashable, Any]] = {}
        self.current: dict[tuple[str, str], tuple[Document, Hashable, Any]] = {}

    def start(self, plan: Plan, ctx: PageContext) -> None:
        """Begin a build: keep the last build's values only if links resolve the same."""
        signature = link_signature(plan, ctx)
        self.previous = self.current if signature == self.signature else {}
        self.current = {}
        self.signature = signature

    def get(self, doc: Document, extra: Hashable, make: Callable[[], T]) -> T:
        """The value for doc and extra: the previous build's, or make()."""
        key = (doc.kind, doc.id)
        entry = self.previous.get(key)
        if entry is not None and entry[0] is doc and entry[1] == extra:
            value: T = entry[2]
        else:
            value = make()
        self.current[key] = (doc, extra, value)
        return value
