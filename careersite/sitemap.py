"""Rendered pages -> sitemap.xml (sitemaps.org 0.9), only when base_url is set.

It lists exactly the HTML pages the build rendered, but not 404.html, with the same
absolute URLs as the pages' ``<link rel="canonical">``. It is made after every other
page, from the finished list, so a page added by any feature is listed without asking.
"""

from __future__ import annotations

import logging
import xml.etree.ElementTree as ET
from collections.abc import Iterable, Mapping

from careersite.model import Plan
from careersite.outputs import absolute_url, xml_text

log = logging.getLogger(__name__)

SITEMAP_URL = "sitemap.xml"
SITEMAP_NS = "http://www.sitemaps.org/schemas/sitemap/0.9"
NOT_LISTED = frozenset({"404.html"})
MAX_URLS = 50_000
"""The protocol's limit for one sitemap file."""


def sitemap_files(plan: Plan, pages: Iterable[str]) -> Mapping[str, bytes]:
    """sitemap.xml listing the HTML pages among pages; nothing when base_url is unset."""
    if not plan.config.base_url:
        return {}
    urls = sorted(p for p in pages if p.endswith(".html") and p not in NOT_LISTED)
    if len(urls) > MAX_URLS:
        log.warning("sitemap.xml lists the first %d of %d pages (the protocol's limit)",
                    MAX_URLS, len(urls))
    return {SITEMAP_URL: sitemap_bytes(plan, urls[:MAX_URLS])}


def sitemap_bytes(plan: Plan, urls: Iterable[str]) -> bytes:
    """The sitemap XML for site-relative page URLs."""
    root = ET.Element(f"{{{SITEMAP_NS}}}urlset")
    for url in urls:
        entry = ET.SubElement(root, f"{{{SITEMAP_NS}}}url")
        ET.SubElement(entry, f"{{{SITEMAP_NS}}}loc").text = xml_text(
            absolute_url(plan.config, url))
    ET.indent(root, space=" ")
    data: bytes = ET.tostring(root, encoding="utf-8", xml_declaration=True,
                              default_namespace=SITEMAP_NS)
    return data + b"\n"
