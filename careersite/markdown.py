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
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Literal
from urllib.parse import unquote

from markdown_it import MarkdownIt
from markdown_it.common.utils import escapeHtml
from markdown_it.renderer import RendererHTML
from markdown_it.rules_core import StateCore
from markdown_it.rules_inline import StateInline
from markdown_it.rules_inline import image as md_image
from markdown_it.rules_inline import link as md_link
from markdown_it.token import Token
from markdown_it.utils import EnvType, OptionsDict
from mdit_py_plugins.anchors.index import slugify, unique_slug
from mdit_py_plugins.container import container_plugin
from mdit_py_plugins.footnote import footnote_plugin
from mdit_py_plugins.footnote.index import footnote_inline, footnote_ref, render_footnote_ref

from careersite.documents import Action, Body, Heading, LinkRef
from careersite.sanitize import SAFE_SCHEMES, sanitize

log = logging.getLogger(__name__)

MARK = "\x00"
"""Delimits a placeholder: MARK + str(index) + MARK."""

MAX_INLINE = 50_000
"""Longest paragraph (in characters) parsed for inline Markdown."""

InlineRule = Callable[[StateInline, bool], bool]
LinkKind = Literal["path", "wiki"]

_PRIVATE_OPEN = "container_private_open"
_PRIVATE_CLOSE = "container_private_close"
_SCHEME_RE = re.compile(r"[A-Za-z][A-Za-z0-9+.\-]*:")
# [[id]], [[id#frag]], [[id|text]]; "\|" too, as GFM tables need the pipe escaped.
_WIKI_RE = re.compile(r"\[\[([^\[\]|\\\n]+)(?:\\?\|([^\[\]\n]+))?\]\]")
# A private fence swallowed by raw HTML (an unclosed <pre> runs to the end of the body):
# that HTML block is left out of the public HTML, so privacy fails closed.
_SWALLOWED_FENCE = re.compile(r"^ {0,3}:{3,}[ \t]*private\b", re.IGNORECASE | re.MULTILINE)

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


def placeholder(index: int) -> str:
    """The text standing for link number `index` in a body's HTML."""
    return f"{MARK}{index}{MARK}"


# -- the parser ----------------------------------------------------------------------


def _quiet_markdown_it_loggers() -> None:
    """Make markdown-it's per-rule LOGGER.debug calls (about 500 per 2.5 KB body) cheap.

    Logger.debug costs two Python calls even when disabled; a bound ``"".format``
    accepts any arguments and returns at C speed. Only markdown-it's own rule loggers
    are touched, and they only ever log "entering <rule>" at debug level.
    """
    for name in list(logging.root.manager.loggerDict):
        if name.startswith("markdown_it."):
            setattr(logging.getLogger(name), "debug", "".format)  # noqa: B010


def _get_md() -> MarkdownIt:
    global _md
    if _md is None:
        _quiet_markdown_it_loggers()
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
        )
        md.enable(["table", "strikethrough"])
        md.use(footnote_plugin)
        md.use(container_plugin, "private", validate=_is_private_fence, render=_render_private)
        md.core.ruler.at("inline", _inline_with_lines)
        md.core.ruler.after("inline", "cs_task_labels", _label_tasks)
        md.core.ruler.before("footnote_tail", "cs_private_footnotes", _mark_private_footnotes)
        # One rule for everything starting with "[", "!" or "^" (these rules were
        # adjacent): every other punctuation character then costs one call, not five.
        md.inline.ruler.at("link", _brackets)
        md.inline.ruler.disable(["image", "footnote_inline", "footnote_ref"])
        # Links are filtered by scheme when rendered (_classify), so that a dropped link
        # keeps its text instead of showing its Markdown source.
        md.validateLink = _accept_link  # type: ignore[method-assign]
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
        _md = md
    return _md


def _accept_link(url: str) -> bool:
    return True


def _is_private_fence(params: str, *args: object) -> bool:
    # Any case: a "::: Private" block must not be published either.
    words = params.split()
    return bool(words) and words[0].lower() == "private"


def _inline_with_lines(state: StateCore) -> None:
    """markdown-it's core "inline" rule, also noting each block's first line.

    A paragraph longer than MAX_INLINE characters is kept as plain text: inline parsing
    costs up to ~15 µs a character on hostile input ("[[[[…"), and no real paragraph
    is that long.
    """
    env, md = state.env, state.md
    for token in state.tokens:
        if token.type == "inline":
            if token.children is None:
                token.children = []
            env["cs_line"] = line = token.map[0] if token.map else env.get("cs_line", 0)
            if len(token.content) > MAX_INLINE:
                log.debug("body line %d: %d characters kept as text", line, len(token.content))
                token.children.append(Token("text", "", 0, content=token.content))
            else:
                md.inline.parse(token.content, md, env, token.children)


def _brackets(state: StateInline, silent: bool) -> bool:
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


def _mark_private_footnotes(state: StateCore) -> None:
    """Note footnotes defined inside private blocks, before footnote_tail moves them."""
    if "footnotes" not in state.env:
        return
    depth = 0
    labels: set[str] = set()
    for token in state.tokens:
        if token.type == _PRIVATE_OPEN:
            depth += 1
        elif token.type == _PRIVATE_CLOSE:
            depth -= 1
        elif depth and token.type == "footnote_reference_open":
            labels.add(token.meta["label"])
    state.env["cs_private_fn_labels"] = labels


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


def _label_tasks(state: StateCore) -> None:
    """Move each task's checkbox into a <label> around the item's first paragraph."""
    tokens = state.tokens
    for idx in range(len(tokens) - 2):
        token = tokens[idx]
        if (token.type != "list_item_open" or "checked" not in token.meta
                or tokens[idx + 1].type != "paragraph_open"
                or tokens[idx + 2].type != "inline"):
            continue
        token.meta["cs_labelled"] = True
        children = tokens[idx + 2].children
        if children is None:
            children = tokens[idx + 2].children = []
        box = Token("cs_task_open", "label", 1, meta={"checked": token.meta["checked"]})
        children.insert(0, box)
        children.append(Token("cs_task_close", "label", -1))


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


class _Locator:
    """File line and column of a position in an inline token's source text.

    Positions arrive in increasing order per source, so counting newlines resumes where
    it stopped: a 300 KB paragraph full of links stays linear.
    """

    def __init__(self, text: str, first_line: int) -> None:
        self._text = text
        self._first = first_line
        self._lines: list[str] | None = None
        self._src: str | None = None
        self._base = self._pos = self._line = self._start = 0
        self._delta: dict[tuple[int, int, int], int] = {}

    def __call__(self, src: str, pos: int, base: int) -> tuple[int, int]:
        if src is not self._src or pos < self._pos or base != self._base:
            self._src, self._base, self._pos, self._line, self._start = src, base, 0, 0, 0
        newlines = src.count("\n", self._pos, pos)
        if newlines:
            self._line += newlines
            self._start = src.rfind("\n", self._pos, pos) + 1
        self._pos = pos
        key = (id(src), base, self._line)
        delta = self._delta.get(key)
        if delta is None:
            # Block markers and indentation are stripped from the inline source: find
            # the source line's text in the file line to recover the real column.
            if self._lines is None:
                text = self._text.replace("\r\n", "\n").replace("\r", "\n")
                self._lines = text.replace("\0", "\ufffd").split("\n")
            end = src.find("\n", self._start)
            content = src[self._start : len(src) if end < 0 else end]
            row = base + self._line
            file_line = self._lines[row] if row < len(self._lines) else ""
            delta = self._delta[key] = max(file_line.rfind(content), 0) if content else 0
        return self._first + base + self._line, delta + pos - self._start + 1


def _classify(url: str) -> str:
    """Verdict on a link target: "path" (a plan file), "keep" (as is) or "drop"."""
    if not url or url[0] in "#/?":
        return "keep"
    scheme = _SCHEME_RE.match(url)
    if scheme is None:
        return "path"
    return "keep" if scheme.group()[:-1].lower() in SAFE_SCHEMES else "drop"


def _plain(children: Sequence[Token] | None) -> str:
    parts: list[str] = []
    for child in children or ():
        if child.type == "text" or child.type == "code_inline":
            parts.append(child.content)
        elif child.type == "softbreak" or child.type == "hardbreak":
            parts.append(" ")
    return " ".join("".join(parts).split())


@dataclass
class _Scan:
    text: str
    first_line: int
    links: list[LinkRef] = field(default_factory=list)
    actions: list[Action] = field(default_factory=list)
    headings: list[tuple[Token, str, bool]] = field(default_factory=list)
    private_lines: list[list[int]] = field(default_factory=list)
    """Line ranges of the private blocks."""
    raw_html: bool = False
    fn_public_refs: set[tuple[int, int]] = field(default_factory=set)
    _locate: _Locator | None = None

    def walk(self, tokens: Sequence[Token]) -> None:
        depth = 0
        for idx, token in enumerate(tokens):
            kind = token.type
            if kind == "inline":
                if token.children:
                    self.inline(token.children, depth > 0)
            elif kind == _PRIVATE_OPEN:
                depth += 1
                self.private_lines.append((token.map or [0, 0])[:2])
            elif kind == _PRIVATE_CLOSE:
                depth -= 1
            elif kind == "heading_open":
                self.headings.append((token, _plain(tokens[idx + 1].children), depth > 0))
            elif kind == "list_item_open" and "checked" in token.meta and not depth:
                text = ""
                if tokens[idx + 1].type == "paragraph_open":
                    text = _plain(tokens[idx + 2].children)
                line = self.first_line + (token.map[0] if token.map else 0)
                self.actions.append(Action(text, bool(token.meta["checked"]), line))
            elif kind == "html_block":
                self.raw_html = True
                if _SWALLOWED_FENCE.search(token.content):
                    token.meta["cs_private_html"] = True
                    self.private_lines.append((token.map or [0, 0])[:2])

    def inline(self, children: Sequence[Token], private: bool) -> None:
        opened: list[Token] = []
        for child in children:
            kind = child.type
            if kind == "link_open":
                opened.append(child)
                wiki = child.meta.get("cs_wiki")
                if wiki is not None:
                    child.attrs["href"] = self.add(child, wiki[0], "wiki", wiki[1], wiki[2])
                else:
                    self.url(child, "href")
            elif kind == "link_close" and opened:
                child.meta = opened.pop().meta  # rendered (or hidden) like its opener
            elif kind == "image":
                self.url(child, "src")
            elif kind == "html_inline":
                self.raw_html = True
            elif kind == "footnote_ref" and not private:
                self.fn_public_refs.add((child.meta["id"], child.meta.get("subId", 0)))

    def url(self, token: Token, attr: str) -> None:
        url = str(token.attrs.get(attr, ""))
        verdict = _classify(url)
        if verdict == "drop":
            token.meta["cs_drop"] = True
        elif verdict == "path":
            path, _, fragment = url.partition("#")
            path = path.partition("?")[0]
            if path:
                token.attrs[attr] = self.add(token, unquote(path), "path", unquote(fragment))

    def add(
        self, token: Token, target: str, kind: LinkKind, fragment: str, bare: bool = False
    ) -> str:
        at = token.meta.get("cs_at")
        if at is None:
            line, col = self.first_line, 1
        else:
            if self._locate is None:
                self._locate = _Locator(self.text, self.first_line)
            line, col = self._locate(*at)
        index = len(self.links)
        self.links.append(LinkRef(index, target, kind, fragment, bare, line, col))
        return placeholder(index)

    def anchors(self) -> tuple[tuple[Heading, ...], str | None]:
        """Give headings unique ids, public ones first; return the public headings."""
        slugs: set[str] = set()
        public: list[Heading] = []
        for private_pass in (False, True):
            for token, text, private in self.headings:
                if private is private_pass:
                    anchor = unique_slug(slugify(text) or "section", slugs)
                    token.attrSet("id", anchor)
                    if not private:
                        public.append(Heading(int(token.tag[1]), text, anchor))
        first_h1 = next((h.text for h in public if h.level == 1), None)
        return tuple(public), first_h1


# -- public token stream, sanitizing, entry point ------------------------------------


def _public_tokens(tokens: Sequence[Token], scan: _Scan, env: EnvType) -> list[Token]:
    """The token stream without private blocks and the footnotes only they use."""
    out: list[Token] = []
    depth = 0
    for token in tokens:
        if token.type == _PRIVATE_OPEN:
            depth += 1
        elif token.type == _PRIVATE_CLOSE:
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


def render_body(text: str, first_line: int) -> Body:
    """Render a Markdown body; `first_line` is the file line (1-based) it starts on."""
    md = _get_md()
    env: EnvType = {}
    tokens = md.parse(text, env)
    scan = _Scan(text, first_line)
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
