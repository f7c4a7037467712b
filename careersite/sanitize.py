"""Raw HTML in Markdown never runs: an nh3 (ammonia) allowlist for rendered bodies."""

from __future__ import annotations

import secrets

import nh3

SAFE_SCHEMES = frozenset({"http", "https", "mailto"})
"""URL schemes kept in links and images (relative URLs are kept too)."""
_cleaner: nh3.Cleaner | None = None

_TAGS = frozenset(
    """a abbr b bdi bdo blockquote br caption cite code col colgroup dd del details dfn div
    dl dt em figcaption figure h1 h2 h3 h4 h5 h6 hr i img ins kbd li mark ol p pre q rp rt
    ruby s samp section small span strong sub summary sup table tbody td tfoot th thead
    time tr u ul var wbr""".split()
)
# Removed with their content; any other tag not in _TAGS is removed, its text kept.
_DROP_WITH_CONTENT = frozenset(
    """script style iframe noscript template textarea title xmp noembed noframes object
    embed applet svg math select frameset frame""".split()
)


def _get_cleaner() -> nh3.Cleaner:
    global _cleaner
    if _cleaner is None:
        cells = {"style", "colspan", "rowspan"}
        _cleaner = nh3.Cleaner(
            tags=_TAGS,
            clean_content_tags=_DROP_WITH_CONTENT,
            attributes={
                "*": {"class", "title", "lang", "dir"},
                "a": {"href", "id"},
                "img": {"src", "alt", "width", "height"},
                **{f"h{level}": {"id"} for level in range(1, 7)},
                "li": {"id"},
                "ol": {"start", "reversed"},
                "td": cells,
                "th": cells,
                "details": {"open"},
                "time": {"datetime"},
                "col": {"span"},
                "colgroup": {"span"},
            },
            url_schemes=set(SAFE_SCHEMES),
            filter_style_properties={"text-align"},  # markdown-it's table alignment
            link_rel=None,
            strip_comments=True,
        )
    return _cleaner


def sanitize(html: str, mark: str) -> str:
    """nh3 with an allowlist, keeping the link placeholders (`mark` characters).

    nh3's HTML parser drops NUL, so each mark is swapped for a random token for the
    call: user text cannot contain a token drawn after it was written.
    """
    if mark not in html:
        return _get_cleaner().clean(html)
    token = "cs" + secrets.token_hex(10)
    while token in html:
        token = "cs" + secrets.token_hex(10)
    return _get_cleaner().clean(html.replace(mark, token)).replace(token, mark)
