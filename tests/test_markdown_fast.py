"""careersite.mdfast: the speed-ups give the very tokens and HTML markdown-it gives."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from markdown_it import MarkdownIt, helpers

from careersite.markdown import build_md, render_body
from careersite.mdfast import INLINE_STOP

FAST = build_md()
SLOW = build_md(fast=False)

# Pieces that start, end or break every construct the rules know, and plain words.
PIECES = [
    "\n", "\n\n", "\n\n", " ", "  ", "    ", "\t", "\r\n", "\r", "\0", "word", "two words",
    "é", "\u00a0", "- ", "* ", "+ ", "1. ", "2) ", "> ", "# ", "## ", "#", "```", "~~~",
    "|", " | ", "---", "--", "-", "===", "=", ":", ":--", "--:", "::: private", ":::",
    "::: Private\n", "[", "]", "(", ")", "[[", "]]", "[[goal]]", "[[a|b]]", "[[a#f]]",
    "!", "![", "^", "^[", "[^1]", "[^1]: ", "[^n]", "*", "**", "_", "__", "~~", "~", "`",
    "``", "<", ">", "<div>", "</div>", "<pre>", "<b>", "</b>", "<!-- c -->", "&amp;", "&#0;",
    "&", "&copy;", "\\", "\\|", "\\[", "\\(", "http://x.org/a", "HTTPS://Ex.org", "mailto:a@b",
    "javascript:x", "a.md", "../b.md#f", "b.md?x=1", "//host/p", "%20", "%", "%zz", "é.md",
    "+", "@", "{", "}", "$", "[x] ", "[ ] ", "[X] ", "[r]: /url", "[r]: <a b> 't'", "[r]",
    "[r][]", '"t"', "'t'", "<http://a.b>", "<a@b.c>", "<a b>", "(a(b)c)", "a)b", "[t](",
]
MARKDOWN = st.lists(st.sampled_from(PIECES), max_size=40).map("".join)


def assert_same(text: str) -> None:
    assert FAST.parse(text, {}) == SLOW.parse(text, {})
    assert render_body(text, 3, FAST) == render_body(text, 3, SLOW)


@settings(max_examples=1500, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(MARKDOWN)
def test_same_tokens_and_body_as_plain_markdown_it(text: str) -> None:
    assert_same(text)


@pytest.mark.parametrize("text", [
    "| a | b |\n|:-|-:|\n| 1 | 2 |\n\npara\n|-|\n",
    "a | b\n:-- | --:\n1 | 2\n\nc | d\n- | -\n",
    "- [x] done\n- [ ] todo\n  - [x] nested\n\n1. one\n2. two\n",
    "Title\n===\n\nSub\n---\n\ntext\n    code\n\n    more code\n",
    "> quote\n> - item\n>   ```\n>   code\n>   ```\n\n***\n___\n",
    "see [a](a.md), [b](<b c.md> \"t\"), [c](c.md 'x'), [d](d%20e.md#f), [e](a(b)c.md)\n",
    "[f](http://x.org/ä?q=1#h) [g](HTTP://X.ORG) [h](//host/x) [i](javascript:alert(1))\n",
    "[r]\n\n[r]: /url 'title'\n\n[s][r] [t][]\n",
    "text[^1] and ^[inline]\n\n[^1]: note\n",
    "::: private\nsecret [x](x.md)\n:::\n\n<div>\n*html*\n</div>\n",
    "a\\*b\\[c\\] &amp; &#35; &nbsp; `code` **b** _i_ ~~s~~ <span>x</span>\n",
    "\tindented\n\n  - a\n\n    b\n",
    "line one  \nline two\\\nthree\nfour\n",
])
def test_same_for_every_construct(text: str) -> None:
    assert_same(text)


URL_START = st.sampled_from(["", "", "http://", "HTTPS://", "mailto:", "//", "x:", "a.md#"])
URL_REST = st.text(alphabet=st.sampled_from("aZ09;/?:@&=+$,-_.!~*'()#%fF \\<>\"é\u00a0\x7f[]"))


@settings(max_examples=2000, deadline=None)
@given(st.tuples(URL_START, URL_REST).map("".join))
def test_link_helpers_agree_with_markdown_it(url: str) -> None:
    for text in (url, f"{url})", f"{url} 'x')", f"<{url}>"):
        fast = FAST.helpers.parseLinkDestination(text, 0, len(text))
        slow = helpers.parseLinkDestination(text, 0, len(text))
        assert (fast.ok, fast.pos, fast.str) == (slow.ok, slow.pos, slow.str)
    assert FAST.normalizeLink(url) == MarkdownIt().normalizeLink(url)


@pytest.mark.parametrize("url", [
    "//" + "a" * 300 + "/x", "//a;b@c:80/x", "//@x", "http://$:0;=", "mailto:@a", "ftp://@&~", "//x", "///x", "HTTP://X.ORG/a", "a:b/c",
    "x//y", "%41%2", "%%41", "a%2Fb", "", "#", "?a=b&c", "(x)", "a\\)b", "a\\ b",
])
def test_urls_normalized_as_markdown_it_does(url: str) -> None:
    assert FAST.normalizeLink(url) == MarkdownIt().normalizeLink(url)
    text = f"{url})"
    fast = FAST.helpers.parseLinkDestination(text, 0, len(text))
    slow = helpers.parseLinkDestination(text, 0, len(text))
    assert (fast.ok, fast.pos, fast.str) == (slow.ok, slow.pos, slow.str)


@given(st.text(max_size=60))
def test_text_without_stops_is_one_text_token(text: str) -> None:
    children = SLOW.inline.parse(text, SLOW, {}, [])
    if text and INLINE_STOP.search(text) is None:
        assert [(t.type, t.content, t.level) for t in children] == [("text", text, 0)]
