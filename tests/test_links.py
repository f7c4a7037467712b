"""careersite.links: placeholders -> links, or text for private targets."""

from __future__ import annotations

import time
from typing import Any
from urllib.parse import quote

from bs4 import BeautifulSoup

from careersite.documents import LinkRef
from careersite.links import Resolution, links_in, resolve_links
from careersite.markdown import render_body
from careersite.mdscan import MARK

PAGES = {
    "first-deal.md": Resolution("../goals/first-deal.html", "First deal"),
    "ae": Resolution("../goals/ae.html", "Become an <AE> & more"),
    "chart.png": Resolution("../img/chart.png", ""),
    "secret": Resolution(None, "private"),
    "secret.md": Resolution(None, "private"),
    "secret.png": Resolution(None, "private"),
}


def resolve(link: LinkRef) -> Resolution:
    """Like views.py: the fragment is the resolver's to add."""
    found = PAGES.get(link.target, Resolution(None, "private"))
    if found.href is not None and link.fragment:
        return Resolution(f"{found.href}#{quote(link.fragment)}", found.title)
    return found


def render(text: str) -> str:
    body = render_body(text, 1)
    html = resolve_links(body.html, body.links, resolve)
    assert MARK not in html
    return html


def soup(html: str) -> Any:
    """The parsed HTML; typed Any, as a missing element fails the test anyway."""
    return BeautifulSoup(html, "html.parser")


def test_resolved_link_gets_url_and_fragment() -> None:
    a = soup(render('See [the deal](first-deal.md#next "Title") now.')).find("a")
    assert a["href"] == "../goals/first-deal.html#next"
    assert a["title"] == "Title"
    assert a.get_text() == "the deal"


def test_resolved_wikilinks() -> None:
    page = soup(render("[[ae]] and [[ae|*the* role]] and [[ae#why]]"))
    bare, explicit, fragment = page.find_all("a")
    assert bare["href"] == "../goals/ae.html"
    assert bare.get_text() == "Become an <AE> & more"  # the title, escaped
    assert explicit.decode_contents() == "<em>the</em> role"
    assert fragment["href"] == "../goals/ae.html#why"


def test_private_target_with_text_keeps_text_only() -> None:
    html = render("Talk to [my manager](secret.md) and [[secret|the plan]].")
    assert soup(html).find("a") is None
    assert soup(html).get_text().strip() == "Talk to my manager and the plan."


def test_bare_private_wikilink_shows_the_word() -> None:
    html = render("Leads to [[secret]].")
    assert soup(html).find("a") is None
    assert soup(html).get_text().strip() == "Leads to private."
    assert "secret" not in html


def test_localized_private_word() -> None:
    body = render_body("Mål: [[secret]]", 1)
    html = resolve_links(body.html, body.links, lambda link: Resolution(None, "privat"))
    assert soup(html).get_text().strip() == "Mål: privat"


def test_images() -> None:
    page = soup(render('![a chart](chart.png "t") ![hidden <b>](secret.png)'))
    img = page.find("img")
    assert (img["src"], img["alt"], img["title"]) == ("../img/chart.png", "a chart", "t")
    assert len(page.find_all("img")) == 1
    assert "hidden <b>" in page.get_text()


def test_unresolved_image_alt_is_escaped_after_sanitizing() -> None:
    # Raw HTML elsewhere makes nh3 run; it leaves "<" raw inside attribute values.
    html = render("<kbd>k</kbd> ![<script>alert(1)</script>](secret.png)")
    page = soup(html)
    assert page.find("script") is None
    assert "<script>alert(1)</script>" in page.get_text()


def test_image_inside_link() -> None:
    page = soup(render("[![a chart](chart.png)](first-deal.md)"))
    a = page.find("a")
    assert a["href"] == "../goals/first-deal.html"
    assert a.find("img")["src"] == "../img/chart.png"
    page = soup(render("[![a chart](chart.png)](secret.md)"))
    assert page.find("a") is None and page.find("img")["src"] == "../img/chart.png"


def test_urls_are_escaped() -> None:
    body = render_body('[x](a.md#sec "q") [[b]] [[c#x y]]', 1)
    html = resolve_links(body.html, body.links, lambda link: Resolution('p?a=1&b="<2>"', "B"))
    assert [a["href"] for a in soup(html).find_all("a")] == ['p?a=1&b="<2>"'] * 3
    assert 'href="p?a=1&amp;b=&quot;&lt;2&gt;&quot;"' in html
    assert [link.fragment for link in body.links] == ["sec", "", "x y"]


def test_links_in_private_blocks_are_resolved_only_where_present() -> None:
    body = render_body("[[ae]]\n\n::: private\n[[secret|boss]]\n:::\n", 1)
    seen: list[str] = []

    def record(link: LinkRef) -> Resolution:
        seen.append(link.target)
        return resolve(link)

    html = resolve_links(body.html, body.links, record)
    assert seen == ["ae"]
    assert "boss" not in html
    assert [link.target for link in links_in(body.html, body.links)] == ["ae"]
    assert [link.target for link in links_in(body.html_private, body.links)] == ["ae", "secret"]
    private_html = resolve_links(body.html_private, body.links, resolve)
    assert soup(private_html).get_text().split() == ["Become", "an", "<AE>", "&", "more", "boss"]


def test_unknown_placeholder_fails_closed() -> None:
    body = render_body("[x](first-deal.md)", 1)
    assert resolve_links(body.html, (), resolve).strip() == "<p>x</p>"


def test_html_without_placeholders_is_returned_as_is() -> None:
    body = render_body("plain *text* [x](https://example.com)", 1)
    assert resolve_links(body.html, body.links, resolve) is body.html


def test_sanitized_html_resolves_too() -> None:
    html = render('<span title="a>b">s</span> [deal](first-deal.md "x>y") [[ae]] [[secret]]')
    page = soup(html)
    hrefs = [a["href"] for a in page.find_all("a")]
    assert hrefs == ["../goals/first-deal.html", "../goals/ae.html"]
    assert page.find("a")["title"] == "x>y"
    assert "private" in page.get_text()


def test_many_links_are_fast() -> None:
    body = render_body("".join(f"- [l{i}](first-deal.md) [[ae]]\n" for i in range(2000)), 1)
    start = time.perf_counter()
    html = resolve_links(body.html, body.links, resolve)
    assert time.perf_counter() - start < 0.5
    assert html.count('href="../goals/first-deal.html"') == 2000
