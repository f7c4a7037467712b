"""Small shared pieces of the SVG charts: text metrics, numbers, translated words, escaping.

Text is never measured by a browser here, so labels are laid out with a fixed budget per
character (TEXT_EM, WIDE_EM) that is wider than the average glyph of a sans-serif font;
labels in fixed columns are also clipped, so a font wider than the budget still never
draws over a bar.
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from collections.abc import Callable
from functools import cache
from typing import Any

import jinja2
from markupsafe import Markup, escape

TEXT_EM = 0.6
"""Width budget of one character, in ems."""
WIDE_EM = 1.0
"""Width budget of a wide character (East Asian wide/full-width, symbols above U+2000)."""
ELLIPSIS = "…"
SVG_NS = "http://www.w3.org/2000/svg"


def char_em(char: str) -> float:
    """Width budget of one character, in ems."""
    code = ord(char)
    if code < 0x2000:
        return TEXT_EM
    if code < 0x3000:  # punctuation, arrows and the geometric shapes used as markers
        return WIDE_EM
    return WIDE_EM if unicodedata.east_asian_width(char) in "WF" else TEXT_EM


def text_width(text: str, size: float) -> float:
    """Width budget of a text at a font size."""
    if text.isascii():
        return len(text) * TEXT_EM * size
    return sum(char_em(c) for c in text) * size


def truncate(text: str, width: float, size: float) -> str:
    """text, cut with an ellipsis so that it fits width at size."""
    if text_width(text, size) <= width:
        return text
    budget = width - text_width(ELLIPSIS, size)
    used = 0.0
    for i, char in enumerate(text):
        used += char_em(char) * size
        if used > budget:
            return text[:i].rstrip() + ELLIPSIS
    return text


def num(value: float) -> str:
    """A coordinate: at most two decimals, no trailing zeros."""
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return "0" if text == "-0" else text


def esc(text: str | Markup) -> str:
    """Text for an attribute value or element content: &, <, > and " escaped.

    Markup (a translated message, already escaped) is kept as it is. Faster than
    markupsafe.escape for the many short, plain strings of a chart.
    """
    if isinstance(text, Markup):
        return str(text)
    if "&" in text or "<" in text or ">" in text or '"' in text:
        return (text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
                .replace('"', "&#34;"))
    return text


@cache
def _attr_name(key: str) -> str:
    return key.rstrip("_").replace("_", "-")


def attrs(**values: Any) -> str:
    """ key="value" pairs, escaped; floats as coordinates; None values left out.

    A trailing underscore is dropped and other underscores become dashes:
    `class_="x"` -> class="x", `text_anchor` -> text-anchor, `data_goal` -> data-goal.
    """
    parts: list[str] = []
    for key, value in values.items():
        if value is None:
            continue
        if isinstance(value, float):
            text = num(value)
        elif isinstance(value, int):
            text = str(value)
        else:
            text = esc(value if isinstance(value, str) else str(value))
        parts.append(f' {_attr_name(key)}="{text}"')
    return "".join(parts)


def el(tag: str, content: str = "", /, **values: Any) -> str:
    """An element with attributes (see attrs); self-closing when it has no content."""
    if content:
        return f"<{tag}{attrs(**values)}>{content}</{tag}>"
    return f"<{tag}{attrs(**values)}/>"


def text_el(x: float, y: float, text: str | Markup, size: float, cls: str,
            anchor: str | None = None) -> str:
    """A <text> element with its font size written out (tests measure labels from it)."""
    end = f' text-anchor="{anchor}"' if anchor else ""
    return (f'<text x="{num(float(x))}" y="{num(float(y))}" font-size="{num(size)}"'
            f' class="{cls}"{end}>{esc(text)}</text>')


def box(x: float, y: float, text: str, size: float, anchor: str | None = None
        ) -> Box:
    """(left, top, right, bottom) budget of a text drawn at baseline y."""
    width = text_width(text, size)
    left = x - width if anchor == "end" else x - width / 2 if anchor == "middle" else x
    return left, y - 0.8 * size, left + width, y + 0.25 * size


Box = tuple[float, float, float, float]
"""(left, top, right, bottom)."""


def overlaps(a: Box, b: Box,
             gap: float = 0.0) -> bool:
    return a[0] < b[2] + gap and b[0] < a[2] + gap and a[1] < b[3] and b[1] < a[3]


def place(out: list[str], placed: list[Box], x: float, y: float, text: str | Markup,
           size: float, cls: str, *, anchor: str | None = None,
           limit: tuple[float, float] = (0.0, 1e9)) -> bool:
    """Draw a label unless it would leave limit (x range) or overlap a placed one."""
    b = box(x, y, plain(text), size, anchor)
    if b[0] < limit[0] or b[2] > limit[1] or any(overlaps(b, p, 4) for p in placed):
        return False
    placed.append(b)
    out.append(text_el(x, y, text, size, cls, anchor))
    return True


class Words:
    """The page's translations and date format, for strings built in Python.

    A chart asks for the same few messages thousands of times: each message is translated
    once, with placeholders standing in for its variables, and each date formatted once.
    """

    def __init__(self, gettext: Callable[..., Markup],
                 date: Callable[[dt.date | None], str]) -> None:
        self._gettext = gettext
        self._date = date
        self._messages: dict[tuple[str, tuple[str, ...]], str] = {}
        self._dates: dict[dt.date | None, str] = {}

    def __call__(self, message: str, **variables: Any) -> Markup:
        """The message in the page's language, with its %(name)s variables escaped in."""
        names = tuple(variables)
        key = (message, names)
        text = self._messages.get(key)
        if text is None:
            text = str(self._gettext(message, **{n: f"\x00{n}\x00" for n in names}))
            self._messages[key] = text
        for name, value in variables.items():
            text = text.replace(f"\x00{name}\x00",
                                esc(value if isinstance(value, str) else str(value)))
        return Markup(text)

    def date(self, day: dt.date | None) -> str:
        """A date as the page's `date` filter writes it."""
        text = self._dates.get(day)
        if text is None:
            text = self._dates[day] = self._date(day)
        return text

    @staticmethod
    def from_context(context: jinja2.runtime.Context) -> Words:
        """The words of the template being rendered (its `gettext` and `date` filter)."""
        gettext = context.resolve("gettext")

        def translate(message: str, **variables: Any) -> Markup:
            return Markup(context.call(gettext, message, **variables))

        return Words(translate, context.environment.filters["date"])

    @staticmethod
    def english() -> Words:
        """Untranslated words (for use outside templates)."""

        def translate(message: str, **variables: Any) -> Markup:
            return Markup(escape(message)) % variables

        return Words(translate, lambda d: "" if d is None else
                     f"{d.day} {d.strftime('%b')} {d.year}")


def plain(markup: Markup | str) -> str:
    """The text a Markup string shows (for measuring it)."""
    return markup.unescape() if isinstance(markup, Markup) else markup
