"""Small shared pieces of the SVG charts: text metrics, numbers, translated words, escaping.

Text is never measured by a browser here, so labels are laid out with a fixed budget per
character (TEXT_EM, WIDE_EM) that is wider than the average glyph of a sans-serif font;
labels in fixed columns are also clipped, so a font wider than the budget still never
draws over a bar.

Speed: charts are written with f-strings, not element objects. What they ask for over and
over is memoized, every memo bounded (cleared when full): numbers (num), character widths,
and per build and language (Words) the translated messages, formatted dates and the pieces
of charts the callers keep in Words.memo. Words.from_context keeps one Words per Jinja
environment and drops the old one's memos when a new build installs new translations.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from bisect import bisect_right
from collections.abc import Callable, Hashable
from itertools import accumulate, repeat
from operator import mul
from typing import Any, TypeVar

import jinja2
from markupsafe import Markup, escape

TEXT_EM = 0.6
"""Width budget of one character, in ems."""
WIDE_EM = 1.0
"""Width budget of a wide character (East Asian wide/full-width, symbols above U+2000)."""
ELLIPSIS = "…"
SVG_NS = "http://www.w3.org/2000/svg"
_T = TypeVar("_T")
MEMO_SIZE = 20_000
"""Most entries of each memo here (numbers, characters, a Words' messages and dates):
cleared when full, so a long `serve` session never grows them."""


def char_em(char: str) -> float:
    """Width budget of one character, in ems."""
    code = ord(char)
    if code < 0x2000:
        return TEXT_EM
    if code < 0x3000:  # punctuation, arrows and the geometric shapes used as markers
        return WIDE_EM
    return WIDE_EM if unicodedata.east_asian_width(char) in "WF" else TEXT_EM


class _Ems(dict[str, float]):
    """char_em of each character met, looked up without a Python call."""

    def __missing__(self, char: str) -> float:
        if len(self) >= MEMO_SIZE:
            self.clear()
        em = self[char] = char_em(char)
        return em


_EMS = _Ems()


def text_width(text: str, size: float) -> float:
    """Width budget of a text at a font size."""
    if text.isascii():
        return len(text) * TEXT_EM * size
    return sum(map(_EMS.__getitem__, text)) * size


def truncate(text: str, width: float, size: float) -> str:
    """text, cut with an ellipsis so that it fits width at size."""
    if text_width(text, size) <= width:
        return text
    budget = width - _ELLIPSIS_EM * size  # width - text_width(ELLIPSIS, size)
    # The width used after each character, summed left to right as a loop would: cut
    # before the first character that goes over the budget. Most labels are cut, so this
    # adds up the head (up to the last character from U+2000 on) in C and takes the
    # running sums of the rest, all TEXT_EM wide, from a memo.
    last_wide = None if text.isascii() else _LAST_WIDE.search(text)
    cut, used = 0, 0.0
    if last_wide:
        head = text[:last_wide.start() + 1]
        sums = list(accumulate(map(mul, map(_EMS.__getitem__, head), repeat(size))))
        cut = bisect_right(sums, budget)
        if cut < len(head):
            return text[:cut].rstrip() + ELLIPSIS
        used = sums[-1]
    rest = len(text) - cut
    cut += bisect_right(_running_sums(used, TEXT_EM * size, rest), budget, 0, rest)
    return text[:cut].rstrip() + ELLIPSIS if cut < len(text) else text


def _running_sums(start: float, step: float, count: int) -> list[float]:
    """start + step, + step again, ... (at least count of them), added one at a time."""
    sums = _SUMS.get((start, step))
    if sums is None or len(sums) < count:
        if len(_SUMS) >= MEMO_SIZE:
            _SUMS.clear()
        sums = _SUMS[start, step] = list(accumulate(repeat(step, max(count, 100)),
                                                    initial=start))[1:]
    return sums


_ELLIPSIS_EM = char_em(ELLIPSIS)
_LAST_WIDE = re.compile(r"[^\x00-\u1fff][\x00-\u1fff]*\Z")
"""The last character that may be wider than TEXT_EM (see char_em)."""
_SUMS: dict[tuple[float, float], list[float]] = {}


def num(value: float) -> str:
    """A coordinate: at most two decimals, no trailing zeros.

    Memoized: a chart writes the same few hundred coordinates over and over.
    """
    text = _NUMS.get(value)
    if text is None:
        if len(_NUMS) >= NUMS_MEMO:
            _NUMS.clear()
        text = f"{value:.2f}".rstrip("0").rstrip(".")
        text = _NUMS[value] = "0" if text == "-0" else text
    return text


_NUMS: dict[float, str] = {}
NUMS_MEMO = 100_000
"""Most numbers kept: rows repeat their heights, axes their ticks (~10 MB when full)."""


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


def esc_html(text: str) -> str:
    """Text escaped as markupsafe.escape does (also ' as &#39;), as a plain str."""
    if "&" in text or "<" in text or ">" in text or '"' in text or "'" in text:
        return (text.replace("&", "&amp;").replace(">", "&gt;").replace("<", "&lt;")
                .replace("'", "&#39;").replace('"', "&#34;"))
    return text


def text_el(x: float, y: float, text: str | Markup, size: float, cls: str,
            anchor: str | None = None) -> str:
    """A <text> element with its font size written out (tests measure labels from it)."""
    end = f' text-anchor="{anchor}"' if anchor else ""
    return (f'<text x="{num(float(x))}" y="{num(float(y))}" font-size="{num(size)}"'
            f' class="{cls}"{end}>{esc(text)}</text>')


Box = tuple[float, float, float, float]
"""(left, top, right, bottom): the budget of a label's text."""


def place(out: list[str], placed: list[Box], x: float, y: float, text: str | Markup,
          size: float, cls: str, *, anchor: str | None = None,
          limit: tuple[float, float] = (0.0, 1e9)) -> bool:
    """Draw a label at baseline y unless it would leave limit (x range) or overlap a placed
    one: boxes overlap when they share height and come within 4 units of each other across.
    """
    width = text_width(plain(text), size)
    left = x - width if anchor == "end" else x - width / 2 if anchor == "middle" else x
    right = left + width
    if left < limit[0] or right > limit[1]:
        return False
    top, bottom = y - 0.8 * size, y + 0.25 * size
    for p_left, p_top, p_right, p_bottom in placed:  # a loop of its own: the axis' hot spot
        if left < p_right + 4 and p_left < right + 4 and top < p_bottom and p_top < bottom:
            return False
    placed.append((left, top, right, bottom))
    out.append(text_el(x, y, text, size, cls, anchor))
    return True


class Words:
    """The page's translations and date format, for strings built in Python.

    A chart asks for the same few messages thousands of times: each message is translated
    once, with placeholders standing in for its variables, and each date formatted once.
    `from_context` hands every page of a build the same Words, so this holds across pages.
    """

    def __init__(self, gettext: Callable[..., Markup],
                 date: Callable[[dt.date | None], str]) -> None:
        self._gettext = gettext
        self._date = date
        self._done: dict[Hashable, Markup] = {}
        self._messages: dict[tuple[str, tuple[str, ...]], str] = {}
        self._dates: dict[dt.date | None, str] = {}
        self.memo: dict[Hashable, Any] = {}
        """Pieces of charts drawn with these words, for their callers to reuse (see keep):
        kept with the words, so never shared between languages or builds."""

    def keep(self, key: Hashable, value: _T) -> _T:
        """Store value in memo under key (cleared when it holds PIECES_MEMO entries)."""
        if len(self.memo) >= PIECES_MEMO:
            self.memo.clear()
        self.memo[key] = value
        return value

    def __call__(self, message: str, **variables: Any) -> Markup:
        """The message in the page's language, with its %(name)s variables escaped in.

        Variables are text (str, int, ...), escaped in even when they are Markup.
        """
        key: Hashable = (message, *variables.items()) if variables else message
        found = self._done.get(key)
        if found is None:
            _bound(self._done)
            found = self._done[key] = Markup(self._fill(message, variables))
        return found

    def _fill(self, message: str, variables: dict[str, Any]) -> str:
        names = tuple(variables)
        key = (message, names)
        text = self._messages.get(key)
        if text is None:
            _bound(self._messages)
            text = str(self._gettext(message, **{n: f"\x00{n}\x00" for n in names}))
            self._messages[key] = text
        for name, value in variables.items():
            text = text.replace(f"\x00{name}\x00", esc(str(value)))
        return text

    def date(self, day: dt.date | None) -> str:
        """A date as the page's `date` filter writes it."""
        text = self._dates.get(day)
        if text is None:
            _bound(self._dates)
            text = self._dates[day] = self._date(day)
        return text

    def forget(self) -> None:
        """Drop what the memos hold (the Words is no longer the current one)."""
        for memo in (self._done, self._messages, self._dates, self.memo):
            memo.clear()

    @staticmethod
    def from_context(context: jinja2.runtime.Context) -> Words:
        """The words of the template being rendered (its `gettext` and `date` filter).

        One Words per environment, which its pages share while its `gettext`, `date`
        filter and autoescaping stay the same. A new build or language installs new ones:
        then a new Words replaces the old one, and the old one's memos are dropped.
        """
        env = context.environment
        gettext = context.resolve("gettext")
        date = env.filters["date"]
        autoescape = bool(context.eval_ctx.autoescape)
        found = _CURRENT.get(id(env))
        if found is not None and found[:4] == (env, gettext, date, autoescape):
            return found[4]

        def translate(message: str, **variables: Any) -> Markup:
            # gettext only reads the context's environment and autoescaping: both checked
            return Markup(context.call(gettext, message, **variables))

        words = Words(translate, date)
        if found is not None:
            found[4].forget()
        elif len(_CURRENT) >= ENVIRONMENTS:
            _CURRENT.pop(next(iter(_CURRENT)))[4].forget()
        _CURRENT[id(env)] = (env, gettext, date, autoescape, words)
        return words

    @staticmethod
    def english() -> Words:
        """Untranslated words (for use outside templates)."""

        def translate(message: str, **variables: Any) -> Markup:
            return Markup(escape(message)) % variables

        return Words(translate, lambda d: "" if d is None else
                     f"{d.day} {d.strftime('%b')} {d.year}")


PIECES_MEMO = 200_000
"""Most pieces in a Words' memo: a goal and each of its milestones, of the largest plans."""
ENVIRONMENTS = 4
"""Most environments whose Words are kept (a build has one)."""
_CURRENT: dict[int, tuple[jinja2.Environment, object, object, bool, Words]] = {}
"""Words.from_context's Words by environment, with what it was made from."""


def _bound(memo: dict[Any, Any]) -> None:
    if len(memo) >= MEMO_SIZE:
        memo.clear()


def plain(markup: Markup | str) -> str:
    """The text a Markup string shows (for measuring it)."""
    if isinstance(markup, Markup):
        return markup.unescape() if "&" in markup else str(markup)
    return markup
