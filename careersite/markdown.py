"""Markdown body -> Body: HTML with link placeholders, actions, links and headings.

Link placeholders. Every relative Markdown link or image and every wikilink is emitted
as ``<a href="\\x00N\\x00" ...>text</a>`` or ``<img src="\\x00N\\x00" alt="..." ...>``,
N being the LinkRef's index; careersite.links swaps them for real links (or plain text).
NUL cannot come from user text: markdown-it replaces it by U+FFFD while normalizing the
source, and every entity that would decode to it (``&#0;``) also decodes to U+FFFD, in
markdown-it and in the HTML parser of nh3. The placeholder survives sanitizing because
it is swapped for a random per-call token around the nh3 call (see careersite.sanitize).

Privacy. ``::: private`` blocks are in ``html_private`` only; footnotes defined or only
referenced inside them are left out of ``html`` (and the rest renumbered). Headings and
task items inside them are left out of ``Body.headings``/``Body.actions``, so nothing
from a private block reaches a public page through those records; their anchors are
assigned after the public ones so public ids never depend on private text. A reference
definition (``[r]: url``) written in a private block is not used in ``html``: a public
link to it shows its text alone. Links inside private blocks are in ``Body.links`` (to
be checked, and for ``html_private``); careersite.links.links_in tells which are public.

Speed. Parsing is about 40% of a clean build. markdown-it runs with careersite.mdfast's
speed-ups (the same tokens and HTML, fewer Python steps), plain-text paragraphs skip the
inline parser (careersite.mdrules.inline_with_lines), and mdscan only walks the inline
tokens that can hold a link. A 2 KB body takes about 0.65 ms of CPU, less than
markdown-it alone as set up here (0.78 ms; it was 0.93 ms before mdfast).
"""

from __future__ import annotations

import logging
from collections.abc import Sequence

from markdown_it import MarkdownIt
from markdown_it.common.utils import escapeHtml
from markdown_it.renderer import RendererHTML
from markdown_it.token import Token
from markdown_it.utils import EnvType, OptionsDict
from mdit_py_plugins.container import container_plugin
from mdit_py_plugins.footnote import footnote_plugin
from mdit_py_plugins.footnote.index import render_footnote_ref

from careersite.documents import Body
from careersite.mdfast import FastRenderer, speed_up
from careersite.mdrules import (
    accept_link,
    brackets,
    inline_with_lines,
    is_private_fence,
    mark_private_footnotes,
)
from careersite.mdscan import (
    MARK,
    PRIVATE_CLOSE,
    PRIVATE_OPEN,
    Scan,
)
from careersite.sanitize import sanitize

log = logging.getLogger(__name__)

# Task-list checkboxes are rendered as placeholders and swapped for this markup after
# sanitizing, so that nh3 never has to allow an <input> (forms from raw HTML go).
_CHECKBOXES = {
    f"{MARK}c{MARK}": '<input class="task-list-item-checkbox" type="checkbox" disabled>',
    f"{MARK}C{MARK}": '<input class="task-list-item-checkbox" type="checkbox" disabled checked>',
    # A task's first paragraph labels its checkbox (screen readers read the box with it).
    f"{MARK}t{MARK}": '<label><input class="task-list-item-checkbox" type="checkbox" disabled> ',
    f"{MARK}T{MARK}": '<label><input class="task-list-item-checkbox" type="checkbox" disabled '
                      'checked> ',
    f"{MARK}l{MARK}": "</label>",
}

_md: MarkdownIt | None = None


# -- the parser ----------------------------------------------------------------------


def build_md(*, fast: bool = True) -> MarkdownIt:
    """The Markdown parser and renderer of bodies; `fast=False`: without careersite.mdfast."""
    md = MarkdownIt(
        "commonmark",
        {
            "html": True,
            "linkify": False,
            "tasklists": True,
            # Options the rules look up with .get(): a missing key costs an
            # exception in OptionsDict, on every list or emphasis run.
            "tasklists_editable": False,
            "strikethrough_single_tilde": False,
            "alerts": False,
            "store_labels": True,  # reference labels, see _hidden
        },
        renderer_cls=FastRenderer if fast else RendererHTML,
    )
    md.enable(["table", "strikethrough"])
    md.use(footnote_plugin)
    md.use(container_plugin, "private", validate=is_private_fence, render=_render_private)
    md.core.ruler.at("inline", inline_with_lines)
    md.core.ruler.before("footnote_tail", "cs_private_footnotes", mark_private_footnotes)
    # One rule for everything starting with "[", "!" or "^" (these rules were
    # adjacent): every other punctuation character then costs one call, not five.
    md.inline.ruler.at("link", brackets)
    md.inline.ruler.disable(["image", "footnote_inline", "footnote_ref"])
    # Links are filtered by scheme when rendered (classify), so that a dropped link
    # keeps its text instead of showing its Markdown source.
    md.validateLink = accept_link  # type: ignore[method-assign]
    if fast:
        speed_up(md)
    for name, rule in (
        ("list_item_open", _render_list_item_open),
        ("cs_task_open", _render_task_open),
        ("cs_task_close", _render_task_close),
        ("link_open", _render_link_open),
        ("link_close", _render_link_close),
        ("image", _render_image),
        ("cs_wiki_title", _render_nothing),
        ("footnote_ref", _render_fn_ref),
        ("footnote_anchor_name", _render_fn_anchor_name),
        ("footnote_caption", _render_fn_caption),
    ):
        md.add_render_rule(name, rule)
    return md


FAST_VERSIONS = ("4.",)
"""markdown-it-py versions careersite.mdfast was checked against (tests/test_markdown_fast.py
compares both parsers); with any other, bodies go through plain markdown-it."""


def _get_md() -> MarkdownIt:
    global _md
    if _md is None:
        import markdown_it

        _md = build_md(fast=markdown_it.__version__.startswith(FAST_VERSIONS))
    return _md


# -- render rules (self is the shared RendererHTML) ---------------------------------


def _render_private(
    self: RendererHTML, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType
) -> str:
    return '<div class="private-block">\n' if tokens[idx].nesting == 1 else "</div>\n"


def _render_list_item_open(
    self: RendererHTML, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType
) -> str:
    html = self.renderToken(tokens, idx, options, env)
    checked = tokens[idx].meta.get("checked")
    if checked is None or tokens[idx].meta.get("cs_labelled"):
        return html
    env["cs_tasks"] = True
    return f"{html}{MARK}{'C' if checked else 'c'}{MARK} "


def _render_task_open(
    self: RendererHTML, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType
) -> str:
    env["cs_tasks"] = True
    return f"{MARK}{'T' if tokens[idx].meta['checked'] else 't'}{MARK}"


def _render_task_close(
    self: RendererHTML, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType
) -> str:
    return f"{MARK}l{MARK}"


def _hidden(token: Token, env: EnvType) -> bool:
    """True for an unsafe link, or (public HTML) one whose reference is private."""
    meta = token.meta
    if meta.get("cs_drop"):
        return True
    private_refs: set[str] | None = env.get("cs_private_refs")
    return private_refs is not None and meta.get("label") in private_refs


def _render_link_open(
    self: RendererHTML, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType
) -> str:
    if _hidden(tokens[idx], env):
        return ""
    return self.renderToken(tokens, idx, options, env)


def _render_link_close(
    self: RendererHTML, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType
) -> str:
    return "" if _hidden(tokens[idx], env) else "</a>"


def _render_image(
    self: RendererHTML, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType
) -> str:
    token = tokens[idx]
    if _hidden(token, env):
        return escapeHtml(self.renderInlineAsText(token.children, options, env))
    return RendererHTML.image(self, tokens, idx, options, env)


def _render_nothing(
    self: RendererHTML, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType
) -> str:
    return ""


def _fn_number(token: Token, env: EnvType) -> int:
    numbers: dict[int, int] | None = env.get("cs_fn_numbers")
    footnote_id: int = token.meta["id"]
    return footnote_id + 1 if numbers is None else numbers.get(footnote_id, 0)


def _render_fn_ref(
    self: RendererHTML, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType
) -> str:
    if not _fn_number(tokens[idx], env):
        return ""  # a footnote left out of the public HTML
    return render_footnote_ref(self, tokens, idx, options, env)


def _render_fn_anchor_name(
    self: RendererHTML, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType
) -> str:
    return str(_fn_number(tokens[idx], env))


def _render_fn_caption(
    self: RendererHTML, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType
) -> str:
    token = tokens[idx]
    sub = token.meta.get("subId", -1)
    return f"[{_fn_number(token, env)}{f':{sub}' if sub > 0 else ''}]"


# -- collecting links, actions and headings ------------------------------------------


def _public_tokens(tokens: Sequence[Token], scan: Scan, env: EnvType) -> list[Token]:
    """The token stream without private blocks and the footnotes only they use."""
    out: list[Token] = []
    depth = 0
    for token in tokens:
        if token.type == PRIVATE_OPEN:
            depth += 1
        elif token.type == PRIVATE_CLOSE:
            depth -= 1
        elif not depth and not token.meta.get("cs_private_html"):
            out.append(token)
    if not any(t.type == "footnote_block_open" for t in out):
        return out
    private_labels: set[str] = env.get("cs_private_fn_labels", set())
    used = {footnote_id for footnote_id, _ in scan.fn_public_refs}
    shown: dict[int, int] = {}
    for token in out:
        if token.type == "footnote_open":
            footnote_id = token.meta["id"]
            if footnote_id in used and token.meta.get("label") not in private_labels:
                shown[footnote_id] = len(shown) + 1
    filtered: list[Token] = []
    skipping = False
    for token in out:
        kind = token.type
        if kind == "footnote_open":
            skipping = token.meta["id"] not in shown
        if kind in ("footnote_block_open", "footnote_block_close") and not shown:
            continue
        if kind == "footnote_anchor" and (
            (token.meta["id"], token.meta["subId"]) not in scan.fn_public_refs
        ):
            continue
        if not skipping:
            filtered.append(token)
        if kind == "footnote_close":
            skipping = False
    env["cs_fn_numbers"] = shown
    return filtered


def _private_references(env: EnvType, ranges: list[list[int]]) -> set[str]:
    """Labels of the reference definitions written inside private blocks."""
    return {
        label
        for label, reference in env.get("references", {}).items()
        if any(start <= reference["map"][0] < end for start, end in ranges)
    }


def _checkboxes(html: str) -> str:
    for checkbox, markup in _CHECKBOXES.items():
        html = html.replace(checkbox, markup)
    return html


def render_body(text: str, first_line: int, md: MarkdownIt | None = None) -> Body:
    """Render a Markdown body; `first_line` is the file line (1-based) it starts on.

    `md` is the parser to use (the tests compare build_md's two kinds); by default, the
    fast one, made once.
    """
    md = md or _get_md()
    env: EnvType = {}
    tokens = md.parse(text, env)
    scan = Scan(text, first_line)
    scan.walk(tokens)
    headings, first_h1 = scan.anchors()
    options = md.options
    render_env: EnvType = {}
    html_private = md.renderer.render(tokens, options, render_env)
    html = html_private
    if scan.private_lines:
        public_env: EnvType = {
            "cs_private_fn_labels": env.get("cs_private_fn_labels", set()),
            "cs_private_refs": _private_references(env, scan.private_lines),
        }
        html = md.renderer.render(_public_tokens(tokens, scan, public_env), options, public_env)
    same = html is html_private
    if scan.raw_html:
        html_private = sanitize(html_private, MARK)
        html = html_private if same else sanitize(html, MARK)
    if render_env.get("cs_tasks"):
        html_private = _checkboxes(html_private)
        html = html_private if same else _checkboxes(html)
    return Body(
        html=html,
        html_private=html_private,
        actions=tuple(scan.actions),
        links=tuple(scan.links),
        headings=headings,
        first_h1=first_h1,
    )
