"""Rendered body HTML -> a short plain-text excerpt (page descriptions, feed summaries)."""

from __future__ import annotations

from collections.abc import Mapping
from html.parser import HTMLParser
from typing import Any

MAX_EXCERPT = 200
"""Longest excerpt in characters, the ellipsis included."""

_SKIP = frozenset({"script", "style", "sup"})
"""Elements whose text is not part of an excerpt (footnote references are <sup>)."""


class _FirstParagraph(HTMLParser):
    """Collects the text of the first <p> element."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.depth = 0
        self.skip = 0
        self.done = False
        self.parts: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if self.done:
            return
        if tag == "p":
            self.depth += 1
        elif tag in _SKIP:
            self.skip += 1

    def handle_endtag(self, tag: str) -> None:
        if self.done:
            return
        if tag == "p" and self.depth:
            self.depth -= 1
            if not self.depth and "".join(self.parts).strip():
                self.done = True
        elif tag in _SKIP and self.skip:
            self.skip -= 1

    def handle_data(self, data: str) -> None:
        if self.depth and not self.skip and not self.done:
            self.parts.append(data)


def shorten(text: str, limit: int = MAX_EXCERPT) -> str:
    """Whitespace collapsed; cut at a word boundary with an ellipsis when over limit."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text[:limit - 1]
    space = cut.rfind(" ")
    if space > limit // 2:
        cut = cut[:space]
    return cut.rstrip(" ,;:.-–—") + "…"


def first_paragraph(html: str, limit: int = MAX_EXCERPT) -> str:
    """Plain text of the first non-empty paragraph of html, shortened; "" if there is none."""
    html = str(html)  # slicing a Markup object would escape each slice again
    parser = _FirstParagraph()
    start = 0
    # Feed paragraph by paragraph so a long body is not parsed past its first paragraph.
    while not parser.done:
        end = html.find("</p>", start)
        if end < 0:
            parser.feed(html[start:])
            break
        parser.feed(html[start:end + 4])
        start = end + 4
    parser.close()
    return shorten("".join(parser.parts), limit) if parser.done else ""


def page_description(variables: Mapping[str, Any]) -> str:
    """A page's description: its own, else its body's or the vision summary's first paragraph."""
    own = variables.get("description")
    if isinstance(own, str) and own:
        return own
    for key in ("body", "vision_summary"):
        html = variables.get(key)
        if isinstance(html, str) and html:
            text = first_paragraph(html)
            if text:
                return text
    return ""
