"""careersite.markdown: Markdown body -> Body."""

from __future__ import annotations

import logging
import time
from typing import Any

import pytest
from bs4 import BeautifulSoup, Comment

from careersite.documents import Action, Heading
from careersite.markdown import render_body
from careersite.mdscan import MARK, placeholder


def soup(html: str) -> Any:
    """The parsed HTML; typed Any, as a missing element fails the test anyway."""
    return BeautifulSoup(html, "html.parser")


# -- Markdown features ----------------------------------------------------------------


def test_table_with_alignment() -> None:
    body = render_body("| a | b | c |\n|:--|:-:|--:|\n| 1 | 2 | 3 |\n", 1)
    cells = soup(body.html).find_all("td")
    assert [c.get_text() for c in cells] == ["1", "2", "3"]
    assert [c["style"] for c in cells] == [
        "text-align:left",
        "text-align:center",
        "text-align:right",
    ]


def test_strikethrough() -> None:
    body = render_body("keep ~~old plan~~ here", 1)
    assert soup(body.html).find("s").get_text() == "old plan"


def test_task_list_actions_use_file_lines() -> None:
    text = "## Action plan\n\n- [x] Book the review\n- [ ] Read *the book*\n  more\n- no task\n"
    body = render_body(text, 7)
    assert body.actions == (
        Action("Book the review", True, 9),
        Action("Read the book more", False, 10),
    )
    boxes = soup(body.html).find_all("input")
    assert len(boxes) == 2
    for box in boxes:
        assert box["type"] == "checkbox"
        assert box.has_attr("disabled")
        assert "task-list-item-checkbox" in box["class"]
    assert boxes[0].has_attr("checked") and not boxes[1].has_attr("checked")
    assert "contains-task-list" in soup(body.html).find("ul")["class"]


def test_task_checkboxes_survive_sanitizing() -> None:
    body = render_body("- [x] done <kbd>x</kbd>\n- [ ] todo\n", 1)
    boxes = soup(body.html).find_all("input")
    assert [b.has_attr("checked") for b in boxes] == [True, False]
    assert all(b.has_attr("disabled") and b["type"] == "checkbox" for b in boxes)


def test_actions_in_ordered_and_nested_lists() -> None:
    body = render_body("1. [ ] one\n   - [x] nested\n", 1)
    assert body.actions == (Action("one", False, 1), Action("nested", True, 2))


def test_footnotes() -> None:
    body = render_body("Pricing[^p] and more.\n\n[^p]: Up to 15 %.\n", 1)
    page = soup(body.html)
    ref = page.find("sup", class_="footnote-ref").find("a")
    assert ref["href"] == "#fn1"
    item = page.find("li", id="fn1")
    assert "Up to 15 %." in item.get_text()
    assert item.find("a", class_="footnote-backref")["href"] == "#fnref1"


def test_headings_get_unique_anchors() -> None:
    text = "# Plan\n\n## Notes\n\n## Notes\n\n### Notes\n\nSetext\n------\n"
    body = render_body(text, 1)
    assert body.headings == (
        Heading(1, "Plan", "plan"),
        Heading(2, "Notes", "notes"),
        Heading(2, "Notes", "notes-1"),
        Heading(3, "Notes", "notes-2"),
        Heading(2, "Setext", "setext"),
    )
    ids = [h["id"] for h in soup(body.html).find_all(["h1", "h2", "h3"])]
    assert ids == ["plan", "notes", "notes-1", "notes-2", "setext"]
    assert body.first_h1 == "Plan"


def test_first_h1_is_first_level_one_heading() -> None:
    assert render_body("## Two\n\n# One *emph* `code`\n\n# Later\n", 1).first_h1 == "One emph code"
    assert render_body("no heading", 1).first_h1 is None


def test_jinja_syntax_is_text() -> None:
    body = render_body("{{ config.secret }} and {% include 'x' %} {# c #}", 1)
    assert soup(body.html).get_text().strip() == "{{ config.secret }} and {% include 'x' %} {# c #}"


def test_empty_body() -> None:
    body = render_body("", 3)
    assert body.html == "" and body.html_private == ""
    assert body.links == () and body.actions == () and body.headings == ()


# -- links ----------------------------------------------------------------------------


def test_relative_links_become_placeholders() -> None:
    text = "See [the deal](first%20deal.md#next-step?x) and ![chart](img/chart.png).\n"
    body = render_body(text, 4)
    deal, chart = body.links
    assert (deal.kind, deal.target, deal.fragment, deal.bare) == (
        "path",
        "first deal.md",
        "next-step?x",
        False,
    )
    assert (deal.line, deal.col) == (4, text.index("[") + 1)
    assert (chart.kind, chart.target, chart.fragment) == ("path", "img/chart.png", "")
    assert (chart.line, chart.col) == (4, text.index("![") + 1)
    page = soup(body.html)
    assert page.find("a")["href"] == placeholder(0)
    assert page.find("a").get_text() == "the deal"
    assert page.find("img")["src"] == placeholder(1)
    assert page.find("img")["alt"] == "chart"


def test_query_is_dropped_and_unicode_decoded() -> None:
    (link,) = render_body("[x](../caf%C3%A9.md?v=2#%C3%B6versikt)", 1).links
    assert (link.target, link.fragment) == ("../café.md", "översikt")


def test_other_links_are_left_alone() -> None:
    text = "[a](https://example.com/x) [b](#top) [c](/abs) [d](mailto:me@example.com) <https://x.y>"
    body = render_body(text, 1)
    assert body.links == ()
    hrefs = [a["href"] for a in soup(body.html).find_all("a")]
    assert hrefs == [
        "https://example.com/x",
        "#top",
        "/abs",
        "mailto:me@example.com",
        "https://x.y",
    ]


def test_wikilinks_both_forms() -> None:
    text = "Leads to [[sales/ae]] and [[vision|my *vision*]] and [[x#goal]].\n"
    body = render_body(text, 10)
    bare, explicit, fragment = body.links
    assert (bare.kind, bare.target, bare.bare) == ("wiki", "sales/ae", True)
    assert (bare.line, bare.col) == (10, text.index("[[") + 1)
    assert (explicit.target, explicit.bare) == ("vision", False)
    assert explicit.col == text.index("[[vision") + 1
    assert (fragment.target, fragment.fragment) == ("x", "goal")
    anchors = soup(body.html).find_all("a")
    assert [a["href"] for a in anchors] == [placeholder(0), placeholder(1), placeholder(2)]
    # A bare wikilink never shows its id; its text comes from the resolver.
    assert anchors[0].get_text() == ""
    assert anchors[1].decode_contents() == "my <em>vision</em>"
    assert "sales/ae" not in body.html


def test_wikilink_escaped_pipe_in_table() -> None:
    body = render_body("| goal |\n|---|\n| [[a/b\\|the goal]] |\n", 1)
    (link,) = body.links
    assert (link.target, link.bare, link.line) == ("a/b", False, 3)
    assert soup(body.html).find("a").get_text() == "the goal"


def test_reference_style_link_line_is_where_it_is_used() -> None:
    text = "Intro.\n\n> Later we use\n> [the review][r] here.\n\n[r]: reviews/march.md\n"
    (link,) = render_body(text, 20).links
    assert (link.target, link.line, link.col) == ("reviews/march.md", 23, 3)


def test_link_positions_in_lists_and_long_paragraphs() -> None:
    lines = ["- item", "  - nested [a](a.md)", "", "line one", "line two [b](b.md) [c](c.md)"]
    a, b, c = render_body("\n".join(lines) + "\n", 1).links
    assert (a.line, a.col) == (2, lines[1].index("[a]") + 1)
    assert (b.line, b.col) == (5, lines[4].index("[b]") + 1)
    assert (c.line, c.col) == (5, lines[4].index("[c]") + 1)


def test_link_inside_footnote_is_found() -> None:
    (link,) = render_body("Text[^1].\n\n[^1]: See [x](x.md).\n", 1).links
    assert (link.target, link.line) == ("x.md", 3)


# -- privacy --------------------------------------------------------------------------


def test_no_private_block_html_is_shared() -> None:
    body = render_body("# Title\n\nplain\n", 1)
    assert body.html is body.html_private


def test_private_block_only_in_private_html() -> None:
    text = (
        "Public text.\n\n::: private\nSalary target: 80k with [[boss]]\n\n"
        "- [ ] ask for a raise\n\n## Secret heading\n:::\n\nMore public.\n"
    )
    body = render_body(text, 1)
    assert "80k" not in body.html and "raise" not in body.html
    assert "Secret" not in body.html and "private-block" not in body.html
    assert "More public." in body.html and "Public text." in body.html
    block = soup(body.html_private).find("div", class_="private-block")
    assert "Salary target: 80k" in block.get_text()
    assert block.find("input") is not None
    assert "More public." in body.html_private
    # Records that templates read never carry private text.
    assert body.actions == ()
    assert body.headings == ()
    # Links inside the block are still known (to check them and for html_private).
    assert [link.target for link in body.links] == ["boss"]
    assert placeholder(0) in body.html_private and placeholder(0) not in body.html


@pytest.mark.parametrize("fence", ["::: Private", ":::PRIVATE", "::::  private  note"])
def test_private_fence_variants(fence: str) -> None:
    closer = ":" * (len(fence) - len(fence.lstrip(":")))
    body = render_body(f"a\n\n{fence}\nsecret\n{closer}\n\nb\n", 1)
    assert "secret" not in body.html and "secret" in body.html_private


def test_unclosed_private_block_hides_the_rest() -> None:
    body = render_body("public\n\n::: private\nsecret\n\nstill secret\n", 1)
    assert "secret" not in body.html
    assert "still secret" in body.html_private


def test_private_block_in_list_item() -> None:
    body = render_body("- item\n\n  ::: private\n  hidden\n  :::\n- next\n", 1)
    assert "hidden" not in body.html and "next" in body.html
    assert "hidden" in body.html_private


def test_private_headings_do_not_shape_public_anchors() -> None:
    body = render_body("::: private\n## Salary\n:::\n\n## Salary\n", 1)
    assert body.headings == (Heading(2, "Salary", "salary"),)
    assert soup(body.html).find("h2")["id"] == "salary"
    assert [h["id"] for h in soup(body.html_private).find_all("h2")] == ["salary-1", "salary"]


def test_private_first_h1_is_not_a_title() -> None:
    body = render_body("::: private\n# Leaving the company\n:::\n\n# Plan\n", 1)
    assert body.first_h1 == "Plan"


def test_footnotes_of_private_blocks_stay_private() -> None:
    text = (
        "Public[^pub] and inline^[public inline].\n\n"
        "::: private\nSecret[^sec] and ^[secret inline] and again[^pub].\n\n"
        "[^sec]: secret definition\n:::\n\n"
        "Uses a private definition[^hid].\n\n"
        "::: private\n[^hid]: hidden definition\n:::\n\n"
        "[^pub]: public definition\n"
    )
    body = render_body(text, 1)
    for secret in ("secret definition", "secret inline", "hidden definition"):
        assert secret not in body.html
        assert secret in body.html_private
    page = soup(body.html)
    items = page.find_all("li", class_="footnote-item")
    assert [li.get_text().split(" ")[0] for li in items] == ["public", "public"]
    assert [li["id"] for li in items] == ["fn1", "fn2"]
    refs = [a["href"] for a in page.select("sup.footnote-ref a")]
    assert refs == ["#fn1", "#fn2"]
    # Back-references point only at references that exist in the public page.
    ids = {tag["id"] for tag in page.find_all(id=True)}
    for back in page.find_all("a", class_="footnote-backref"):
        assert back["href"][1:] in ids


def test_reference_defined_in_private_block_is_not_published() -> None:
    text = (
        "The [sheet][s], the [plan][p] and ![chart][c].\n\n"
        "::: private\n[s]: https://docs.example/salary-2027\n[c]: img/salary.png\n:::\n\n"
        "[p]: plan.md\n"
    )
    body = render_body(text, 1)
    assert "salary" not in body.html
    page = soup(body.html)
    assert page.get_text().strip() == "The sheet, the plan and chart."
    assert [a["href"] for a in page.find_all("a")] == [placeholder(0)]
    private = soup(body.html_private)
    assert private.find("a")["href"] == "https://docs.example/salary-2027"
    assert private.find("img")["src"] == placeholder(1)


def test_only_private_footnotes_leave_no_footnote_section() -> None:
    body = render_body("Text.\n\n::: private\nx[^1]\n\n[^1]: secret\n:::\n", 1)
    assert "footnote" not in body.html
    assert "secret" in body.html_private


# -- safety ---------------------------------------------------------------------------

XSS = [
    "<script>alert(1)</script>",
    "<SCRIPT SRC=//evil.example/x.js></SCRIPT>",
    "<style>body{display:none}</style>",
    "<iframe src='https://evil.example'></iframe>",
    "<form action='https://evil.example'><input name=q><button>go</button></form>",
    "<svg onload=alert(1)><circle r=1 /></svg>",
    "<img src=x onerror=alert(1)>",
    '<a href="javascript:alert(1)">a</a>',
    '<a href="JaVaScRiPt:alert(1)">a</a>',
    '<a href="&#106;avascript:alert(1)">a</a>',
    '<a href="&#x6A;&#x61;vascript&colon;alert(1)">a</a>',
    '<a href="java&#x09;script:alert(1)">a</a>',
    '<a href="vbscript:msgbox(1)">a</a>',
    '<a href="data:text/html,<script>alert(1)</script>">a</a>',
    '<a href="file:///etc/passwd">a</a>',
    '<img src="data:text/html;base64,PHNjcmlwdD4=">',
    '<div onclick="alert(1)" onmouseover="x()">d</div>',
    "<!-- a comment --><p>p</p>",
    "<object data=x></object><embed src=x>",
    "<math><mi xlink:href='javascript:alert(1)'>m</mi></math>",
    "<meta http-equiv=refresh content='0;url=javascript:alert(1)'>",
    "<base href='https://evil.example/'>",
    "<link rel=stylesheet href=x>",
    "<textarea>t</textarea><select><option>o</option></select>",
    '<p style="position:fixed;top:0">over</p>',
    "[md](javascript:alert(1))",
    "[md](JAVASCRIPT:alert(1))",
    "[md](&#106;avascript:alert(1))",
    "[md](vbscript:msgbox(1))",
    "[md](file:///etc/passwd)",
    "[md](data:text/html;base64,PHNjcmlwdD4=)",
    "![md](data:image/png;base64,iVBORw0KGgo=)",
    "![md](javascript:alert(1))",
    "<javascript:alert(1)>",
    "[ref]\n\n[ref]: javascript:alert(1)",
]

SAFE_SCHEMES = ("http:", "https:", "mailto:")


def assert_safe(html: str) -> None:
    page = soup(html)
    bad_tags = ["script", "style", "iframe", "form", "button", "svg", "math", "object",
                "embed", "meta", "base", "link", "textarea", "select"]  # fmt: skip
    assert page.find_all(bad_tags) == []
    for tag in page.find_all(True):
        for name, value in tag.attrs.items():
            assert not name.lower().startswith("on"), tag
            assert name != "style" or value.startswith("text-align:"), tag
            if name in ("href", "src"):
                url = value.strip().lower()
                scheme = url.split(":", 1)[0] if ":" in url.split("/", 1)[0] else ""
                assert not scheme or f"{scheme}:" in SAFE_SCHEMES, tag
        if tag.name == "input":
            assert tag.get("type") == "checkbox" and tag.has_attr("disabled"), tag
    assert not page.find_all(string=lambda s: isinstance(s, Comment))


@pytest.mark.parametrize("vector", XSS)
def test_xss_vectors_are_removed(vector: str) -> None:
    for text in (vector, f"para {vector} text", f"::: private\n{vector}\n:::"):
        body = render_body(text, 1)
        assert_safe(body.html)
        assert_safe(body.html_private)


def test_dropped_markdown_links_keep_their_text() -> None:
    body = render_body("[click me](javascript:alert(1)) ![a chart](data:image/png;base64,AA)", 1)
    page = soup(body.html)
    assert page.find("a") is None and page.find("img") is None
    assert page.get_text().strip() == "click me a chart"


def test_no_input_from_raw_html() -> None:
    body = render_body('<input class="task-list-item-checkbox" type="checkbox" disabled> x', 1)
    assert soup(body.html).find("input") is None


def test_harmless_html_is_kept() -> None:
    text = (
        "Press <kbd>Ctrl</kbd>+<kbd>C</kbd>, H<sub>2</sub>O, x<sup>2</sup>, "
        '<mark>hi</mark> <abbr title="Account Executive">AE</abbr> <ins>new</ins> '
        "<del>old</del><br>\nnext\n\n<details><summary>More</summary>\n\nHidden *text*\n\n"
        "</details>\n\n<table><tr><td>cell</td></tr></table>\n"
    )
    page = soup(render_body(text, 1).html)
    for name in ("kbd", "sub", "sup", "mark", "abbr", "ins", "del", "br", "details", "summary",
                 "table", "td"):  # fmt: skip
        assert page.find(name) is not None, name
    assert page.find("abbr")["title"] == "Account Executive"
    assert page.find("details").find("em").get_text() == "text"


def test_sanitizing_keeps_markdown_output() -> None:
    text = (
        "# Head <kbd>k</kbd>\n\n- [x] done\n\n| a |\n|--:|\n| 1 |\n\n"
        'Note[^1] [x](x.md) ![i](i.png "t") [[w]]\n\n[^1]: foot\n'
    )
    body = render_body(text, 1)
    page = soup(body.html)
    assert page.find("h1")["id"] == "head-k"
    assert page.find("input")["type"] == "checkbox"
    assert page.find("td")["style"] == "text-align:right"
    assert page.find("li", id="fn1") is not None
    assert page.find("a", id="fnref1")["href"] == "#fn1"
    hrefs = [a.get("href") for a in page.find_all("a")]
    assert placeholder(0) in hrefs and placeholder(2) in hrefs
    assert page.find("img")["src"] == placeholder(1)
    assert page.find("img")["title"] == "t"


@pytest.mark.parametrize(
    "text",
    ["a \x00 b", "a &#0; b &#x0; c", "<b>&#0;1&#0;</b> <i>x</i>", '[x](a.md "&#0;")', "`\x00`"],
)
def test_placeholders_cannot_be_forged(text: str) -> None:
    body = render_body(f"{text} \x000\x00 &#0;0&#0; [real](r.md)", 1)
    # The only NULs in the HTML are those of the real placeholders.
    assert body.html.count(MARK) == 2 * len(body.links)
    real = body.links[-1]
    assert real.target == "r.md"
    assert soup(body.html).find("a", href=placeholder(real.index)).get_text() == "real"


def test_nul_becomes_replacement_character() -> None:
    assert "\ufffd" in render_body("a\x00b", 1).html


# -- speed ----------------------------------------------------------------------------

PATHOLOGICAL = {
    "cdata": "<![CDATA[" * (96 * 1024 // 9),
    "cdata inline": "x <![CDATA[" * (96 * 1024 // 11),
    "quotes": ">" * 3000 + " deep",
    "quote lines": "".join(">" * n + " x\n" for n in range(1, 3001, 30)),
    "line of a": "a" * 300_000,
    "line of [": "[" * 300_000,
    "line of [[": "[[" * 150_000,
    "line of ![": "![" * 150_000,
    "line of :": ":" * 300_000,
    "line of *a": "*a" * 150_000,
    "line of links": "[a](b.md) " * 30_000,
    "line of tags": "<b>x</b>" * 37_500,
    "long paragraph of links": "[a](b.md)\n" * 4_000,
    "comments": "<!--" * 75_000,
    "emphasis": "*" * 50_000 + "a" + "*" * 50_000,
    "nested brackets": "[" * 10_000 + "a" + "](b)" * 10_000,
    "nested lists": "".join("  " * n + "- x\n" for n in range(300)),
    "tasks": "- [ ] x\n" * 3_000,
}


@pytest.mark.parametrize("name", list(PATHOLOGICAL))
def test_pathological_input_is_fast(name: str) -> None:
    text = PATHOLOGICAL[name]
    start = time.perf_counter()
    body = render_body(text, 1)
    elapsed = time.perf_counter() - start
    assert elapsed < 1.0, f"{name}: {elapsed:.2f} s"
    assert_safe(body.html)


def test_markdown_it_debug_logging_is_silenced(caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.DEBUG):
        render_body("# a\n\n- b\n\n> c\n", 1)
    assert not [r for r in caplog.records if r.name.startswith("markdown_it")]
