"""Ids -> URL slugs, and relative URLs between pages of the site.

Every URL of the site is a site-relative POSIX path ("goals/sales/first-deal.html"). Pages
link to each other relatively, so the site works opened from disk as well as served.

Slug rules (FORMAT.md "A project" and "Precise rules", URLs):

- lower-case, then transliterate: NFKD drops accents (é→e, å→a, ö→o, ü→u), a small table
  handles the letters NFKD leaves alone (ß→ss, ø→o, æ→ae, œ→oe, ł→l, đ→d, þ→th …);
- every run of characters other than ``a-z0-9`` becomes one ``-``; leading and trailing
  ``-`` are stripped; ``/`` separates parts and is kept;
- a part left empty (only punctuation, or a script with no Latin transliteration, such as
  "日本") becomes ``x-`` and 8 hex digits of a hash of the part, so different names stay
  different while case and Unicode normalisation variants still collide;
- a part that is a reserved device name on Windows (``con``, ``prn``, ``aux``, ``nul``,
  ``com0``–``com9``, ``lpt0``–``lpt9``) gets a ``-`` suffix. The check is on the slugged
  part, which never holds a dot, so "con.txt" (→ "con-txt") needs no suffix;
- a part over 100 characters is cut to 90 and given ``-`` and 8 hex digits of the SHA-1
  of the whole slugged part: at most 99 characters, stable across runs.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from functools import lru_cache

MAX_PART = 100
"""Longest slug part kept as it is."""

GENERATED_PAGES: frozenset[str] = frozenset({
    "index.html", "vision.html", "timeline.html", "history.html", "development.html",
    "interview.html", "404.html", "goals/index.html", "reviews/index.html",
    "feed.xml", "calendar.ics", "plan.json", "sitemap.xml",
})
"""Pages the generator makes itself; no document may have one of these URLs."""

_TABLE = str.maketrans({
    "ß": "ss", "ø": "o", "æ": "ae", "œ": "oe", "ł": "l", "đ": "d", "ð": "d", "þ": "th",
    "ħ": "h", "ı": "i", "ĸ": "k", "ŋ": "ng", "ŧ": "t", "ƒ": "f", "ɨ": "i", "ʉ": "u",
})
_RESERVED = frozenset(
    {"con", "prn", "aux", "nul"}
    | {f"com{n}" for n in range(10)}
    | {f"lpt{n}" for n in range(10)}
)
_NOT_SLUG = re.compile(r"[^a-z0-9]+")
_CUT = 90
_HASH_HEX = 8


def _digest(text: str) -> str:
    return hashlib.sha1(text.encode("utf-8")).hexdigest()[:_HASH_HEX]


@lru_cache(maxsize=16384)
def slugify_part(text: str) -> str:
    """One path part as a URL slug (see the module docstring for the rules)."""
    decomposed = unicodedata.normalize("NFKD", text).lower().translate(_TABLE)
    ascii_text = "".join(c for c in decomposed if not unicodedata.combining(c))
    slug = _NOT_SLUG.sub("-", ascii_text).strip("-")
    if not slug:
        # Hash the case-folded NFC text, so "План"/"план" and NFC/NFD forms still collide.
        return f"x-{_digest(unicodedata.normalize('NFC', text.casefold()))}"
    if len(slug) > MAX_PART:
        return f"{slug[:_CUT].rstrip('-')}-{_digest(slug)}"
    if slug in _RESERVED:
        return f"{slug}-"
    return slug


@lru_cache(maxsize=16384)
def slug_path(id_or_path: str) -> str:
    """An id or a path ("Sales/Första affären") as a slug path ("sales/forsta-affaren")."""
    return "/".join(slugify_part(part) for part in id_or_path.split("/"))


def goal_url(goal_id: str) -> str:
    """Site-relative URL of a goal's page: goals/<slug>.html."""
    return f"goals/{slug_path(goal_id)}.html"


def review_url(review_id: str) -> str:
    """Site-relative URL of a review's page: reviews/<slug>.html."""
    return f"reviews/{slug_path(review_id)}.html"


def note_url(note_id: str) -> str:
    """Site-relative URL of a note's page (or the vision's, id "vision"): <slug>.html."""
    return f"{slug_path(note_id)}.html"


@lru_cache(maxsize=65536)
def relative_url(from_page: str, to_page: str) -> str:
    """URL of to_page as linked from from_page; both site-relative ("goals/a/b.html").

    The result is not percent-encoded: slug paths need none; quote an asset's URL
    (urllib.parse.quote keeps "/" and "."), then append any "#fragment". A link to the
    site root ("") or a folder ("goals/") from a page in that folder gives "./".
    """
    if from_page.startswith("/") or to_page.startswith("/"):
        raise ValueError(f"expected site-relative paths, got {from_page!r} -> {to_page!r}")
    from_dir = from_page.split("/")[:-1]
    to_parts = to_page.split("/")
    limit = min(len(from_dir), len(to_parts) - 1)
    common = 0
    while common < limit and from_dir[common] == to_parts[common]:
        common += 1
    rel = "../" * (len(from_dir) - common) + "/".join(to_parts[common:])
    return rel or "./"
