"""careersite's markdown-it parse rules: wikilinks, link positions, task labels, privacy.

Split from markdown.py, which sets markdown-it up with these rules and renders; mdscan.py
walks the tokens they make.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable

from markdown_it.rules_core import StateCore
from markdown_it.rules_inline import StateInline
from markdown_it.rules_inline import image as md_image
from markdown_it.rules_inline import link as md_link
from markdown_it.token import Token
from mdit_py_plugins.footnote.index import footnote_inline, footnote_ref

from careersite.mdfast import INLINE_STOP
from careersite.mdscan import PRIVATE_CLOSE, PRIVATE_OPEN

log = logging.getLogger(__name__)

MAX_INLINE = 50_000
"""Longest paragraph (in characters) parsed for inline Markdown."""

InlineRule = Callable[[StateInline, bool], bool]

# [[id]], [[id#frag]], [[id|text]]; "\|" too, as GFM tables need the pipe escaped.
_WIKI_RE = re.compile(r"\[\[([^\[\]|\\\n]+)(?:\\?\|([^\[\]\n]+))?\]\]")


def accept_link(url: str) -> bool:
    """Every link is kept while parsing; mdscan.classify filters them by scheme."""
    return True


def is_private_fence(params: str, *args: object) -> bool:
    """`::: private` in any case: a "::: Private" block must not be published either."""
    words = params.split()
    return bool(words) and words[0].lower() == "private"


def inline_with_lines(state: StateCore) -> None:
    """markdown-it's core "inline" rule, also noting each block's first line.

    Plain text, with none of the characters at which an inline rule starts (three inline
    tokens in four), becomes the one text token markdown-it's inline parse would make of
    it, without setting that parse up. A paragraph longer than MAX_INLINE characters is
    kept as plain text: inline parsing costs up to ~15 µs a character on hostile input
    ("[[[[…"), and no real paragraph is that long. A task item's first paragraph is
    wrapped in a label with its checkbox (see _label_task).
    """
    env, md, tokens = state.env, state.md, state.tokens
    for idx, token in enumerate(tokens):
        if token.type != "inline":
            continue
        children = token.children
        if children is None:
            children = token.children = []
        env["cs_line"] = line = token.map[0] if token.map else env.get("cs_line", 0)
        content = token.content
        if not content:
            pass
        elif len(content) > MAX_INLINE:
            log.debug("body line %d: %d characters kept as text", line, len(content))
            children.append(Token("text", "", 0, content=content))
        elif INLINE_STOP.search(content) is None:
            children.append(Token("text", "", 0, content=content))
        else:
            md.inline.parse(content, md, env, children)
        if idx >= 2 and tokens[idx - 1].type == "paragraph_open":
            item = tokens[idx - 2]
            if item.type == "list_item_open" and "checked" in item.meta:
                _label_task(item, children)


def _label_task(item: Token, children: list[Token]) -> None:
    """Move a task's checkbox into a <label> around the item's first paragraph."""
    item.meta["cs_labelled"] = True
    children.insert(0, Token("cs_task_open", "label", 1, meta={"checked": item.meta["checked"]}))
    children.append(Token("cs_task_close", "label", -1))


def brackets(state: StateInline, silent: bool) -> bool:
    """Wikilink, link, footnote reference, image and inline footnote rules, in order."""
    char = state.src[state.pos]
    if char == "[":
        if _wikilink(state, silent):
            return True
        if _located(md_link, state, silent):
            return True
        return footnote_ref(state, silent)
    if char == "!":
        return _located(md_image, state, silent)
    if char == "^":
        return footnote_inline(state, silent)
    return False


def _located(rule: InlineRule, state: StateInline, silent: bool) -> bool:
    """Run a link or image rule, noting where the link starts (for messages)."""
    start, count = state.pos, len(state.tokens)
    if not rule(state, silent):
        return False
    if not silent:
        for token in state.tokens[count:]:
            if token.type == "link_open" or token.type == "image":
                token.meta["cs_at"] = (state.src, start, state.env.get("cs_line", 0))
                break
    return True


def _wikilink(state: StateInline, silent: bool) -> bool:
    pos, src = state.pos, state.src
    if src[pos] != "[" or not src.startswith("[[", pos):
        return False
    match = _WIKI_RE.match(src, pos, state.posMax)
    if match is None:
        return False
    target, _, fragment = match.group(1).partition("#")
    target = target.strip()
    if not target:
        return False
    if not silent:
        text = match.group(2)
        bare = text is None or not text.strip()
        token = state.push("link_open", "a", 1)
        token.attrs = {"href": ""}
        token.meta = {
            "cs_wiki": (target, fragment.strip(), bare),
            "cs_at": (src, pos, state.env.get("cs_line", 0)),
        }
        if bare:
            state.push("cs_wiki_title", "", 0)
        else:
            old_max = state.posMax
            state.pos, state.posMax = match.start(2), match.end(2)
            state.linkLevel += 1
            state.md.inline.tokenize(state)
            state.linkLevel -= 1
            state.posMax = old_max
        state.push("link_close", "a", -1)
    state.pos = match.end()
    return True


def mark_private_footnotes(state: StateCore) -> None:
    """Note footnotes defined inside private blocks, before footnote_tail moves them."""
    if "footnotes" not in state.env:
        return
    depth = 0
    labels: set[str] = set()
    for token in state.tokens:
        if token.type == PRIVATE_OPEN:
            depth += 1
        elif token.type == PRIVATE_CLOSE:
            depth -= 1
        elif depth and token.type == "footnote_reference_open":
            labels.add(token.meta["label"])
    state.env["cs_private_fn_labels"] = labels
