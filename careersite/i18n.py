"""Interface language: gettext catalogs for strings, Babel for Swedish dates.

English is the source language and needs no catalog (and no Babel: it is imported only
by builds in another language). Each other language has
``careersite/locale/<lang>/LC_MESSAGES/careersite.po`` and its compiled ``.mo``;
``python -m careersite.catalog`` (scripts/i18n.sh) extracts, merges and compiles them.
Messages of ``check`` are never translated.
"""

from __future__ import annotations

import datetime as dt
import gettext as gettext_module
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path

import jinja2

DOMAIN = "careersite"
LOCALE_DIR = Path(__file__).resolve().parent / "locale"
TRANSLATED = ("sv",)
"""Languages with a catalog; English is the source language."""


def N_(message: str) -> str:
    """Mark a string for extraction; it is translated where it is shown (`_(status)`)."""
    return message


# Words translated from a variable (`_(status)`, config.py's default title), so extraction
# cannot see them where they are used.
WORDS_FROM_DATA = (
    N_("planned"), N_("active"), N_("achieved"), N_("dropped"), N_("paused"),
    N_("Career plan"),
)


def format_date_en(value: dt.date | None) -> str:
    """30 Jun 2027."""
    if value is None:
        return ""
    return f"{value.day} {value.strftime('%b')} {value.year}"


def days_ago_en(days: int) -> str:
    """'today', 'yesterday', '12 days ago', 'in 3 days'."""
    if days == 0:
        return "today"
    if days == 1:
        return "yesterday"
    if days == -1:
        return "tomorrow"
    return f"{days} days ago" if days > 0 else f"in {-days} days"


@dataclass(frozen=True)
class Localizer:
    """Everything language-dependent that pages show: strings, dates, relative days."""

    language: str
    translations: gettext_module.NullTranslations

    def gettext(self, message: str) -> str:
        """The message in this language."""
        return self.translations.gettext(message)

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        """The singular or plural message in this language, by n."""
        return self.translations.ngettext(singular, plural, n)

    def format_date(self, value: dt.date | None) -> str:
        """30 Jun 2027 (en), 30 juni 2027 (sv)."""
        if value is None:
            return ""
        if self.language == "en":
            return format_date_en(value)
        return _babel_date(value, self.language)

    def days_ago(self, days: int) -> str:
        """'12 days ago', 'in 3 days', 'today' (en); 'för 12 dagar sedan', 'om 3 dagar' (sv)."""
        if self.language == "en":
            return days_ago_en(days)
        return _babel_days_ago(days, self.language)


# Babel is imported here, late: only builds in another language than English need it.
# Cached, since a big plan formats the same few hundred dates thousands of times.
@lru_cache(maxsize=8192)
def _babel_date(value: dt.date, language: str) -> str:
    from babel.dates import format_date

    return format_date(value, format="long", locale=language)


@lru_cache(maxsize=4096)
def _babel_days_ago(days: int, language: str) -> str:
    from babel.dates import format_timedelta, get_relative_name

    if -1 <= days <= 1:  # CLDR's own words: i går, i dag, i morgon
        name = get_relative_name("day", -days, locale=language)
        if name:
            return name
    # granularity "day" with an infinite threshold: always days, never "2 månader"
    return format_timedelta(dt.timedelta(days=-days), granularity="day",
                            threshold=float("inf"), add_direction=True, locale=language)


@cache
def localizer(language: str) -> Localizer:
    """The Localizer of a language ("en" or one of TRANSLATED)."""
    if language not in TRANSLATED:
        return Localizer("en", gettext_module.NullTranslations())
    translations = gettext_module.translation(DOMAIN, str(LOCALE_DIR), languages=[language])
    return Localizer(language, translations)


def use_language(env: jinja2.Environment, language: str) -> Localizer:
    """Install a language's strings and date filters into env; cheap, so call it per build."""
    loc = localizer(language)
    env.install_gettext_translations(loc.translations, newstyle=True)  # type: ignore[attr-defined]
    env.filters["date"] = loc.format_date
    env.filters["days_ago"] = loc.days_ago
    return loc
