"""Link placeholders in body HTML -> real links, or plain text for private targets.

careersite.markdown emits every link that needs the whole plan to resolve as
``<a href="\\x00N\\x00" ...>text</a>`` or ``<img src="\\x00N\\x00" alt="..." ...>`` (N is
LinkRef.index; a bare ``[[id]]`` has empty text). NUL never comes from user text, so
one regex pass over the HTML finds exactly these.
"""

from __future__ import annotations

import html as html_lib
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from careersite.documents import LinkRef
from careersite.mdscan import MARK, placeholder

__all__ = ["Resolution", "links_in", "resolve_links"]

_ATTRS = r'((?:\s+[\w:-]+(?:="[^"]*")?)*)'
_PLACEHOLDER_RE = re.compile(
    rf'<a href="{MARK}(\d+){MARK}"{_ATTRS}>(.*?)</a>'
    rf'|<img src="{MARK}(\d+){MARK}"{_ATTRS}\s*/?>',
    re.DOTALL,
)
_ALT_RE = re.compile(r'\salt="([^"]*)"')


@dataclass(frozen=True)
class Resolution:
    """What a link's placeholder becomes."""

    href: str | None
    """The URL to link to, relative to the page, with the link's ``#fragment`` if any
    (LinkRef.fragment, percent-decoded: quote it); HTML-escaped here. None for a
    private or unresolved target: the link's text alone."""
    title: str
    """Text for a bare ``[[id]]``: the target's title, or the localized word "private"
    when the target is private. Ignored for other links."""


def resolve_links(
    html: str,
    links: Sequence[LinkRef],
    resolve: Callable[[LinkRef], Resolution],
) -> str:
    """Replace the link placeholders in `html` using `resolve` for each link found."""
    if MARK not in html:
        return html
    by_index = {link.index: link for link in links}

    def replace(match: re.Match[str]) -> str:
        anchor_index, attrs, inner, image_index, image_attrs = match.groups()
        if anchor_index is not None:
            link = by_index.get(int(anchor_index))
            if MARK in inner:  # an image inside the link text
                inner = _PLACEHOLDER_RE.sub(replace, inner)
            if link is None:
                return inner  # fail closed: no link we cannot account for
            resolution = resolve(link)
            if link.bare:
                inner = html_lib.escape(resolution.title, quote=False)
            if resolution.href is None:
                return inner
            return f'<a href="{html_lib.escape(resolution.href)}"{attrs}>{inner}</a>'
        image = by_index.get(int(image_index))
        image_href = resolve(image).href if image is not None else None
        if image is None or image_href is None:
            alt = _ALT_RE.search(image_attrs)
            # The alt text was an attribute value: after nh3 it may hold a raw "<".
            return html_lib.escape(html_lib.unescape(alt.group(1)), quote=False) if alt else ""
        return f'<img src="{html_lib.escape(image_href)}"{image_attrs} />'

    return _PLACEHOLDER_RE.sub(replace, html)


def links_in(html: str, links: Sequence[LinkRef]) -> tuple[LinkRef, ...]:
    """The links whose placeholder is in `html` (for Body.html: the public ones)."""
    if MARK not in html:
        return ()
    return tuple(link for link in links if placeholder(link.index) in html)
